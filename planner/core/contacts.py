"""Contacts: create, edit, delete with undoable snapshots, bulk edits, duplicates, list rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import (
    Select,
    String,
    Table,
    bindparam,
    cast,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session, selectinload

from planner.core.bulk import paused_gc
from planner.core.cadence import next_touch_due
from planner.core.changes import Changes
from planner.core.contact_rows import (
    get_or_create_tags,
    link_contact_to_typed_organisation,
    new_contact,
    refresh_search_text,
    refresh_search_texts,
    tag_key,
)
from planner.core.contact_schema import (
    BIRTHDAY_FIELDS,
    EDITABLE_FIELDS,
    LIST_FIELDS,
    LONG_TEXT_FIELDS,
    PHOTO_FIELDS,
    TEXT_FIELDS,
)
from planner.core.errors import ConflictError, NotFoundError, ValidationError
from planner.core.names import NAME_FIELDS, NAME_PARTS, display_name, split_name
from planner.core.records import ContactRecord, LabeledValue, PostalAddress
from planner.core.text import fold
from planner.core.validation import (
    check_birthday,
    default_phone_region,
    normalize_email,
    normalize_phone,
    normalize_url,
)
from planner.core.visibility import SHARED, clean_visibility, contact_visible, viewer
from planner.core.vocab import HOW_MET, RELATIONSHIPS
from planner.db import models as m
from planner.db.database import Database
from planner.db.errors import ConcurrentEditError
from planner.db.types import utcnow
from planner.settings import Preferences

if TYPE_CHECKING:
    from typing_extensions import Unpack

# A photo larger than this is refused (imports report and skip it).
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_CADENCE_DAYS = 3650
CHUNK = 500


class ContactRow(NamedTuple):
    """One line of the contacts table: compact, so 100,000 of them stay small and fast.

    The fields are in the order the query returns them, so a database row becomes a
    ContactRow with one tuple copy; dates stay ISO text ("2026-05-01"), which sorts and
    compares like the dates, and are turned into `date` only when asked for.
    """

    id: int
    name: str
    organisation: str
    role: str
    relationship: str
    last_touch_iso: str | None
    next_due_iso: str | None
    cadence_days: int | None
    search_text: str
    tags: tuple[str, ...]

    @property
    def last_touch_on(self) -> date | None:
        return iso_date(self.last_touch_iso)

    @property
    def next_touch_due(self) -> date | None:
        return iso_date(self.next_due_iso)


@dataclass(frozen=True)
class ContactTable:
    """All of the contacts list, for 100,000 contacts in well under a second.

    `rows` are the cursor's own tuples, in ContactRow's field order without the tags
    (id, name, organisation, role, relationship, last_touch_iso, next_due_iso,
    cadence_days, search_text): no object is built per contact beyond what the database
    driver makes. `tags` maps a contact id to its tag names, for contacts that have any.
    """

    rows: list[tuple[Any, ...]]
    tags: dict[int, tuple[str, ...]]


# The whole list's order: the folded name comes first in the search text. SQLite reads it
# from the covering index ix_contacts_list (db.models.LIST_COLUMNS) without sorting.
LIST_ORDER = (m.Contact.search_text, m.Contact.id)


def list_statement(user: str) -> Select[Unpack[tuple[Any, ...]]]:
    """The contacts list's columns (ContactTable's row order) for what `user` may see."""
    c = m.Contact
    return select(
        c.id,
        c.name,
        func.coalesce(c.organisation, ""),
        func.coalesce(c.role, ""),
        func.coalesce(c.relationship, "other"),
        c.last_touch_on,
        c.next_touch_due,
        c.cadence_days,
        func.coalesce(c.search_text, ""),
    ).where(contact_visible(user))


@lru_cache(maxsize=4096)
def iso_date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


@dataclass(frozen=True)
class DuplicateMatch:
    id: int
    name: str
    organisation: str
    reason: str


@dataclass(frozen=True)
class ContactSnapshot:
    """Everything a delete removed (rows of every table that hung off the contacts), for undo."""

    contact_ids: tuple[int, ...]
    names: tuple[str, ...]
    rows: tuple[tuple[str, tuple[dict[str, Any], ...]], ...] = ()
    # (table, primary key, column, value) of rows elsewhere whose link was set to NULL.
    nulled: tuple[tuple[str, tuple[tuple[str, Any], ...], str, Any], ...] = field(default=())

    def changes(self) -> Changes:
        """What deleting (or restoring) these contacts touched: them, the rows that went with
        them, and the events and organisations those rows linked to."""
        ids: dict[str, set[int]] = {}
        for name, rows in self.rows:
            ids.setdefault(name, set()).update(r["id"] for r in rows if "id" in r)
            for key in ("event_id", "organisation_id"):
                ids.setdefault(key, set()).update(r[key] for r in rows if r.get(key))
        for name, pk, _column, _value in self.nulled:
            ids.setdefault(name, set()).update(v for k, v in pk if k == "id")
        return Changes.of(
            contacts=set(self.contact_ids) | ids.get("contacts", set()),
            # Back with the same ids: a thumbnail shown meanwhile (none) must be read again.
            photos=self.contact_ids,
            touchpoints=ids.get("touchpoints"),
            follow_ups=ids.get("follow_ups"),
            referrals=ids.get("referrals"),
            events=ids.get("event_id", set()) | ids.get("event_plans", set()),
            organisations=ids.get("organisation_id", set()) | ids.get("organisations", set()),
        )


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def to_record(c: m.Contact) -> ContactRecord:
    return ContactRecord(
        id=c.id,
        uuid=c.uuid,
        name=c.name,
        name_prefix=c.name_prefix or "",
        given_name=c.given_name or "",
        middle_name=c.middle_name or "",
        family_name=c.family_name or "",
        name_suffix=c.name_suffix or "",
        nickname=c.nickname or "",
        phonetic_name=c.phonetic_name or "",
        name_custom=bool(c.name_custom),
        photo=c.photo,
        photo_type=c.photo_type or "",
        photo_url=c.photo_url or "",
        organisation=c.organisation or "",
        role=c.role or "",
        industry=c.industry or "",
        relationship=c.relationship or "other",
        how_met_kind=c.how_met_kind or "",
        how_met_text=c.how_met_text or "",
        how_met_event_id=c.how_met_event_id,
        referred_by_id=c.referred_by_id,
        location=c.location or "",
        birthday_month=c.birthday_month,
        birthday_day=c.birthday_day,
        birthday_year=c.birthday_year,
        interests=c.interests or "",
        notes=c.notes or "",
        cadence_days=c.cadence_days,
        last_touch_on=c.last_touch_on,
        next_touch_due=c.next_touch_due,
        emails=tuple(LabeledValue(e.label or "", e.value, bool(e.pref)) for e in c.emails),
        phones=tuple(LabeledValue(p.label or "", p.value, bool(p.pref)) for p in c.phones),
        urls=tuple(LabeledValue(u.label or "", u.value, bool(u.pref)) for u in c.urls),
        addresses=tuple(address_of(a) for a in c.addresses),
        tags=tuple(sorted(t.name for t in c.tags)),
        created_at=c.created_at,
        updated_at=c.updated_at,
        version=c.version or 1,
        created_by=c.created_by or "",
        updated_by=c.updated_by or "",
        visibility=c.visibility or SHARED,
    )


ADDRESS_PARTS = (
    "street",
    "locality",
    "region",
    "postal_code",
    "country",
    "po_box",
    "extended",
)
# Longest text each address part may hold (the columns' sizes).
ADDRESS_LIMITS = {
    "label": 64,
    "street": 500,
    "locality": 200,
    "region": 200,
    "postal_code": 40,
    "country": 200,
    "po_box": 100,
    "extended": 300,
}


def address_of(a: m.ContactAddress) -> PostalAddress:
    return PostalAddress(
        label=a.label or "",
        street=a.street or "",
        locality=a.locality or "",
        region=a.region or "",
        postal_code=a.postal_code or "",
        country=a.country or "",
        po_box=a.po_box or "",
        extended=a.extended or "",
        pref=bool(a.pref),
    )


def clean_address(address: PostalAddress) -> PostalAddress:
    """Trimmed parts (line breaks kept in the street); ValidationError when one is too long."""
    values: dict[str, Any] = {}
    for key, limit in ADDRESS_LIMITS.items():
        raw = str(getattr(address, key) or "")
        text = (
            "\n".join(" ".join(x.split()) for x in raw.splitlines() if x.strip())
            if key == "street"
            else " ".join(raw.split())
        )
        if len(text) > limit:
            raise ValidationError(
                "addresses", f"Keep an address's {key.replace('_', ' ')} under {limit} letters."
            )
        values[key] = text
    return PostalAddress(**values, pref=bool(address.pref))


def record_changes(record: ContactRecord, keys: Iterable[str]) -> dict[str, Any]:
    """The current values of `keys`, in the shape update() takes: the undo of an edit.

    A name edit can change the display name, its parts and `name_custom` together, so any of
    them brings all of them (undo puts the whole name back)."""
    out: dict[str, Any] = {}
    keys = list(keys)
    if any(k in ("name", "name_custom", *NAME_PARTS) for k in keys):
        keys = list(dict.fromkeys([*keys, "name", *NAME_PARTS, "name_custom"]))
    for key in keys:
        value = getattr(record, key)
        out[key] = list(value) if key in LIST_FIELDS else value
    return out


def _load_options() -> tuple[Any, ...]:
    return (
        selectinload(m.Contact.emails),
        selectinload(m.Contact.phones),
        selectinload(m.Contact.urls),
        selectinload(m.Contact.addresses),
        selectinload(m.Contact.tags),
    )


def _dependants(table: Table) -> list[tuple[Table, Any, Any, str]]:
    """(child table, child column, parent column, ondelete) for every FK pointing at `table`."""
    out = []
    for child in m.Base.metadata.sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table is table:
                out.append((child, fk.parent, fk.column, (fk.ondelete or "").upper()))
    return out


def _cascade_is_complete() -> bool:
    """True when every link into contacts (and what they cascade to) is CASCADE or SET NULL,
    so a snapshot's rows are exactly what a delete removes or unlinks."""
    closure = {"contacts"}
    changed = True
    while changed:
        changed = False
        for child in m.Base.metadata.sorted_tables:
            for fk in child.foreign_keys:
                if (
                    fk.column.table.name in closure
                    and (fk.ondelete or "").upper() == "CASCADE"
                    and child.name not in closure
                ):
                    closure.add(child.name)
                    changed = True
    return all(
        (fk.ondelete or "").upper() in ("CASCADE", "SET NULL")
        for child in m.Base.metadata.sorted_tables
        for fk in child.foreign_keys
        if fk.column.table.name in closure
    )


