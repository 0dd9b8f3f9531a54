"""Tab leaves a list of rows instead of walking its cells and then on to the next row."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from planner.core.contacts import ContactService
from planner.ui.models.contact_columns import COL_NAME
from tests.ui.contacts_tab_helper import shown_contacts_tab


def test_tab_in_the_contacts_list_moves_on_without_changing_the_contact(
    qtbot: Any, tab_context: Any
) -> None:
    service = ContactService(tab_context.db)
    for name in ("Ana García", "Ben Okafor", "Zoë Achterberg"):
        service.create({"name": name})
    tab = shown_contacts_tab(qtbot, tab_context)
    view = tab.view
    view.selectionModel().setCurrentIndex(
        tab.model.index(0, COL_NAME),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    tab.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    for _ in range(12):  # more presses than the list has columns
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if not view.hasFocus():
            break
    assert not view.hasFocus()
    assert view.currentIndex().row() == 0
    assert tab.detail.title.text() == "Ana García"
