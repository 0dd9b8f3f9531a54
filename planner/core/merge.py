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
from sqlalchemy.orm import selectinload

from planner.core.contact_rows import name_key, refresh_search_text, refresh_touch_dates
from planner.core.dedupe import DuplicateGroup, find_duplicate_groups
from planner.core.errors import NotFoundError, ValidationError
from planner.core.importer import _apply_scalars, bulk_session, delete_contacts, load_cards
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


def _norm(kind: str, row: Any) -> str:
    """The key that makes two rows the same value (two spellings of one e-mail, address)."""
    from planner.core.importer import (
        _address_of_row,
        _email_norm,
        _phone_norm,
        _url_norm,
        address_norm,
    )

    if kind == "address":
        return address_norm(_address_of_row(row._mapping))
    return {"email": _email_norm, "phone": _phone_norm, "url": _url_norm}[kind](row.value)


class MergeService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def duplicate_groups(self) -> list[DuplicateGroup]:
        """Groups of contacts that look like the same person, for the duplicates dialog."""
        with self.db.session() as s:
            return find_duplicate_groups(s)

    def merge(self, keep_id: int, other_ids: Sequence[int]) -> MergeOutcome:
        """Folds `other_ids` into `keep_id` in one transaction; nothing of theirs is lost."""
        others = [i for i in dict.fromkeys(other_ids) if i != keep_id]
        if not others:
            raise ValidationError("contacts", "Choose at least two different contacts to merge.")
        with bulk_session(self.db) as s:
            found = set(s.scalars(select(m.Contact.id).where(m.Contact.id.in_([keep_id, *others]))))
            if keep_id not in found or not set(others) <= found:
                raise NotFoundError("A contact to merge was deleted meanwhile.")
            cards = load_cards(s, others)
            moved: list[tuple[str, str, int, tuple[int, ...]]] = []
            removed: list[tuple[str, tuple[tuple[str, Any], ...]]] = []
            added_links: list[tuple[str, tuple[tuple[str, Any], ...]]] = []

            def remove(table: Any, row: Any) -> None:
                mapping = dict(row._mapping)
                removed.append((table.name, tuple(mapping.items())))

            # Rows that point at the others, found in one pass per column (some are not
            # indexed, so one scan for all the others rather than one each).
            for table, column in _POINTERS:
                by_other: dict[int, list[int]] = {}
                for row_id, old in s.execute(
                    select(table.c.id, table.c[column]).where(table.c[column].in_(others))
                ):
                    by_other.setdefault(old, []).append(row_id)
                for other, row_ids in by_other.items():
                    ids = tuple(row_ids)
                    s.execute(update(table).where(table.c.id.in_(ids)).values({column: keep_id}))
                    if table.name == "contacts" and keep_id in ids:
                        # "Referred by" the person merged into them: no longer meaningful.
                        s.execute(update(table).where(table.c.id == keep_id).values({column: None}))
                    moved.append((table.name, column, other, ids))
            for other in others:
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
                            remove(table, row)
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
                        moved.append((table.name, "contact_id", other, tuple(to_move)))
                for table in _EVENT_LINKS:
                    events = set(
                        s.scalars(select(table.c.event_id).where(table.c.contact_id == keep_id))
                    )
                    to_move = []
                    for row in s.execute(select(table).where(table.c.contact_id == other)):
                        if row.event_id in events:
                            remove(table, row)
                            s.execute(delete(table).where(table.c.id == row.id))
                        else:
                            events.add(row.event_id)
                            to_move.append(row.id)
                    if to_move:
                        s.execute(
                            update(table).where(table.c.id.in_(to_move)).values(contact_id=keep_id)
                        )
                        moved.append((table.name, "contact_id", other, tuple(to_move)))
                for link, column, key_cols in _LINKS:
                    linked = {
                        tuple(r)
                        for r in s.execute(
                            select(*(link.c[k] for k in key_cols)).where(link.c[column] == keep_id)
                        )
                    }
                    new_rows = []
                    for row in s.execute(select(link).where(link.c[column] == other)):
                        remove(link, row)
                        link_key = tuple(getattr(row, k) for k in key_cols)
                        if link_key not in linked:
                            linked.add(link_key)
                            new_rows.append({**dict(row._mapping), column: keep_id})
                            added_links.append(
                                (link.name, tuple(zip(key_cols, link_key, strict=True)))
                            )
                    s.execute(delete(link).where(link.c[column] == other))
                    if new_rows:
                        s.execute(insert(link), new_rows)
            # The kept contact fills its empty fields from the others (in their order).
            s.expire_all()
            keep = s.scalars(
                select(m.Contact)
                .where(m.Contact.id == keep_id)
                .options(selectinload(m.Contact.emails), selectinload(m.Contact.tags))
            ).one()
            before: dict[str, Any] = {}
            for card in cards:
                for name, value in _apply_scalars(keep, card).items():
                    before.setdefault(name, value)
            contact_table: Any = m.Contact.__table__
            link_columns = [contact_table.c[c] for c in _CONTACT_LINK_COLUMNS]
            for other_row in s.execute(
                select(
                    *link_columns, contact_table.c.referred_by_id, contact_table.c.organisation
                ).where(contact_table.c.id.in_(others))
            ):
                # The event / organisation where they met, their organisation: fill the gaps
                # (their organisation only when it is the one the kept contact's text names).
                for column in _CONTACT_LINK_COLUMNS:
                    value = getattr(other_row, column)
                    if column == "organisation_id" and name_key(
                        other_row.organisation or ""
                    ) != name_key(keep.organisation or ""):
                        continue
                    if getattr(keep, column) is None and value is not None:
                        before.setdefault(column, None)
                        setattr(keep, column, value)
                if (
                    keep.referred_by_id is None
                    and other_row.referred_by_id is not None
                    and other_row.referred_by_id not in (keep_id, *others)
                ):
                    before.setdefault("referred_by_id", None)
                    keep.referred_by_id = other_row.referred_by_id
            contacts: Any = m.Contact.__table__
            for row in s.execute(select(contacts).where(contacts.c.id.in_(others))):
                remove(contacts, row)
            s.flush()
            delete_contacts(s, others)
            s.expire(keep)
            refresh_search_text(keep)
            s.flush()
            refresh_touch_dates(s, [keep_id])
        return MergeOutcome(
            keep_id=keep_id,
            merged_ids=tuple(others),
            before=tuple(before.items()),
            moved=tuple(moved),
            removed=tuple(removed),
            added_links=tuple(added_links),
        )

    def undo(self, outcome: MergeOutcome) -> None:
        """Puts the merged contacts back, with the same ids and everything that was theirs."""
        with bulk_session(self.db) as s:
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
                    delete(link).where(
                        link.c[column] == outcome.keep_id, *(link.c[k] == v for k, v in key)
                    )
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
