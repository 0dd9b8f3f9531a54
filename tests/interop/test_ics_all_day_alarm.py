"""All-day reminders ring at the chosen time on the day (or the day before), not at 23:30
the night before; timed items keep their lead time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import icalendar
import pytest

from planner.app import main
from planner.core.contact_rows import new_contact
from planner.core.followups import FollowUpDraft, FollowUpService
from planner.core.reminders import ReminderQuery, ReminderService
from planner.db.database import Database
from planner.interop.ics import IcsOptions, write_ics
from planner.settings import Preferences, SettingsStore
from tests.interop.ics_data import add_contact, add_event, add_followup

DAY = date(2026, 3, 20)


def _alarms(path: Path) -> dict[str, Any]:
    """SUMMARY -> (start, trigger) of each item's alarm."""
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    found: dict[str, Any] = {}
    for item in cal.walk("VEVENT"):
        alarm = item.walk("VALARM")[0]
        found[str(item["SUMMARY"])] = (item["DTSTART"].dt, alarm["TRIGGER"].dt)
    return found


def _sample(db: Database) -> None:
    zoe, _ = add_contact(db, birthday_month=6, birthday_day=1)
    add_followup(db, zoe, DAY, purpose="all day")
    add_followup(db, zoe, DAY, time(14, 0), "Europe/London", purpose="timed")
    add_event(db, "Forum", datetime(2026, 4, 2, 0, 0), all_day=True)


def test_all_day_items_ring_at_the_preferred_time(db: Database, tmp_path: Path) -> None:
    _sample(db)
    reminders = ReminderService(db).collect(ReminderQuery())
    out = tmp_path / "a.ics"
    write_ics(out, reminders, IcsOptions(alarm_minutes=30, all_day_alarm_offset=9 * 60))
    alarms = _alarms(out)
    start, trigger = alarms["Follow up: Zoë Achterberg — all day"]
    assert start == DAY and trigger == timedelta(hours=9)  # 09:00 on the day
    assert alarms["Forum"][1] == timedelta(hours=9)
    assert alarms["Birthday: Zoë Achterberg"][1] == timedelta(hours=9)
    assert alarms["Follow up: Zoë Achterberg — timed"][1] == timedelta(minutes=-30)

    day_before = Preferences(all_day_reminder_time="18:00", all_day_reminder_day_before=True)
    assert day_before.all_day_reminder_offset() == -6 * 60
    write_ics(
        out,
        reminders,
        IcsOptions(alarm_minutes=30, all_day_alarm_offset=day_before.all_day_reminder_offset()),
    )
    trigger = _alarms(out)["Follow up: Zoë Achterberg — all day"][1]
    moment = datetime.combine(DAY, time()) + trigger
    assert moment == datetime(2026, 3, 19, 18, 0)  # 18:00 the day before


def test_preference_offsets_and_a_bad_value() -> None:
    assert Preferences().all_day_reminder_offset() == 9 * 60
    assert Preferences(all_day_reminder_time="7:45").all_day_reminder_offset() == 7 * 60 + 45
    assert Preferences(all_day_reminder_time="25:99").all_day_reminder_offset() == 9 * 60
    assert Preferences(all_day_reminder_time="soon").all_day_reminder_offset() == 9 * 60
    with pytest.raises(ValueError):
        IcsOptions(all_day_alarm_offset=24 * 60)


def test_cli_export_uses_the_preference(tmp_path: Path) -> None:
    target = tmp_path / "db.sqlite3"
    store = SettingsStore(tmp_path / "config" / "settings.json")
    store.preferences.all_day_reminder_time = "08:15"
    store.save()
    from planner.db.database import open_database

    db = open_database(target)
    _sample(db)
    db.close()
    out = tmp_path / "out.ics"
    args = ["--data-dir", str(tmp_path), "--database", str(target), "export-ics", str(out)]
    assert main(args) == 0
    trigger = _alarms(out)["Follow up: Zoë Achterberg — all day"][1]
    assert trigger == timedelta(hours=8, minutes=15)


def test_tray_check_rings_all_day_follow_ups_at_the_preferred_time(db: Database) -> None:
    with db.session() as s:
        cid = new_contact(s, "Ana Ruiz").id
    utc = timezone.utc
    from zoneinfo import ZoneInfo

    svc = FollowUpService(db, ZoneInfo("UTC"))
    fu = svc.create(FollowUpDraft(cid, DAY, purpose="all day"))[0]
    nine = 9 * 60
    assert svc.due_for_notification(datetime(2026, 3, 20, 8, 59, tzinfo=utc), nine) == []
    assert [i.id for i in svc.due_for_notification(datetime(2026, 3, 20, 9, tzinfo=utc), nine)] == [
        fu.id
    ]
    before = -6 * 60  # 18:00 the day before
    assert svc.due_for_notification(datetime(2026, 3, 19, 17, 59, tzinfo=utc), before) == []
    due = svc.due_for_notification(datetime(2026, 3, 19, 18, 0, tzinfo=utc), before)
    assert [i.id for i in due] == [fu.id]
