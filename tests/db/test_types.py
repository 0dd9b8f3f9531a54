"""Shared column types: aware UTC in and out, naive UTC stored; ids that are UUIDs."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from planner.db import models as m
from planner.db.database import Database
from planner.db.types import UTCDateTime, new_uuid, utcnow


def test_utcnow_is_aware_and_new_uuid_is_a_fresh_uuid4() -> None:
    now = utcnow()
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)
    first, second = new_uuid(), new_uuid()
    assert first != second and uuid.UUID(first).version == 4


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        UTCDateTime().process_bind_param(datetime(2026, 1, 1, 12, 0), None)  # type: ignore[arg-type]


def test_any_zone_is_stored_as_utc_and_read_back_aware(db: Database) -> None:
    plus_two = timezone(timedelta(hours=2))
    with db.session() as s:
        tag = m.Contact(name="Ana", uuid=new_uuid())
        s.add(tag)
        s.flush()
        tag.created_at = datetime(2026, 3, 1, 14, 30, tzinfo=plus_two)
        s.flush()
        cid = tag.id
    with db.session() as s:
        stored = s.execute(text("SELECT created_at FROM contacts WHERE id = :i"), {"i": cid})
        raw = stored.scalar()
        back = s.scalar(select(m.Contact.created_at).where(m.Contact.id == cid))
    assert str(raw).startswith("2026-03-01 12:30")  # naive UTC on disk
    assert back == datetime(2026, 3, 1, 12, 30, tzinfo=timezone.utc)
