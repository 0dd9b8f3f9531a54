"""The Organisations tab's tables sort themselves when a header is clicked (no sort proxy)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableView

from planner.core.organisation_records import OrganisationSummary
from planner.ui.models.organisation_models import OrganisationTableModel
from tests.ui.organisations_list_helper import organisations_view

M = OrganisationTableModel


def _org(id_: int, name: str, contacts: int, renewal: date | None) -> OrganisationSummary:
    return OrganisationSummary(
        id_, name, "professional_association", "member", "active", renewal, None,
        contacts, 0, 0, None,
    )  # fmt: skip


# In the service's order (own organisations first): not sorted by any column.
ROWS = [
    _org(1, "beta guild", 9, date(2027, 3, 1)),
    _org(2, "Alpha Society", 10, None),
    _org(3, "gamma club", 2, date(2026, 12, 31)),
]


def _shown(view: QTableView, column: int) -> list[str]:
    model = view.model()
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def _view(qtbot: Any) -> tuple[QTableView, OrganisationTableModel]:
    return organisations_view(qtbot, ROWS)


def test_rows_keep_the_services_order_until_a_header_is_clicked(qtbot: Any) -> None:
    view, _model = _view(qtbot)
    assert view.model() is _model  # no proxy between the view and the model
    assert _shown(view, M.COL_NAME) == ["beta guild", "Alpha Society", "gamma club"]


def test_clicking_a_header_sorts_by_it_and_again_reverses(qtbot: Any) -> None:
    view, _model = _view(qtbot)
    header = view.horizontalHeader()
    x = header.sectionViewportPosition(M.COL_NAME) + header.sectionSize(M.COL_NAME) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert _shown(view, M.COL_NAME) == ["Alpha Society", "beta guild", "gamma club"]
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert _shown(view, M.COL_NAME) == ["gamma club", "beta guild", "Alpha Society"]


def test_counts_sort_as_numbers_and_empty_dates_first(qtbot: Any) -> None:
    view, _model = _view(qtbot)
    view.sortByColumn(M.COL_CONTACTS, Qt.SortOrder.AscendingOrder)
    assert _shown(view, M.COL_CONTACTS) == ["2", "9", "10"]
    view.sortByColumn(M.COL_RENEWAL, Qt.SortOrder.AscendingOrder)
    assert _shown(view, M.COL_NAME) == ["Alpha Society", "gamma club", "beta guild"]


def test_the_selection_follows_its_row_and_a_reload_keeps_the_order(qtbot: Any) -> None:
    view, model = _view(qtbot)
    view.selectionModel().setCurrentIndex(
        model.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    view.sortByColumn(M.COL_NAME, Qt.SortOrder.AscendingOrder)
    assert model.row_at(view.currentIndex().row()).name == "beta guild"
    assert [i.row() for i in view.selectionModel().selectedRows()] == [1]
    model.set_rows([*ROWS, _org(4, "Aardvark Forum", 1, None)])
    assert _shown(view, M.COL_NAME) == [
        "Aardvark Forum",
        "Alpha Society",
        "beta guild",
        "gamma club",
    ]
    assert model.row_of_id(4) == 0
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    assert _shown(view, M.COL_NAME)[0] == "beta guild"


def test_sorting_passes_the_model_tester(qtbot: Any, qtmodeltester: Any) -> None:
    view, model = _view(qtbot)
    qtmodeltester.check(model)  # stays connected: checks each layout change below
    for column in (M.COL_NAME, M.COL_CONTACTS, M.COL_RENEWAL, -1):
        view.sortByColumn(column, Qt.SortOrder.DescendingOrder)
        assert model.rowCount() == len(ROWS)
