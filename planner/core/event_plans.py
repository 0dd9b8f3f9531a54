"""Event plans themselves: listing, reading, creating, editing and deleting them, and setting
a plan back to a snapshot (undo). Every change bumps the plan's iCalendar SEQUENCE."""

from __future__ import annotations

import builtins
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select

from planner.core.changes import Changes
from planner.core.errors import ConflictError, ValidationError
from planner.core.event_detail import read_detail
from planner.core.event_fields import EDITABLE_FIELDS, check_dates, validated
from planner.core.event_records import (
    EventDetail,
    EventListRow,
    GoalRecord,
    PlanSnapshot,
    Rows,
    event_record,
)
from planner.core.event_service_base import (
    LINKS,
    MODELS,
    PLAN_CHILDREN,
    EventServiceBase,
    columns_of,
    event_changes,
    rows_changes,
)
from planner.core.organisations import follow_activity
from planner.core.records import EventPlanRecord
from planner.core.text import fold
from planner.db import models as m
from planner.db.errors import ConcurrentEditError
from planner.db.starter import STARTER_CHECKLIST


class EventPlans(EventServiceBase):
    """The plans: list, read, create, update, delete, snapshot and restore."""

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
            return event_record(self._event(s, event_id))

    def detail(self, event_id: int) -> EventDetail:
        with self.db.session() as s:
            return read_detail(s, self._event(s, event_id))

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
            records = [event_record(e) for e in events]
        return sorted(records, key=lambda e: e.starts_local or datetime.min, reverse=True)

    # --- create, update, delete ---------------------------------------------------------

    def create(
        self, name: str, *, starter_checklist: bool = True, **fields: Any
    ) -> tuple[EventPlanRecord, Changes]:
        values = validated({"name": name, **fields})
        with self.db.session() as s:
            event = m.EventPlan(**values)
            check_dates(event)
            s.add(event)
            s.flush()
            if starter_checklist:
                s.add_all(
                    m.EventChecklistItem(event_id=event.id, text=text, position=i)
                    for i, text in enumerate(STARTER_CHECKLIST)
                )
            rules = follow_activity(s, [event.organisation_id])
            record = event_record(event)
        return record, event_changes(record.id, rules)

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
        values = validated(changes)
        with self.db.session() as s:
            event = self._event(s, event_id)
            if expected_version is not None and event.version != expected_version:
                raise ConflictError(event_record(event))
            host_before = event.organisation_id
            pitch_id = values.get("pitch_id")
            if pitch_id is not None and s.get(m.Pitch, pitch_id) is None:
                raise ValidationError("pitch", "That pitch was deleted from the library.")
            changed = False
            for key, value in values.items():
                if getattr(event, key) != value:
                    setattr(event, key, value)
                    changed = True
            check_dates(event)
            rules = Changes()
            if changed:
                self._bump(event)
                s.flush()
                rules = follow_activity(s, [host_before, event.organisation_id])
            record = event_record(event)
        return record, event_changes(event_id, rules)

    def delete(self, event_id: int) -> tuple[Rows, Changes]:
        """Delete the plan and everything in it; returns what restore() puts back."""
        with self.db.session() as s:
            event = self._event(s, event_id)
            tables: list[tuple[str, tuple[dict[str, Any], ...]]] = [
                ("event_plans", (columns_of(event),))
            ]
            for model in (*PLAN_CHILDREN, m.EventAttendee):
                rows = tuple(
                    columns_of(r)
                    for r in s.scalars(select(model).where(model.event_id == event_id))
                )
                if rows:
                    tables.append((model.__tablename__, rows))
            links: list[tuple[str, int]] = []
            for table, (linked, column) in LINKS.items():
                ids = s.scalars(select(linked.id).where(getattr(linked, column) == event_id))
                links.extend((table, i) for i in ids)
            host = event.organisation_id
            s.delete(event)
            s.flush()
            rules = follow_activity(s, [host])
        taken = Rows(tables=tuple(tables), links=tuple(links), event_id=event_id)
        return taken, rows_changes(taken) | rules

    # --- undo of plan edits -------------------------------------------------------------

    def plan_snapshot(self, event_id: int) -> PlanSnapshot:
        with self.db.session() as s:
            event = self._event(s, event_id)
            columns = {k: v for k, v in columns_of(event).items() if k in EDITABLE_FIELDS}
            tables = []
            for model in PLAN_CHILDREN:
                rows = tuple(
                    columns_of(r)
                    for r in s.scalars(select(model).where(model.event_id == event_id))
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
            for model in PLAN_CHILDREN:
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
                    s.execute(insert(MODELS[table]), keep)
            self._bump(event)
            s.flush()
            rules = follow_activity(s, [event.organisation_id])
        return event_changes(snapshot.event_id, rules)
