"""The month grid alone: keys move the day, the month follows, counts paint in both palettes
and are said in words, clicks pick a day, follow-ups dropped on a day name it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QDropEvent, QPalette

from planner.core.followups import DayCount
from planner.ui.models.agenda_model import encode_ids
from planner.ui.widgets.month_grid import HEADER_HEIGHT, MonthGrid

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


def _shown_grid(qtbot: Any) -> MonthGrid:
    """Six rows of 60 px under the header, shown: cells have a size to click and drop on."""
    grid = MonthGrid(1)
    qtbot.addWidget(grid)
    grid.resize(700, HEADER_HEIGHT + 6 * 60)
    grid.set_today(date(2026, 3, 11))
    grid.set_selected_date(date(2026, 3, 11))
    grid.show()
    qtbot.waitExposed(grid)
    return grid


def test_clicking_a_cell_selects_its_day_and_cells_round_trip(qtbot: Any) -> None:
    grid = _shown_grid(qtbot)
    target = date(2026, 3, 20)
    rect = grid.cell_rect(target)
    assert rect.isValid() and rect.top() >= HEADER_HEIGHT
    assert grid.date_at(rect.center()) == target
    assert grid.date_at(QPoint(5, 5)) is None  # the weekday header
    assert not grid.cell_rect(date(2026, 6, 1)).isValid()  # not on this page
    with qtbot.waitSignal(grid.date_selected) as picked:
        qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=rect.center())
    assert picked.args == [target]


def test_counts_are_said_in_words(qtbot: Any) -> None:
    grid = _shown_grid(qtbot)
    grid.set_counts({date(2026, 3, 2): DayCount(open=2, done=1, events=1)})
    summary = grid.day_summary(date(2026, 3, 2))
    assert "2 open follow-ups (overdue)" in summary and "1 done" in summary
    assert "1 event" in summary
    assert grid.day_summary(date(2026, 3, 20)).endswith("nothing planned")
    grid.set_selected_date(date(2026, 3, 2))
    assert grid.accessibleDescription() == summary


def test_dropping_follow_ups_on_a_day_names_them_and_the_day(qtbot: Any) -> None:
    grid = _shown_grid(qtbot)
    target = date(2026, 3, 24)
    data = encode_ids([4, 9])
    drop = QDropEvent(
        QPointF(grid.cell_rect(target).center()),
        Qt.DropAction.MoveAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(grid.followups_dropped) as dropped:
        grid.dropEvent(drop)
    assert dropped.args == [[4, 9], target]


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
