"""Clicking a column header re-sorts a list and scrolls the current row back into view."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableView

from planner.core.contacts import ContactService
from planner.core.organisation_records import OrganisationSummary
from planner.ui.models.contact_columns import COL_NAME
from planner.ui.models.organisation_models import OrganisationTableModel
from tests.ui.contacts_tab_helper import shown_contacts_tab
from tests.ui.organisations_list_helper import organisations_view

SELECT = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows


def _click_header(qtbot: Any, view: QTableView, column: int) -> None:
    header = view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    qtbot.wait(20)  # the scroll follows in the next turn of the event loop


def _current_row_in_view(view: QTableView) -> bool:
    return view.viewport().rect().contains(view.visualRect(view.currentIndex()).center())


def test_organisations_list_scrolls_to_the_current_row_after_a_sort(qtbot: Any) -> None:
    kind, role, status = "professional_association", "member", "active"
    rows = [
        OrganisationSummary(i, f"Guild {i:03}", kind, role, status, None, None, i, 0, 0, None)
        for i in range(1, 201)
    ]
    view, model = organisations_view(qtbot, rows, size=(700, 240))
    view.selectionModel().setCurrentIndex(model.index(0, 0), SELECT)
    assert _current_row_in_view(view)
    _click_header(qtbot, view, OrganisationTableModel.COL_CONTACTS)  # ascending: 1 stays on top
    _click_header(qtbot, view, OrganisationTableModel.COL_CONTACTS)  # descending: 1 goes last
    assert model.data(view.currentIndex()) == "Guild 001"
    assert view.currentIndex().row() == 199
    assert _current_row_in_view(view)


def test_contacts_list_scrolls_to_the_current_row_after_a_sort(
    qtbot: Any, tab_context: Any
) -> None:
    service = ContactService(tab_context.db)
    for i in range(60):
        service.create({"name": f"Person {i:02}"})
    tab = shown_contacts_tab(qtbot, tab_context, size=(900, 320))
    view = tab.view
    view.selectionModel().setCurrentIndex(view.model().index(0, COL_NAME), SELECT)
    assert view.model().data(view.currentIndex()) == "Person 00"
    assert _current_row_in_view(view)
    header = view.horizontalHeader()
    if header.sortIndicatorSection() != COL_NAME:
        _click_header(qtbot, view, COL_NAME)
    if header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder:
        _click_header(qtbot, view, COL_NAME)
    assert view.model().data(view.currentIndex()) == "Person 00"
    assert view.currentIndex().row() == 59
    assert _current_row_in_view(view)
