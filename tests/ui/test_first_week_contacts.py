"""Issue 16: the rough edges a new user hit in Contacts, Import and Export (pytest-qt)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialog

from planner.core.contacts import ContactService
from planner.core.touchpoints import TouchpointService
from planner.ui.dialogs.touchpoint_dialog import TouchpointDialog
from planner.ui.tabs.contacts_tab import ContactsTab


@pytest.fixture
def people(db: Any) -> dict[str, int]:
    svc = ContactService(db)
    return {
        "zoe": svc.create({"name": "Zoë Achterberg", "organisation": "Globex"}).id,
        "ben": svc.create({"name": "Ben Okafor", "organisation": "Initech"}).id,
        "ana": svc.create({"name": "Ana García", "organisation": "Hooli"}).id,
    }


@pytest.fixture
def tab(qtbot: Any, tab_context: Any, people: dict[str, int]) -> ContactsTab:
    widget = ContactsTab(tab_context)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: not widget.loading)
    return widget


def select_ids(tab: ContactsTab, ids: list[int]) -> None:
    selection = tab.view.selectionModel()
    selection.clearSelection()
    for cid in ids:
        selection.select(
            tab.model.index(tab.model.row_of(cid), 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


# --- 1: the toolbar button ------------------------------------------------------------


def test_toolbar_log_button_logs_for_the_selection(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tab: ContactsTab, people: dict[str, int]
) -> None:
    titles: list[str] = []

    def fake_exec(dialog: TouchpointDialog) -> int:
        titles.append(dialog.windowTitle())
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(TouchpointDialog, "exec", fake_exec)
    tab.select_contact(people["ben"])
    qtbot.mouseClick(tab.log_button, Qt.MouseButton.LeftButton)
    assert titles == ["Log a touchpoint with Ben Okafor"]
    assert len(TouchpointService(tab.context.db).timeline(people["ben"])) == 1


def test_toolbar_log_button_without_selection_says_so(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tab: ContactsTab
) -> None:
    monkeypatch.setattr(TouchpointDialog, "exec", lambda d: QDialog.DialogCode.Rejected)
    tab.view.selectionModel().clearSelection()
    tab.detail.show_contact(None)
    qtbot.mouseClick(tab.log_button, Qt.MouseButton.LeftButton)
    assert "Select a contact" in tab.message.text()


# --- 11: one touchpoint for several selected contacts ---------------------------------


def test_selected_menu_logs_one_touchpoint_for_each_as_one_undo_step(
    monkeypatch: pytest.MonkeyPatch, tab: ContactsTab, people: dict[str, int]
) -> None:
    monkeypatch.setattr(TouchpointDialog, "exec", lambda d: QDialog.DialogCode.Accepted)
    ids = [people["zoe"], people["ana"]]
    select_ids(tab, ids)
    assert tab.log_selected_action in tab.bulk_menu.actions()
    before = tab.context.undo_stack.count()
    tab.log_selected_action.trigger()
    touches = TouchpointService(tab.context.db)
    assert [len(touches.timeline(cid)) for cid in ids] == [1, 1]
    assert len(touches.timeline(people["ben"])) == 0
    assert tab.context.undo_stack.count() == before + 1
    assert "2 contacts" in tab.context.undo_stack.undoText()
    tab.context.undo_stack.undo()
    assert [len(touches.timeline(cid)) for cid in ids] == [0, 0]
