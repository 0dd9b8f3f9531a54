"""Merging contacts that are one person: everything of both is kept, and the merge can be undone.

The kept contact gains every e-mail, phone, URL, tag and organisation link of the others, and
their touchpoints, follow-ups, referrals, event links and goals point to it. The merge records
each row it moved or removed, so `undo` puts the database back exactly as it was (same ids,
same UUIDs)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, selectinload

from planner.core.bulk import bulk_session, delete_contacts
from planner.core.changes import Changes, Kind
from planner.core.contact_cards import load_cards
from planner.core.contact_rows import name_key, refresh_search_text, refresh_touch_dates
from planner.core.dedupe import DuplicateGroup, find_duplicate_groups
from planner.core.errors import NotFoundError, ValidationError
from planner.core.import_cards import address_norm, email_norm, phone_norm, url_norm
from planner.core.import_merge import apply_scalars
from planner.core.import_rows import address_of_row
from planner.db import models as m
from planner.db.database import Database

# Labeled values: moved unless the kept contact already has the same value.
_VALUES: tuple[tuple[Any, str], ...] = (
    (m.ContactEmail.__table__, "email"),
    (m.ContactPhone.__table__, "phone"),
    (m.ContactUrl.__table__, "url"),
    (m.ContactAddress.__table__, "address"),
)
_VALUE_TABLES = {t.name for t, _k in _VALUES}
# One row per (event, contact): moved unless the kept contact is already linked to the event.
_EVENT_LINKS: tuple[Any, ...] = (
    m.EventAttendee.__table__,
    m.EventPersonToMeet.__table__,
)


def _contact_references() -> tuple[list[tuple[Any, str]], list[tuple[Any, str, tuple[str, ...]]]]:
    """Every column that points at a contact, read from the schema so new tables are kept too.

    Returns (pointers, links): rows with their own id that simply move to the kept contact,
    and link tables keyed by (contact, something) such as tags and organisations, where the
    kept contact gains the links it lacks.
    """
    special = _VALUE_TABLES | {t.name for t in _EVENT_LINKS}
    pointers: list[tuple[Any, str]] = []
    links: list[tuple[Any, str, tuple[str, ...]]] = []
    for table in m.Base.metadata.sorted_tables:
        if table.name in special:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name != "contacts":
                continue
            keys = tuple(c.name for c in table.primary_key.columns)
            if fk.parent.name in keys and len(keys) > 1:
                links.append((table, fk.parent.name, tuple(k for k in keys if k != fk.parent.name)))
            else:
                pointers.append((table, fk.parent.name))
    return pointers, links


_POINTERS, _LINKS = _contact_references()
# Contact columns that point at other things (event, organisations): gaps filled on merge.
_CONTACT_LINK_COLUMNS = tuple(
    c.name
    for c in m.Contact.__table__.c
    if c.foreign_keys and all(fk.column.table.name != "contacts" for fk in c.foreign_keys)
)
_TABLES: dict[str, Any] = {t.name: t for t in m.Base.metadata.sorted_tables}


@dataclass(frozen=True)
class MergeOutcome:
    """What a merge changed, in enough detail to undo it."""

    keep_id: int
    merged_ids: tuple[int, ...]
    before: tuple[tuple[str, Any], ...]
    # (table, column, old contact id, row ids) for rows re-pointed at the kept contact.
    moved: tuple[tuple[str, str, int, tuple[int, ...]], ...]
    # (table, full row) for rows removed because the kept contact had the same already.
    removed: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]
    # (table, key columns and values) of link rows (tags, organisations) the kept contact gained.
    added_links: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]


_VALUE_NORMS = {"email": email_norm, "phone": phone_norm, "url": url_norm}


def _norm(kind: str, row: Any) -> str:
    """The key that makes two rows the same value (two spellings of one e-mail, address)."""
    if kind == "address":
        return address_norm(address_of_row(row._mapping))
    return _VALUE_NORMS[kind](row.value)


class _Merge:
    """What one group's merge has done so far (becomes its MergeOutcome)."""

    def __init__(self, s: Session, keep_id: int, others: list[int]) -> None:
        self.s = s
        self.keep_id = keep_id
        self.others = others
        self.moved: list[tuple[str, str, int, tuple[int, ...]]] = []
        self.removed: list[tuple[str, tuple[tuple[str, Any], ...]]] = []
        self.added_links: list[tuple[str, tuple[tuple[str, Any], ...]]] = []
        self.before: dict[str, Any] = {}

    def remove(self, table: Any, row: Any) -> None:
        self.removed.append((table.name, tuple(dict(row._mapping).items())))

    def outcome(self) -> MergeOutcome:
        return MergeOutcome(
            keep_id=self.keep_id,
            merged_ids=tuple(self.others),
            before=tuple(self.before.items()),
            moved=tuple(self.moved),
            removed=tuple(self.removed),
            added_links=tuple(self.added_links),
        )


