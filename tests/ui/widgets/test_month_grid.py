"""The month grid alone: keys move the day, the month follows, counts paint in both palettes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from planner.core.followups import DayCount
from planner.ui.widgets.month_grid import MonthGrid

DAY = date(2026, 3, 10)  # a Tuesday


def _grid(qtbot: Any) -> MonthGrid:
    grid = MonthGrid(first_day_of_week=1)
    qtbot.addWidget(grid)
    grid.resize(700, 480)
    grid.set_today(DAY)
    grid.set_selected_date(DAY)
    return grid


def test_keys_move_the_day_and_page_the_month(qtbot: Any) -> None:
    grid = _grid(qtbot)
    with qtbot.waitSignal(grid.date_selected):
        qtbot.keyClick(grid, Qt.Key.Key_Right)
    assert grid.selected_date == DAY + timedelta(days=1)
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert grid.selected_date == DAY + timedelta(days=8)
    with qtbot.waitSignal(grid.month_changed) as changed:
        qtbot.keyClick(grid, Qt.Key.Key_PageDown)
    assert changed.args == [2026, 4] and (grid.year, grid.month) == (2026, 4)
    with qtbot.waitSignal(grid.date_activated) as activated:
        qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert activated.args == [grid.selected_date]


def test_visible_range_starts_on_the_first_day_of_week(qtbot: Any) -> None:
    grid = _grid(qtbot)
    start, end = grid.visible_range()
    assert start.isoweekday() == 1 and start <= date(2026, 3, 1) and end >= date(2026, 3, 31)
    grid.set_first_day_of_week(7)
    assert grid.visible_range()[0].isoweekday() == 7
    assert grid.date_at(grid.cell_rect(DAY).center()) == DAY


def test_counts_paint_in_light_and_dark_palettes(qtbot: Any) -> None:
    grid = _grid(qtbot)
    overdue = DAY - timedelta(days=2)
    grid.set_counts({DAY: DayCount(3, 1, 2), overdue: DayCount(1, 0, 0)})
    assert grid.day_summary(DAY).endswith("3 open follow-ups, 1 done, 2 events")
    assert "(overdue)" in grid.day_summary(overdue)
    for base in ("#ffffff", "#202124"):
        palette = grid.palette()
        palette.setColor(QPalette.ColorRole.Base, QColor(base))
        grid.setPalette(palette)
        image = grid.grab().toImage()
        assert not image.isNull() and image.width() >= 700
        # The overdue day is tinted: its cell differs from a plain day of the same week.
        plain = grid.cell_rect(overdue + timedelta(days=1))
        tinted = grid.cell_rect(overdue)
        probe = (tinted.right() - 6, tinted.bottom() - 6)
        other = (plain.right() - 6, plain.bottom() - 6)
        assert image.pixelColor(*probe) != image.pixelColor(*other)


def test_short_cells_still_show_a_busy_day(qtbot: Any) -> None:
    """At 200 % on a laptop the cells are too short for a line under the number: the count
    goes beside it instead of vanishing."""
    grid = _grid(qtbot)
    grid.resize(700, 200)
    busy, quiet = DAY + timedelta(days=1), DAY + timedelta(days=2)
    grid.set_counts({busy: DayCount(2, 0, 0)})
    image = grid.grab().toImage()

    def inked(day: date) -> int:
        rect = grid.cell_rect(day)
        background = image.pixelColor(rect.right() - 2, rect.top() + 2)
        return sum(
            image.pixelColor(x, y) != background
            for x in range(rect.left() + 34, rect.right() - 2)
            for y in range(rect.top() + 4, min(rect.bottom(), rect.top() + 20))
        )

    assert grid.cell_rect(busy).height() < 24 + 16
    assert inked(busy) > 10 and inked(quiet) == 0
