"""The shared table-model base: headers, tooltips and no children, checked by Qt's tester."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from planner.ui.models.table_model import Index, TableModel


class _Squares(TableModel):
    COL_N, COL_SQUARE = range(2)
    HEADERS = ("n", "n²")
    HEADER_TIPS = ("", "The square of n")

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def row_total(self) -> int:
        return self.count

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        n = index.row()
        return str(n if index.column() == self.COL_N else n * n)


def test_base_gives_headers_tips_and_a_flat_table(qtmodeltester: Any) -> None:
    model = _Squares(5)
    qtmodeltester.check(model)
    assert model.rowCount() == 5 and model.columnCount() == 2
    cell = model.index(3, 1)
    assert cell.data() == "9"
    assert model.rowCount(cell) == 0 and model.columnCount(cell) == 0
    horizontal = Qt.Orientation.Horizontal
    assert model.headerData(1, horizontal) == "n²"
    assert model.headerData(1, horizontal, Qt.ItemDataRole.ToolTipRole) == "The square of n"
    assert model.headerData(0, horizontal, Qt.ItemDataRole.ToolTipRole) is None
    assert model.headerData(2, horizontal) is None
    assert model.headerData(0, Qt.Orientation.Vertical) is None


def test_a_model_without_row_total_is_named() -> None:
    import pytest

    class _Forgot(TableModel):
        HEADERS = ("a",)

    with pytest.raises(TypeError, match="_Forgot must define row_total"):
        _Forgot().rowCount()
