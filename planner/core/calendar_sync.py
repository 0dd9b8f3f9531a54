"""Calendar sync rules: what to create, update or delete on the CalDAV server, and the record of
what was published (href, ETag, content hash per item) kept in the database.

No network here: the plan is worked out from the database alone, so the app can say how many
changes are waiting while the server is out of reach, and the queue survives a restart (it is
simply the difference between what should be published and what was).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from planner.db import models as m
from planner.db.database import Database
from planner.db.types import utcnow

# Renders stamp every item with the time of writing; that line says nothing about the item.
_VOLATILE_PREFIXES = (b"DTSTAMP:",)


def content_hash(data: bytes) -> str:
    """SHA-256 of an item's iCalendar text without its DTSTAMP line."""
    digest = hashlib.sha256()
    for line in data.split(b"\r\n"):
        if not line.startswith(_VOLATILE_PREFIXES):
            digest.update(line)
            digest.update(b"\n")
    return digest.hexdigest()


@dataclass(frozen=True)
class DesiredItem:
    """An item that should be on the server, with the text to write there."""

    uid: str
    data: bytes
    summary: str = ""
    content_hash: str = ""

    def __post_init__(self) -> None:
        if not self.content_hash:
            object.__setattr__(self, "content_hash", content_hash(self.data))


@dataclass(frozen=True)
class TrackedItem:
    """An item we published: where it is and the version (ETag) we last saw of it."""

    uid: str
    href: str
    etag: str
    content_hash: str
    conflict: str = ""
    pushed_at: datetime | None = None


@dataclass(frozen=True)
class SyncPlan:
    """What a sync will send. Items in conflict are left alone until the user decides."""

    create: tuple[DesiredItem, ...] = ()
    update: tuple[tuple[DesiredItem, TrackedItem], ...] = ()
    delete: tuple[TrackedItem, ...] = ()
    unchanged: int = 0
    conflicts: tuple[TrackedItem, ...] = ()
    # With replace_conflicts: the conflicting items to overwrite / delete without conditions.
    force_update: tuple[tuple[DesiredItem, TrackedItem], ...] = ()
    force_delete: tuple[TrackedItem, ...] = ()

    @property
    def pending(self) -> int:
        """Changes waiting to be sent (what the status bar shows while offline)."""
        return (
            len(self.create)
            + len(self.update)
            + len(self.delete)
            + len(self.force_update)
            + len(self.force_delete)
        )


def plan_sync(
    desired: Iterable[DesiredItem],
    tracked: Mapping[str, TrackedItem],
    *,
    replace_conflicts: bool = False,
) -> SyncPlan:
    """New items are created, changed ones updated, ones no longer open deleted.

    An item whose last push was refused (edited or removed on the server) stays untouched and
    is reported again, unless the user chose to replace the server's copies.
    """
    create: list[DesiredItem] = []
    update: list[tuple[DesiredItem, TrackedItem]] = []
    force_update: list[tuple[DesiredItem, TrackedItem]] = []
    conflicts: list[TrackedItem] = []
    unchanged = 0
    seen: set[str] = set()
    for item in desired:
        if item.uid in seen:
            continue
        seen.add(item.uid)
        known = tracked.get(item.uid)
        if known is None:
            create.append(item)
        elif known.conflict:
            if replace_conflicts:
                force_update.append((item, known))
            else:
                conflicts.append(known)
        elif known.content_hash != item.content_hash:
            update.append((item, known))
        else:
            unchanged += 1
    delete_: list[TrackedItem] = []
    force_delete: list[TrackedItem] = []
    for uid, known in tracked.items():
        if uid in seen:
            continue
        if not known.conflict:
            delete_.append(known)
        elif replace_conflicts:
            force_delete.append(known)
        else:
            conflicts.append(known)
    return SyncPlan(
        create=tuple(create),
        update=tuple(update),
        delete=tuple(delete_),
        unchanged=unchanged,
        conflicts=tuple(conflicts),
        force_update=tuple(force_update),
        force_delete=tuple(force_delete),
    )


@dataclass(frozen=True)
class Conflict:
    """An item the server refused to change because someone else changed it there."""

    uid: str
    summary: str
    reason: str


@dataclass(frozen=True)
class SyncReport:
    """What one sync did (or, in a dry run, would do)."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    conflicts: tuple[Conflict, ...] = ()
    dry_run: bool = False
    calendar_url: str = ""
    finished_at: datetime | None = None

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted

    def describe(self) -> str:
        """'created 3, updated 1, deleted 0, unchanged 40' (+ conflicts), for the CLI and logs."""
        verb = "would be " if self.dry_run else ""
        text = (
            f"{verb}created {self.created:,}, {verb}updated {self.updated:,}, "
            f"{verb}deleted {self.deleted:,}, unchanged {self.unchanged:,}"
        )
        if self.conflicts:
            text += f", {len(self.conflicts):,} in conflict"
        return text


class CalendarSyncStore:
    """The per-item record of what was published; one short transaction per call.

    Results are written item by item as the server answers, so a sync cut short (network
    gone, app killed) resumes where it stopped instead of re-sending or mis-reporting.
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    def tracked(self, calendar_url: str) -> dict[str, TrackedItem]:
        t = m.CalendarSyncItem
        with self.db.session() as s:
            rows = s.execute(
                select(t.uid, t.href, t.etag, t.content_hash, t.conflict, t.pushed_at).where(
                    t.calendar_url == calendar_url
                )
            ).all()
        return {
            r.uid: TrackedItem(r.uid, r.href, r.etag, r.content_hash, r.conflict, r.pushed_at)
            for r in rows
        }

    @staticmethod
    def _row(s: Session, calendar_url: str, uid: str) -> m.CalendarSyncItem | None:
        t = m.CalendarSyncItem
        return s.scalar(select(t).where(t.calendar_url == calendar_url, t.uid == uid))

    def record_pushed(
        self, calendar_url: str, uid: str, href: str, etag: str, content_hash: str
    ) -> None:
        """The server accepted our version of the item."""
        with self.db.session() as s:
            row = self._row(s, calendar_url, uid)
            if row is None:
                row = m.CalendarSyncItem(calendar_url=calendar_url, uid=uid)
                s.add(row)
            row.href = href
            row.etag = etag
            row.content_hash = content_hash
            row.conflict = ""
            row.pushed_at = utcnow()

    def record_deleted(self, calendar_url: str, uid: str) -> None:
        """The item is gone from the server (we deleted it, or it was already gone)."""
        t = m.CalendarSyncItem
        with self.db.session() as s:
            s.execute(delete(t).where(t.calendar_url == calendar_url, t.uid == uid))

    def record_conflict(self, calendar_url: str, uid: str, href: str, reason: str) -> None:
        """The server refused a conditional write: keep the item aside and say why."""
        with self.db.session() as s:
            row = self._row(s, calendar_url, uid)
            if row is None:
                row = m.CalendarSyncItem(
                    calendar_url=calendar_url, uid=uid, href=href, etag="", content_hash=""
                )
                s.add(row)
            row.conflict = reason or "changed on the server"

    def forget_calendar(self, calendar_url: str) -> int:
        """Drop the record of one calendar (the user publishes elsewhere now)."""
        t = m.CalendarSyncItem
        with self.db.session() as s:
            result = s.execute(delete(t).where(t.calendar_url == calendar_url))
        return int(getattr(result, "rowcount", 0) or 0)
