"""Referrals and introductions both ways (I asked / made / received): asked -> made -> outcome."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import insert, or_, select

from planner.core.changes import Changes
from planner.core.errors import NotFoundError, ValidationError
from planner.core.records import ReferralRecord
from planner.core.vocab import REFERRAL_DIRECTIONS, REFERRAL_STATUSES
from planner.db import models as m
from planner.db.database import Database
from planner.db.types import new_uuid, utcnow

FIELDS = ("direction", "status", "occurred_on", "other_contact_id", "outcome", "note")


def to_record(r: m.Referral) -> ReferralRecord:
    return ReferralRecord(
        id=r.id,
        uuid=r.uuid,
        contact_id=r.contact_id,
        direction=r.direction,
        status=r.status,
        occurred_on=r.occurred_on,
        other_contact_id=r.other_contact_id,
        outcome=r.outcome or "",
        note=r.note or "",
    )


def _changes(*records: ReferralRecord) -> Changes:
    """A referral shows on both people's pages: its contact and the third person."""
    people = {r.contact_id for r in records} | {
        r.other_contact_id for r in records if r.other_contact_id is not None
    }
    return Changes.of(referrals=[r.id for r in records], contacts=people)


class ReferralService:
    """Every write is one transaction and returns its record with the `Changes` it made."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    def _clean(changes: Mapping[str, Any], contact_id: int | None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in changes.items():
            if key not in FIELDS:
                raise ValidationError(key, f"“{key}” is not a referral field.")
            if key == "direction" and value not in REFERRAL_DIRECTIONS:
                raise ValidationError(key, "Choose who asked or made the referral.")
            if key == "status" and value not in REFERRAL_STATUSES:
                raise ValidationError(key, "Choose asked, made or outcome.")
            if key == "occurred_on" and not isinstance(value, date):
                raise ValidationError(key, "Enter the date.")
            if key in ("outcome", "note"):
                value = str(value or "")
            if key == "other_contact_id":
                value = None if value in (None, "") else int(value)
                if value is not None and value == contact_id:
                    raise ValidationError(key, "Choose someone other than the contact.")
            out[key] = value
        if out.get("status") == "outcome" and "outcome" in out and not out["outcome"].strip():
            raise ValidationError("outcome", "Say what came of it.")
        return out

    def create(
        self,
        contact_id: int,
        direction: str,
        occurred_on: date,
        status: str = "asked",
        other_contact_id: int | None = None,
        outcome: str = "",
        note: str = "",
    ) -> tuple[ReferralRecord, Changes]:
        data = self._clean(
            {
                "direction": direction,
                "status": status,
                "occurred_on": occurred_on,
                "other_contact_id": other_contact_id,
                "outcome": outcome,
                "note": note,
            },
            contact_id,
        )
        with self.db.session() as s:
            if s.get(m.Contact, contact_id) is None:
                raise NotFoundError(f"Contact {contact_id} no longer exists.")
            other = data.get("other_contact_id")
            if other is not None and s.get(m.Contact, other) is None:
                raise ValidationError("other_contact_id", "That contact no longer exists.")
            referral = m.Referral(contact_id=contact_id, **data)
            s.add(referral)
            s.flush()
            record = to_record(referral)
        return record, _changes(record)

    def update(
        self, referral_id: int, changes: Mapping[str, Any]
    ) -> tuple[ReferralRecord, Changes]:
        """Both the old and the new third person are touched (the link may have moved)."""
        with self.db.session() as s:
            referral = s.get(m.Referral, referral_id)
            if referral is None:
                raise NotFoundError(f"Referral {referral_id} no longer exists.")
            before = to_record(referral)
            data = self._clean(changes, referral.contact_id)
            for key, value in data.items():
                setattr(referral, key, value)
            referral.updated_at = utcnow()
            s.flush()
            record = to_record(referral)
        return record, _changes(before, record)

    def delete(self, referral_id: int) -> tuple[ReferralRecord, Changes]:
        """Returns what was deleted, so restore() can put it back (undo)."""
        with self.db.session() as s:
            referral = s.get(m.Referral, referral_id)
            if referral is None:
                raise NotFoundError(f"Referral {referral_id} no longer exists.")
            record = to_record(referral)
            s.delete(referral)
        return record, _changes(record)

    def restore(self, record: ReferralRecord) -> tuple[ReferralRecord, Changes]:
        """Put a deleted referral back with its id and uuid (undo)."""
        now = utcnow()
        with self.db.session() as s:
            if s.get(m.Contact, record.contact_id) is None:
                raise NotFoundError(f"Contact {record.contact_id} no longer exists.")
            s.execute(
                insert(m.Referral).values(
                    id=record.id,
                    uuid=record.uuid or new_uuid(),
                    created_at=now,
                    updated_at=now,
                    contact_id=record.contact_id,
                    other_contact_id=record.other_contact_id,
                    direction=record.direction,
                    status=record.status,
                    occurred_on=record.occurred_on,
                    outcome=record.outcome,
                    note=record.note,
                )
            )
        return record, _changes(record)

    def for_contact(self, contact_id: int) -> list[ReferralRecord]:
        """Referrals with this contact, or naming them as the third person; newest first."""
        with self.db.session() as s:
            rows = s.scalars(
                select(m.Referral)
                .where(
                    or_(
                        m.Referral.contact_id == contact_id,
                        m.Referral.other_contact_id == contact_id,
                    )
                )
                .order_by(m.Referral.occurred_on.desc(), m.Referral.id.desc())
            ).all()
            return [to_record(r) for r in rows]
