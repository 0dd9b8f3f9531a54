"""RangeRow: "<start> to <end>" on one line when it fits, folded onto two when it does not."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from planner.ui.widgets.range_row import RangeRow


class Field(QLineEdit):
    """A field whose minimum width the test sets, as a date edit's changes with its format."""

    def __init__(self, least: int) -> None:
        super().__init__()
        self.least = least

    def minimumSizeHint(self) -> QSize:
        return QSize(self.least, super().minimumSizeHint().height())

    def set_least(self, least: int) -> None:
        self.least = least
        self.updateGeometry()


def _row_in(qtbot: Any, width: int, least: int) -> tuple[QWidget, RangeRow, Field, Field]:
    start, end = Field(least), Field(least)
    row = RangeRow(start, end)
    holder = QWidget()
    QVBoxLayout(holder).addWidget(row)
    qtbot.addWidget(holder)
    holder.resize(width, 120)
    holder.show()
    qtbot.waitExposed(holder)
    return holder, row, start, end


def test_folds_when_narrow_and_unfolds_when_wide(qtbot: Any) -> None:
    holder, row, start, end = _row_in(qtbot, 300, 200)
    assert row.is_folded()
    qtbot.waitUntil(lambda: end.y() > start.y())
    assert end.x() == start.x()
    assert row.minimumSizeHint().width() < 300  # the holder may be narrower than one line
    holder.resize(700, 120)
    qtbot.waitUntil(lambda: not row.is_folded() and end.y() == start.y())
    assert end.x() > start.x() + start.width()


def test_a_field_getting_narrower_unfolds_the_row_at_the_same_width(qtbot: Any) -> None:
    _holder, row, start, end = _row_in(qtbot, 400, 200)
    assert row.is_folded()
    for field in (start, end):
        field.set_least(120)  # as an all-day event's dates lose their times
    qtbot.waitUntil(lambda: not row.is_folded())
    for field in (start, end):
        field.set_least(200)
    qtbot.waitUntil(row.is_folded)
