"""Edit > Find duplicates… and the menu actions of the import/export feature."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from sqlalchemy import func, select

from planner.core.contact_rows import new_contact
from planner.db import models as m
from planner.ui import tasks
from planner.ui.dialogs.duplicates_dialog import DuplicateGroupModel, DuplicatesDialog


def _contacts(context: Any) -> int:
    with context.db.session() as s:
        return int(s.scalar(select(func.count(m.Contact.id))))


def test_find_and_merge_duplicates_is_undoable(
    qtbot: Any, qtmodeltester: Any, tab_context: Any
) -> None:
    with tab_context.db.session() as s:
        new_contact(s, "Ana Ruiz", organisation="Globex", emails=["ana@globex.example"])
        new_contact(s, "Ana Ruiz", emails=["ANA@globex.example", "ana@home.example"])
        new_contact(s, "Mei Tan", organisation="Hooli")
        new_contact(s, "Mei  Tan", organisation="hooli", tags=["design"])
        new_contact(s, "Someone Else")
    dialog = DuplicatesDialog(tab_context)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10_000)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 2
    assert dialog.model.index(0, 0).data() == "Ana Ruiz (Globex)"
    assert "e-mail" in dialog.model.index(0, DuplicateGroupModel.COL_REASON).data()
    # The first group is selected and shown side by side.
    assert dialog.merge_button.isEnabled()
    assert dialog.compare_model.columnCount() == 2
    assert "2 groups look" in dialog.summary_label.text()
    with qtbot.waitSignal(tab_context.bus.changed):
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 1
    assert _contacts(tab_context) == 4
    qtbot.mouseClick(dialog.merge_all_button, Qt.MouseButton.LeftButton)
    assert dialog.loading and not dialog.merge_all_button.isEnabled()  # off the GUI thread
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10_000)
    assert dialog.model.rowCount() == 0
    assert _contacts(tab_context) == 3
    assert "No likely duplicates" in dialog.summary_label.text()
    stack = tab_context.undo_stack
    assert stack.count() == 2
    for _ in range(2):
        stack.undo()
        qtbot.waitUntil(lambda: tasks.running() == 0, timeout=10_000)
    assert _contacts(tab_context) == 5
    with tab_context.db.session() as s:
        emails = s.scalars(select(m.ContactEmail.contact_id)).all()
        assert len(set(emails)) == 2  # each Ana has her own addresses again


def test_merge_all_is_one_step_or_nothing(qtbot: Any, tab_context: Any, monkeypatch: Any) -> None:
    """Merging several groups is one transaction and one undo step: a group that cannot be
    merged (deleted meanwhile) leaves every group as it was and says why."""
    from PySide6.QtWidgets import QMessageBox

    from planner.core.contacts import ContactService

    with tab_context.db.session() as s:
        new_contact(s, "Ana Ruiz", emails=["ana@globex.example"])
        new_contact(s, "Ana Ruiz", emails=["ANA@globex.example"])
        new_contact(s, "Mei Tan", organisation="Hooli")
        mei2 = new_contact(s, "Mei  Tan", organisation="hooli")
        s.flush()
        gone = mei2.id
    dialog = DuplicatesDialog(tab_context)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10_000)
    assert dialog.model.rowCount() == 2
    ContactService(tab_context.db).delete(gone)  # elsewhere, while the dialog is open
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: said.append(text))
    qtbot.mouseClick(dialog.merge_all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    assert "deleted" in said[0]
    assert _contacts(tab_context) == 3  # the Ana group was not merged either
    assert tab_context.undo_stack.count() == 0
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10_000)
    with tab_context.db.session() as s:
        new_contact(s, "Mei Tan", organisation="Hooli")
    dialog.reload()
    qtbot.waitUntil(lambda: not dialog.loading and dialog.model.rowCount() == 2, timeout=10_000)
    seen: list[Any] = []
    tab_context.bus.changed.connect(seen.append)
    qtbot.mouseClick(dialog.merge_all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10_000)
    assert _contacts(tab_context) == 2
    assert tab_context.undo_stack.count() == 1 and len(seen) == 1
    tab_context.undo_stack.undo()
    qtbot.waitUntil(lambda: tasks.running() == 0, timeout=10_000)
    assert _contacts(tab_context) == 4
    assert len(seen) == 2


def test_side_by_side_pick_the_survivor_and_one_group(
    qtbot: Any, qtmodeltester: Any, tab_context: Any
) -> None:
    with tab_context.db.session() as s:
        old = new_contact(s, "Marieke de Vries", organisation="ING").id
        new = new_contact(
            s, "Marieke de Vries", organisation="ING Bank", emails=["marieke@ing.example"]
        ).id
    dialog = DuplicatesDialog(tab_context)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10_000)
    assert dialog.summary_label.text().startswith("1 group of contacts looks")
    assert dialog.model.rowCount() == 1
    score = dialog.model.index(0, DuplicateGroupModel.COL_SCORE).data()
    assert score.endswith("%") and 70 <= int(score[:-1]) < 100
    qtmodeltester.check(dialog.compare_model)
    model = dialog.compare_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(2)]
    assert headers == ["Marieke de Vries (ING) — kept", "Marieke de Vries (ING Bank)"]
    assert "Organisation" in dialog.differs_label.text()
    assert "E-mails" in dialog.differs_label.text()
    org_row = [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())]
    row = org_row.index("Organisation")
    assert [model.index(row, c).data() for c in range(2)] == ["ING", "ING Bank"]
    assert model.index(row, 0).data(Qt.ItemDataRole.FontRole).bold()
    # Keep the newer one instead.
    dialog.keep_combo.setCurrentIndex(dialog.keep_combo.findData(new))
    dialog.keep_combo.activated.emit(dialog.keep_combo.currentIndex())
    assert model.headerData(1, Qt.Orientation.Horizontal).endswith("— kept")
    dialog.grab().save("/tmp/interop-duplicates.png")
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10_000)
    with tab_context.db.session() as s:
        ids = s.scalars(select(m.Contact.id)).all()
        assert ids == [new]
        kept = s.get(m.Contact, new)
        assert kept.organisation == "ING Bank"
    tab_context.undo_stack.undo()
    qtbot.waitUntil(lambda: tasks.running() == 0, timeout=10_000)
    with tab_context.db.session() as s:
        assert sorted(s.scalars(select(m.Contact.id)).all()) == [old, new]


def test_menu_actions(qtbot: Any, tmp_path: Path, settings: Any) -> None:
    from planner.paths import app_paths
    from planner.ui.main_window import MainWindow

    window = MainWindow(app_paths(tmp_path / "app"), settings)
    qtbot.addWidget(window)
    names = ("importContactsAction", "exportContactsAction", "findDuplicatesAction")
    actions = [window.findChild(QAction, name) for name in names]
    assert all(a is not None and not a.isEnabled() for a in actions)
    assert window.open_database(tmp_path / "db.sqlite3")
    assert all(a.isEnabled() for a in actions)
    file_texts = [a.text() for a in window.file_menu.actions()]
    assert "&Import contacts…" in file_texts and "E&xport contacts…" in file_texts
    assert "Find d&uplicates…" in [a.text() for a in window.edit_menu.actions()]
