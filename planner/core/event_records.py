"""What the event services hand out: frozen records of a plan, its goals, people, checklist and
attendees, the rows an undo puts back, and the small rules read off a plan (its day, its
cost)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from planner.core.questions import QuestionRecord
from planner.core.records import EventPlanRecord
from planner.core.vocab import RELATIONSHIPS
from planner.db import models as m


@dataclass(frozen=True)
class EventListRow:
    id: int
    name: str
    event_type: str
    status: str
    starts_local: datetime | None
    ends_local: datetime | None
    time_zone: str
    venue: str
    url: str
    met_count: int
    upcoming: bool


@dataclass(frozen=True)
class GoalRecord:
    id: int
    event_id: int
    kind: str
    description: str = ""
    target: int = 1
    manual_progress: int = 0
    contact_id: int | None = None
    contact_name: str = ""
    industry: str = ""
    relationship: str = ""
    topic: str = ""
    position: int = 0
    progress: int = 0
    computed: bool = False

    @property
    def label(self) -> str:
        if self.kind == "meet_new":
            who = "person" if self.target == 1 else "people"
            text = f"Meet {self.target} new {who}"
            if self.industry:
                text += f" in {self.industry}"
            if self.relationship:
                text += f" ({RELATIONSHIPS.get(self.relationship, self.relationship).lower()})"
            return text
        if self.kind == "talk_to":
            return f"Talk to {self.contact_name or 'a contact'}"
        if self.kind == "learn_about":
            return f"Learn about {self.topic}" if self.topic else self.description
        return self.description or "Goal"

    @property
    def done(self) -> bool:
        return self.progress >= self.target


def quick_add_defaults(goals: Sequence[GoalRecord]) -> tuple[str, str]:
    """Industry and relationship for people quick-added at an event: those of its first
    "meet new people" goal that names them, so each new person counts towards that goal."""
    industry = relationship = ""
    for g in goals:
        if g.kind != "meet_new":
            continue
        industry = industry or g.industry
        relationship = relationship or g.relationship
    return industry, relationship


@dataclass(frozen=True)
class PersonToMeetRecord:
    id: int
    event_id: int
    contact_id: int
    contact_name: str
    organisation: str = ""
    reason: str = ""
    met: bool = False


@dataclass(frozen=True)
class ChecklistItemRecord:
    id: int
    event_id: int
    text: str
    done: bool = False
    position: int = 0


@dataclass(frozen=True)
class AttendeeRecord:
    id: int
    event_id: int
    contact_id: int
    contact_name: str
    organisation: str = ""
    role: str = ""
    note: str = ""
    is_new: bool = False
    touchpoint_id: int | None = None
    has_followup: bool = False


@dataclass(frozen=True)
class EventDetail:
    event: EventPlanRecord
    goals: tuple[GoalRecord, ...] = ()
    questions: tuple[QuestionRecord, ...] = ()
    people: tuple[PersonToMeetRecord, ...] = ()
    checklist: tuple[ChecklistItemRecord, ...] = ()
    attendees: tuple[AttendeeRecord, ...] = ()
    pitch_title: str = ""


@dataclass(frozen=True)
class Rows:
    """Rows taken out of the database, to put back exactly (same ids) on undo."""

    tables: tuple[tuple[str, tuple[dict[str, Any], ...]], ...] = ()
    # (table, column, id) links that were cleared and are set back to `event_id` on restore.
    links: tuple[tuple[str, int], ...] = ()
    event_id: int | None = None


@dataclass(frozen=True)
class MetResult:
    attendee_id: int
    contact_id: int
    touchpoint_id: int
    contact_created: bool
    is_new: bool


@dataclass(frozen=True)
class PlanSnapshot:
    """An event's own columns and its plan items (goals, questions, people, checklist)."""

    event_id: int
    columns: dict[str, Any] = field(default_factory=dict)
    rows: Rows = field(default_factory=Rows)


def event_record(e: m.EventPlan) -> EventPlanRecord:
    """The plan's own columns as a frozen record."""
    return EventPlanRecord(
        id=e.id,
        uuid=e.uuid,
        name=e.name,
        event_type=e.event_type,
        starts_local=e.starts_local,
        ends_local=e.ends_local,
        all_day=e.all_day,
        time_zone=e.time_zone,
        venue=e.venue,
        url=e.url,
        cost_cents=e.cost_cents,
        currency=e.currency,
        status=e.status,
        description=e.description,
        takeaways=e.takeaways,
        pitch_id=e.pitch_id,
        pitch_text=e.pitch_text,
        sequence=e.sequence,
        created_at=e.created_at,
        updated_at=e.updated_at,
        version=e.version,
        updated_by=e.updated_by,
    )


def event_day(event: EventPlanRecord | m.EventPlan, today: date | None = None) -> date:
    """The date a meeting at this event is logged on: its start, or today when undated or
    when the event is still ahead (a touchpoint is never dated in the future)."""
    today = today or date.today()
    if event.starts_local is not None:
        return min(event.starts_local.date(), today)
    return today


def days_until(event: EventPlanRecord | m.EventPlan, today: date | None = None) -> int:
    """Days until the event starts; 0 when it has started, is past, or has no date."""
    if event.starts_local is None:
        return 0
    return max(0, (event.starts_local.date() - (today or date.today())).days)


def format_cost(cost_cents: int | None, currency: str) -> str:
    """The cost as shown: "" when unknown, "Free" when nothing."""
    if cost_cents is None:
        return ""
    if cost_cents == 0:
        return "Free"
    return f"{cost_cents / 100:,.2f} {currency}".strip()
