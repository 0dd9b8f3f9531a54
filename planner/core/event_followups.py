"""Follow-ups after an event: one open follow-up per person met there, and taking them back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select

from planner.core.changes import Changes
from planner.core.errors import ValidationError
from planner.core.event_records import Rows
from planner.core.event_service_base import EventServiceBase, columns_of, rows_changes
from planner.core.followups import followup_record
from planner.core.records import FollowUpRecord
from planner.db import models as m


class EventFollowUps(EventServiceBase):
    """Follow-ups with the people met at an event."""

    def create_followups(
        self, event_id: int, days_after: int, today: date | None = None
    ) -> tuple[list[FollowUpRecord], Changes]:
        """One open follow-up per person met who has none from this event yet."""
        if days_after < 0:
            raise ValidationError("days", "Follow-ups cannot be due before the event ends.")
        with self.db.session() as s:
            event = self._event(s, event_id)
            last = event.ends_local or event.starts_local
            due = (last.date() if last else (today or date.today())) + timedelta(days=days_after)
            existing = set(
                s.scalars(
                    select(m.FollowUp.contact_id).where(
                        m.FollowUp.event_id == event_id, m.FollowUp.origin == "event"
                    )
                )
            )
            created = []
            for attendee in s.scalars(
                select(m.EventAttendee)
                .where(m.EventAttendee.event_id == event_id)
                .order_by(m.EventAttendee.id)
            ):
                if attendee.contact_id in existing:
                    continue
                notes = f"Met at {event.name}" + (f": {attendee.note}" if attendee.note else ".")
                row = m.FollowUp(
                    contact_id=attendee.contact_id,
                    due_date=due,
                    purpose=f"Follow up after {event.name}",
                    notes=notes,
                    status="open",
                    origin="event",
                    event_id=event_id,
                )
                s.add(row)
                existing.add(attendee.contact_id)
                created.append(row)
            s.flush()
            records = [followup_record(f) for f in created]
        changed = Changes.of(
            follow_ups=[f.id for f in records],
            contacts={f.contact_id for f in records if f.contact_id},
        )
        return records, changed

    def remove_followups(self, followup_ids: Sequence[int]) -> tuple[Rows, Changes]:
        with self.db.session() as s:
            rows = list(s.scalars(select(m.FollowUp).where(m.FollowUp.id.in_(followup_ids))))
            snapshot = Rows(tables=(("follow_ups", tuple(columns_of(r) for r in rows)),))
            for r in rows:
                s.delete(r)
        return snapshot, rows_changes(snapshot)
