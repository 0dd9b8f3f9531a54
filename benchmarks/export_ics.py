"""Time the iCalendar export: 10,000 open follow-ups and 1,000 event plans to a file."""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select

from planner.core.demo import generate_demo
from planner.core.reminders import ReminderQuery, ReminderService
from planner.db import models as m
from planner.db.database import open_database
from planner.db.types import new_uuid
from planner.interop.ics import IcsOptions, write_ics

FOLLOWUPS = 10_000
EVENTS = 1_000
ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "Asia/Singapore", ""]


def build(folder: Path) -> Path:
    path = folder / "bench.sqlite3"
    db = open_database(path)
    generate_demo(db, contacts=3000, followups=0, seed=7)
    rng = random.Random(7)
    today = date.today()
    now = datetime.now(timezone.utc)
    with db.session() as s:
        contact_ids = list(s.scalars(select(m.Contact.id)))
        s.execute(
            insert(m.FollowUp),
            [
                {
                    "uuid": new_uuid(),
                    "created_at": now,
                    "updated_at": now,
                    "contact_id": rng.choice(contact_ids) if i % 20 else None,
                    "due_date": today + timedelta(days=rng.randint(-30, 365)),
                    "due_time": clock(rng.choice([9, 11, 15]), 30) if i % 4 == 0 else None,
                    "time_zone": rng.choice(ZONES) if i % 4 == 0 else "",
                    "channel": "email",
                    "purpose": "thank them for the intro, and send the slides; ask about Q3",
                    "notes": "Met at the forum.\nPrefers short e-mails." if i % 3 == 0 else "",
                    "status": "open",
                    "origin": "manual",
                    "sequence": rng.randint(0, 5),
                }
                for i in range(FOLLOWUPS)
            ],
        )
        s.execute(
            insert(m.EventPlan),
            [
                {
                    "uuid": new_uuid(),
                    "created_at": now,
                    "updated_at": now,
                    "name": f"Community Hack Night #{i}",
                    "starts_local": datetime.combine(
                        today + timedelta(days=rng.randint(-100, 365)), clock(18, 0)
                    ),
                    "ends_local": None,
                    "all_day": i % 10 == 0,
                    "time_zone": rng.choice(ZONES),
                    "venue": "Kestrel Labs, 2nd floor, 10 Example Street, London",
                    "url": "https://meetup.example/events/123456",
                    "status": "registered",
                    "description": "Bring a laptop; pizza provided.",
                    "sequence": 0,
                }
                for i in range(EVENTS)
            ],
        )
    db.close()
    return path


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = build(folder)
        db = open_database(path)
        try:
            out = folder / "reminders.ics"
            best: dict[str, float] = {}
            for _ in range(3):
                started = time.perf_counter()
                reminders = ReminderService(db).collect(ReminderQuery())
                collected = time.perf_counter()
                result = write_ics(out, reminders, IcsOptions(alarm_minutes=30))
                done = time.perf_counter()
                for key, value in (
                    ("collect_ms", collected - started),
                    ("write_ms", done - collected),
                    ("export_ms", done - started),
                ):
                    best[key] = min(best.get(key, value), value)
        finally:
            db.close()
        print(f"followups: {len(reminders.followups)}")
        print(f"events: {len(reminders.events)}")
        print(f"birthdays: {len(reminders.birthdays)}")
        print(f"items: {result.items}")
        print(f"file_kb: {result.size / 1024:.0f}")
        for key in ("collect_ms", "write_ms", "export_ms"):
            print(f"{key}: {best[key] * 1000:.0f}")


if __name__ == "__main__":
    main()
