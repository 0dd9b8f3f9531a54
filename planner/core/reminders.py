"""What a calendar export holds: open follow-ups, event plans and birthdays, read in one go."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, TypeVar

from sqlalchemy import and_, bindparam, func, insert, or_, select, update

from planner.core.errors import ValidationError
from planner.core.followups import mine_clause
from planner.core.visibility import contact_visible, followup_visible, viewer
from planner.db import models as m
from planner.db.database import Database
from planner.db.errors import StorageError

log = logging.getLogger(__name__)

FOLLOWUPS = "followups"
EVENTS = "events"
BIRTHDAYS = "birthdays"
KINDS: tuple[str, ...] = (FOLLOWUPS, EVENTS, BIRTHDAYS)
KIND_LABELS: dict[str, str] = {
    FOLLOWUPS: "open follow-ups",
    EVENTS: "event plans",
    BIRTHDAYS: "birthdays",
}

# Event plans the user decided not to go to stay out of their calendar.
SKIPPED_EVENT_STATUSES = ("skipped",)
# SQLite allows a limited number of bound parameters per statement.
_CHUNK = 500


@dataclass(frozen=True)
class FollowUpReminder:
    """An open follow-up with the contact details a person needs to act on it."""

    id: int
    uuid: str
    due_date: date
    due_time: time | None = None
    time_zone: str = ""
    purpose: str = ""
    notes: str = ""
    channel: str = ""
    sequence: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # None for reminders that belong to no contact (e.g. an organisation's renewal).
    contact_id: int | None = None
    contact_name: str = ""
    organisation: str = ""
    role: str = ""
    email: str = ""
    phone: str = ""
    last_touch_on: date | None = None


@dataclass(frozen=True)
class EventReminder:
    """An event plan with a start date."""

    id: int
    uuid: str
    name: str
    starts_local: datetime
    ends_local: datetime | None = None
    all_day: bool = False
    time_zone: str = ""
    event_type: str = ""
    status: str = ""
    venue: str = ""
    url: str = ""
    description: str = ""
    sequence: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class BirthdayReminder:
    """A contact's birthday; the year is optional."""

    contact_id: int
    contact_uuid: str
    name: str
    month: int
    day: int
    year: int | None = None
    organisation: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class ReminderQuery:
    """Which items to export.

    `start`/`end` (inclusive, either may be None) limit follow-ups by due date and event plans
    by the days they cover; birthdays recur every year and ignore the range. With
    `followup_ids` set, exactly those open follow-ups are exported and the range is ignored
    for them.
    """

    start: date | None = None
    end: date | None = None
    include: frozenset[str] = frozenset(KINDS)
    followup_ids: tuple[int, ...] | None = None
    # Team mode: only the follow-ups the user owns (the calendar's "My follow-ups"); either
    # way a teammate's private follow-ups are never exported.
    mine_only: bool = False

    def __post_init__(self) -> None:
        unknown = set(self.include) - set(KINDS)
        if unknown:
            raise ValidationError(
                "include",
                f"Unknown kind {', '.join(sorted(unknown))}; choose from {', '.join(KINDS)}.",
            )
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValidationError("end", "The end date is before the start date.")


@dataclass(frozen=True)
class ReminderSet:
    followups: tuple[FollowUpReminder, ...] = ()
    events: tuple[EventReminder, ...] = ()
    birthdays: tuple[BirthdayReminder, ...] = ()

    @property
    def total(self) -> int:
        return len(self.followups) + len(self.events) + len(self.birthdays)

    def describe(self) -> str:
        """'12 open follow-ups, 3 event plans and 1 birthday' — for messages and the CLI."""
        parts = []
        for kind, items in (
            (FOLLOWUPS, self.followups),
            (EVENTS, self.events),
            (BIRTHDAYS, self.birthdays),
        ):
            if items:
                label = KIND_LABELS[kind]
                if len(items) == 1:
                    label = {"open follow-ups": "open follow-up", "event plans": "event plan"}.get(
                        label, "birthday"
                    )
                parts.append(f"{len(items):,} {label}")
        if not parts:
            return "nothing"
        if len(parts) == 1:
            return parts[0]
        return ", ".join(parts[:-1]) + " and " + parts[-1]


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def valid_birthday(month: int | None, day: int | None) -> bool:
    """True when month/day name a day that exists in some year (29 February does)."""
    if month is None or day is None:
        return False
    try:
        date(2000, month, day)  # a leap year, so 29 February passes
    except (ValueError, TypeError):
        return False
    return True