def _move_pointers(job: _Merge) -> None:
    """Rows that point at the others, found in one pass per column (some are not indexed,
    so one scan for all the others rather than one each)."""
    s, keep_id = job.s, job.keep_id
    for table, column in _POINTERS:
        by_other: dict[int, list[int]] = {}
        for row_id, old in s.execute(
            select(table.c.id, table.c[column]).where(table.c[column].in_(job.others))
        ):
            by_other.setdefault(old, []).append(row_id)
        for other, row_ids in by_other.items():
            ids = tuple(row_ids)
            s.execute(update(table).where(table.c.id.in_(ids)).values({column: keep_id}))
            if table.name == "contacts" and keep_id in ids:
                # "Referred by" the person merged into them: no longer meaningful.
                s.execute(update(table).where(table.c.id == keep_id).values({column: None}))
            job.moved.append((table.name, column, other, ids))


def _move_values(job: _Merge, other: int) -> None:
    """E-mails, phones, URLs, addresses: moved unless the kept contact has the same value."""
    s, keep_id = job.s, job.keep_id
    for table, kind in _VALUES:
        have = {
            _norm(kind, row)
            for row in s.execute(select(table).where(table.c.contact_id == keep_id))
        }
        to_move = []
        for row in s.execute(
            select(table).where(table.c.contact_id == other).order_by(table.c.position)
        ):
            key = _norm(kind, row)
            if key in have:
                job.remove(table, row)
                s.execute(delete(table).where(table.c.id == row.id))
            else:
                have.add(key)
                to_move.append(row.id)
        if to_move:
            s.execute(
                update(table)
                .where(table.c.id.in_(to_move))
                .values(contact_id=keep_id, position=table.c.position + 1000)
            )
            job.moved.append((table.name, "contact_id", other, tuple(to_move)))


def _move_event_links(job: _Merge, other: int) -> None:
    """Attendee and person-to-meet rows: moved unless the kept contact is linked already."""
    s, keep_id = job.s, job.keep_id
    for table in _EVENT_LINKS:
        events = set(s.scalars(select(table.c.event_id).where(table.c.contact_id == keep_id)))
        to_move = []
        for row in s.execute(select(table).where(table.c.contact_id == other)):
            if row.event_id in events:
                job.remove(table, row)
                s.execute(delete(table).where(table.c.id == row.id))
            else:
                events.add(row.event_id)
                to_move.append(row.id)
        if to_move:
            s.execute(update(table).where(table.c.id.in_(to_move)).values(contact_id=keep_id))
            job.moved.append((table.name, "contact_id", other, tuple(to_move)))


