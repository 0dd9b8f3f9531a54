"""Follow-ups: create, change, complete, snooze, and the calendar's aggregate queries.

Every change bumps `follow_ups.sequence` by one: the iCalendar export uses it as SEQUENCE so a
calendar app replaces the old copy of a reminder instead of keeping both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Boolean,
    String,
    and_,
    bindparam,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from planner.core import scheduling
from planner.core.changes import Changes
from planner.core.contact_rows import refresh_touch_dates
from planner.core.errors import ConflictError, NotFoundError, ValidationError
from planner.core.records import FollowUpRecord
from planner.core.text import fold
from planner.core.visibility import SHARED, clean_visibility, contact_visible, viewer
from planner.core.vocab import CHANNELS, FOLLOWUP_ORIGINS, TOUCH_KINDS
from planner.db import models as m
from planner.db.database import Database
from planner.db.errors import ConcurrentEditError
from planner.db.types import utcnow

OPEN = "open"
DONE = "done"
CANCELLED = "cancelled"
DEFAULT_TOUCH_CHANNEL = "message"
_ONE_DAY = timedelta(days=1)
CADENCE_PURPOSE = "Keep in touch"


@dataclass(frozen=True)
class FollowUpDraft:
    """What a person fills in for a follow-up; the service validates and stores it."""

    contact_id: int | None
    due_date: date
    due_time: time | None = None
    time_zone: str = ""
    channel: str = ""
    purpose: str = ""
    notes: str = ""
    origin: str = "manual"
    event_id: int | None = None
    # Team mode: who is to do it (None: the current user for a new one, unchanged on edit)
    # and who may see it (None: "shared" for a new one, unchanged on edit).
    owner: str | None = None
    visibility: str | None = None


@dataclass(frozen=True)
class AgendaItem:
    """A follow-up with the names a list shows beside it (contact may be None)."""

    followup: FollowUpRecord
    contact_name: str = ""
    organisation: str = ""

    @property
    def id(self) -> int:
        return self.followup.id


@dataclass(frozen=True)
class DayCount:
    open: int = 0
    done: int = 0
    events: int = 0


@dataclass(frozen=True)
class LosingTouchItem:
    contact_id: int
    name: str
    organisation: str
    cadence_days: int
    last_touch_on: date | None
    next_touch_due: date
    days_lapsed: int


@dataclass(frozen=True)
class Completion:
    """What completing did, so undo can take exactly that back."""

    followup: FollowUpRecord
    touchpoint_id: int | None
    next_followup: FollowUpRecord | None


@dataclass(frozen=True)
class ContactChoice:
    id: int
    name: str
    organisation: str = ""
    cadence_days: int | None = None


def followup_record(fu: m.FollowUp) -> FollowUpRecord:
    """The frozen snapshot of a follow-up row; every service that returns follow-ups uses it."""
    return FollowUpRecord(
        id=fu.id,
        uuid=fu.uuid,
        contact_id=fu.contact_id,
        due_date=fu.due_date,
        due_time=fu.due_time,
        time_zone=fu.time_zone or "",
        channel=fu.channel or "",
        purpose=fu.purpose or "",
        notes=fu.notes or "",
        status=fu.status,
        origin=fu.origin,
        event_id=fu.event_id,
        sequence=fu.sequence or 0,
        completed_at=fu.completed_at,
        created_at=fu.created_at,
        updated_at=fu.updated_at,
        version=fu.version or 1,
        owner=fu.owner or "",
        visibility=fu.visibility or SHARED,
        created_by=fu.created_by or "",
        updated_by=fu.updated_by or "",
    )


# Columns read for list rows: plain tuples, not ORM objects, so a month of rows loads fast.
_ROW_COLUMNS = (
    m.FollowUp.id,
    m.FollowUp.uuid,
    m.FollowUp.contact_id,
    m.FollowUp.due_date,
    m.FollowUp.due_time,
    m.FollowUp.time_zone,
    m.FollowUp.channel,
    m.FollowUp.purpose,
    m.FollowUp.notes,
    m.FollowUp.status,
    m.FollowUp.origin,
    m.FollowUp.event_id,
    m.FollowUp.sequence,
    m.FollowUp.completed_at,
    m.Contact.name,
    m.Contact.organisation,
    m.FollowUp.owner,
    m.FollowUp.visibility,
    m.FollowUp.created_by,
)

# Whose is what (see core.visibility), for the prebuilt queries below: pass
# visible_params(db) with them. A private follow-up shows to its creator and its owner.
_VISIBLE = or_(
    bindparam("everyone", type_=Boolean),
    m.FollowUp.visibility != "private",
    m.FollowUp.created_by == bindparam("viewer", type_=String),
    m.FollowUp.owner == bindparam("viewer", type_=String),
)


def visible_params(db: Database) -> dict[str, Any]:
    """Bind values for `_VISIBLE`: everyone sees everything on a single-user file."""
    user = viewer(db)
    return {"everyone": not user, "viewer": user}


MINE = "mine"
TEAM = "team"
SCOPES = {MINE: "My follow-ups", TEAM: "Team"}


def mine_clause(me: Any) -> Any:
    """WHERE clause: follow-ups `me` owns (one nobody owns yet counts as its creator's)."""
    return or_(
        m.FollowUp.owner == me,
        and_(m.FollowUp.owner == "", m.FollowUp.created_by == me),
    )


# The calendar's "My follow-ups": the user's own (bound as `me`, see scope_params).
_MINE = mine_clause(bindparam("me", type_=String))


def _item(row: Any) -> AgendaItem:
    return AgendaItem(
        FollowUpRecord(
            id=row[0],
            uuid=row[1],
            contact_id=row[2],
            due_date=row[3],
            due_time=row[4],
            time_zone=row[5] or "",
            channel=row[6] or "",
            purpose=row[7] or "",
            notes=row[8] or "",
            status=row[9],
            origin=row[10],
            event_id=row[11],
            sequence=row[12] or 0,
            completed_at=row[13],
            owner=row[16] or "",
            visibility=row[17] or SHARED,
            created_by=row[18] or "",
        ),
        row[14] or "",
        row[15] or "",
    )


def _rows_query() -> Any:
    return select(*_ROW_COLUMNS).outerjoin(m.Contact, m.Contact.id == m.FollowUp.contact_id)


def _order(query: Any) -> Any:
    # NULL times (all-day) first within a day; id keeps the order stable.
    return query.order_by(
        m.FollowUp.due_date, m.FollowUp.due_time.is_not(None), m.FollowUp.due_time, m.FollowUp.id
    )


# Hot calendar queries, built once with bound parameters (building a select costs about as
# much as running it on a warm index). Each comes in two forms: the team's (every follow-up
# the user may see) and "mine" (only the user's own); the team form carries no ownership test,
# so switching months in the usual view reads the (status, due_date) index alone.
def _list_range(mine: bool) -> Any:
    page = (
        _order(
            select(m.FollowUp.id).where(
                m.FollowUp.status.in_(bindparam("statuses", expanding=True)),
                m.FollowUp.due_date >= bindparam("start"),
                m.FollowUp.due_date <= bindparam("end"),
                _VISIBLE,
                *([_MINE] if mine else []),
            )
        )
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
        .scalar_subquery()
    )
    # Page over follow-ups alone, then join the contact names for just that page: a busy
    # week has thousands of rows and the join would otherwise run for all of them.
    return _order(_rows_query().where(m.FollowUp.id.in_(page)))


def _count_by_day(mine: bool) -> Any:
    return (
        select(m.FollowUp.due_date, func.count())
        .where(
            m.FollowUp.status == bindparam("status"),
            m.FollowUp.due_date >= bindparam("start"),
            m.FollowUp.due_date <= bindparam("end"),
            _VISIBLE,
            *([_MINE] if mine else []),
        )
        .group_by(m.FollowUp.due_date)
    )


_LIST_RANGE = {mine: _list_range(mine) for mine in (False, True)}
_COUNT_BY_DAY = {mine: _count_by_day(mine) for mine in (False, True)}
# Events that overlap the range: a three-day conference shows on each of its days.
_EVENTS_BETWEEN = (
    select(
        m.EventPlan.id,
        m.EventPlan.name,
        m.EventPlan.starts_local,
        m.EventPlan.ends_local,
        m.EventPlan.all_day,
    )
    .where(
        m.EventPlan.starts_local <= bindparam("to"),
        or_(
            m.EventPlan.starts_local >= bindparam("from"),
            m.EventPlan.ends_local >= bindparam("from"),
        ),
    )
    .order_by(m.EventPlan.starts_local)
)


@dataclass(frozen=True)
class CalendarEvent:
    """An event plan as the calendar shows it: on every day from `first_day` to `last_day`."""

    id: int
    name: str
    starts: datetime
    ends: datetime | None
    all_day: bool

    @property
    def first_day(self) -> date:
        return self.starts.date()

    @property
    def last_day(self) -> date:
        if self.ends is None or self.ends <= self.starts:
            return self.first_day
        last = self.ends.date()
        # A timed event that ends at midnight does not spill into that day.
        if not self.all_day and self.ends.time() == time.min and last > self.first_day:
            last -= timedelta(days=1)
        return last

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def days_in(self, start: date, end: date) -> list[date]:
        first, last = max(self.first_day, start), min(self.last_day, end)
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _calendar_events(conn: Any, start: date, end: date) -> list[CalendarEvent]:
    bounds = {"from": datetime.combine(start, time.min), "to": datetime.combine(end, time.max)}
    return [
        CalendarEvent(r[0], r[1], r[2], r[3], bool(r[4]))
        for r in conn.execute(_EVENTS_BETWEEN, bounds)
        if r[2] is not None
    ]


def _changes(records: Iterable[FollowUpRecord]) -> Changes:
    """Follow-ups touched, and their contacts (a contact's page lists its follow-ups)."""
    listed = list(records)
    return Changes.of(
        follow_ups=[r.id for r in listed],
        contacts={r.contact_id for r in listed if r.contact_id is not None},
    )


def _completion_changes(done: Iterable[Completion]) -> Changes:
    """A completion touches the follow-up, the touchpoint it logged, the next one by cadence
    and the contact (its last touch and next touch due move)."""
    listed = list(done)
    followups = [c.followup for c in listed]
    followups += [c.next_followup for c in listed if c.next_followup is not None]
    return _changes(followups) | Changes.of(
        touchpoints=[c.touchpoint_id for c in listed if c.touchpoint_id is not None]
    )


# What `restore` leaves alone: identity, bookkeeping and the row's version.
_NOT_RESTORED = frozenset(
    {"id", "uuid", "sequence", "created_at", "updated_at", "version", "updated_by"}
)


def _activity_at(s: Session, fu: m.FollowUp) -> list[int | None]:
    """Organisations whose activity a follow-up counts for: its own (a done nudge) and the
    host of its event (the touchpoint completing it is at that event)."""
    orgs = [fu.organisation_id]
    if fu.event_id is not None:
        orgs.append(
            s.scalar(select(m.EventPlan.organisation_id).where(m.EventPlan.id == fu.event_id))
        )
    return orgs


def follow_activity(s: Session, organisation_ids: Iterable[int | None]) -> Changes:
    """The organisation reminder rule (imported late: organisations imports this module)."""
    from planner.core.organisations import follow_activity as rule

    return rule(s, organisation_ids)


class FollowUpService:
    """One short transaction per call; returns frozen records, never ORM objects."""

    def __init__(self, db: Database, local_zone: ZoneInfo | None = None, scope: str = TEAM) -> None:
        self.db = db
        self.local_zone = local_zone
        # "team": every follow-up the user may see; "mine": only the ones the user owns.
        # Applies to the calendar's lists and counts (month, agenda, overdue, notifications).
        self.scope = scope

    def scope_params(self) -> dict[str, Any]:
        """Bind values for the prebuilt queries: who is looking, and which follow-ups."""
        return {**visible_params(self.db), "me": viewer(self.db)}

    @property
    def mine_only(self) -> bool:
        """Only the user's own follow-ups: "My follow-ups" on a team database (on a
        single-user file, with no user name, every follow-up is the user's own)."""
        return self.scope == MINE and bool(viewer(self.db))

    def _scope_filter(self) -> list[Any]:
        return [_MINE] if self.mine_only else []

    def me(self) -> str:
        """Who "my follow-ups" belong to ("" on a single-user file: all of them)."""
        return viewer(self.db)

    def team_members(self) -> list[str]:
        """Names a follow-up can be given to: the user and everyone who has made or owns a
        follow-up or a contact here, in alphabetical order."""
        names = {viewer(self.db)}
        with self.db.session() as s:
            for column in (m.FollowUp.owner, m.FollowUp.created_by, m.Contact.created_by):
                names.update(n for n in s.scalars(select(column).distinct()) if n)
        return sorted((n for n in names if n), key=str.casefold)

    # --- validation -----------------------------------------------------------------

    def _validate(self, s: Session, draft: FollowUpDraft) -> None:
        if not isinstance(draft.due_date, date):
            raise ValidationError("due_date", "Choose the day the follow-up is due.")
        if draft.channel and draft.channel not in CHANNELS:
            raise ValidationError("channel", f"Unknown channel {draft.channel!r}.")
        if draft.origin not in FOLLOWUP_ORIGINS:
            raise ValidationError("origin", f"Unknown origin {draft.origin!r}.")
        if draft.time_zone and not scheduling.is_known_zone(draft.time_zone):
            raise ValidationError("time_zone", f"{draft.time_zone} is not a known time zone.")
        if draft.contact_id is None:
            if not draft.purpose.strip():
                raise ValidationError(
                    "purpose", "Say what the follow-up is for when no contact is chosen."
                )
        elif s.get(m.Contact, draft.contact_id) is None:
            raise ValidationError("contact_id", "That contact no longer exists.")

    def _get(self, s: Session, followup_id: int) -> m.FollowUp:
        fu = s.get(m.FollowUp, followup_id)
        if fu is None:
            raise NotFoundError(f"Follow-up {followup_id} no longer exists.")
        return fu

    def _owner(self, owner: str | None) -> str:
        """Who is to do it: the named teammate, or the current user."""
        name = " ".join((owner if owner is not None else self.db.user or "").split())
        if len(name) > 200:
            raise ValidationError("owner", "Keep the owner's name under 200 letters.")
        return name

    @staticmethod
    def _bump(fu: m.FollowUp) -> None:
        fu.sequence = (fu.sequence or 0) + 1
        fu.updated_at = utcnow()

    # --- single follow-ups ----------------------------------------------------------
    #
    # Every write is one transaction and returns its record(s) with the `Changes` it made;
    # the rules that follow (the next follow-up by cadence, organisation nudges) run inside it.

    def create(self, draft: FollowUpDraft) -> tuple[FollowUpRecord, Changes]:
        with self.db.session() as s:
            record = self._create(s, draft)
            return record, _changes([record])

    def _create(self, s: Session, draft: FollowUpDraft) -> FollowUpRecord:
        self._validate(s, draft)
        fu = m.FollowUp(
            contact_id=draft.contact_id,
            due_date=draft.due_date,
            due_time=draft.due_time,
            time_zone=draft.time_zone if draft.due_time is not None else "",
            channel=draft.channel,
            purpose=draft.purpose.strip(),
            notes=draft.notes,
            status=OPEN,
            origin=draft.origin,
            event_id=draft.event_id,
            sequence=0,
            owner=self._owner(draft.owner),
            visibility=clean_visibility(draft.visibility or SHARED),
        )
        s.add(fu)
        s.flush()
        return followup_record(fu)

    def get(self, followup_id: int) -> FollowUpRecord:
        with self.db.session() as s:
            return followup_record(self._get(s, followup_id))

    def item(self, followup_id: int) -> AgendaItem:
        with self.db.session() as s:
            row = s.execute(_rows_query().where(m.FollowUp.id == followup_id)).first()
            if row is None:
                raise NotFoundError(f"Follow-up {followup_id} no longer exists.")
            return _item(row)

    def update(
        self,
        followup_id: int,
        draft: FollowUpDraft,
        *,
        expected_version: int | None = None,
    ) -> tuple[FollowUpRecord, Changes]:
        """Save an edited follow-up in one transaction.

        With `expected_version` (the version of the copy the user edited) a follow-up that
        someone else changed since raises ConflictError carrying the current record, instead
        of silently overwriting their change; a change committed between this read and this
        write is caught by the row's version too.
        """
        try:
            with self.db.session() as s:
                fu = self._get(s, followup_id)
                if expected_version is not None and fu.version != expected_version:
                    raise ConflictError(followup_record(fu))
                self._validate(s, draft)
                before = fu.contact_id
                fu.contact_id = draft.contact_id
                if (fu.due_date, fu.due_time) != (draft.due_date, draft.due_time):
                    fu.notified_at = None
                fu.due_date = draft.due_date
                fu.due_time = draft.due_time
                fu.time_zone = draft.time_zone if draft.due_time is not None else ""
                fu.channel = draft.channel
                fu.purpose = draft.purpose.strip()
                fu.notes = draft.notes
                fu.origin = draft.origin
                fu.event_id = draft.event_id
                if draft.owner is not None:
                    fu.owner = self._owner(draft.owner)
                if draft.visibility is not None:
                    fu.visibility = clean_visibility(draft.visibility)
                self._bump(fu)
                s.flush()
                record = followup_record(fu)
                return record, _changes([record]) | Changes.of(
                    contacts=[before] if before is not None else []
                )
        except ConcurrentEditError as exc:
            raise ConflictError(self.get(followup_id)) from exc

    def _reschedule(self, s: Session, followup_id: int, new_date: date) -> FollowUpRecord:
        fu = self._get(s, followup_id)
        if fu.status != OPEN:
            raise ValidationError("status", "Only an open follow-up can be rescheduled.")
        fu.due_date, fu.due_time = scheduling.shift_due(
            fu.due_date, fu.due_time, (new_date - fu.due_date).days
        )
        fu.notified_at = None
        self._bump(fu)
        s.flush()
        return followup_record(fu)

    def reschedule(self, followup_id: int, new_date: date) -> tuple[FollowUpRecord, Changes]:
        """Move to another day, keeping the wall-clock time and zone."""
        records, changes = self.reschedule_many([followup_id], new_date)
        return records[0], changes

    def reschedule_many(
        self, followup_ids: Sequence[int], new_date: date
    ) -> tuple[list[FollowUpRecord], Changes]:
        """Move several to one day in one transaction: all of them or none."""
        with self.db.session() as s:
            records = [self._reschedule(s, i, new_date) for i in followup_ids]
            return records, _changes(records)

    def snooze(
        self, followup_id: int, kind: str, today: date, first_day_of_week: int = 1
    ) -> tuple[FollowUpRecord, Changes]:
        records, changes = self.snooze_many([followup_id], kind, today, first_day_of_week)
        return records[0], changes

    def snooze_many(
        self, followup_ids: Sequence[int], kind: str, today: date, first_day_of_week: int = 1
    ) -> tuple[list[FollowUpRecord], Changes]:
        """Snooze each from its own due day ("until tomorrow", "next week"), one transaction."""
        if kind not in scheduling.SNOOZE_CHOICES:
            raise ValidationError("snooze", f"Unknown snooze {kind!r}.")
        with self.db.session() as s:
            records = []
            for followup_id in followup_ids:
                due = self._get(s, followup_id).due_date
                target = scheduling.snooze_target(kind, due, today, first_day_of_week)
                records.append(self._reschedule(s, followup_id, target))
            return records, _changes(records)

    def cancel(self, followup_id: int) -> tuple[FollowUpRecord, Changes]:
        records, changes = self.cancel_many([followup_id])
        return records[0], changes

    def cancel_many(self, followup_ids: Sequence[int]) -> tuple[list[FollowUpRecord], Changes]:
        """Cancel (kept, so a calendar export can cancel its copy too), one transaction."""
        with self.db.session() as s:
            records = []
            for followup_id in followup_ids:
                fu = self._get(s, followup_id)
                if fu.status != OPEN:
                    raise ValidationError("status", "Only an open follow-up can be cancelled.")
                fu.status = CANCELLED
                self._bump(fu)
                s.flush()
                records.append(followup_record(fu))
            return records, _changes(records)

    def complete(
        self,
        followup_id: int,
        today: date,
        kind: str = "caught_up",
        note: str | None = None,
        channel: str | None = None,
    ) -> tuple[Completion, Changes]:
        """Mark done, log the touchpoint it was (what happened: kind, channel, note; the
        follow-up's own channel and purpose by default), and schedule the next by cadence."""
        done, changes = self.complete_many([followup_id], today, kind, note, channel)
        return done[0], changes

    def complete_many(
        self,
        followup_ids: Sequence[int],
        today: date,
        kind: str = "caught_up",
        note: str | None = None,
        channel: str | None = None,
    ) -> tuple[list[Completion], Changes]:
        """Complete several in one transaction (all or none); see `complete`."""
        if kind not in TOUCH_KINDS:
            raise ValidationError("kind", "Choose what happened from the list.")
        if channel is not None and channel not in CHANNELS:
            raise ValidationError("channel", "Choose a channel from the list.")
        with self.db.session() as s:
            done: list[Completion] = []
            orgs: list[int | None] = []
            for followup_id in followup_ids:
                fu = self._get(s, followup_id)
                done.append(self._complete(s, fu, today, kind, note, channel))
                orgs += _activity_at(s, fu)
            rules = follow_activity(s, orgs)
            return done, _completion_changes(done) | rules

    def _complete(
        self,
        s: Session,
        fu: m.FollowUp,
        today: date,
        kind: str,
        note: str | None,
        channel: str | None,
    ) -> Completion:
        if fu.status != OPEN:
            raise ValidationError("status", "This follow-up is already closed.")
        fu.status = DONE
        fu.completed_at = utcnow()
        self._bump(fu)
        if fu.contact_id is None:
            s.flush()
            return Completion(followup_record(fu), None, None)
        touch = m.Touchpoint(
            contact_id=fu.contact_id,
            occurred_on=today,
            channel=channel or fu.channel or DEFAULT_TOUCH_CHANNEL,
            kind=kind,
            note=fu.purpose if note is None else note.strip(),
            event_id=fu.event_id,
        )
        s.add(touch)
        s.flush()
        refresh_touch_dates(s, [fu.contact_id])
        contact = s.get(m.Contact, fu.contact_id)
        assert contact is not None
        due = scheduling.next_cadence_followup(today, contact.cadence_days, contact.last_touch_on)
        has_open = s.scalar(
            select(func.count(m.FollowUp.id)).where(
                m.FollowUp.contact_id == fu.contact_id, m.FollowUp.status == OPEN
            )
        )
        next_record = None
        if due is not None and not has_open:
            nxt = m.FollowUp(
                contact_id=fu.contact_id,
                due_date=due,
                channel=fu.channel,
                purpose=CADENCE_PURPOSE,
                notes="",
                status=OPEN,
                origin="cadence",
                sequence=0,
                # The next touch is the same person's, seen by the same people.
                owner=fu.owner or "",
                visibility=fu.visibility or SHARED,
            )
            s.add(nxt)
            s.flush()
            next_record = followup_record(nxt)
        s.flush()
        return Completion(followup_record(fu), touch.id, next_record)

    def next_after_complete(self, followup_id: int, today: date) -> date | None:
        """When completing this follow-up today would schedule the next one by cadence (None
        when the contact has no cadence or something else is already scheduled)."""
        with self.db.session() as s:
            fu = self._get(s, followup_id)
            if fu.contact_id is None:
                return None
            contact = s.get(m.Contact, fu.contact_id)
            others = s.scalar(
                select(func.count(m.FollowUp.id)).where(
                    m.FollowUp.contact_id == fu.contact_id,
                    m.FollowUp.status == OPEN,
                    m.FollowUp.id != fu.id,
                )
            )
            if contact is None or others:
                return None
            return scheduling.next_cadence_followup(
                today, contact.cadence_days, contact.last_touch_on
            )

    def undo_complete(self, completion: Completion) -> tuple[FollowUpRecord, Changes]:
        """Reopen the follow-up and remove the touchpoint and cadence follow-up it added."""
        records, changes = self.undo_complete_many([completion])
        return records[0], changes

    def undo_complete_many(
        self, completions: Sequence[Completion]
    ) -> tuple[list[FollowUpRecord], Changes]:
        """Take several completions back in one transaction (latest first)."""
        with self.db.session() as s:
            rows: list[m.FollowUp] = []
            orgs: list[int | None] = []
            for completion in reversed(completions):
                fu = self._get(s, completion.followup.id)
                if completion.next_followup is not None:
                    s.execute(
                        delete(m.FollowUp).where(m.FollowUp.id == completion.next_followup.id)
                    )
                if completion.touchpoint_id is not None:
                    s.execute(
                        delete(m.Touchpoint).where(m.Touchpoint.id == completion.touchpoint_id)
                    )
                fu.status = OPEN
                fu.completed_at = None
                self._bump(fu)
                s.flush()
                if fu.contact_id is not None:
                    refresh_touch_dates(s, [fu.contact_id])
                    s.flush()
                rows.append(fu)
                orgs += _activity_at(s, fu)
            rules = follow_activity(s, orgs)
            s.flush()
            records = [followup_record(fu) for fu in reversed(rows)]
            return records, _completion_changes(completions) | rules

    def restore(self, snapshot: FollowUpRecord) -> tuple[FollowUpRecord, Changes]:
        """Put a follow-up back as `snapshot` was (undo), re-creating it if deleted.

        The sequence still grows: to a calendar, an undo is one more change.
        """
        records, changes = self.restore_many([snapshot])
        return records[0], changes

    def restore_many(
        self, snapshots: Sequence[FollowUpRecord]
    ) -> tuple[list[FollowUpRecord], Changes]:
        """`restore` for several, in one transaction."""
        with self.db.session() as s:
            rows = [self._restore(s, snapshot) for snapshot in snapshots]
            orgs = [org for fu in rows for org in _activity_at(s, fu)]
            rules = follow_activity(s, orgs)
            s.flush()
            records = [followup_record(fu) for fu in rows]  # as saved, rules included
            return records, _changes([*snapshots, *records]) | rules

    def _restore(self, s: Session, snapshot: FollowUpRecord) -> m.FollowUp:
        fu = s.get(m.FollowUp, snapshot.id)
        if fu is None:
            fu = m.FollowUp(id=snapshot.id, uuid=snapshot.uuid, sequence=snapshot.sequence)
            s.add(fu)
        for f in fields(FollowUpRecord):
            if f.name in _NOT_RESTORED:
                continue
            setattr(fu, f.name, getattr(snapshot, f.name))
        if fu.contact_id is not None and s.get(m.Contact, fu.contact_id) is None:
            raise NotFoundError("The follow-up's contact no longer exists.")
        fu.sequence = max(fu.sequence or 0, snapshot.sequence)
        self._bump(fu)
        s.flush()
        return fu

    def delete(self, followup_id: int) -> tuple[FollowUpRecord | None, Changes]:
        """Delete for good (undo of a create); returns what was there, None if it was gone."""
        records, changes = self.delete_many([followup_id])
        return (records[0] if records else None), changes

    def delete_many(self, followup_ids: Sequence[int]) -> tuple[list[FollowUpRecord], Changes]:
        with self.db.session() as s:
            rows = s.scalars(select(m.FollowUp).where(m.FollowUp.id.in_(list(followup_ids))))
            records = [followup_record(fu) for fu in rows]
            s.execute(delete(m.FollowUp).where(m.FollowUp.id.in_(list(followup_ids))))
            return records, _changes(records) | Changes.of(follow_ups=followup_ids)

    # --- lists and counts for the calendar ------------------------------------------

    def list_range(
        self,
        start: date,
        end: date,
        statuses: Iterable[str] = (OPEN, DONE),
        limit: int = 5000,
        offset: int = 0,
    ) -> list[AgendaItem]:
        """Follow-ups due from `start` to `end` inclusive, in time order; paged for big days."""
        params = {
            "statuses": list(statuses),
            "start": start,
            "end": end,
            "limit": limit,
            "offset": offset,
            **self.scope_params(),
        }
        with self.db.session() as s:
            return [_item(r) for r in s.connection().execute(_LIST_RANGE[self.mine_only], params)]

    def count_range(self, start: date, end: date, statuses: Iterable[str] = (OPEN, DONE)) -> int:
        with self.db.session() as s:
            return int(
                s.scalar(
                    select(func.count()).where(
                        m.FollowUp.status.in_(list(statuses)),
                        m.FollowUp.due_date >= start,
                        m.FollowUp.due_date <= end,
                        _VISIBLE,
                        *self._scope_filter(),
                    ),
                    self.scope_params(),
                )
                or 0
            )

    def day_counts(self, start: date, end: date) -> dict[date, DayCount]:
        """Open and done follow-ups and events per day, counted in SQL (status+due index)."""
        counts: dict[date, dict[str, int]] = {}
        with self.db.session() as s:
            conn = s.connection()
            # One query per status: each is a plain range scan of the covering
            # (status, due_date) index; with `status IN (...)` SQLite sorts and is ~4x slower.
            for status in (OPEN, DONE):
                rows = conn.execute(
                    _COUNT_BY_DAY[self.mine_only],
                    {"status": status, "start": start, "end": end, **self.scope_params()},
                )
                for day, n in rows:
                    counts.setdefault(day, {})[status] = int(n)
            # Events are few; reading their dates is cheaper than portable date SQL. A
            # multi-day event counts on each of its days.
            for event in _calendar_events(conn, start, end):
                for day in event.days_in(start, end):
                    slot = counts.setdefault(day, {})
                    slot["events"] = slot.get("events", 0) + 1
        return {
            day: DayCount(c.get(OPEN, 0), c.get(DONE, 0), c.get("events", 0))
            for day, c in counts.items()
        }

    def events_on(self, start: date, end: date) -> list[CalendarEvent]:
        """Event plans on any day of the range (multi-day ones included), for the agenda."""
        with self.db.session() as s:
            return _calendar_events(s.connection(), start, end)

    def overdue(self, today: date, limit: int = 300, offset: int = 0) -> list[AgendaItem]:
        """Open follow-ups due before today, oldest first (a page of them)."""
        page = (
            _order(
                select(m.FollowUp.id).where(
                    m.FollowUp.status == OPEN,
                    m.FollowUp.due_date < today,
                    _VISIBLE,
                    *self._scope_filter(),
                )
            )
            .limit(limit)
            .offset(offset)
            .scalar_subquery()
        )
        with self.db.session() as s:
            rows = s.execute(
                _order(_rows_query().where(m.FollowUp.id.in_(page))), self.scope_params()
            )
            return [_item(r) for r in rows]

    def overdue_count(self, today: date) -> int:
        with self.db.session() as s:
            return int(
                s.scalar(
                    select(func.count())
                    .select_from(m.FollowUp)
                    .where(
                        m.FollowUp.status == OPEN,
                        m.FollowUp.due_date < today,
                        _VISIBLE,
                        *self._scope_filter(),
                    ),
                    self.scope_params(),
                )
                or 0
            )

    @staticmethod
    def _losing_where(today: date) -> Any:
        no_open = ~exists().where(m.FollowUp.contact_id == m.Contact.id, m.FollowUp.status == OPEN)
        return and_(
            m.Contact.next_touch_due.is_not(None),
            m.Contact.next_touch_due < today,
            m.Contact.cadence_days > 0,
            no_open,
        )

    def losing_touch(self, today: date, limit: int = 300, offset: int = 0) -> list[LosingTouchItem]:
        """Contacts whose cadence has lapsed with no open follow-up, worst first (a page).

        Same order as scheduling.losing_touch_order: lapsed longest, shorter cadence, name.
        """
        with self.db.session() as s:
            rows = s.execute(
                select(
                    m.Contact.id,
                    m.Contact.name,
                    m.Contact.organisation,
                    m.Contact.cadence_days,
                    m.Contact.last_touch_on,
                    m.Contact.next_touch_due,
                )
                .where(self._losing_where(today), contact_visible(viewer(self.db)))
                .order_by(
                    m.Contact.next_touch_due, m.Contact.cadence_days, m.Contact.name, m.Contact.id
                )
                .limit(limit)
                .offset(offset)
            )
            return [
                LosingTouchItem(
                    r[0], r[1], r[2] or "", r[3], r[4], r[5], scheduling.days_lapsed(r[5], today)
                )
                for r in rows
                # Both hold by the WHERE clause; the check narrows the types.
                if r[3] is not None and r[5] is not None
            ]

    def losing_touch_count(self, today: date, cap: int = 1000) -> int:
        """How many are losing touch, counted up to cap + 1 (more than `cap` reads "cap+").

        Counting every lapsed contact means probing follow-ups for each of them; past a
        thousand the exact figure helps nobody.
        """
        with self.db.session() as s:
            capped = (
                select(m.Contact.id)
                .where(self._losing_where(today), contact_visible(viewer(self.db)))
                .limit(cap + 1)
            )
            return int(s.scalar(select(func.count()).select_from(capped.subquery())) or 0)

    def schedule_keep_in_touch(
        self, contact_ids: Sequence[int], due: date, channel: str = ""
    ) -> tuple[list[FollowUpRecord], Changes]:
        """The losing-touch list's one-click "Schedule": a cadence follow-up on `due` for each
        contact, in one transaction."""
        with self.db.session() as s:
            records = [
                self._create(
                    s,
                    FollowUpDraft(
                        contact_id=contact_id,
                        due_date=due,
                        channel=channel,
                        purpose=CADENCE_PURPOSE,
                        origin="cadence",
                    ),
                )
                for contact_id in contact_ids
            ]
            return records, _changes(records)

    # --- contacts lookup for the dialog ---------------------------------------------

    def find_contacts(self, text: str, limit: int = 20) -> list[ContactChoice]:
        folded = fold(text)
        with self.db.session() as s:
            query = select(
                m.Contact.id, m.Contact.name, m.Contact.organisation, m.Contact.cadence_days
            )
            if folded:
                escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                query = query.where(m.Contact.search_text.like(f"%{escaped}%", escape="\\"))
            query = query.where(contact_visible(viewer(self.db)))
            rows = s.execute(query.order_by(m.Contact.name, m.Contact.id).limit(limit))
            return [ContactChoice(r[0], r[1], r[2] or "", r[3]) for r in rows]

    def contact(self, contact_id: int) -> ContactChoice | None:
        with self.db.session() as s:
            c = s.get(m.Contact, contact_id)
            if c is None:
                return None
            return ContactChoice(c.id, c.name, c.organisation or "", c.cadence_days)

    # --- notifications --------------------------------------------------------------

    def due_for_notification(self, now: datetime, all_day_offset: int = 0) -> list[AgendaItem]:
        """Open follow-ups that have fallen due today (by now) and were not notified yet.

        An all-day follow-up rings `all_day_offset` minutes after the start of its day (the
        preference: 540 is 09:00 on the day, negative is the day before). Older ones are
        overdue, listed in the calendar; a burst of old reminders at start-up would only be
        noise.
        """
        local = self.local_zone
        today = now.astimezone(local).date() if local else now.astimezone().date()
        with self.db.session() as s:
            rows = s.execute(
                _order(
                    _rows_query().where(
                        m.FollowUp.status == OPEN,
                        # A timed item in another zone may fall due on our today from
                        # yesterday's or tomorrow's date.
                        m.FollowUp.due_date >= today - _ONE_DAY,
                        m.FollowUp.due_date <= today + _ONE_DAY,
                        m.FollowUp.notified_at.is_(None),
                        _VISIBLE,
                        *self._scope_filter(),
                    )
                ),
                self.scope_params(),
            )
            items = [_item(r) for r in rows]
        due = []
        for it in items:
            fu = it.followup
            if fu.due_time is None:
                start = scheduling.due_instant(fu.due_date, None, fu.time_zone, local)
                if start + timedelta(minutes=all_day_offset) <= now and fu.due_date >= today:
                    due.append(it)
                continue
            moment = scheduling.due_instant(fu.due_date, fu.due_time, fu.time_zone, local)
            if moment > now:
                continue
            local_day = moment.astimezone(local).date() if local else moment.astimezone().date()
            if local_day >= today:
                due.append(it)
        return due

    def mark_notified(self, ids: Iterable[int], when: datetime | None = None) -> None:
        """Not a change a calendar sees, so the sequence stays."""
        stamp = when or datetime.now(timezone.utc)
        id_list = list(ids)
        with self.db.session() as s:
            for begin in range(0, len(id_list), 500):
                s.execute(
                    update(m.FollowUp)
                    .where(m.FollowUp.id.in_(id_list[begin : begin + 500]))
                    .values(notified_at=stamp)
                    .execution_options(synchronize_session=False)
                )
