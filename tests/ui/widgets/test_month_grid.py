"""MonthGrid: six weeks from the chosen first weekday, keys and clicks pick days, drops of
follow-ups name the day, counts are said in words."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent

from planner.core.followups import DayCount
from planner.ui.models.agenda_model import encode_ids
from planner.ui.widgets.month_grid import HEADER_HEIGHT, MonthGrid


def _grid(qtbot: Any, first_day: int = 1) -> MonthGrid:
    grid = MonthGrid(first_day)
    qtbot.addWidget(grid)
    grid.resize(700, 24 + 6 * 60)
    grid.set_today(date(2026, 3, 11))
    grid.set_selected_date(date(2026, 3, 11))
    grid.show()
    qtbot.waitExposed(grid)
    return grid


def test_the_grid_starts_on_the_chosen_weekday(qtbot: Any) -> None:
    grid = _grid(qtbot)
    start, end = grid.visible_range()
    assert start == date(2026, 2, 23) and start.isoweekday() == 1  # a Monday
    assert (end - start).days == 41  # six weeks
    with qtbot.waitSignal(grid.month_changed):
        grid.set_first_day_of_week(7)
    assert grid.visible_range()[0] == date(2026, 3, 1) and grid.first_day_of_week == 7


def test_keys_move_by_day_week_and_month(qtbot: Any) -> None:
    grid = _grid(qtbot)
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    assert grid.selected_date == date(2026, 3, 12)
    qtbot.keyClick(grid, Qt.Key.Key_Up)
    assert grid.selected_date == date(2026, 3, 5)
    with qtbot.waitSignal(grid.month_changed) as turned:
        qtbot.keyClick(grid, Qt.Key.Key_PageDown)
    assert turned.args == [2026, 4] and grid.selected_date == date(2026, 4, 5)
    qtbot.keyClick(grid, Qt.Key.Key_Home)
    assert grid.selected_date == date(2026, 3, 11) and (grid.year, grid.month) == (2026, 3)
    with qtbot.waitSignal(grid.date_activated) as activated:
        qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert activated.args == [date(2026, 3, 11)]


def test_clicking_a_cell_selects_its_day_and_cells_round_trip(qtbot: Any) -> None:
    grid = _grid(qtbot)
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
    grid = _grid(qtbot)
    grid.set_counts({date(2026, 3, 2): DayCount(open=2, done=1, events=1)})
    summary = grid.day_summary(date(2026, 3, 2))
    assert "2 open follow-ups (overdue)" in summary and "1 done" in summary
    assert "1 event" in summary
    assert grid.day_summary(date(2026, 3, 20)).endswith("nothing planned")
    grid.set_selected_date(date(2026, 3, 2))
    assert grid.accessibleDescription() == summary


def test_dropping_follow_ups_on_a_day_names_them_and_the_day(qtbot: Any) -> None:
    grid = _grid(qtbot)
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
