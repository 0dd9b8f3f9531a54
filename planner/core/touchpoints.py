"""Touchpoints: log, edit and delete them; the timeline; the give/ask balance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from planner.core.contact_rows import refresh_touch_dates
from planner.core.errors import NotFoundError, ValidationError
from planner.core.records import TouchpointRecord
from planner.core.vocab import CHANNELS, TOUCH_KINDS
from planner.db import models as m
from planner.db.database import Database
from planner.db.types import new_uuid, utcnow

FIELDS = ("occurred_on", "channel", "kind", "note", "event_id")


@dataclass(frozen=True)
class Balance:
    """How often I gave and asked in a period: to avoid asking the same person too often."""

    gave: int
    asked: int
    since: date


def to_record(t: m.Touchpoint) -> TouchpointRecord:
    return TouchpointRecord(
        id=t.id,
        uuid=t.uuid,
        contact_id=t.contact_id,
        occurred_on=t.occurred_on,
        channel=t.channel,
        kind=t.kind,
        note=t.note or "",
        event_id=t.event_id,
    )


def _clean(changes: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in FIELDS:
            raise ValidationError(key, f"“{key}” is not a touchpoint field.")
        if key == "occurred_on":
            if not isinstance(value, date):
                raise ValidationError(key, "Enter the date of the touchpoint.")
            if value > date.today() + timedelta(days=1):
                raise ValidationError(key, "A touchpoint cannot be in the future.")
            if value.year < 1900:
                raise ValidationError(key, "That date is too far in the past.")
        elif key == "channel" and value not in CHANNELS:
            raise ValidationError(key, "Choose how you were in touch.")
        elif key == "kind" and value not in TOUCH_KINDS:
            raise ValidationError(key, "Choose what kind of touchpoint it was.")
        elif key == "note":
            value = str(value or "")
        out[key] = value
    return out


class TouchpointService:
    """Each write also moves the contact's "last contacted" and "next touch due"."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def log(
        self,
        contact_id: int,
        occurred_on: date,
        channel: str,
        kind: str,
        note: str = "",
        event_id: int | None = None,
    ) -> TouchpointRecord:
        data = _clean(
            {
                "occurred_on": occurred_on,
                "channel": channel,
                "kind": kind,
                "note": note,
                "event_id": event_id,
            }
        )
        with self.db.session() as s:
            if s.get(m.Contact, contact_id) is None:
                raise NotFoundError(f"Contact {contact_id} no longer exists.")
            touch = m.Touchpoint(contact_id=contact_id, **data)
            s.add(touch)
            s.flush()
            refresh_touch_dates(s, [contact_id])
            return to_record(touch)

    def get(self, touchpoint_id: int) -> TouchpointRecord:
        with self.db.session() as s:
            touch = s.get(m.Touchpoint, touchpoint_id)
            if touch is None:
                raise NotFoundError(f"Touchpoint {touchpoint_id} no longer exists.")
            return to_record(touch)

    def update(self, touchpoint_id: int, changes: Mapping[str, Any]) -> TouchpointRecord:
        data = _clean(changes)
        with self.db.session() as s:
            touch = s.get(m.Touchpoint, touchpoint_id)
            if touch is None:
                raise NotFoundError(f"Touchpoint {touchpoint_id} no longer exists.")
            for key, value in data.items():
                setattr(touch, key, value)
            touch.updated_at = utcnow()
            s.flush()
            refresh_touch_dates(s, [touch.contact_id])
            return to_record(touch)

    def delete(self, touchpoint_id: int) -> TouchpointRecord:
        """Returns what was deleted, so restore() can put it back (undo)."""
        with self.db.session() as s:
            touch = s.get(m.Touchpoint, touchpoint_id)
            if touch is None:
                raise NotFoundError(f"Touchpoint {touchpoint_id} no longer exists.")
            record = to_record(touch)
            s.delete(touch)
            s.flush()
            refresh_touch_dates(s, [record.contact_id])
            return record

    def restore(self, record: TouchpointRecord) -> TouchpointRecord:
        with self.db.session() as s:
            now = utcnow()
            s.execute(
                insert(m.Touchpoint).values(
                    id=record.id,
                    uuid=record.uuid or new_uuid(),
                    created_at=now,
                    updated_at=now,
                    contact_id=record.contact_id,
                    occurred_on=record.occurred_on,
                    channel=record.channel,
                    kind=record.kind,
                    note=record.note,
                    event_id=record.event_id,
                )
            )
            refresh_touch_dates(s, [record.contact_id])
        return record

    def timeline(self, contact_id: int) -> list[TouchpointRecord]:
        """Every touchpoint of the contact, newest first (no limit: the whole history)."""
        with self.db.session() as s:
            rows = s.scalars(
                select(m.Touchpoint)
                .where(m.Touchpoint.contact_id == contact_id)
                .order_by(m.Touchpoint.occurred_on.desc(), m.Touchpoint.id.desc())
            ).all()
            return [to_record(t) for t in rows]

    def balance(self, contact_id: int, today: date | None = None) -> Balance:
        """Touchpoints where I gave value vs asked, over the last 12 months."""
        today = today or date.today()
        since = today - timedelta(days=365)
        with self.db.session() as s:
            counts = dict(
                s.execute(
                    select(m.Touchpoint.kind, func.count(m.Touchpoint.id))
                    .where(
                        m.Touchpoint.contact_id == contact_id,
                        m.Touchpoint.occurred_on > since,
                        m.Touchpoint.occurred_on <= today,
                        m.Touchpoint.kind.in_(("gave_value", "asked")),
                    )
                    .group_by(m.Touchpoint.kind)
                ).all()
            )
        return Balance(gave=counts.get("gave_value", 0), asked=counts.get("asked", 0), since=since)