def _pk_of(table: Table, row: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple((col.name, row[col.name]) for col in table.primary_key.columns)


def settle_name(changes: Mapping[str, Any], current: Mapping[str, Any] | None) -> dict[str, Any]:
    """The display name follows the name parts unless the user typed their own.

    Parts given (or `name_custom` turned off): the name is the parts joined, unless it is
    custom. Only a name given (quick add, older callers): the parts are split from it,
    conservatively, and the name counts as custom when the parts do not give it back.
    """
    out = dict(changes)
    state: dict[str, Any] = {k: "" for k in NAME_PARTS} | {"name": "", "name_custom": False}
    state.update(current or {})
    touches_parts = any(k in out for k in NAME_PARTS)
    if touches_parts or out.get("name_custom") is False:
        state.update({k: out[k] for k in (*NAME_PARTS, "name_custom") if k in out})
        derived = display_name(*(str(state[k] or "") for k in NAME_PARTS))
        if "name" in out and " ".join(str(out["name"] or "").split()) != derived:
            # The caller sent both: a name that differs from the parts is the user's own.
            if "name_custom" not in out and str(out["name"] or "").strip():
                out["name_custom"] = True
            elif out.get("name_custom") is False:
                out["name"] = derived
        elif not state["name_custom"] and derived:
            out["name"] = derived
    elif "name" in out and "name_custom" not in out:
        text = " ".join(str(out["name"] or "").split())
        parts = split_name(text)
        out.update(parts.as_fields())
        out["name_custom"] = parts.display() != text
    return out


class ContactService:
    """All writes to contacts go through here, so derived columns and validation stay right."""

    def __init__(
        self,
        db: Database,
        preferences: Preferences | Callable[[], Preferences] | None = None,
    ) -> None:
        self.db = db
        self._preferences = preferences

    # --- preferences --------------------------------------------------------------------

    def preferences(self) -> Preferences:
        prefs = self._preferences
        if callable(prefs):
            return prefs()
        return prefs if prefs is not None else Preferences()

    def phone_region(self) -> str:
        return default_phone_region(self.preferences().phone_region)

    # --- validation ---------------------------------------------------------------------

    def clean(self, changes: Mapping[str, Any], session: Session | None = None) -> dict[str, Any]:
        """Validated, normalised changes; raises ValidationError naming the first bad field."""
        out: dict[str, Any] = {}
        for key, value in changes.items():
            if key not in EDITABLE_FIELDS:
                raise ValidationError(key, f"“{key}” is not a contact field.")
            if key in LIST_FIELDS:
                out[key] = self._clean_list(key, value)
                continue
            cleaned = _clean_scalar(key, value)
            if cleaned is not _SKIP:
                out[key] = cleaned
        if session is not None:
            self._check_links(session, out)
        return out

    def _clean_list(self, key: str, value: Any) -> list[Any]:
        """E-mails, phones, web addresses, postal addresses and tags: blanks dropped."""
        if key == "addresses":
            cleaned = (clean_address(a) for a in value)
            return [a for a in cleaned if not a.is_empty()]
        if key == "tags":
            seen: dict[str, str] = {}
            for tag in value:
                name = " ".join(str(tag).split())[:100]
                if name and fold(name) not in seen:
                    seen[fold(name)] = name
            return list(seen.values())
        region = self.phone_region() if key == "phones" else ""

        def normal(text: str) -> str:
            if key == "emails":
                return normalize_email(text, key)
            if key == "phones":
                return normalize_phone(text, region, key)
            return normalize_url(text, key)

        return [LabeledValue(lv.label.strip(), normal(lv.value), lv.pref) for lv in value
                if lv.value.strip()]  # fmt: skip

    def _check_links(self, session: Session, changes: Mapping[str, Any]) -> None:
        event_id = changes.get("how_met_event_id")
        if event_id is not None and session.get(m.EventPlan, event_id) is None:
            raise ValidationError("how_met_event_id", "That event plan no longer exists.")
        ref_id = changes.get("referred_by_id")
        if ref_id is not None and session.get(m.Contact, ref_id) is None:
            raise ValidationError("referred_by_id", "That contact no longer exists.")

    # --- single contacts ----------------------------------------------------------------

    def create(self, fields: Mapping[str, Any]) -> tuple[ContactRecord, Changes]:
        """A new contact; without a cadence given, the relationship's default from preferences."""
        data = dict(fields)
        data.setdefault("relationship", "other")
        if "cadence_days" not in data:
            data["cadence_days"] = self.preferences().cadence_for(str(data["relationship"]))
        data = settle_name(data, None)
        if "name" not in data:
            raise ValidationError("name", "A contact needs a name.")
        with self.db.session() as s:
            clean = self.clean(data, s)
            emails = clean.pop("emails", [])
            phones = clean.pop("phones", [])
            urls = clean.pop("urls", [])
            addresses = clean.pop("addresses", [])
            tags = clean.pop("tags", [])
            contact = new_contact(s, clean.pop("name"), **clean)
            self._set_lists(
                s,
                contact,
                {"emails": emails, "phones": phones, "urls": urls, "addresses": addresses},
            )
            contact.tags = get_or_create_tags(s, tags)
            self._check_birthday(contact)
            refresh_search_text(contact)
            s.flush()
            record, org_id = to_record(contact), contact.organisation_id
        photo = [record.id] if record.photo is not None else []
        return record, _contact_changes(record.id, org_id) | Changes.of(photos=photo)

    def get(self, contact_id: int) -> ContactRecord:
        with self.db.session() as s:
            contact = s.get(m.Contact, contact_id, options=_load_options())
            if contact is None:
                raise NotFoundError(f"Contact {contact_id} no longer exists.")
            return to_record(contact)

    def update(
        self,
        contact_id: int,
        changes: Mapping[str, Any],
        *,
        expected_version: int | None = None,
    ) -> tuple[ContactRecord, Changes]:
        """Apply validated changes in one transaction; on any error nothing is written.

        With `expected_version` (the version of the copy the user edited) a contact that
        someone else changed since raises ConflictError carrying the current record, instead
        of silently overwriting their change. A change committed between this read and this
        write is caught by the row's version too.
        """
        try:
            return self._update(contact_id, changes, expected_version)
        except ConcurrentEditError as exc:
            raise ConflictError(self.get(contact_id)) from exc

    def _update(
        self, contact_id: int, changes: Mapping[str, Any], expected_version: int | None
    ) -> tuple[ContactRecord, Changes]:
        with self.db.session() as s:
            contact = s.get(m.Contact, contact_id, options=_load_options())
            if contact is None:
                raise NotFoundError(f"Contact {contact_id} no longer exists.")
            if expected_version is not None and contact.version != expected_version:
                raise ConflictError(to_record(contact))
            current = {k: getattr(contact, k) for k in ("name", *NAME_PARTS, "name_custom")}
            org_before = contact.organisation_id
            clean = self.clean(settle_name(changes, current), s)
            if clean.get("referred_by_id") == contact_id:
                raise ValidationError("referred_by_id", "A contact cannot refer themselves.")
            self._follow_relationship(contact, clean)
            lists: dict[str, list[Any]] = {
                k: clean.pop(k) for k in ("emails", "phones", "urls", "addresses") if k in clean
            }
            tags = clean.pop("tags", None)
            for key, value in clean.items():
                setattr(contact, key, value)
            # Only what changed is validated: a stored value that fails today's rules (an
            # imported birthday, say) never blocks saving another field.
            if clean.keys() & {"birthday_month", "birthday_day", "birthday_year"}:
                self._check_birthday(contact)
            self._set_lists(s, contact, lists)
            if tags is not None:
                contact.tags = get_or_create_tags(s, tags)
            if "cadence_days" in clean:
                self._refresh_due(contact)
            if "organisation" in clean:
                link_contact_to_typed_organisation(s, contact)
            refresh_search_text(contact)
            contact.updated_at = utcnow()
            s.flush()
            record, org_after = to_record(contact), contact.organisation_id
        # The organisations gain or lose a member only when the link moved.
        orgs = (org_before, org_after) if org_before != org_after else ()
        photo = [contact_id] if clean.keys() & set(PHOTO_FIELDS) else []
        return record, _contact_changes(contact_id, *orgs) | Changes.of(photos=photo)

    def _follow_relationship(self, contact: m.Contact, clean: dict[str, Any]) -> None:
        """A rule that follows an edit: a cadence still at the old relationship's default
        follows the new relationship's default (undo moves it back the same way)."""
        new = clean.get("relationship")
        if new is None or "cadence_days" in clean or new == contact.relationship:
            return
        prefs = self.preferences()
        if contact.cadence_days == prefs.cadence_for(contact.relationship):
            clean["cadence_days"] = prefs.cadence_for(str(new))

    @staticmethod
    def _check_birthday(contact: m.Contact) -> None:
        check_birthday(contact.birthday_month, contact.birthday_day, contact.birthday_year)

    @staticmethod
    def _refresh_due(contact: m.Contact) -> None:
        added = (contact.created_at or utcnow()).date()
        contact.next_touch_due = next_touch_due(contact.last_touch_on, added, contact.cadence_days)

    @staticmethod
    def _set_lists(
        session: Session, contact: m.Contact, lists: Mapping[str, Sequence[Any]]
    ) -> None:
        makers = {"emails": m.ContactEmail, "phones": m.ContactPhone, "urls": m.ContactUrl}
        for key, values in lists.items():
            if key == "addresses":
                contact.addresses = [
                    m.ContactAddress(
                        label=a.label,
                        **{p: getattr(a, p) for p in ADDRESS_PARTS},
                        pref=a.pref,
                        position=i,
                    )
                    for i, a in enumerate(values)
                ]
                continue
            maker = makers[key]
            setattr(
                contact,
                key,
                [
                    maker(label=lv.label, value=lv.value, pref=lv.pref, position=i)
                    for i, lv in enumerate(values)
                ],
            )

    # --- delete and undo ----------------------------------------------------------------

    def delete(self, contact_id: int) -> tuple[ContactSnapshot, Changes]:
        return self.delete_many([contact_id])

    # From this many contacts on, SQLite deletes go row by row without foreign-key actions
    # (see _delete_without_fk_actions); below it the database's own cascade is quick enough.
    manual_cascade_from = 20

    def delete_many(self, contact_ids: Iterable[int]) -> tuple[ContactSnapshot, Changes]:
        """Delete contacts and everything that belongs to them, in one transaction; the
        snapshot undoes it (`restore`)."""
        ids = sorted(set(contact_ids))
        if (
            self.db.engine.dialect.name == "sqlite"
            and len(ids) >= self.manual_cascade_from
            and _cascade_is_complete()
        ):
            snapshot = self._delete_without_fk_actions(ids)
        else:
            with self.db.session() as s:
                snapshot = self._snapshot(s, ids)
                for chunk in _chunks(ids):
                    s.execute(delete(m.Contact).where(m.Contact.id.in_(chunk)))
        return snapshot, snapshot.changes()

    def _snapshot(self, s: Session, ids: list[int]) -> ContactSnapshot:
        names: list[str] = []
        for chunk in _chunks(ids):
            names.extend(s.scalars(select(m.Contact.name).where(m.Contact.id.in_(chunk))).all())
        rows: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
        nulled: list[tuple[str, tuple[tuple[str, Any], ...], str, Any]] = []
        table = m.Base.metadata.tables["contacts"]
        for chunk in _chunks(ids):
            self._collect(s, table, table.c.id, list(chunk), rows, nulled)
        ordered = tuple(
            (t.name, tuple(rows[t.name].values()))
            for t in m.Base.metadata.sorted_tables
            if t.name in rows
        )
        return ContactSnapshot(tuple(ids), tuple(names), ordered, tuple(nulled))

    def _delete_without_fk_actions(self, ids: list[int]) -> ContactSnapshot:
        """Delete exactly the rows the snapshot collected, with SQLite's FK actions off.

        Several link columns (contacts.referred_by_id, event_attendees.touchpoint_id, ...)
        have no index, so each deleted row would make SQLite scan whole tables: 5,000 of
        100,000 contacts took minutes. The snapshot already lists every row the cascade
        would delete and every link it would clear, so doing that by primary key is the
        same change, in one transaction, in about a second.
        """
        tables = m.Base.metadata.tables
        with self.db.engine.connect() as conn:
            # Only takes effect outside a transaction, hence the commits around it.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
            try:
                with Session(bind=conn) as s, s.begin():
                    snapshot = self._snapshot(s, ids)
                    by_column: dict[tuple[str, str], list[tuple[tuple[str, Any], ...]]] = {}
                    for name, pk, column, _value in snapshot.nulled:
                        by_column.setdefault((name, column), []).append(pk)
                    for (name, column), pks in by_column.items():
                        table = tables[name]
                        cols = list(table.primary_key.columns)
                        stmt = (
                            update(table)
                            .where(*(c == bindparam(f"pk_{c.name}") for c in cols))
                            .values({column: None})
                        )
                        s.execute(stmt, [{f"pk_{k}": v for k, v in pk} for pk in pks])
                    for name, rows in reversed(snapshot.rows):
                        if not rows:
                            continue
                        table = tables[name]
                        cols = list(table.primary_key.columns)
                        remove = delete(table).where(
                            *(c == bindparam(f"pk_{c.name}") for c in cols)
                        )
                        s.execute(remove, [{f"pk_{c.name}": r[c.name] for c in cols} for r in rows])
            finally:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
        return snapshot

    def _collect(
        self,
        s: Session,
        table: Table,
        column: Any,
        values: list[Any],
        rows: dict[str, dict[tuple[Any, ...], dict[str, Any]]],
        nulled: list[tuple[str, tuple[tuple[str, Any], ...], str, Any]],
    ) -> None:
        if not values:
            return
        found = [dict(r._mapping) for r in s.execute(select(table).where(column.in_(values)))]
        bucket = rows.setdefault(table.name, {})
        fresh = []
        for row in found:
            key = _pk_of(table, row)
            if key not in bucket:
                bucket[key] = row
                fresh.append(row)
        if not fresh:
            return
        for child, child_col, parent_col, ondelete in _dependants(table):
            parent_values = sorted({r[parent_col.name] for r in fresh} - {None})
            for chunk in _chunks(parent_values):
                if ondelete == "CASCADE":
                    self._collect(s, child, child_col, list(chunk), rows, nulled)
                elif ondelete == "SET NULL":
                    for r in s.execute(select(child).where(child_col.in_(chunk))):
                        mapping = dict(r._mapping)
                        nulled.append(
                            (
                                child.name,
                                _pk_of(child, mapping),
                                child_col.name,
                                mapping[child_col.name],
                            )
                        )

    def restore(self, snapshot: ContactSnapshot) -> Changes:
        """Put deleted contacts back with the same ids, links and history (one transaction)."""
        tables = m.Base.metadata.tables
        with self.db.session() as s:
            for name, rows in snapshot.rows:
                if rows:
                    for start in range(0, len(rows), CHUNK):
                        s.execute(
                            insert(tables[name]), [dict(r) for r in rows[start : start + CHUNK]]
                        )
            for name, pk, column, value in snapshot.nulled:
                table = tables[name]
                condition = [table.c[col] == val for col, val in pk]
                s.execute(update(table).where(*condition).values({column: value}))
        return snapshot.changes()

    # --- bulk edits ----------------------------------------------------------------------

    def _load_many(self, s: Session, ids: Sequence[int]) -> list[m.Contact]:
        out: list[m.Contact] = []
        for chunk in _chunks(ids):
            out.extend(
                s.scalars(
                    select(m.Contact).where(m.Contact.id.in_(chunk)).options(*_load_options())
                ).all()
            )
        return out

    def _tag_id(self, s: Session, name: str, create: bool) -> int | None:
        """The id of the tag called `name`, matched ignoring case ("VIP" = "vip")."""
        wanted = tag_key(name)
        for tag_id, existing in s.execute(select(m.Tag.id, m.Tag.name).order_by(m.Tag.id)):
            if tag_key(existing) == wanted:
                return int(tag_id)
        if not create:
            return None
        (tag,) = get_or_create_tags(s, [name])
        s.flush()
        return int(tag.id)

    def _having_tag(self, s: Session, ids: list[int], tag_id: int) -> set[int]:
        having: set[int] = set()
        for chunk in _chunks(ids):
            having.update(
                s.scalars(
                    select(m.ContactTag.contact_id).where(
                        m.ContactTag.tag_id == tag_id, m.ContactTag.contact_id.in_(chunk)
                    )
                )
            )
        return having

    def _existing(self, s: Session, ids: list[int]) -> list[int]:
        found: list[int] = []
        for chunk in _chunks(ids):
            found.extend(s.scalars(select(m.Contact.id).where(m.Contact.id.in_(chunk))))
        return sorted(found)

    def add_tag(self, contact_ids: Iterable[int], tag: str) -> tuple[list[int], Changes]:
        """Tag contacts; returns the ids that did not have it yet (what undo must untag)."""
        name = " ".join(tag.split())[:100]
        if not name:
            raise ValidationError("tag", "Enter a tag.")
        with self.db.session() as s:
            tag_id = self._tag_id(s, name, create=True)
            assert tag_id is not None
            ids = self._existing(s, sorted(set(contact_ids)))
            having = self._having_tag(s, ids, tag_id)
            changed = [cid for cid in ids if cid not in having]
            for chunk in _chunks(changed):
                s.execute(
                    insert(m.ContactTag), [{"contact_id": cid, "tag_id": tag_id} for cid in chunk]
                )
            refresh_search_texts(s, changed)
        return changed, Changes.of(contacts=changed)

    def remove_tag(self, contact_ids: Iterable[int], tag: str) -> tuple[list[int], Changes]:
        """Untag contacts; returns the ids that had it (what undo must tag again)."""
        name = " ".join(tag.split())
        with self.db.session() as s:
            tag_id = self._tag_id(s, name, create=False)
            if tag_id is None:
                return [], Changes()
            ids = sorted(set(contact_ids))
            changed = sorted(self._having_tag(s, ids, tag_id))
            for chunk in _chunks(changed):
                s.execute(
                    delete(m.ContactTag).where(
                        m.ContactTag.tag_id == tag_id, m.ContactTag.contact_id.in_(chunk)
                    )
                )
            refresh_search_texts(s, changed)
        return changed, Changes.of(contacts=changed)

    def set_field_many(self, values: Mapping[int, Any], key: str) -> tuple[dict[int, Any], Changes]:
        """Set `key` (relationship or cadence_days) per contact, in one transaction (with the
        next touch due that follows a cadence); returns the old values and what changed."""
        if key not in ("relationship", "cadence_days"):
            raise ValidationError(key, f"“{key}” cannot be set in bulk.")
        cleaned_by_value: dict[Any, Any] = {}
        cleaned: dict[int, Any] = {}
        for cid, value in values.items():
            if value not in cleaned_by_value:
                cleaned_by_value[value] = self.clean({key: value})[key]
            cleaned[cid] = cleaned_by_value[value]
        contacts = m.Base.metadata.tables["contacts"]
        column = contacts.c[key]
        old: dict[int, Any] = {}
        now = utcnow()
        with self.db.session() as s:
            params = []
            for chunk in _chunks(sorted(cleaned)):
                for cid, current, last, created in s.execute(
                    select(
                        contacts.c.id, column, contacts.c.last_touch_on, contacts.c.created_at
                    ).where(contacts.c.id.in_(chunk))
                ):
                    old[cid] = current
                    value = cleaned[cid]
                    row = {"cid": cid, "value": value, "now": now}
                    if key == "cadence_days":
                        added = (created or now).date()
                        row["due"] = next_touch_due(last, added, value)
                    params.append(row)
            if params:
                values_clause: dict[str, Any] = {
                    key: bindparam("value"),
                    "updated_at": bindparam("now"),
                    # A teammate's open copy of these contacts is now out of date.
                    "version": contacts.c.version + 1,
                    "updated_by": self.db.user,
                }
                if key == "cadence_days":
                    values_clause["next_touch_due"] = bindparam("due")
                s.execute(
                    update(contacts).where(contacts.c.id == bindparam("cid")).values(values_clause),
                    params,
                )
        return old, Changes.of(contacts=old)

    def set_relationship(
        self, contact_ids: Iterable[int], relationship: str
    ) -> tuple[dict[int, Any], Changes]:
        return self.set_field_many(dict.fromkeys(contact_ids, relationship), "relationship")

    def set_cadence(
        self, contact_ids: Iterable[int], days: int | None
    ) -> tuple[dict[int, Any], Changes]:
        return self.set_field_many(dict.fromkeys(contact_ids, days), "cadence_days")

    # --- finding --------------------------------------------------------------------------

    def find_duplicates(
        self,
        name: str,
        organisation: str = "",
        emails: Iterable[str] = (),
        exclude_id: int | None = None,
    ) -> list[DuplicateMatch]:
        """Contacts with one of these e-mails, or the same name and organisation (folded)."""
        found: dict[int, DuplicateMatch] = {}
        lowered = sorted({e.strip().lower() for e in emails if e.strip()})
        with self.db.session() as s:
            if lowered:
                query = (
                    select(
                        m.Contact.id, m.Contact.name, m.Contact.organisation, m.ContactEmail.value
                    )
                    .join(m.ContactEmail, m.ContactEmail.contact_id == m.Contact.id)
                    .where(func.lower(m.ContactEmail.value).in_(lowered))
                )
                for cid, cname, org, value in s.execute(query):
                    if cid != exclude_id:
                        found.setdefault(
                            cid, DuplicateMatch(cid, cname, org or "", f"same e-mail {value}")
                        )
            folded_name = fold(name)
            if folded_name:
                folded_org = fold(organisation)
                prefix = folded_name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                by_name = select(m.Contact.id, m.Contact.name, m.Contact.organisation).where(
                    m.Contact.search_text.like(prefix + "%", escape="\\")
                )
                for cid, cname, org in s.execute(by_name):
                    if cid == exclude_id or cid in found:
                        continue
                    if fold(cname) == folded_name and fold(org or "") == folded_org:
                        reason = "same name and organisation" if folded_org else "same name"
                        found[cid] = DuplicateMatch(cid, cname, org or "", reason)
        return list(found.values())

    def rows(self, contact_ids: Iterable[int] | None = None) -> list[ContactRow]:
        """Table rows for all contacts, in name order, or for just these ids."""
        data = self.table_data(contact_ids)
        empty: tuple[str, ...] = ()
        get_tags = data.tags.get
        return [ContactRow._make((*r, get_tags(r[0], empty))) for r in data.rows]

    def table_data(self, contact_ids: Iterable[int] | None = None) -> ContactTable:
        """What the contacts list shows, read as fast as Python allows (see ContactTable):
        every contact in name order, or just these ids."""
        if contact_ids is None:
            return ContactTable(self.list_rows(), self.list_tags())
        ids = sorted(set(contact_ids))
        query = list_statement(viewer(self.db))
        base: list[tuple[Any, ...]] = []
        with paused_gc(), self.db.session() as s:
            for chunk in _chunks(ids):
                base.extend(_read_rows(s, query.where(m.Contact.id.in_(chunk))))
        return ContactTable(base, self.list_tags(ids))

    def list_rows(self) -> list[tuple[Any, ...]]:
        """Every contact the viewer may see, as ContactTable's rows, in name order.

        Read through the DB-API cursor: building 100,000 SQLAlchemy Row objects and date
        conversions would take most of the time the tab has to show up. Name order from the
        database (the index ix_contacts_list on SQLite): the row objects are then created in
        the order searches walk them, which keeps a 100,000-row scan cache-friendly (sorted
        here instead, a scan takes two to three times as long).
        """
        with paused_gc(), self.db.session() as s:
            return _read_rows(s, list_statement(viewer(self.db)).order_by(*LIST_ORDER))

    def list_tags(self, contact_ids: Sequence[int] | None = None) -> dict[int, tuple[str, ...]]:
        """Contact id -> its tag names in name order, for contacts that have any (of all
        contacts, or of these ids)."""
        # One row per tagged contact with its tag ids ("3,7"): a few hundred distinct
        # combinations among 100,000 contacts, each turned into names once (_TagSets).
        tag_query = select(
            m.ContactTag.contact_id,
            func.aggregate_strings(cast(m.ContactTag.tag_id, String), ","),
        ).group_by(m.ContactTag.contact_id)
        with paused_gc():
            with self.db.session() as s:
                tag_sets = _TagSets(_raw(s, select(m.Tag.id, m.Tag.name)))
                if contact_ids is None:
                    tag_rows = _raw(s, tag_query)
                else:
                    tag_rows = []
                    for chunk in _chunks(contact_ids):
                        where = m.ContactTag.contact_id.in_(chunk)
                        tag_rows.extend(_raw(s, tag_query.where(where)))
                # A tag created by a write that committed between the reads (a bulk tag
                # running meanwhile) is named now; one deleted meanwhile is left out.
                missing = tag_sets.unknown(key for _, key in tag_rows)
                if missing:
                    named = select(m.Tag.id, m.Tag.name).where(m.Tag.id.in_(missing))
                    tag_sets.names.update(_raw(s, named))
            if not tag_rows:
                return {}
            cids, keys = zip(*tag_rows, strict=True)
            tags = dict(zip(cids, map(tag_sets.__getitem__, keys), strict=True))
            if () in tag_sets.values():  # only deleted tags: none to show (rare)
                tags = {cid: names for cid, names in tags.items() if names}
            return tags

    def ids_added_since(self, since: datetime) -> frozenset[int]:
        """Contacts added at or after `since` (UTC): "what I just imported", to bulk edit."""
        with self.db.session() as s:
            return frozenset(
                s.scalars(select(m.Contact.id).where(m.Contact.created_at >= since)).all()
            )

    def tag_names(self) -> list[str]:
        with self.db.session() as s:
            return list(s.scalars(select(m.Tag.name).order_by(m.Tag.name)))

    def names(self, contact_ids: Iterable[int]) -> dict[int, str]:
        ids = sorted(set(contact_ids))
        out: dict[int, str] = {}
        with self.db.session() as s:
            for chunk in _chunks(ids):
                out.update(
                    s.execute(
                        select(m.Contact.id, m.Contact.name).where(m.Contact.id.in_(chunk))
                    ).all()
                )
        return out

    def event_choices(self) -> list[tuple[int, str, date | None]]:
        """(id, name, start date) of every event plan, newest first, for the how-we-met picker."""
        with self.db.session() as s:
            rows = s.execute(
                select(m.EventPlan.id, m.EventPlan.name, m.EventPlan.starts_local).order_by(
                    m.EventPlan.starts_local.desc(), m.EventPlan.name
                )
            ).all()
        return [(r[0], r[1], r[2].date() if r[2] else None) for r in rows]

    def met_at_events(self, contact_id: int) -> list[tuple[int, str, date | None, str]]:
        """(event id, name, date, note) of the events where this contact was met."""
        with self.db.session() as s:
            rows = s.execute(
                select(
                    m.EventPlan.id, m.EventPlan.name, m.EventPlan.starts_local, m.EventAttendee.note
                )
                .join(m.EventAttendee, m.EventAttendee.event_id == m.EventPlan.id)
                .where(m.EventAttendee.contact_id == contact_id)
                .order_by(m.EventPlan.starts_local.desc())
            ).all()
        return [(r[0], r[1], r[2].date() if r[2] else None, r[3] or "") for r in rows]


_BIRTHDAY = BIRTHDAY_FIELDS

# What _clean_scalar returns for an editable field it has no rule for (left out, as before).
_SKIP = object()


def _clean_name_part(key: str, value: Any) -> str:
    limit = 300 if key == "phonetic_name" else 100
    text = " ".join(str(value or "").split())
    if len(text) > limit:
        raise ValidationError(key, f"Keep this part of the name under {limit} letters.")
    return text


def _clean_photo(key: str, value: Any) -> bytes | None:
    if value is not None and not isinstance(value, bytes):
        raise ValidationError(key, "A photo must be image data.")
    if value is not None and len(value) > MAX_PHOTO_BYTES:
        raise ValidationError(
            key, f"The photo is larger than {MAX_PHOTO_BYTES // 1024 // 1024} MB."
        )
    return value or None


def _clean_choice(key: str, value: Any) -> Any:
    if key == "relationship":
        if value not in RELATIONSHIPS:
            raise ValidationError(key, f"Unknown relationship “{value}”.")
        return value
    value = value or ""
    if value not in HOW_MET:
        raise ValidationError(key, f"Unknown way of meeting “{value}”.")
    return value


def _clean_cadence(key: str, value: Any) -> int | None:
    if value in (None, 0, ""):
        return None
    days = int(value)
    if not 1 <= days <= MAX_CADENCE_DAYS:
        raise ValidationError(key, f"The cadence must be between 1 and {MAX_CADENCE_DAYS} days.")
    return days


def _clean_scalar(key: str, value: Any) -> Any:
    """One single-valued contact field, validated and normalised (or _SKIP)."""
    if key == "name":
        text = str(value or "").strip()
        if not text:
            raise ValidationError("name", "A contact needs a name.")
        return text[:300]
    if key in TEXT_FIELDS:
        return str(value or "").strip()
    if key in NAME_FIELDS:
        return _clean_name_part(key, value)
    if key == "name_custom":
        return bool(value)
    if key == "photo":
        return _clean_photo(key, value)
    if key == "photo_type":
        return str(value or "")[:32]
    if key == "photo_url":
        text = str(value or "").strip()
        return normalize_url(text, key) if text else ""
    if key in LONG_TEXT_FIELDS:
        return str(value or "")
    if key == "visibility":
        return clean_visibility(value)
    if key in ("relationship", "how_met_kind"):
        return _clean_choice(key, value)
    if key == "cadence_days":
        return _clean_cadence(key, value)
    if key in ("how_met_event_id", "referred_by_id", *_BIRTHDAY):
        return None if value in (None, "") else int(value)
    return _SKIP


def _contact_changes(contact_id: int, *organisation_ids: int | None) -> Changes:
    """One contact changed; typing an organisation may have created or linked one."""
    return Changes.of(
        contacts=[contact_id], organisations=[o for o in organisation_ids if o is not None]
    )


class _Shared(dict[Any, Any]):
    """One object per distinct value (organisations, roles, relationships, dates repeat
    thousands of times in 100,000 rows); dates from drivers other than SQLite's become ISO
    text like SQLite's."""

    def __missing__(self, key: Any) -> Any:
        value = key.isoformat() if isinstance(key, date) else key
        self[key] = value
        return value


# Positions of the list row's repeated values (see ContactRow), shared through _Shared.
_SHARED_FIELDS = (2, 3, 4, 5, 6, 7)
_FETCH = 4096


def _read_rows(session: Session, statement: Any) -> list[tuple[Any, ...]]:
    """Like _raw, a slice at a time, with repeated values shared: 100,000 rows then take
    about a third less memory, and the duplicates never all exist at once."""
    connection = session.connection()
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    shared = [_Shared() for _ in _SHARED_FIELDS]
    rows: list[tuple[Any, ...]] = []
    try:
        cursor.execute(sql)
        while batch := cursor.fetchmany(_FETCH):
            columns: list[Iterable[Any]] = list(zip(*batch, strict=True))
            del batch
            for at, values in zip(_SHARED_FIELDS, shared, strict=True):
                columns[at] = map(values.__getitem__, columns[at])
            rows.extend(zip(*columns, strict=True))
            del columns
    finally:
        cursor.close()
    return rows


class _TagSets(dict[str, tuple[str, ...]]):
    """A contact's tag ids as the database joined them ("3,7", in any order) -> its tag
    names in name order; each combination is worked out once."""

    def __init__(self, names: Iterable[tuple[int, str]]) -> None:
        super().__init__()
        self.names: dict[int, str] = dict(names)

    def unknown(self, keys: Iterable[str]) -> set[int]:
        """Tag ids in `keys` with no name yet."""
        seen = set(keys)
        return {int(i) for key in seen for i in key.split(",") if int(i) not in self.names}

    def __missing__(self, key: str) -> tuple[str, ...]:
        names = self.names
        value = tuple(sorted(names[i] for i in map(int, key.split(",")) if i in names))
        self[key] = value
        return value


def _raw(session: Session, statement: Any) -> list[tuple[Any, ...]]:
    """Run a SELECT on the DB-API cursor, skipping SQLAlchemy's per-row objects."""
    connection = session.connection()
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()
