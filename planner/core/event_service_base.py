"""What every part of EventService shares: the database, finding an event or one of its rows,
moving its iCalendar SEQUENCE, and taking rows out to put them back exactly on undo."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from planner.core.changes import Changes
from planner.core.contact_rows import refresh_touch_dates
from planner.core.errors import NotFoundError
from planner.core.event_records import Rows
from planner.core.organisations import follow_activity
from planner.db import models as m
from planner.db.database import Database
from planner.db.types import utcnow

# The tables rows are taken out of (and put back into), by name.
MODELS: dict[str, type[Any]] = {
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
        m.ContactAddress,
        m.ContactTag,
        m.Touchpoint,
        m.FollowUp,
    )
}
PLAN_CHILDREN = (m.EventGoal, m.EventQuestion, m.EventPersonToMeet, m.EventChecklistItem)
LINKS: dict[str, tuple[type[Any], str]] = {
    "touchpoints": (m.Touchpoint, "event_id"),
    "contacts": (m.Contact, "how_met_event_id"),
    "follow_ups": (m.FollowUp, "event_id"),
}


def columns_of(obj: Any) -> dict[str, Any]:
    """An ORM row's columns, to insert it again as it was."""
    return {attr.key: getattr(obj, attr.key) for attr in obj.__mapper__.column_attrs}


def rows_changes(rows: Rows) -> Changes:
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


def event_changes(event_id: int, rules: Changes | None = None) -> Changes:
    """The event changed, plus what the rules that followed changed."""
    changed = Changes.of(events=[event_id])
    return changed | rules if rules is not None else changed


def host_of(event_id: int) -> Any:
    """The organisation hosting an event (its activity counts the event)."""
    return select(m.EventPlan.organisation_id).where(m.EventPlan.id == event_id)


class EventServiceBase:
    """The database and helpers the event services share (see planner.core.events)."""

    def __init__(self, db: Database, default_cadence: dict[str, int | None] | None = None) -> None:
        self.db = db
        self.default_cadence = default_cadence or {}

    @staticmethod
    def _event(s: Session, event_id: int) -> m.EventPlan:
        event = s.get(m.EventPlan, event_id)
        if event is None:
            raise NotFoundError(f"Event {event_id} no longer exists.")
        return event

    @staticmethod
    def _bump(event: m.EventPlan) -> None:
        """Every change to a plan moves its iCalendar SEQUENCE (calendars take the update)."""
        event.sequence = (event.sequence or 0) + 1
        event.updated_at = utcnow()

    @staticmethod
    def _child(s: Session, model: type[Any], row_id: int) -> Any:
        row = s.get(model, row_id)
        if row is None:
            raise NotFoundError("That item was removed meanwhile.")
        return row

    def _remove_child(self, model: type[Any], row_id: int) -> Changes:
        """Delete one row of a plan (a goal, a person to meet, a checklist item) and move
        the plan's SEQUENCE, in one transaction."""
        with self.db.session() as s:
            row = self._child(s, model, row_id)
            event_id = int(row.event_id)
            self._bump(self._event(s, event_id))
            s.delete(row)
        return event_changes(event_id)

    def restore(self, rows: Rows) -> Changes:
        """Put back rows taken out by delete(), unmark_met() or remove_followups()."""
        with self.db.session() as s:
            contact_ids: set[int] = set()
            for table, items in rows.tables:
                s.execute(insert(MODELS[table]), [dict(r) for r in items])
                if table == "touchpoints":
                    contact_ids.update(r["contact_id"] for r in items)
            if rows.event_id is not None:
                for table, row_id in rows.links:
                    model, column = LINKS[table]
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
                rules = follow_activity(s, [s.scalar(host_of(rows.event_id))])
        return rows_changes(rows) | rules
