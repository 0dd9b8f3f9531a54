"""Past and future sanity: attending or meeting people at an event that is still ahead."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import select

from planner.core.events import EventService, days_until, event_day
from planner.db import models as m
from planner.db.database import Database
from planner.ui.context import TabContext
from planner.ui.tabs.events_tab import EventsTab

TODAY = date.today()


def test_meeting_at_a_future_event_is_logged_today(db: Database) -> None:
    service = EventService(db)
    ahead = service.create("Summit", starts_local=datetime.combine(TODAY, datetime.min.time())
                           + timedelta(days=9, hours=9))[0]  # fmt: skip
    past = service.create("Meetup", starts_local=datetime(2020, 5, 4, 18))[0]
    assert days_until(ahead) == 9 and days_until(past) == 0
    assert event_day(ahead) == TODAY and event_day(past) == date(2020, 5, 4)
    service.mark_met(ahead.id, quick_add="Ana Ruiz")
    service.mark_met(past.id, quick_add="Bo Li")
    with db.session() as s:
        days = dict(
            s.execute(select(m.Contact.name, m.Touchpoint.occurred_on).join(m.Touchpoint)).all()
        )
    assert days == {"Ana Ruiz": TODAY, "Bo Li": date(2020, 5, 4)}


def test_editor_warns_about_attending_and_meeting_ahead(
    qtbot: Any, tab_context: TabContext
) -> None:
    tab = EventsTab(tab_context)
    qtbot.addWidget(tab)
    tab.resize(1200, 760)
    tab.show()
    qtbot.waitUntil(lambda: not tab.data_pending())  # type: ignore[attr-defined]
    start = datetime.combine(TODAY + timedelta(days=9), datetime.min.time()) + timedelta(hours=9)
    event_id = tab.events.create("Summit", starts_local=start)[0].id
    tab.refresh()
    tab.select_event(event_id)
    editor = tab.editor
    index = editor.status.findData("attended")
    editor.status.setCurrentIndex(index)
    editor.status.activated.emit(index)
    assert tab.events.get(event_id).status == "attended"
    assert "9 days away" in editor.message.text()
    qtbot.keyClicks(editor.quick_add, "Ana Ruiz")
    qtbot.keyClick(editor.quick_add, Qt.Key.Key_Return)
    assert "logged today" in editor.message.text()
