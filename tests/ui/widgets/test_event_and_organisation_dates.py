"""An impossible typed date (2026-02-30) in the event editor's start and end and in an
organisation's joined/renewal dates is named beside the field and never saved (a plain
QDateEdit kept 2026-02-03 and saved it)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt

from planner.ui.context import TabContext
from planner.ui.tabs.events_tab import EventsTab
from planner.ui.tabs.organisations_tab import OrganisationsTab

START = datetime(2026, 2, 1, 9, 0)
END = datetime(2026, 3, 15, 17, 0)


def type_date(qtbot: Any, edit: Any, text: str, fmt: str = "yyyy-MM-dd") -> None:
    """Type `text` into a date field from its first section, as a user would, then Enter."""
    edit.setDisplayFormat(fmt)
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.setCurrentSection(edit.sectionAt(0))
    for char in text:
        qtbot.keyClick(edit, char)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


@pytest.fixture
def events_tab(qtbot: Any, tab_context: TabContext) -> EventsTab:
    widget = EventsTab(tab_context)
    qtbot.addWidget(widget)
    widget.resize(1200, 780)
    widget.show()
    qtbot.waitUntil(lambda: not widget.data_pending())  # type: ignore[attr-defined]
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


@pytest.mark.parametrize("field", ["starts", "ends"])
def test_event_start_or_end_on_an_impossible_day_is_named_and_not_saved(
    qtbot: Any, events_tab: EventsTab, field: str
) -> None:
    record, _ = events_tab.events.create("Summit", starts_local=START, ends_local=END)
    events_tab.refresh()
    events_tab.select_event(record.id)
    editor = events_tab.editor
    edit = getattr(editor, field)
    type_date(qtbot, edit, "2026-02-30", "yyyy-MM-dd HH:mm")
    problem = editor.dates_problem
    assert problem.isVisible() and "30 February 2026" in problem.text()
    saved = events_tab.events.get(record.id)
    assert (saved.starts_local, saved.ends_local) == (START, END)
    # A real date clears the message and is saved.
    type_date(qtbot, edit, "2026-02-28", "yyyy-MM-dd HH:mm")
    assert not problem.isVisible()
    saved = events_tab.events.get(record.id)
    assert getattr(saved, f"{field}_local").date() == date(2026, 2, 28)


@pytest.mark.parametrize(("name", "field"), [("joined_edit", "joined_on"),
                                              ("renewal_edit", "renewal_on")])  # fmt: skip
def test_organisation_date_on_an_impossible_day_is_named_and_not_saved(
    qtbot: Any, tab_context: TabContext, name: str, field: str
) -> None:
    tab = OrganisationsTab(tab_context)
    qtbot.addWidget(tab)
    tab.resize(1200, 780)
    tab.show()
    qtbot.waitUntil(lambda: not tab.data_pending())  # type: ignore[attr-defined]
    qtbot.waitExposed(tab)
    tab.activateWindow()
    org, _ = tab.service.create("ACM", **{field: date(2026, 3, 15)})
    tab.reload()
    tab.select(org.id)
    optional = getattr(tab, name)
    type_date(qtbot, optional.edit, "2026-02-30")
    assert optional.problem_label.isVisible()
    assert "30 February 2026" in optional.problem_label.text()
    assert getattr(tab.service.get(org.id), field) == date(2026, 3, 15)
    type_date(qtbot, optional.edit, "2026-02-28")
    assert not optional.problem_label.isVisible()
    assert getattr(tab.service.get(org.id), field) == date(2026, 2, 28)
