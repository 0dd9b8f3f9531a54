"""What an event returned: people met against the goal, follow-ups sent and answered within
two weeks, and what each new contact cost. Per event and across recent events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from planner.db import models as m
from planner.db.database import Database

RESULT_WINDOW_DAYS = 14


@dataclass(frozen=True)
class EventResult:
    event_id: int
    name: str
    day: date
    met: int
    new: int
    goal: int  # people to meet by the event's "meet new people" goals; 0 when none
    followups: int  # follow-ups made for people met there (cancelled ones left out)
    sent: int  # of those, completed within RESULT_WINDOW_DAYS of the event
    # People met who were in touch again within the window other than by our own follow-up:
    # a touchpoint logged without this event (a reply, a call back, a coffee).
    answered: int
    cost_cents: int | None
    currency: str

    @property
    def cost_per_new_cents(self) -> int | None:
        if self.cost_cents is None or not self.new:
            return None
        return round(self.cost_cents / self.new)


def _results(s: Session, events: Sequence[m.EventPlan]) -> list[EventResult]:
    out: list[EventResult] = []
    for event in events:
        if event.starts_local is None:
            continue
        day = event.starts_local.date()
        until = day + timedelta(days=RESULT_WINDOW_DAYS)
        met, new = s.execute(
            select(
                func.count(m.EventAttendee.id),
                func.coalesce(func.sum(case((m.EventAttendee.is_new, 1), else_=0)), 0),
            ).where(m.EventAttendee.event_id == event.id)
        ).one()
        goal = s.scalar(
            select(func.coalesce(func.sum(m.EventGoal.target), 0)).where(
                m.EventGoal.event_id == event.id, m.EventGoal.kind == "meet_new"
            )
        )
        followups = s.execute(
            select(m.FollowUp.status, m.FollowUp.completed_at).where(
                m.FollowUp.event_id == event.id, m.FollowUp.status != "cancelled"
            )
        ).all()
        sent = sum(
            1
            for status, completed in followups
            if status == "done" and completed is not None and completed.date() <= until
        )
        met_ids = select(m.EventAttendee.contact_id).where(m.EventAttendee.event_id == event.id)
        answered = s.scalar(
            select(func.count(func.distinct(m.Touchpoint.contact_id))).where(
                m.Touchpoint.contact_id.in_(met_ids),
                m.Touchpoint.occurred_on > day,
                m.Touchpoint.occurred_on <= until,
                (m.Touchpoint.event_id.is_(None)) | (m.Touchpoint.event_id != event.id),
            )
        )
        out.append(
            EventResult(
                event.id,
                event.name,
                day,
                int(met),
                int(new),
                int(goal or 0),
                len(followups),
                sent,
                int(answered or 0),
                event.cost_cents,
                event.currency or "",
            )
        )
    return out


def event_result(db: Database, event_id: int) -> EventResult | None:
    """The results of one event; None when it has no date."""
    with db.session() as s:
        event = s.get(m.EventPlan, event_id)
        found = _results(s, [event]) if event is not None else []
    return found[0] if found else None


def recent_results(s: Session, today: date, limit: int = 8) -> list[EventResult]:
    """Attended events that have started, oldest first, the latest `limit` of them."""
    rows = s.scalars(
        select(m.EventPlan)
        .where(
            m.EventPlan.status == "attended",
            m.EventPlan.starts_local.is_not(None),
            m.EventPlan.starts_local < today + timedelta(days=1),
        )
        .order_by(m.EventPlan.starts_local.desc())
        .limit(limit)
    ).all()
    return list(reversed(_results(s, rows)))
