"""Rows for the iCalendar export tests, written straight to the database."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Any

from planner.db import models as m
from planner.db.database import Database

CREATED = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)


def add_contact(db: Database, name: str = "Zoë Achterberg", **fields: Any) -> tuple[int, str]:
    emails = fields.pop("emails", ["zoe@globex.example"])
    phones = fields.pop("phones", ["+44 7700 900123"])
    with db.session() as s:
        contact = m.Contact(
            name=name,
            organisation=fields.pop("organisation", "Globex"),
            role=fields.pop("role", "Head of Data"),
            created_at=CREATED,
            **fields,
        )
        contact.emails = [
            m.ContactEmail(label="work", value=v, position=i) for i, v in enumerate(emails)
        ]
        contact.phones = [
            m.ContactPhone(label="mobile", value=v, position=i) for i, v in enumerate(phones)
        ]
        s.add(contact)
        s.flush()
        return contact.id, contact.uuid


def add_followup(
    db: Database,
    contact_id: int | None,
    due: date,
    due_time: time | None = None,
    zone: str = "",
    **fields: Any,
) -> tuple[int, str]:
    with db.session() as s:
        row = m.FollowUp(
            contact_id=contact_id,
            due_date=due,
            due_time=due_time,
            time_zone=zone,
            purpose=fields.pop("purpose", "thank her for the intro"),
            created_at=CREATED,
            **fields,
        )
        s.add(row)
        s.flush()
        return row.id, row.uuid


def add_event(db: Database, name: str, starts: datetime | None, **fields: Any) -> tuple[int, str]:
    with db.session() as s:
        row = m.EventPlan(name=name, starts_local=starts, created_at=CREATED, **fields)
        s.add(row)
        s.flush()
        return row.id, row.uuid


def bump_followup(db: Database, followup_id: int, **changes: Any) -> None:
    """What the follow-up service does on an edit: change it and grow its SEQUENCE."""
    with db.session() as s:
        row = s.get(m.FollowUp, followup_id)
        assert row is not None
        for key, value in changes.items():
            setattr(row, key, value)
        row.sequence += 1
