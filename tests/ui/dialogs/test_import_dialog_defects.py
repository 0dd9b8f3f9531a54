"""#16 item 8: a vCard after a mapped CSV shows no column mapper, the undo step names the file
actually imported, and a broken row in the preview names the person it is about."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog

from planner.ui.dialogs.import_dialog import ImportDialog, ImportPreviewModel, run_import

DATA = Path(__file__).resolve().parents[2] / "data" / "import"


def _wait(qtbot: Any, dialog: ImportDialog) -> None:
    qtbot.waitUntil(lambda: not dialog._busy, timeout=10_000)


def test_a_vcard_after_a_mapped_csv_shows_no_column_mapper(qtbot: Any, tab_context: Any) -> None:
    dialog = ImportDialog(tab_context)
    qtbot.addWidget(dialog)
    dialog.load_file(DATA / "no_name_column.csv")
    _wait(qtbot, dialog)
    with qtbot.waitSignal(dialog.preview_ready, timeout=10_000):
        dialog.set_mapping(["name", "", "notes"])
    _wait(qtbot, dialog)
    assert dialog.mapping_box.isVisibleTo(dialog)
    dialog.load_file(DATA / "apple_3.0.vcf")
    _wait(qtbot, dialog)
    assert not dialog.mapping_box.isVisibleTo(dialog)
    assert dialog.mapping_combos == []
    assert dialog.format_combo.currentData() == "auto"
    assert dialog.preview is not None and dialog.preview.format == "vcard"
    assert dialog.model.rowCount() == 2


def test_a_vcard_read_as_csv_is_refused_without_a_column_mapper(
    qtbot: Any, tab_context: Any
) -> None:
    dialog = ImportDialog(tab_context)
    qtbot.addWidget(dialog)
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("csv"))
    dialog.load_file(DATA / "apple_3.0.vcf")
    _wait(qtbot, dialog)
    assert not dialog.mapping_box.isVisibleTo(dialog)
    assert "vCard" in dialog.summary_label.text()


def test_the_undo_step_names_the_file_actually_imported(
    qtbot: Any, tab_context: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake_exec(self: ImportDialog) -> int:
        qtbot.waitUntil(lambda: self.path is not None and not self._busy, timeout=10_000)
        # The user picks another file in the dialog before importing.
        self.load_file(DATA / "apple_3.0.vcf")
        _wait(qtbot, self)
        self._on_import_clicked()
        qtbot.waitUntil(lambda: self.outcome is not None, timeout=10_000)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ImportDialog, "exec", fake_exec)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(DATA / "empty.csv"), "")
    )
    outcome = run_import(tab_context)
    assert outcome is not None and outcome.created == 2
    text = tab_context.undo_stack.undoText()
    assert "apple_3.0.vcf" in text and "empty.csv" not in text


def test_broken_rows_show_the_persons_name(qtbot: Any, tab_context: Any, tmp_path: Path) -> None:
    vcf = tmp_path / "cut.vcf"
    vcf.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Ruiz\r\nEMAIL:ana@example.com\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Okafor;Ben;;;\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Chloé Dubois\r\n",
        encoding="utf-8",
    )
    csv = tmp_path / "Connections.csv"
    csv.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
        "Zoë,Ortega,https://www.linkedin.com/in/zoe,,Acme,CTO,not a date\r\n",
        encoding="utf-8",
    )
    dialog = ImportDialog(tab_context)
    qtbot.addWidget(dialog)
    names: dict[str, list[str]] = {}
    for path in (vcf, csv):
        dialog.load_file(path)
        _wait(qtbot, dialog)
        model = dialog.model
        names[path.suffix] = [
            model.index(r, ImportPreviewModel.COL_NAME).data()
            for r in range(model.rowCount())
            if model.index(r, ImportPreviewModel.COL_STATUS).data() == "Error"
        ]
    assert names[".vcf"] == ["Ana Ruiz", "Chloé Dubois"]
    assert names[".csv"] == ["Zoë Ortega"]
