"""The import preview dialog, driven with qtbot: statuses, choices, mapping, consent, undo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog
from sqlalchemy import func, select

from planner.core.contact_rows import new_contact
from planner.core.importer import MERGE, SKIP
from planner.db import models as m
from planner.ui.dialogs import import_dialog as mod
from planner.ui.dialogs.import_dialog import ImportDialog, ImportPreviewModel, run_import

DATA = Path(__file__).resolve().parents[2] / "data" / "import"


def _contacts(context: Any) -> int:
    with context.db.session() as s:
        return int(s.scalar(select(func.count(m.Contact.id))))


def _open(qtbot: Any, context: Any, name: str) -> ImportDialog:
    dialog = ImportDialog(context)
    qtbot.addWidget(dialog)
    dialog.load_file(DATA / name)
    assert dialog._busy  # parsing runs on a worker thread
    qtbot.waitUntil(lambda: not dialog._busy, timeout=10_000)
    return dialog


def test_preview_shows_statuses_and_needs_consent_for_broken_rows(
    qtbot: Any, tab_context: Any
) -> None:
    with tab_context.db.session() as s:
        new_contact(
            s, "Aoife Murphy", organisation="Globex", emails=["aoife.murphy@globex.example"]
        )
    dialog = _open(qtbot, tab_context, "linkedin_connections.csv")
    model = dialog.model
    statuses = [
        model.index(r, ImportPreviewModel.COL_STATUS).data() for r in range(model.rowCount())
    ]
    assert statuses == ["New", "New", "Duplicate", "Error"]
    detail = model.index(2, ImportPreviewModel.COL_DETAIL).data()
    assert "Aoife Murphy" in detail
    assert model.index(3, ImportPreviewModel.COL_LINE).data() == "9"
    assert "Connected On" in model.index(3, ImportPreviewModel.COL_DETAIL).data()
    assert "2 new" in dialog.summary_label.text()
    # Some rows are broken: importing needs the user's consent.
    assert dialog.good_rows_check.isVisibleTo(dialog)
    assert not dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.good_rows_check, Qt.MouseButton.LeftButton)
    assert dialog.import_button.isEnabled()
    assert _contacts(tab_context) == 1  # nothing written by the preview
    with qtbot.waitSignal(dialog.import_finished, timeout=10_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.outcome is not None and dialog.outcome.created == 2
    assert _contacts(tab_context) == 3


def test_model_passes_modeltester(qtbot: Any, qtmodeltester: Any, tab_context: Any) -> None:
    dialog = _open(qtbot, tab_context, "google_contacts.csv")
    qtmodeltester.check(dialog.model)


def test_duplicate_choice_skip(qtbot: Any, tab_context: Any) -> None:
    with tab_context.db.session() as s:
        new_contact(s, "Kwame Mensah", organisation="Bright Path")
    dialog = _open(qtbot, tab_context, "google_contacts.csv")
    model = dialog.model
    # Only the name and organisation match: proposed, and skipped unless the user merges.
    row = next(
        r for r in range(model.rowCount())
        if model.index(r, ImportPreviewModel.COL_STATUS).data() == "Possible duplicate"
    )  # fmt: skip
    action = model.index(row, ImportPreviewModel.COL_ACTION)
    assert action.flags() & Qt.ItemFlag.ItemIsEditable
    assert action.data() == "Skip"
    assert "possible duplicate" in dialog.summary_label.text()
    assert model.setData(action, MERGE)
    assert action.data() == "Merge into existing"
    assert model.setData(action, SKIP)
    assert action.data() == "Skip"
    with qtbot.waitSignal(dialog.import_finished, timeout=10_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.outcome is not None
    assert (dialog.outcome.created, dialog.outcome.skipped) == (1, 1)
    with tab_context.db.session() as s:
        kwame = s.scalars(select(m.Contact).where(m.Contact.name == "Kwame Mensah")).one()
        assert kwame.emails == []  # skipped: nothing merged in


def test_generic_csv_column_mapping(qtbot: Any, tab_context: Any) -> None:
    dialog = _open(qtbot, tab_context, "no_name_column.csv")
    assert dialog.mapping_box.isVisibleTo(dialog)
    assert "cannot be imported" in dialog.summary_label.text()
    assert not dialog.import_button.isEnabled()
    assert len(dialog.mapping_combos) == 3
    with qtbot.waitSignal(dialog.preview_ready, timeout=10_000):
        dialog.set_mapping(["name", "", "notes"])
    qtbot.waitUntil(lambda: not dialog._busy)
    assert dialog.model.rowCount() == 2
    assert dialog.model.index(0, ImportPreviewModel.COL_NAME).data() == "red"
    assert dialog.import_button.isEnabled()


@pytest.mark.parametrize("name", ["binary.vcf", "empty.csv"])
def test_unreadable_file_is_explained(qtbot: Any, tab_context: Any, name: str) -> None:
    dialog = _open(qtbot, tab_context, name)
    assert "cannot be imported" in dialog.summary_label.text()
    assert not dialog.import_button.isEnabled()
    assert dialog.model.rowCount() == 0


def test_run_import_pushes_one_undo_step(
    qtbot: Any, tab_context: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake_exec(self: ImportDialog) -> int:
        qtbot.waitUntil(lambda: self.preview is not None, timeout=10_000)
        qtbot.waitUntil(lambda: not self._busy, timeout=10_000)
        self._on_import_clicked()
        qtbot.waitUntil(lambda: self.outcome is not None, timeout=10_000)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ImportDialog, "exec", fake_exec)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(DATA / "apple_3.0.vcf"), "")
    )
    with qtbot.waitSignal(tab_context.bus.changed, timeout=10_000):
        outcome = run_import(tab_context)
    assert outcome is not None and outcome.created == 2
    stack = tab_context.undo_stack
    assert stack.count() == 1 and "apple_3.0.vcf" in stack.undoText()
    assert _contacts(tab_context) == 2
    # Undo and redo run off the GUI thread and say so on the bus when done.
    with qtbot.waitSignal(tab_context.bus.changed, timeout=10_000):
        stack.undo()
    assert _contacts(tab_context) == 0
    with qtbot.waitSignal(tab_context.bus.changed, timeout=10_000):
        stack.redo()
    assert _contacts(tab_context) == 2


def test_export_writes_the_chosen_format(
    qtbot: Any, tab_context: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with tab_context.db.session() as s:
        new_contact(s, "Zoë Achterberg", emails=["zoe@example.net"])
    target = tmp_path / "out"
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda *a, **k: (str(target), "vCard 4.0 (*.vcf)"),
    )
    path = mod.run_export(tab_context)
    assert path == tmp_path / "out.vcf"
    text = path.read_text(encoding="utf-8")
    assert "VERSION:4.0" in text and "FN:Zoë Achterberg" in text


def test_preview_names_bad_values_against_their_row_and_the_encoding(
    qtbot: Any, tab_context: Any, tmp_path: Any
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(
        "Name,E-mail,Phone\r\nZoë Ortega,tomas@@bbva.example,call me maybe\r\n"
        "Ana Ruiz,ana@example.com,\r\n".encode("cp1252")
    )
    dialog = ImportDialog(tab_context)
    qtbot.addWidget(dialog)
    dialog.load_file(path)
    qtbot.waitUntil(lambda: not dialog._busy, timeout=10_000)
    model = dialog.model
    detail = model.index(0, ImportPreviewModel.COL_DETAIL).data()
    assert "tomas@@bbva.example" in detail and "call me maybe" in detail
    assert "kept in the notes" in detail
    assert model.index(1, ImportPreviewModel.COL_DETAIL).data() == ""
    summary = dialog.summary_label.text()
    assert "encoding cp1252" in summary and "2 bad values in 1 row" in summary
    dialog.grab().save("/tmp/interop-import-preview.png")
