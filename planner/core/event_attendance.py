"""At and after the event: who was met there (an attendee row and a "met" touchpoint, the
contact quick-added when new), the notes on them, and taking a "met" back."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.core.changes import Changes
from planner.core.contact_rows import new_contact, refresh_touch_dates
from planner.core.errors import ValidationError
from planner.core.event_records import MetResult, Rows, event_day
from planner.core.event_service_base import (
    EventServiceBase,
    columns_of,
    event_changes,
    rows_changes,
)
from planner.core.organisations import follow_activity
from planner.core.quick_add import parse_quick_add
from planner.core.vocab import RELATIONSHIPS
from planner.db import models as m


class EventAttendance(EventServiceBase):
    """The people met at an event."""

    def mark_met(
        self,
        event_id: int,
        *,
        contact_id: int | None = None,
        quick_add: str = "",
        note: str = "",
        industry: str = "",
        relationship: str = "",
        today: date | None = None,
    ) -> tuple[MetResult, Changes]:
        """Record meeting someone here: an attendee row and a "met" touchpoint on the event day.

        Either an existing contact, or a new one from a quick-add line. The person counts as
        new when created here or when nothing was logged with them before the event. For a new
        contact, `industry` and `relationship` fill what the line itself does not say.
        """
        note = note.strip()
        with self.db.session() as s:
            event = self._event(s, event_id)
            day = event_day(event, today)
            if contact_id is not None:
                contact, is_new = _known_contact(s, event_id, contact_id, day)
                created = False
            else:
                contact = self._quick_added(s, event, quick_add, industry, relationship)
                created = is_new = True
            touch, attendee = _log_meeting(s, event, contact.id, day, note, is_new)
            refresh_touch_dates(s, [contact.id])
            self._bump(event)
            rules = follow_activity(s, [event.organisation_id])
            result = MetResult(attendee.id, contact.id, touch.id, created, is_new)
        changed = Changes.of(contacts=[result.contact_id], touchpoints=[result.touchpoint_id])
        return result, event_changes(event_id, rules) | changed

    def _quick_added(
        self, s: Session, event: m.EventPlan, quick_add: str, industry: str, relationship: str
    ) -> m.Contact:
        """A new contact from a quick-add line ("Ana Ruiz, Globex, Head of Data"), met here."""
        fields = parse_quick_add(quick_add)
        if not fields.name:
            raise ValidationError(
                "quick_add", "Type at least a name, e.g. “Ana Ruiz, Globex, Head of Data”."
            )
        rel = fields.relationship or relationship or "other"
        if rel not in RELATIONSHIPS:
            raise ValidationError("relationship", "Choose one of the listed relationships.")
        return new_contact(
            s,
            fields.name[:300],
            organisation=fields.organisation[:300],
            role=fields.role[:300],
            industry=(fields.industry or " ".join(industry.split()))[:200],
            relationship=rel,
            emails=[fields.email] if fields.email else [],
            cadence_days=self.default_cadence.get(rel),
            how_met_kind="event",
            how_met_event_id=event.id,
        )

    def update_attendee_note(self, attendee_id: int, note: str) -> Changes:
        """The note goes on the attendee row and on the "met" touchpoint it made."""
        with self.db.session() as s:
            attendee = self._child(s, m.EventAttendee, attendee_id)
            attendee.note = note.strip()
            if attendee.touchpoint_id:
                touch = s.get(m.Touchpoint, attendee.touchpoint_id)
                if touch is not None:
                    touch.note = attendee.note
            self._bump(self._event(s, attendee.event_id))
            changed = Changes.of(
                events=[attendee.event_id],
                contacts=[attendee.contact_id],
                touchpoints=[attendee.touchpoint_id] if attendee.touchpoint_id else [],
            )
        return changed

    def attendee_note(self, attendee_id: int) -> str:
        with self.db.session() as s:
            return str(self._child(s, m.EventAttendee, attendee_id).note)

    def unmark_met(self, attendee_id: int, *, delete_contact: bool = False) -> tuple[Rows, Changes]:
        """Take back a "met": the attendee row, its touchpoint, and (for undoing a quick-add)
        the contact it created. Returns what restore() puts back."""
        with self.db.session() as s:
            attendee = self._child(s, m.EventAttendee, attendee_id)
            event = self._event(s, attendee.event_id)
            tables: list[tuple[str, tuple[dict[str, Any], ...]]] = []
            contact = s.get(m.Contact, attendee.contact_id)
            if delete_contact and contact is not None:
                tables.append(("contacts", (columns_of(contact),)))
                for model in (
                    m.ContactEmail,
                    m.ContactPhone,
                    m.ContactUrl,
                    m.ContactAddress,
                    m.ContactTag,
                ):
                    rows = tuple(
                        columns_of(r)
                        for r in s.scalars(select(model).where(model.contact_id == contact.id))
                    )
                    if rows:
                        tables.append((model.__tablename__, rows))
            touch = s.get(m.Touchpoint, attendee.touchpoint_id) if attendee.touchpoint_id else None
            if touch is not None:
                tables.append(("touchpoints", (columns_of(touch),)))
            tables.append(("event_attendees", (columns_of(attendee),)))
            s.delete(attendee)
            s.flush()
            if touch is not None:
                s.delete(touch)
            if delete_contact and contact is not None:
                s.delete(contact)
            elif contact is not None:
                s.flush()
                refresh_touch_dates(s, [contact.id])
            self._bump(event)
            s.flush()
            rules = follow_activity(s, [event.organisation_id])
            taken = Rows(tables=tuple(tables), event_id=event.id)
        return taken, rows_changes(taken) | rules


def _known_contact(s: Session, event_id: int, contact_id: int, day: date) -> tuple[m.Contact, bool]:
    """The contact met, and whether they count as new (nothing logged with them before)."""
    contact = s.get(m.Contact, contact_id)
    if contact is None:
        raise ValidationError("contact", "That contact no longer exists.")
    already = s.scalar(
        select(m.EventAttendee.id).where(
            m.EventAttendee.event_id == event_id,
            m.EventAttendee.contact_id == contact_id,
        )
    )
    if already:
        raise ValidationError("contact", f"{contact.name} is already marked as met at this event.")
    earlier = s.scalar(
        select(func.count(m.Touchpoint.id)).where(
            m.Touchpoint.contact_id == contact_id, m.Touchpoint.occurred_on < day
        )
    )
    return contact, not earlier


def _log_meeting(
    s: Session, event: m.EventPlan, contact_id: int, day: date, note: str, is_new: bool
) -> tuple[m.Touchpoint, m.EventAttendee]:
    """The "met" touchpoint and the attendee row that points at it."""
    touch = m.Touchpoint(
        contact_id=contact_id,
        occurred_on=day,
        channel="in_person",
        kind="met",
        note=note,
        event_id=event.id,
    )
    s.add(touch)
    s.flush()
    attendee = m.EventAttendee(
        event_id=event.id,
        contact_id=contact_id,
        note=note,
        is_new=is_new,
        touchpoint_id=touch.id,
    )
    s.add(attendee)
    s.flush()
    return touch, attendee