def birth_year(month: int, day: int, year: int | None) -> int | None:
    """The year when it makes a real date with month/day, else None (unknown)."""
    if year is None:
        return None
    try:
        date(year, month, day)
    except (ValueError, TypeError, OverflowError):
        return None
    return year


_NOT_CONTENT = frozenset({"sequence", "created_at", "updated_at"})
_Item = TypeVar("_Item", FollowUpReminder, EventReminder, BirthdayReminder)


def content_hash(item: FollowUpReminder | EventReminder | BirthdayReminder) -> str:
    """SHA-256 of every field that goes into the item's text (not its version counters)."""
    parts = [
        f"{f.name}={getattr(item, f.name)!r}" for f in fields(item) if f.name not in _NOT_CONTENT
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _item_key(kind: str, item: FollowUpReminder | EventReminder | BirthdayReminder) -> str:
    uuid = item.contact_uuid if isinstance(item, BirthdayReminder) else item.uuid
    return f"{kind}:{uuid}"


class _Versions:
    """Content hash -> SEQUENCE / LAST-MODIFIED per exported item, read and written in bulk."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.now = datetime.now(timezone.utc)
        self.inserts: list[dict[str, Any]] = []
        self.updates: list[dict[str, Any]] = []

    def follow(self, kind: str, items: Sequence[_Item]) -> list[_Item]:
        if not items:
            return list(items)
        table: Any = m.CalendarItemVersion.__table__
        keys = [_item_key(kind, item) for item in items]
        stored: dict[str, tuple[str, int, datetime]] = {}
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            for key, digest, sequence, modified in self.session.execute(
                select(
                    table.c.key, table.c.content_hash, table.c.sequence, table.c.modified_at
                ).where(table.c.key.in_(chunk))
            ):
                stored[key] = (digest, sequence, modified)
        out: list[_Item] = []
        for key, item in zip(keys, items, strict=True):
            digest = content_hash(item)
            own_sequence = getattr(item, "sequence", 0) or 0
            modified = item.updated_at or self.now
            state = stored.get(key)
            if state is None:
                self.inserts.append(
                    {
                        "key": key,
                        "content_hash": digest,
                        "sequence": own_sequence,
                        "modified_at": modified,
                    }
                )
                out.append(item)
                continue
            old_digest, old_sequence, old_modified = state
            if old_digest == digest:
                sequence = max(own_sequence, old_sequence)
                modified = max(modified, old_modified)
                if sequence != old_sequence or modified != old_modified:
                    self.updates.append({"k": key, "h": digest, "s": sequence, "m": modified})
            else:
                sequence = max(own_sequence, old_sequence + 1)
                # LAST-MODIFIED has whole seconds: it must visibly move.
                modified = max(self.now, modified, old_modified + timedelta(seconds=1))
                self.updates.append({"k": key, "h": digest, "s": sequence, "m": modified})
            if isinstance(item, BirthdayReminder):
                # Birthdays take their SEQUENCE from LAST-MODIFIED (ics._sequence_from_time).
                out.append(replace(item, updated_at=modified))
            else:
                out.append(replace(item, sequence=sequence, updated_at=modified))
        return out

    def pending(self) -> bool:
        return bool(self.inserts or self.updates)

    def save(self, session: Any) -> None:
        table: Any = m.CalendarItemVersion.__table__
        if self.inserts:
            # Another export may have recorded some meanwhile: theirs stand.
            have = set()
            keys = [row["key"] for row in self.inserts]
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                have.update(session.scalars(select(table.c.key).where(table.c.key.in_(chunk))))
            rows = [row for row in self.inserts if row["key"] not in have]
            if rows:
                session.execute(insert(table), rows)
        if self.updates:
            session.execute(
                update(table)
                .where(table.c.key == bindparam("k"))
                .values(
                    content_hash=bindparam("h"),
                    sequence=bindparam("s"),
                    modified_at=bindparam("m"),
                ),
                self.updates,
            )


class ReminderService:
    """Reads what an iCalendar export writes; one short read transaction per call."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def collect(self, query: ReminderQuery) -> ReminderSet:
        """The items, each with a SEQUENCE and LAST-MODIFIED that follow its content.

        A follow-up's text holds its contact's name, organisation, e-mail and phone: when any
        of that changes, the item's SEQUENCE grows and LAST-MODIFIED moves, so a calendar that
        keeps the higher SEQUENCE takes the new text. The version of each item is recorded
        (calendar_item_versions) the first time it is collected after a change.
        """
        with self.db.session() as s:
            followups = self._followups(s, query) if FOLLOWUPS in query.include else []
            events = self._events(s, query) if EVENTS in query.include else []
            birthdays = self._birthdays(s) if BIRTHDAYS in query.include else []
            versions = _Versions(s)
            followups = versions.follow("followup", followups)
            events = versions.follow("event", events)
            birthdays = versions.follow("birthday", birthdays)
        if versions.pending() and self.db.writable:
            # Recording the versions is a separate, optional write: a read-only database
            # still exports (the versions are computed the same way next time).
            try:
                with self.db.session() as s:
                    versions.save(s)
            except StorageError as exc:
                log.info("Calendar item versions not recorded: %s", exc)
        return ReminderSet(tuple(followups), tuple(events), tuple(birthdays))

    # --- follow-ups -----------------------------------------------------------------------

    def _followup_filters(self, query: ReminderQuery) -> list[Any]:
        filters: list[Any] = [m.FollowUp.status == "open", followup_visible(viewer(self.db))]
        if query.mine_only and viewer(self.db):
            filters.append(mine_clause(viewer(self.db)))
        if query.followup_ids is None:
            if query.start is not None:
                filters.append(m.FollowUp.due_date >= query.start)
            if query.end is not None:
                filters.append(m.FollowUp.due_date <= query.end)
        return filters

    def _followups(self, s: Any, query: ReminderQuery) -> list[FollowUpReminder]:
        f, c = m.FollowUp, m.Contact
        base = (
            select(
                f.id,
                f.uuid,
                f.due_date,
                f.due_time,
                f.time_zone,
                f.purpose,
                f.notes,
                f.channel,
                f.sequence,
                f.created_at,
                f.updated_at,
                f.contact_id,
                c.name,
                c.organisation,
                c.role,
                c.last_touch_on,
            )
            .outerjoin(c, c.id == f.contact_id)
            .where(*self._followup_filters(query))
        )
        rows: list[Any] = []
        if query.followup_ids is None:
            rows = list(s.execute(base.order_by(f.due_date, f.due_time, f.id)).all())
        else:
            wanted = sorted(set(query.followup_ids))
            for chunk in _chunks(wanted):
                rows.extend(s.execute(base.where(f.id.in_(chunk))).all())
            rows.sort(key=lambda r: (r.due_date, r.due_time or time(0), r.id))
        contact_ids = sorted({r.contact_id for r in rows if r.contact_id is not None})
        emails = self._first_values(s, m.ContactEmail, contact_ids)
        phones = self._first_values(s, m.ContactPhone, contact_ids)
        return [
            FollowUpReminder(
                id=r.id,
                uuid=r.uuid,
                due_date=r.due_date,
                due_time=r.due_time,
                time_zone=r.time_zone or "",
                purpose=r.purpose or "",
                notes=r.notes or "",
                channel=r.channel or "",
                sequence=r.sequence or 0,
                created_at=r.created_at,
                updated_at=r.updated_at,
                contact_id=r.contact_id,
                contact_name=r.name or "",
                organisation=r.organisation or "",
                role=r.role or "",
                email=emails.get(r.contact_id, "") if r.contact_id is not None else "",
                phone=phones.get(r.contact_id, "") if r.contact_id is not None else "",
                last_touch_on=r.last_touch_on,
            )
            for r in rows
        ]

    @staticmethod
    def _first_values(s: Any, model: Any, contact_ids: Sequence[int]) -> dict[int, str]:
        """The first (lowest position) e-mail or phone of each contact."""
        first: dict[int, str] = {}
        if not contact_ids:
            return first
        # One query when many contacts are involved: cheaper than thousands of IN parameters.
        if len(contact_ids) > _CHUNK:
            statements = [
                select(model.contact_id, model.value).order_by(
                    model.contact_id, model.position, model.id
                )
            ]
            keep: set[int] | None = set(contact_ids)
        else:
            statements = [
                select(model.contact_id, model.value)
                .where(model.contact_id.in_(contact_ids))
                .order_by(model.contact_id, model.position, model.id)
            ]
            keep = None
        for statement in statements:
            for contact_id, value in s.execute(statement):
                if contact_id in first or (keep is not None and contact_id not in keep):
                    continue
                first[contact_id] = value
        return first

    # --- event plans ----------------------------------------------------------------------

    def _events(self, s: Any, query: ReminderQuery) -> list[EventReminder]:
        e = m.EventPlan
        statement = select(
            e.id,
            e.uuid,
            e.name,
            e.starts_local,
            e.ends_local,
            e.all_day,
            e.time_zone,
            e.event_type,
            e.status,
            e.venue,
            e.url,
            e.description,
            e.sequence,
            e.created_at,
            e.updated_at,
        ).where(e.starts_local.is_not(None), e.status.not_in(SKIPPED_EVENT_STATUSES))
        if query.end is not None:
            statement = statement.where(
                e.starts_local < datetime.combine(query.end + timedelta(days=1), time(0))
            )
        if query.start is not None:
            since = datetime.combine(query.start, time(0))
            statement = statement.where(
                or_(
                    and_(e.ends_local.is_not(None), e.ends_local >= since),
                    e.starts_local >= since,
                )
            )
        rows = s.execute(statement.order_by(e.starts_local, e.id)).all()
        return [
            EventReminder(
                id=r.id,
                uuid=r.uuid,
                name=r.name or "",
                starts_local=r.starts_local,
                ends_local=r.ends_local,
                all_day=bool(r.all_day),
                time_zone=r.time_zone or "",
                event_type=r.event_type or "",
                status=r.status or "",
                venue=r.venue or "",
                url=r.url or "",
                description=r.description or "",
                sequence=r.sequence or 0,
                created_at=r.created_at,
                updated_at=r.updated_at,
            )
            for r in rows
        ]

    # --- birthdays ------------------------------------------------------------------------

    def _birthdays(self, s: Any) -> list[BirthdayReminder]:
        c = m.Contact
        rows = s.execute(
            select(
                c.id,
                c.uuid,
                c.name,
                c.birthday_month,
                c.birthday_day,
                c.birthday_year,
                c.organisation,
                c.created_at,
                c.updated_at,
            )
            .where(
                c.birthday_month.is_not(None),
                c.birthday_day.is_not(None),
                contact_visible(viewer(self.db)),
            )
            .order_by(c.birthday_month, c.birthday_day, c.name, c.id)
        ).all()
        result = []
        for r in rows:
            if not valid_birthday(r.birthday_month, r.birthday_day):
                log.warning("Skipping contact %s: birthday is not a real date", r.id)
                continue
            result.append(
                BirthdayReminder(
                    contact_id=r.id,
                    contact_uuid=r.uuid,
                    name=r.name or "",
                    month=r.birthday_month,
                    day=r.birthday_day,
                    year=birth_year(r.birthday_month, r.birthday_day, r.birthday_year),
                    organisation=r.organisation or "",
                    created_at=r.created_at,
                    updated_at=r.updated_at,
                )
            )
        return result

    # --- counts ---------------------------------------------------------------------------

    def open_followup_count(self, followup_ids: Sequence[int]) -> int:
        """How many of these follow-ups are still open (the dialog's "selected items")."""
        total = 0
        wanted = sorted(set(followup_ids))
        with self.db.session() as s:
            for chunk in _chunks(wanted):
                total += int(
                    s.scalar(
                        select(func.count(m.FollowUp.id)).where(
                            m.FollowUp.id.in_(chunk), m.FollowUp.status == "open"
                        )
                    )
                    or 0
                )
        return total
