"""A multi-day event shows on every day it spans, in the grid and the agenda; timed items
show their time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from planner.core.events import EventService
from planner.core.followups import FollowUpService
from planner.db.database import Database
from planner.ui.context import TabContext
from planner.ui.tabs.calendar_tab import CalendarTab

START = date(2026, 12, 15)


def test_day_counts_cover_every_day_of_an_event(db: Database) -> None:
    events = EventService(db)
    events.create(
        "Summit",
        starts_local=datetime(2026, 12, 15, 9, 0),
        ends_local=datetime(2026, 12, 17, 17, 0),
    )
    events.create(
        "Fair",
        starts_local=datetime(2026, 12, 20),
        ends_local=datetime(2026, 12, 21),
        all_day=True,
    )
    events.create(
        "Drinks", starts_local=datetime(2026, 12, 18, 18), ends_local=datetime(2026, 12, 19)
    )
    svc = FollowUpService(db)
    counts = svc.day_counts(date(2026, 12, 1), date(2026, 12, 31))
    with_events = sorted(d for d, c in counts.items() if c.events)
    assert with_events == [
        date(2026, 12, d) for d in (15, 16, 17, 18, 20, 21)
    ]  # Drinks ends at midnight: not on the 19th
    # A range that starts inside the event still sees it.
    assert [e.name for e in svc.events_on(date(2026, 12, 16), date(2026, 12, 16))] == ["Summit"]


def test_grid_and_agenda_show_each_day(qtbot: Any, tab_context: TabContext) -> None:
    EventService(tab_context.db).create(
        "Summit",
        starts_local=datetime(2026, 12, 15, 9, 30),
        ends_local=datetime(2026, 12, 17, 17, 0),
    )
    EventService(tab_context.db).create("Fair", starts_local=datetime(2026, 12, 17), all_day=True)
    tab = CalendarTab(tab_context)
    qtbot.addWidget(tab)
    tab.resize(1200, 780)
    tab.show()
    qtbot.waitUntil(lambda: not tab.data_pending())  # type: ignore[attr-defined]
    tab.grid.set_month(2026, 12)
    tab.refresh()
    qtbot.waitUntil(lambda: bool(tab.grid.counts()))
    for day in (15, 16, 17):
        assert tab.grid.counts()[date(2026, 12, day)].events >= 1
        assert "event" in tab.grid.day_summary(date(2026, 12, day))
    tab.grid.set_selected_date(START)
    qtbot.waitUntil(lambda: "Summit" in tab.agenda_events.text())
    assert "day 1 of 3, from 09:30" in tab.agenda_events.text()
    tab.grid.set_selected_date(START + timedelta(days=2))
    qtbot.waitUntil(lambda: "day 3 of 3" in tab.agenda_events.text())
    assert "all day</b> Fair" in tab.agenda_events.text()
