"""CheckedDateEdit: an impossible typed date is named instead of silently changed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate

from planner.ui.widgets.checked_date_edit import CheckedDateEdit, with_problem_label

Section = CheckedDateEdit.Section


def test_an_impossible_day_is_named_and_picking_clears_it(qtbot: Any) -> None:
    edit = CheckedDateEdit()
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate(2026, 2, 3))
    box = with_problem_label(edit, "dateProblem")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    edit.setFocus()
    edit.setCurrentSection(Section.DaySection)
    with qtbot.waitSignal(edit.problem_changed) as said:
        qtbot.keyClicks(edit, "30")
    assert edit.problem() == said.args[0]
    assert "30" in edit.problem() and "2026" in edit.problem()
    assert edit.date() != QDate(2026, 2, 30)
    edit.setDate(QDate(2026, 2, 28))  # picked in the calendar
    assert edit.problem() == ""


def test_a_month_past_twelve_is_named_and_editing_again_clears_it(qtbot: Any) -> None:
    edit = CheckedDateEdit()
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate(2026, 1, 5))
    qtbot.addWidget(edit)
    edit.show()
    qtbot.waitExposed(edit)
    edit.setFocus()
    edit.setCurrentSection(Section.MonthSection)
    qtbot.keyClicks(edit, "13")
    assert edit.problem() == "There is no month 13."
    assert edit.date().month() != 13
    edit.setDate(QDate(2026, 3, 5))  # set by the program: the message goes
    assert edit.problem() == ""
