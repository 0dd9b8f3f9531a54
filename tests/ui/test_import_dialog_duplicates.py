"""Edit > Find duplicates… and the menu actions of the import/export feature."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from sqlalchemy import func, select

from planner.core.contact_rows import new_contact
from planner.db import models as m
from planner.ui.dialogs.duplicates_dialog import DuplicatesDialog


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
    assert "e-mail" in dialog.model.index(0, 3).data()
    assert not dialog.merge_button.isEnabled()
    dialog.table.selectRow(0)
    assert dialog.merge_button.isEnabled()
    with qtbot.waitSignal(tab_context.bus.changed):
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 1
    assert _contacts(tab_context) == 4
    qtbot.mouseClick(dialog.merge_all_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 0
    assert _contacts(tab_context) == 3
    assert "No likely duplicates" in dialog.summary_label.text()
    stack = tab_context.undo_stack
    assert stack.count() == 2
    stack.undo()
    stack.undo()
    assert _contacts(tab_context) == 5
    with tab_context.db.session() as s:
        emails = s.scalars(select(m.ContactEmail.contact_id)).all()
        assert len(set(emails)) == 2  # each Ana has her own addresses again


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
