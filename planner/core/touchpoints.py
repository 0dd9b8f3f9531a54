"""Touchpoints: log, edit and delete them; the timeline; the give/ask balance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from planner.core.changes import Changes
from planner.core.contact_rows import refresh_touch_dates
from planner.core.errors import NotFoundError, ValidationError
from planner.core.organisations import follow_activity
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
        organisation_id=t.organisation_id,
        created_by=t.created_by or "",
        updated_by=t.updated_by or "",
    )


def _changes(records: Sequence[TouchpointRecord]) -> Changes:
    """Touchpoints change their contacts' last/next touch dates too."""
    return Changes.of(touchpoints=[r.id for r in records], contacts={r.contact_id for r in records})


def _activity_at(s: Session, records: Sequence[TouchpointRecord]) -> set[int | None]:
    """Organisations whose activity these touchpoints count for: linked, or hosting the event."""
    orgs: set[int | None] = {r.organisation_id for r in records}
    events = {r.event_id for r in records if r.event_id is not None}
    if events:
        orgs.update(
            s.scalars(select(m.EventPlan.organisation_id).where(m.EventPlan.id.in_(events)))
        )
    return orgs


def _require_contacts(s: Session, contact_ids: Sequence[int]) -> None:
    wanted = set(contact_ids)
    found: set[int] = set()
    ordered = sorted(wanted)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        found.update(s.scalars(select(m.Contact.id).where(m.Contact.id.in_(chunk))))
    missing = sorted(wanted - found)
    if missing:
        raise NotFoundError(f"Contact {missing[0]} no longer exists.")


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
    """Each write also moves the contact's "last contacted" and "next touch due".

    Every write is one transaction and returns its record(s) with the `Changes` it made.
    """

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
    ) -> tuple[TouchpointRecord, Changes]:
        records, changes = self.log_many(
            [contact_id], occurred_on, channel, kind, note, event_id=event_id
        )
        return records[0], changes

    def log_many(
        self,
        contact_ids: Sequence[int],
        occurred_on: date,
        channel: str,
        kind: str,
        note: str = "",
        event_id: int | None = None,
    ) -> tuple[list[TouchpointRecord], Changes]:
        """The same touchpoint for each contact, all or none (one transaction)."""
        data = _clean(
            {
                "occurred_on": occurred_on,
                "channel": channel,
                "kind": kind,
                "note": note,
                "event_id": event_id,
            }
        )
        ids = list(dict.fromkeys(contact_ids))
        if not ids:
            return [], Changes()
        with self.db.session() as s:
            _require_contacts(s, ids)
            touches = [m.Touchpoint(contact_id=cid, **data) for cid in ids]
            s.add_all(touches)
            s.flush()
            refresh_touch_dates(s, ids)
            records = [to_record(t) for t in touches]
            rules = follow_activity(s, _activity_at(s, records))
        return records, _changes(records) | rules

    def get(self, touchpoint_id: int) -> TouchpointRecord:
        with self.db.session() as s:
            touch = s.get(m.Touchpoint, touchpoint_id)
            if touch is None:
                raise NotFoundError(f"Touchpoint {touchpoint_id} no longer exists.")
            return to_record(touch)

    def update(
        self, touchpoint_id: int, changes: Mapping[str, Any]
    ) -> tuple[TouchpointRecord, Changes]:
        data = _clean(changes)
        with self.db.session() as s:
            touch = s.get(m.Touchpoint, touchpoint_id)
            if touch is None:
                raise NotFoundError(f"Touchpoint {touchpoint_id} no longer exists.")
            before = to_record(touch)
            for key, value in data.items():
                setattr(touch, key, value)
            touch.updated_at = utcnow()
            s.flush()
            refresh_touch_dates(s, [touch.contact_id])
            record = to_record(touch)
            rules = follow_activity(s, _activity_at(s, [before, record]))
        return record, _changes([record]) | rules

    def delete(self, touchpoint_id: int) -> tuple[TouchpointRecord, Changes]:
        """Returns what was deleted, so restore() can put it back (undo)."""
        records, changes = self.delete_many([touchpoint_id])
        return records[0], changes

    def delete_many(self, touchpoint_ids: Sequence[int]) -> tuple[list[TouchpointRecord], Changes]:
        """Delete all of them or none (one transaction); returns them for restore_many()."""
        ids = list(dict.fromkeys(touchpoint_ids))
        with self.db.session() as s:
            touches = {
                t.id: t for t in s.scalars(select(m.Touchpoint).where(m.Touchpoint.id.in_(ids)))
            }
            missing = [tid for tid in ids if tid not in touches]
            if missing:
                raise NotFoundError(f"Touchpoint {missing[0]} no longer exists.")
            records = [to_record(touches[tid]) for tid in ids]
            for tid in ids:
                s.delete(touches[tid])
            s.flush()
            refresh_touch_dates(s, {r.contact_id for r in records})
            rules = follow_activity(s, _activity_at(s, records))
        return records, _changes(records) | rules

    def restore(self, record: TouchpointRecord) -> tuple[TouchpointRecord, Changes]:
        records, changes = self.restore_many([record])
        return records[0], changes

    def restore_many(
        self, records: Sequence[TouchpointRecord]
    ) -> tuple[list[TouchpointRecord], Changes]:
        """Put deleted touchpoints back with their ids and uuids (undo), in one transaction."""
        if not records:
            return [], Changes()
        with self.db.session() as s:
            _require_contacts(s, [r.contact_id for r in records])
            now = utcnow()
            s.execute(
                insert(m.Touchpoint),
                [
                    {
                        "id": r.id,
                        "uuid": r.uuid or new_uuid(),
                        "created_at": now,
                        "updated_at": now,
                        "contact_id": r.contact_id,
                        "occurred_on": r.occurred_on,
                        "channel": r.channel,
                        "kind": r.kind,
                        "note": r.note,
                        "event_id": r.event_id,
                        "organisation_id": r.organisation_id,
                        # Undo gives a touchpoint back to whoever logged it.
                        "created_by": r.created_by or self.db.user,
                        "updated_by": r.updated_by or self.db.user,
                    }
                    for r in records
                ],
            )
            refresh_touch_dates(s, {r.contact_id for r in records})
            rules = follow_activity(s, _activity_at(s, records))
        return list(records), _changes(records) | rules

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
        with self.db.session() as s:
            return balance_in(s, contact_id, today or date.today())


def balance_in(s: Session, contact_id: int, today: date) -> Balance:
    """Gave value vs asked over the 12 months up to `today`, inside the caller's session."""
    since = today - timedelta(days=365)
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
