"""Event plans: the plan (details, goals, pitch, questions, people, checklist) and the aftermath
(who was met, takeaways, follow-ups). Every change to a plan bumps its iCalendar SEQUENCE."""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

from sqlalchemy import case, delete, func, insert, select, update
from sqlalchemy.orm import Session

from planner.core.changes import Changes
from planner.core.contact_rows import new_contact, refresh_touch_dates
from planner.core.errors import ConflictError, NotFoundError, ValidationError
from planner.core.followups import followup_record
from planner.core.organisations import follow_activity
from planner.core.questions import QuestionRecord, split_tags
from planner.core.quick_add import parse_quick_add
from planner.core.records import EventPlanRecord, FollowUpRecord
from planner.core.text import fold
from planner.core.vocab import EVENT_STATUSES, EVENT_TYPES, GOAL_KINDS, RELATIONSHIPS
from planner.db import models as m
from planner.db.database import Database
from planner.db.errors import ConcurrentEditError
from planner.db.starter import STARTER_CHECKLIST as STARTER_CHECKLIST
from planner.db.types import utcnow

EDITABLE_FIELDS = frozenset(
    {
        "name",
        "event_type",
        "starts_local",
        "ends_local",
        "all_day",
        "time_zone",
        "venue",
        "url",
        "cost_cents",
        "currency",
        "status",
        "description",
        "takeaways",
        "pitch_id",
        "pitch_text",
    }
)
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@lru_cache(maxsize=1)
def time_zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


# --- records -------------------------------------------------------------------------------


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


_MODELS: dict[str, type[Any]] = {
    cls.__tablename__: cls
    for cls in (
        m.EventPlan,
        m.EventGoal,
        m.EventQuestion,
        m.EventPersonToMeet,
        m.EventChecklistItem,
        m.EventAttendee,
        m.Contact,
        m.ContactEmail,
        m.ContactPhone,
        m.ContactUrl,
        m.ContactTag,
        m.Touchpoint,
        m.FollowUp,
    )
}
_PLAN_CHILDREN = (m.EventGoal, m.EventQuestion, m.EventPersonToMeet, m.EventChecklistItem)
_LINKS: dict[str, tuple[type[Any], str]] = {
    "touchpoints": (m.Touchpoint, "event_id"),
    "contacts": (m.Contact, "how_met_event_id"),
    "follow_ups": (m.FollowUp, "event_id"),
}


def _columns(obj: Any) -> dict[str, Any]:
    return {attr.key: getattr(obj, attr.key) for attr in obj.__mapper__.column_attrs}


def _event_record(e: m.EventPlan) -> EventPlanRecord:
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
    if cost_cents is None:
        return ""
    if cost_cents == 0:
        return "Free"
    return f"{cost_cents / 100:,.2f} {currency}".strip()


# --- validation ----------------------------------------------------------------------------


