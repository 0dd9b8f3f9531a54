"""The generated network (core.demo): what it writes matches its summary, and a seed always
gives the same network, on real database files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from planner.core.demo import generate_demo
from planner.db import models as m
from planner.db.database import Database, open_database

TODAY = date(2026, 5, 1)


def _network(db: Database) -> list[tuple[object, ...]]:
    with db.session() as s:
        contacts = s.execute(
            select(m.Contact.name, m.Contact.organisation, m.Contact.next_touch_due).order_by(
                m.Contact.id
            )
        ).all()
        touches = s.execute(
            select(m.Touchpoint.contact_id, m.Touchpoint.occurred_on, m.Touchpoint.kind).order_by(
                m.Touchpoint.id
            )
        ).all()
        follow_ups = s.execute(select(m.FollowUp.due_date).order_by(m.FollowUp.id)).all()
    return [*contacts, *touches, *follow_ups]


def test_summary_matches_what_was_written(db: Database) -> None:
    summary = generate_demo(db, contacts=120, seed=4, today=TODAY)
    with db.session() as s:

        def count(model: type) -> int:
            return int(s.scalar(select(func.count()).select_from(model)))

        assert summary.contacts == count(m.Contact) == 120
        assert summary.touchpoints == count(m.Touchpoint)
        assert summary.events == count(m.EventPlan) == 6
        # (sync_reminders adds the organisations' own follow-ups besides these)
        assert summary.followups == 36 <= count(m.FollowUp)
        assert count(m.ContactEmail) >= 120
        demo_pitch = select(func.count()).where(m.Pitch.title == "Data lead, 30 seconds")
        assert s.scalar(demo_pitch) == 1


def test_same_seed_same_network(tmp_path: Path) -> None:
    networks = []
    for name, seed in (("a", 9), ("b", 9), ("c", 10)):
        db = open_database(tmp_path / f"{name}.sqlite3")
        try:
            generate_demo(db, contacts=60, seed=seed, today=TODAY)
            networks.append(_network(db))
        finally:
            db.close()
    assert networks[0] == networks[1]
    assert networks[0] != networks[2]