def _move_links(job: _Merge, other: int) -> None:
    """Tags, organisations: the kept contact gains the links it lacks."""
    s, keep_id = job.s, job.keep_id
    for link, column, key_cols in _LINKS:
        linked = {
            tuple(r)
            for r in s.execute(
                select(*(link.c[k] for k in key_cols)).where(link.c[column] == keep_id)
            )
        }
        new_rows = []
        for row in s.execute(select(link).where(link.c[column] == other)):
            job.remove(link, row)
            link_key = tuple(getattr(row, k) for k in key_cols)
            if link_key not in linked:
                linked.add(link_key)
                new_rows.append({**dict(row._mapping), column: keep_id})
                job.added_links.append((link.name, tuple(zip(key_cols, link_key, strict=True))))
        s.execute(delete(link).where(link.c[column] == other))
        if new_rows:
            s.execute(insert(link), new_rows)


def _fill_kept(job: _Merge, keep: m.Contact, cards: Sequence[Any]) -> None:
    """The kept contact fills its empty fields from the others (in their order)."""
    for card in cards:
        for name, value in apply_scalars(keep, card).items():
            job.before.setdefault(name, value)
    contact_table: Any = m.Contact.__table__
    link_columns = [contact_table.c[c] for c in _CONTACT_LINK_COLUMNS]
    for other_row in job.s.execute(
        select(*link_columns, contact_table.c.referred_by_id, contact_table.c.organisation).where(
            contact_table.c.id.in_(job.others)
        )
    ):
        # The event / organisation where they met, their organisation: fill the gaps
        # (their organisation only when it is the one the kept contact's text names).
        for column in _CONTACT_LINK_COLUMNS:
            value = getattr(other_row, column)
            if column == "organisation_id" and name_key(other_row.organisation or "") != name_key(
                keep.organisation or ""
            ):
                continue
            if getattr(keep, column) is None and value is not None:
                job.before.setdefault(column, None)
                setattr(keep, column, value)
        if (
            keep.referred_by_id is None
            and other_row.referred_by_id is not None
            and other_row.referred_by_id not in (job.keep_id, *job.others)
        ):
            job.before.setdefault("referred_by_id", None)
            keep.referred_by_id = other_row.referred_by_id


def _merge_in(s: Session, keep_id: int, other_ids: Sequence[int]) -> MergeOutcome:
    """Folds `other_ids` into `keep_id` inside the caller's transaction."""
    others = [i for i in dict.fromkeys(other_ids) if i != keep_id]
    if not others:
        raise ValidationError("contacts", "Choose at least two different contacts to merge.")
    found = set(s.scalars(select(m.Contact.id).where(m.Contact.id.in_([keep_id, *others]))))
    if keep_id not in found or not set(others) <= found:
        raise NotFoundError("A contact to merge was deleted meanwhile.")
    job = _Merge(s, keep_id, others)
    cards = load_cards(s, others)
    _move_pointers(job)
    for other in others:
        _move_values(job, other)
        _move_event_links(job, other)
        _move_links(job, other)
    s.expire_all()
    keep = s.scalars(
        select(m.Contact)
        .where(m.Contact.id == keep_id)
        .options(selectinload(m.Contact.emails), selectinload(m.Contact.tags))
    ).one()
    _fill_kept(job, keep, cards)
    contacts: Any = m.Contact.__table__
    for row in s.execute(select(contacts).where(contacts.c.id.in_(others))):
        job.remove(contacts, row)
    s.flush()
    delete_contacts(s, others)
    s.expire(keep)
    refresh_search_text(keep)
    s.flush()
    refresh_touch_dates(s, [keep_id])
    return job.outcome()