def _validated(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(sorted(unknown)[0], "This field cannot be changed here.")
    out = dict(changes)
    if "name" in out:
        out["name"] = " ".join(str(out["name"]).split())
        if not out["name"]:
            raise ValidationError("name", "Give the event a name.")
        if len(out["name"]) > 300:
            raise ValidationError("name", "Keep the name under 300 characters.")
    if "event_type" in out and out["event_type"] not in EVENT_TYPES:
        raise ValidationError("event_type", "Choose one of the listed event types.")
    if "status" in out and out["status"] not in EVENT_STATUSES:
        raise ValidationError("status", "Choose idea, registered, attended or skipped.")
    if "time_zone" in out:
        out["time_zone"] = str(out["time_zone"] or "").strip()
        if out["time_zone"] and out["time_zone"] not in time_zone_names():
            raise ValidationError(
                "time_zone", f"“{out['time_zone']}” is not a known time zone (e.g. Europe/Paris)."
            )
    for key in ("starts_local", "ends_local"):
        value = out.get(key)
        if value is not None and key in out:
            if not isinstance(value, datetime):
                raise ValidationError(key, "Enter a date and time.")
            # Wall-clock time in the event's zone: stored naive, without seconds.
            out[key] = value.replace(tzinfo=None, second=0, microsecond=0)
    if "cost_cents" in out and out["cost_cents"] is not None:
        cost = out["cost_cents"]
        if not isinstance(cost, int) or cost < 0:
            raise ValidationError("cost", "The cost cannot be negative.")
    if "currency" in out:
        out["currency"] = str(out["currency"] or "").strip().upper()
        if out["currency"] and not _CURRENCY.match(out["currency"]):
            raise ValidationError("currency", "Use a three-letter currency code, e.g. EUR or USD.")
    for key in ("venue", "url", "description", "takeaways", "pitch_text"):
        if key in out:
            out[key] = str(out[key] or "")
    if "url" in out:
        out["url"] = out["url"].strip()
        if len(out["url"]) > 2000:
            raise ValidationError("url", "The link is too long.")
    return out


def _check_dates(event: m.EventPlan) -> None:
    if event.starts_local and event.ends_local and event.ends_local < event.starts_local:
        raise ValidationError("ends_local", "The event cannot end before it starts.")


def _rows_changes(rows: Rows) -> Changes:
    """What taking out (or putting back) these rows changes, per kind."""
    kinds: dict[str, set[int]] = {
        k: set() for k in ("events", "contacts", "touchpoints", "follow_ups")
    }
    for table, items in rows.tables:
        for r in items:
            if table == "event_plans":
                kinds["events"].add(r["id"])
            elif table in ("contacts", "touchpoints", "follow_ups"):
                kinds[table].add(r["id"])
            if r.get("contact_id") is not None and table in _CONTACT_ROWS:
                kinds["contacts"].add(r["contact_id"])
    for table, row_id in rows.links:
        kinds[table].add(row_id)
    if rows.event_id is not None:
        kinds["events"].add(rows.event_id)
    return Changes.of(
        events=kinds["events"],
        contacts=kinds["contacts"],
        touchpoints=kinds["touchpoints"],
        follow_ups=kinds["follow_ups"],
    )


# Rows whose contact's dates or lists change when they come or go.
_CONTACT_ROWS = frozenset({"touchpoints", "follow_ups", "event_attendees"})


def _event_changes(event_id: int, rules: Changes | None = None) -> Changes:
    changed = Changes.of(events=[event_id])
    return changed | rules if rules is not None else changed


def _host_of(event_id: int) -> Any:
    """The organisation hosting an event (its activity counts the event)."""
    return select(m.EventPlan.organisation_id).where(m.EventPlan.id == event_id)


class EventService:
    def __init__(self, db: Database, default_cadence: dict[str, int | None] | None = None) -> None:
        self.db = db
        self.default_cadence = default_cadence or {}

    # --- helpers -----------------------------------------------------------------------

    @staticmethod
    def _event(s: Session, event_id: int) -> m.EventPlan:
        event = s.get(m.EventPlan, event_id)
        if event is None:
            raise NotFoundError(f"Event {event_id} no longer exists.")
        return event

    @staticmethod
    def _bump(event: m.EventPlan) -> None:
        event.sequence = (event.sequence or 0) + 1
        event.updated_at = utcnow()

    @staticmethod
    def _child(s: Session, model: type[Any], row_id: int) -> Any:
        row = s.get(model, row_id)
        if row is None:
            raise NotFoundError("That item was removed meanwhile.")
        return row

    # --- list and read -----------------------------------------------------------------

    def list(
        self,
        search: str = "",
        status: str = "",
        event_type: str = "",
        today: date | None = None,
    ) -> list[EventListRow]:
        """Upcoming (soonest first), then undated, then past (most recent first)."""
        today = today or date.today()
        with self.db.session() as s:
            query = select(m.EventPlan)
            if status:
                query = query.where(m.EventPlan.status == status)
            if event_type:
                query = query.where(m.EventPlan.event_type == event_type)
            met = dict(
                s.execute(
                    select(m.EventAttendee.event_id, func.count(m.EventAttendee.id)).group_by(
                        m.EventAttendee.event_id
                    )
                ).all()
            )
            events = list(s.scalars(query))
        needle = fold(search)
        rows: list[EventListRow] = []
        for e in events:
            if needle and needle not in fold(
                " ".join((e.name, e.venue, e.url, e.description, e.takeaways))
            ):
                continue
            last = e.ends_local or e.starts_local
            rows.append(
                EventListRow(
                    id=e.id,
                    name=e.name,
                    event_type=e.event_type,
                    status=e.status,
                    starts_local=e.starts_local,
                    ends_local=e.ends_local,
                    time_zone=e.time_zone,
                    venue=e.venue,
                    url=e.url,
                    met_count=int(met.get(e.id, 0)),
                    upcoming=last is None or last.date() >= today,
                )
            )

        def order(row: EventListRow) -> tuple[int, float, str]:
            if row.starts_local is None:
                return (1, 0.0, fold(row.name))
            stamp = row.starts_local.timestamp()
            return (0, stamp, "") if row.upcoming else (2, -stamp, "")

        rows.sort(key=order)
        return rows

    def get(self, event_id: int) -> EventPlanRecord:
        with self.db.session() as s:
            return _event_record(self._event(s, event_id))

    def detail(self, event_id: int) -> EventDetail:
        with self.db.session() as s:
            event = self._event(s, event_id)
            attendees = s.execute(
                select(m.EventAttendee, m.Contact)
                .join(m.Contact, m.Contact.id == m.EventAttendee.contact_id)
                .where(m.EventAttendee.event_id == event_id)
                .order_by(m.EventAttendee.id)
            ).all()
            followed = set(
                s.scalars(
                    select(m.FollowUp.contact_id).where(
                        m.FollowUp.event_id == event_id, m.FollowUp.origin == "event"
                    )
                )
            )
            attendee_records = tuple(
                AttendeeRecord(
                    id=a.id,
                    event_id=a.event_id,
                    contact_id=c.id,
                    contact_name=c.name,
                    organisation=c.organisation,
                    role=c.role,
                    note=a.note,
                    is_new=a.is_new,
                    touchpoint_id=a.touchpoint_id,
                    has_followup=c.id in followed,
                )
                for a, c in attendees
            )
            met_ids = {c.id for _a, c in attendees}
            goals = []
            for g in s.scalars(
                select(m.EventGoal)
                .where(m.EventGoal.event_id == event_id)
                .order_by(m.EventGoal.position, m.EventGoal.id)
            ):
                contact = s.get(m.Contact, g.contact_id) if g.contact_id else None
                goals.append(self._goal_record(g, contact, attendees, met_ids))
            questions = tuple(
                QuestionRecord(q.id, q.uuid, q.text, split_tags(q.tags))
                for q in s.scalars(
                    select(m.Question)
                    .join(m.EventQuestion, m.EventQuestion.question_id == m.Question.id)
                    .where(m.EventQuestion.event_id == event_id)
                    .order_by(m.EventQuestion.position, m.Question.id)
                )
            )
            people = tuple(
                PersonToMeetRecord(
                    id=p.id,
                    event_id=p.event_id,
                    contact_id=c.id,
                    contact_name=c.name,
                    organisation=c.organisation,
                    reason=p.reason,
                    met=c.id in met_ids,
                )
                for p, c in s.execute(
                    select(m.EventPersonToMeet, m.Contact)
                    .join(m.Contact, m.Contact.id == m.EventPersonToMeet.contact_id)
                    .where(m.EventPersonToMeet.event_id == event_id)
                    .order_by(m.EventPersonToMeet.id)
                ).all()
            )
            checklist = tuple(
                ChecklistItemRecord(i.id, i.event_id, i.text, i.done, i.position)
                for i in s.scalars(
                    select(m.EventChecklistItem)
                    .where(m.EventChecklistItem.event_id == event_id)
                    .order_by(m.EventChecklistItem.position, m.EventChecklistItem.id)
                )
            )
            pitch = s.get(m.Pitch, event.pitch_id) if event.pitch_id else None
            return EventDetail(
                event=_event_record(event),
                goals=tuple(goals),
                questions=questions,
                people=people,
                checklist=checklist,
                attendees=attendee_records,
                pitch_title=pitch.title if pitch else "",
            )

    @staticmethod
    def _goal_record(
        g: m.EventGoal,
        contact: m.Contact | None,
        attendees: Sequence[Any],
        met_ids: set[int],
    ) -> GoalRecord:
        computed = g.kind in ("meet_new", "talk_to")
        if g.kind == "meet_new":
            industry = fold(g.industry)
            progress = sum(
                1
                for a, c in attendees
                if a.is_new
                and (not industry or industry in fold(c.industry))
                and (not g.relationship or c.relationship == g.relationship)
            )
        elif g.kind == "talk_to":
            progress = 1 if g.contact_id in met_ids else 0
        else:
            progress = g.manual_progress
        return GoalRecord(
            id=g.id,
            event_id=g.event_id,
            kind=g.kind,
            description=g.description,
            target=g.target,
            manual_progress=g.manual_progress,
            contact_id=g.contact_id,
            contact_name=contact.name if contact else "",
            industry=g.industry,
            relationship=g.relationship,
            topic=g.topic,
            position=g.position,
            progress=progress,
            computed=computed,
        )

    def goals(self, event_id: int) -> tuple[GoalRecord, ...]:
        return self.detail(event_id).goals

    def events_for_contact(self, contact_id: int) -> builtins.list[EventPlanRecord]:
        """Events where this contact was met, newest first (for the contact's detail view)."""
        with self.db.session() as s:
            events = s.scalars(
                select(m.EventPlan)
                .join(m.EventAttendee, m.EventAttendee.event_id == m.EventPlan.id)
                .where(m.EventAttendee.contact_id == contact_id)
            )
            records = [_event_record(e) for e in events]
        return sorted(records, key=lambda e: e.starts_local or datetime.min, reverse=True)

    # --- create, update, delete ---------------------------------------------------------

    def create(
        self, name: str, *, starter_checklist: bool = True, **fields: Any
    ) -> tuple[EventPlanRecord, Changes]:
        values = _validated({"name": name, **fields})
        with self.db.session() as s:
            event = m.EventPlan(**values)
            _check_dates(event)
            s.add(event)
            s.flush()
            if starter_checklist:
                s.add_all(
                    m.EventChecklistItem(event_id=event.id, text=text, position=i)
                    for i, text in enumerate(STARTER_CHECKLIST)
                )
            rules = follow_activity(s, [event.organisation_id])
            record = _event_record(event)
        return record, _event_changes(record.id, rules)

    def update(
        self, event_id: int, *, expected_version: int | None = None, **changes: Any
    ) -> tuple[EventPlanRecord, Changes]:
        """Change the plan's own fields; the host's reminders follow.

        With `expected_version` (the version of the copy the user edited) a plan a teammate
        changed since raises ConflictError carrying the current record; nothing is written.
        """
        try:
            return self._update(event_id, expected_version, changes)
        except ConcurrentEditError as exc:
            raise ConflictError(self.get(event_id)) from exc

    def _update(
        self, event_id: int, expected_version: int | None, changes: dict[str, Any]
    ) -> tuple[EventPlanRecord, Changes]:
        values = _validated(changes)
        with self.db.session() as s:
            event = self._event(s, event_id)
            if expected_version is not None and event.version != expected_version:
                raise ConflictError(_event_record(event))
            host_before = event.organisation_id
            pitch_id = values.get("pitch_id")
            if pitch_id is not None and s.get(m.Pitch, pitch_id) is None:
                raise ValidationError("pitch", "That pitch was deleted from the library.")
            changed = False
            for key, value in values.items():
                if getattr(event, key) != value:
                    setattr(event, key, value)
                    changed = True
            _check_dates(event)
            rules = Changes()
            if changed:
                self._bump(event)
                s.flush()
                rules = follow_activity(s, [host_before, event.organisation_id])
            record = _event_record(event)
        return record, _event_changes(event_id, rules)

    def choose_pitch(self, event_id: int, pitch_id: int | None) -> tuple[EventPlanRecord, Changes]:
        """Use a library pitch here: its text is copied, to be tailored for this event."""
        with self.db.session() as s:
            event = self._event(s, event_id)
            if pitch_id is None:
                event.pitch_id = None
            else:
                pitch = s.get(m.Pitch, pitch_id)
                if pitch is None:
                    raise ValidationError("pitch", "That pitch was deleted from the library.")
                event.pitch_id = pitch.id
                event.pitch_text = pitch.text
            self._bump(event)
            record = _event_record(event)
        return record, _event_changes(event_id)

    def delete(self, event_id: int) -> tuple[Rows, Changes]:
        """Delete the plan and everything in it; returns what restore() puts back."""
        with self.db.session() as s:
            event = self._event(s, event_id)
            tables: list[tuple[str, tuple[dict[str, Any], ...]]] = [
                ("event_plans", (_columns(event),))
            ]
            for model in (*_PLAN_CHILDREN, m.EventAttendee):
                rows = tuple(
                    _columns(r) for r in s.scalars(select(model).where(model.event_id == event_id))
                )
                if rows:
                    tables.append((model.__tablename__, rows))
            links: list[tuple[str, int]] = []
            for table, (linked, column) in _LINKS.items():
                ids = s.scalars(select(linked.id).where(getattr(linked, column) == event_id))
                links.extend((table, i) for i in ids)
            host = event.organisation_id
            s.delete(event)
            s.flush()
            rules = follow_activity(s, [host])
        taken = Rows(tables=tuple(tables), links=tuple(links), event_id=event_id)
        return taken, _rows_changes(taken) | rules

    def restore(self, rows: Rows) -> Changes:
        """Put back rows taken out by delete(), unmark_met() or remove_followups()."""
        with self.db.session() as s:
            contact_ids: set[int] = set()
            for table, items in rows.tables:
                s.execute(insert(_MODELS[table]), [dict(r) for r in items])
                if table == "touchpoints":
                    contact_ids.update(r["contact_id"] for r in items)
            if rows.event_id is not None:
                for table, row_id in rows.links:
                    model, column = _LINKS[table]
                    s.execute(
                        update(model).where(model.id == row_id).values({column: rows.event_id})
                    )
                event = s.get(m.EventPlan, rows.event_id)
                if event is not None and rows.tables and rows.tables[0][0] != "event_plans":
                    self._bump(event)
            if contact_ids:
                refresh_touch_dates(s, contact_ids)
            rules = Changes()
            if rows.event_id is not None:
                s.flush()
                rules = follow_activity(s, [s.scalar(_host_of(rows.event_id))])
        return _rows_changes(rows) | rules

    # --- undo of plan edits -------------------------------------------------------------

    def plan_snapshot(self, event_id: int) -> PlanSnapshot:
        with self.db.session() as s:
            event = self._event(s, event_id)
            columns = {k: v for k, v in _columns(event).items() if k in EDITABLE_FIELDS}
            tables = []
            for model in _PLAN_CHILDREN:
                rows = tuple(
                    _columns(r) for r in s.scalars(select(model).where(model.event_id == event_id))
                )
                tables.append((model.__tablename__, rows))
            return PlanSnapshot(event_id, columns, Rows(tables=tuple(tables)))

    def restore_plan(self, snapshot: PlanSnapshot) -> Changes:
        """Set the plan back to a snapshot (undo/redo); the SEQUENCE still moves forward."""
        with self.db.session() as s:
            event = self._event(s, snapshot.event_id)
            if snapshot.columns.get("pitch_id") and s.get(m.Pitch, snapshot.columns["pitch_id"]):
                event.pitch_id = snapshot.columns["pitch_id"]
            for key, value in snapshot.columns.items():
                if key != "pitch_id":
                    setattr(event, key, value)
            if not snapshot.columns.get("pitch_id"):
                event.pitch_id = None
            for model in _PLAN_CHILDREN:
                s.execute(delete(model).where(model.event_id == snapshot.event_id))
            live_contacts = set(s.scalars(select(m.Contact.id)))
            live_questions = set(s.scalars(select(m.Question.id)))
            for table, items in snapshot.rows.tables:
                keep = [
                    dict(r)
                    for r in items
                    if (table != "event_people_to_meet" or r["contact_id"] in live_contacts)
                    and (table != "event_questions" or r["question_id"] in live_questions)
                ]
                if table == "event_goals":
                    for r in keep:
                        if r["contact_id"] not in live_contacts:
                            r["contact_id"] = None
                if keep:
                    s.execute(insert(_MODELS[table]), keep)
            self._bump(event)
            s.flush()
            rules = follow_activity(s, [event.organisation_id])
        return _event_changes(snapshot.event_id, rules)

    # --- goals --------------------------------------------------------------------------

    def add_goal(
        self,
        event_id: int,
        kind: str,
        *,
        target: int = 1,
        description: str = "",
        contact_id: int | None = None,
        industry: str = "",
        relationship: str = "",
        topic: str = "",
        manual_progress: int = 0,
    ) -> tuple[GoalRecord, Changes]:
        with self.db.session() as s:
            event = self._event(s, event_id)
            position = s.scalar(
                select(func.coalesce(func.max(m.EventGoal.position), -1)).where(
                    m.EventGoal.event_id == event_id
                )
            )
            goal = m.EventGoal(event_id=event_id, kind=kind, position=int(position or 0) + 1)
            self._fill_goal(
                s,
                goal,
                dict(
                    target=target,
                    description=description,
                    contact_id=contact_id,
                    industry=industry,
                    relationship=relationship,
                    topic=topic,
                    manual_progress=manual_progress,
                ),
            )
            s.add(goal)
            s.flush()
            self._bump(event)
            goal_id = goal.id
        return self._goal_by_id(event_id, goal_id), _event_changes(event_id)

    def update_goal(self, goal_id: int, **changes: Any) -> tuple[GoalRecord, Changes]:
        with self.db.session() as s:
            goal = self._child(s, m.EventGoal, goal_id)
            if "kind" in changes:
                goal.kind = changes.pop("kind")
            self._fill_goal(s, goal, changes)
            self._bump(self._event(s, goal.event_id))
            event_id = goal.event_id
        return self._goal_by_id(event_id, goal_id), _event_changes(event_id)

    def set_goal_progress(self, goal_id: int, progress: int) -> tuple[GoalRecord, Changes]:
        return self.update_goal(goal_id, manual_progress=progress)

    def remove_goal(self, goal_id: int) -> Changes:
        with self.db.session() as s:
            goal = self._child(s, m.EventGoal, goal_id)
            event_id = goal.event_id
            self._bump(self._event(s, event_id))
            s.delete(goal)
        return _event_changes(event_id)

    def _goal_by_id(self, event_id: int, goal_id: int) -> GoalRecord:
        for goal in self.goals(event_id):
            if goal.id == goal_id:
                return goal
        raise NotFoundError("That goal was removed meanwhile.")

    @staticmethod
    def _fill_goal(s: Session, goal: m.EventGoal, values: dict[str, Any]) -> None:
        if goal.kind not in GOAL_KINDS:
            raise ValidationError("kind", "Choose one of the listed kinds of goal.")
        for key in ("description", "industry", "topic"):
            if key in values:
                setattr(goal, key, " ".join(str(values[key] or "").split()))
        if "relationship" in values:
            rel = values["relationship"] or ""
            if rel and rel not in RELATIONSHIPS:
                raise ValidationError("relationship", "Choose one of the listed relationships.")
            goal.relationship = rel
        if "contact_id" in values:
            goal.contact_id = values["contact_id"]
        if "target" in values:
            target = values["target"]
            if not isinstance(target, int) or target < 1:
                raise ValidationError("target", "The target must be 1 or more.")
            goal.target = target
        if "manual_progress" in values:
            progress = values["manual_progress"]
            if not isinstance(progress, int) or progress < 0:
                raise ValidationError("progress", "Progress cannot be negative.")
            goal.manual_progress = progress
        if goal.kind == "talk_to":
            if goal.contact_id is None or s.get(m.Contact, goal.contact_id) is None:
                raise ValidationError("contact", "Choose the contact you want to talk to.")
            goal.target = 1
        if goal.kind == "learn_about" and not (goal.topic or goal.description):
            raise ValidationError("topic", "Say what you want to learn about.")
        if goal.kind == "custom" and not goal.description:
            raise ValidationError("description", "Describe the goal.")
        if goal.kind != "talk_to":
            goal.contact_id = None
        goal.target = goal.target or 1
        goal.manual_progress = goal.manual_progress or 0

    # --- questions ----------------------------------------------------------------------

    def set_questions(self, event_id: int, question_ids: Iterable[int]) -> Changes:
        """The questions picked for this event, in this order."""
        ids = list(dict.fromkeys(question_ids))
        with self.db.session() as s:
            event = self._event(s, event_id)
            known = set(s.scalars(select(m.Question.id).where(m.Question.id.in_(ids))))
            s.execute(delete(m.EventQuestion).where(m.EventQuestion.event_id == event_id))
            s.add_all(
                m.EventQuestion(event_id=event_id, question_id=q, position=i)
                for i, q in enumerate(q for q in ids if q in known)
            )
            self._bump(event)
        return _event_changes(event_id)

    # --- people to meet -----------------------------------------------------------------

    def add_person(
        self, event_id: int, contact_id: int, reason: str = ""
    ) -> tuple[PersonToMeetRecord, Changes]:
        with self.db.session() as s:
            event = self._event(s, event_id)
            contact = s.get(m.Contact, contact_id)
            if contact is None:
                raise ValidationError("contact", "That contact no longer exists.")
            exists = s.scalar(
                select(m.EventPersonToMeet.id).where(
                    m.EventPersonToMeet.event_id == event_id,
                    m.EventPersonToMeet.contact_id == contact_id,
                )
            )
            if exists:
                raise ValidationError("contact", f"{contact.name} is already on the list.")
            row = m.EventPersonToMeet(event_id=event_id, contact_id=contact_id, reason=reason)
            s.add(row)
            s.flush()
            self._bump(event)
            met = s.scalar(
                select(m.EventAttendee.id).where(
                    m.EventAttendee.event_id == event_id, m.EventAttendee.contact_id == contact_id
                )
            )
            record = PersonToMeetRecord(
                row.id, event_id, contact_id, contact.name, contact.organisation, reason, bool(met)
            )
        return record, _event_changes(event_id)

    def update_person(self, person_id: int, reason: str) -> Changes:
        with self.db.session() as s:
            row = self._child(s, m.EventPersonToMeet, person_id)
            row.reason = reason.strip()
            event_id = row.event_id
            self._bump(self._event(s, event_id))
        return _event_changes(event_id)

    def remove_person(self, person_id: int) -> Changes:
        with self.db.session() as s:
            row = self._child(s, m.EventPersonToMeet, person_id)
            event_id = row.event_id
            self._bump(self._event(s, event_id))
            s.delete(row)
        return _event_changes(event_id)

    # --- checklist ----------------------------------------------------------------------

    def add_checklist_item(self, event_id: int, text: str) -> tuple[ChecklistItemRecord, Changes]:
        text = " ".join(text.split())
        if not text:
            raise ValidationError("text", "Type what needs doing.")
        with self.db.session() as s:
            event = self._event(s, event_id)
            position = s.scalar(
                select(func.coalesce(func.max(m.EventChecklistItem.position), -1)).where(
                    m.EventChecklistItem.event_id == event_id
                )
            )
            item = m.EventChecklistItem(
                event_id=event_id, text=text, done=False, position=int(position or 0) + 1
            )
            s.add(item)
            s.flush()
            self._bump(event)
            record = ChecklistItemRecord(item.id, event_id, text, False, item.position)
        return record, _event_changes(event_id)

    def update_checklist_item(
        self, item_id: int, *, text: str | None = None, done: bool | None = None
    ) -> tuple[ChecklistItemRecord, Changes]:
        with self.db.session() as s:
            item = self._child(s, m.EventChecklistItem, item_id)
            if text is not None:
                text = " ".join(text.split())
                if not text:
                    raise ValidationError("text", "Type what needs doing, or remove the item.")
                item.text = text
            if done is not None:
                item.done = bool(done)
            self._bump(self._event(s, item.event_id))
            record = ChecklistItemRecord(
                item.id, item.event_id, item.text, item.done, item.position
            )
        return record, _event_changes(record.event_id)

    def remove_checklist_item(self, item_id: int) -> Changes:
        with self.db.session() as s:
            item = self._child(s, m.EventChecklistItem, item_id)
            event_id = item.event_id
            self._bump(self._event(s, event_id))
            s.delete(item)
        return _event_changes(event_id)

    # --- at the event -------------------------------------------------------------------

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
            created = False
            if contact_id is not None:
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
                    raise ValidationError(
                        "contact", f"{contact.name} is already marked as met at this event."
                    )
                earlier = s.scalar(
                    select(func.count(m.Touchpoint.id)).where(
                        m.Touchpoint.contact_id == contact_id, m.Touchpoint.occurred_on < day
                    )
                )
                is_new = not earlier
            else:
                fields = parse_quick_add(quick_add)
                if not fields.name:
                    raise ValidationError(
                        "quick_add", "Type at least a name, e.g. “Ana Ruiz, Globex, Head of Data”."
                    )
                rel = fields.relationship or relationship or "other"
                if rel not in RELATIONSHIPS:
                    raise ValidationError("relationship", "Choose one of the listed relationships.")
                contact = new_contact(
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
                created = True
                is_new = True
            touch = m.Touchpoint(
                contact_id=contact.id,
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
                contact_id=contact.id,
                note=note,
                is_new=is_new,
                touchpoint_id=touch.id,
            )
            s.add(attendee)
            s.flush()
            refresh_touch_dates(s, [contact.id])
            self._bump(event)
            rules = follow_activity(s, [event.organisation_id])
            result = MetResult(attendee.id, contact.id, touch.id, created, is_new)
        changed = Changes.of(contacts=[result.contact_id], touchpoints=[result.touchpoint_id])
        return result, _event_changes(event_id, rules) | changed

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
                tables.append(("contacts", (_columns(contact),)))
                for model in (m.ContactEmail, m.ContactPhone, m.ContactUrl, m.ContactTag):
                    rows = tuple(
                        _columns(r)
                        for r in s.scalars(select(model).where(model.contact_id == contact.id))
                    )
                    if rows:
                        tables.append((model.__tablename__, rows))
            touch = s.get(m.Touchpoint, attendee.touchpoint_id) if attendee.touchpoint_id else None
            if touch is not None:
                tables.append(("touchpoints", (_columns(touch),)))
            tables.append(("event_attendees", (_columns(attendee),)))
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
        return taken, _rows_changes(taken) | rules

    # --- follow-ups ---------------------------------------------------------------------

    def create_followups(
        self, event_id: int, days_after: int, today: date | None = None
    ) -> tuple[builtins.list[FollowUpRecord], Changes]:
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
            snapshot = Rows(tables=(("follow_ups", tuple(_columns(r) for r in rows)),))
            for r in rows:
                s.delete(r)
        return snapshot, _rows_changes(snapshot)


@dataclass(frozen=True)
class ContactChoice:
    id: int
    name: str
    organisation: str = ""
    role: str = ""


def find_contacts(db: Database, text: str, limit: int = 100) -> list[ContactChoice]:
    """Contacts whose folded search text holds every typed word, for the pickers."""
    words = [
        w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in fold(text).split()
    ]
    query = select(m.Contact)
    for word in words:
        query = query.where(m.Contact.search_text.like(f"%{word}%", escape="\\"))
    # The folded name leads search_text: people whose name starts so come first.
    if words:
        first = case((m.Contact.search_text.like(f"{words[0]}%", escape="\\"), 0), else_=1)
        query = query.order_by(first)
    query = query.order_by(m.Contact.name).limit(limit)
    with db.session() as s:
        return [ContactChoice(c.id, c.name, c.organisation, c.role) for c in s.scalars(query)]