def _undo_in(s: Session, outcome: MergeOutcome) -> None:
    """Puts one merge's contacts back inside the caller's transaction."""
    rows = [(name, dict(items)) for name, items in outcome.removed]
    # Contacts first (children point at them), then their rows.
    for name, row in rows:
        if name == "contacts":
            s.execute(insert(_TABLES[name]), [row])
    for name, row in rows:
        if name != "contacts":
            s.execute(insert(_TABLES[name]), [row])
    for name, column, old, ids in outcome.moved:
        table = _TABLES[name]
        values: dict[str, Any] = {column: old}
        if name in _VALUE_TABLES:
            values["position"] = table.c.position - 1000
        s.execute(update(table).where(table.c.id.in_(ids)).values(values))
    for name, key in outcome.added_links:
        link = _TABLES[name]
        column = next(c for t, c, _k in _LINKS if t.name == name)
        s.execute(
            delete(link).where(link.c[column] == outcome.keep_id, *(link.c[k] == v for k, v in key))
        )
    s.expire_all()
    affected = [outcome.keep_id, *outcome.merged_ids]
    for contact in s.scalars(
        select(m.Contact)
        .where(m.Contact.id.in_(affected))
        .options(selectinload(m.Contact.emails), selectinload(m.Contact.tags))
    ):
        if contact.id == outcome.keep_id:
            for name, value in outcome.before:
                setattr(contact, name, value)
        refresh_search_text(contact)
    s.flush()
    refresh_touch_dates(s, affected)


# Rows a merge re-points at the kept contact, by table: the kind a view reloads for them.
_KIND_OF_TABLE = {"contacts": "contacts", "touchpoints": "touchpoints",
                  "follow_ups": "follow_ups", "referrals": "referrals"}  # fmt: skip


def merge_changes(outcomes: Sequence[MergeOutcome]) -> Changes:
    """What merges (or their undo) touched: the contacts (the kept one may have gained a
    photo), the rows that moved, and the events and organisations they are linked to (named
    as a whole: attendee rows do not name events)."""
    contacts: set[int] = set()
    ids: dict[str, set[int]] = {}
    whole: set[Kind] = set()
    for outcome in outcomes:
        contacts.update((outcome.keep_id, *outcome.merged_ids))
        for table, _column, _old, row_ids in outcome.moved:
            kind = _KIND_OF_TABLE.get(table)
            if kind is not None:
                ids.setdefault(kind, set()).update(row_ids)
        names = [r[0] for r in outcome.moved] + [r[0] for r in outcome.removed]
        for table in names + [r[0] for r in outcome.added_links]:
            if table.startswith("event_"):
                whole.add("events")
            elif table == "contact_organisations":
                whole.add("organisations")
    changes = Changes.of(
        contacts=contacts | ids.get("contacts", set()),
        photos=contacts,
        touchpoints=ids.get("touchpoints"),
        follow_ups=ids.get("follow_ups"),
        referrals=ids.get("referrals"),
    )
    return changes | Changes.all(*whole) if whole else changes


class MergeService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def duplicate_groups(self) -> list[DuplicateGroup]:
        """Groups of contacts that look like the same person, for the duplicates dialog."""
        with self.db.session() as s:
            return find_duplicate_groups(s)

    def merge(self, keep_id: int, other_ids: Sequence[int]) -> MergeOutcome:
        """Folds `other_ids` into `keep_id` in one transaction; nothing of theirs is lost."""
        with bulk_session(self.db) as s:
            return _merge_in(s, keep_id, other_ids)

    def merge_many(self, groups: Sequence[Sequence[int]]) -> tuple[list[MergeOutcome], Changes]:
        """Folds each group into its first contact, every group in ONE transaction: a group
        that cannot be merged (a contact deleted meanwhile) leaves all of them unmerged."""
        if not groups:
            raise ValidationError("contacts", "Choose a group of duplicates to merge.")
        with bulk_session(self.db) as s:
            outcomes = [_merge_in(s, group[0], group[1:]) for group in groups]
        return outcomes, merge_changes(outcomes)

    def undo(self, outcome: MergeOutcome) -> None:
        """Puts the merged contacts back, with the same ids and everything that was theirs."""
        with bulk_session(self.db) as s:
            _undo_in(s, outcome)

    def undo_many(self, outcomes: Sequence[MergeOutcome]) -> Changes:
        """Takes back `merge_many` in one transaction, last group first."""
        with bulk_session(self.db) as s:
            for outcome in reversed(outcomes):
                _undo_in(s, outcome)
        return merge_changes(outcomes)
