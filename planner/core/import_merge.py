"""Merging imported cards into contacts that exist: what a contact lacks is filled, values it
does not have are added, and each change is recorded so the import's undo takes exactly that
away. Core statements throughout, fast at scale."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from planner.core.bulk import CHUNK, bulk_insert
from planner.core.cadence import next_touch_due
from planner.core.contact_rows import name_key
from planner.core.contact_schema import NAME_GROUP, SIMPLE_FIELDS
from planner.core.dedupe import fast_search_blob
from planner.core.import_cards import (
    FILLED_WHEN_EMPTY,
    ContactCard,
    address_norm,
    email_norm,
    fills_relationship,
    merge_cards,
    merge_notes,
    phone_norm,
    url_norm,
)
from planner.core.import_rows import address_of_row, address_row, linkedin_touch
from planner.core.records import LabeledValue
from planner.db import models as m
from planner.db.dialect import reserve_ids
from planner.db.types import new_uuid, utcnow

# The contact columns a card can fill: its single-valued fields but the name group, which
# is set as a whole (and visibility, which a file does not carry).
_SCALARS = tuple(
    f for f in SIMPLE_FIELDS
    if f in {c.name for c in fields(ContactCard)} and f not in NAME_GROUP and f != "visibility"
)  # fmt: skip
# next_touch_due of a contact row whose touch dates and cadence the merge left alone.
_UNCHANGED = object()
_NORMS = {"email": email_norm, "phone": phone_norm, "url": url_norm}
# The tables the merge adds rows to (besides tag and organisation links), by kind.
_ADDED_TABLES: dict[str, Any] = {
    "email": m.ContactEmail.__table__,
    "phone": m.ContactPhone.__table__,
    "url": m.ContactUrl.__table__,
    "address": m.ContactAddress.__table__,
    "touch": m.Touchpoint.__table__,
}


@dataclass(frozen=True)
class MergedChange:
    """What a merge added to an existing contact, so undo can take exactly that away."""

    contact_id: int
    before: tuple[tuple[str, Any], ...]
    email_ids: tuple[int, ...] = ()
    phone_ids: tuple[int, ...] = ()
    url_ids: tuple[int, ...] = ()
    touchpoint_ids: tuple[int, ...] = ()
    tag_ids: tuple[int, ...] = ()
    organisation_ids: tuple[int, ...] = ()
    address_ids: tuple[int, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(
            self.before
            or self.email_ids
            or self.phone_ids
            or self.url_ids
            or self.address_ids
            or self.touchpoint_ids
            or self.tag_ids
            or self.organisation_ids
        )


@dataclass
class _Known:
    """What the contacts being merged into have already; kept up to date as cards are added."""

    # Contact columns by contact id.
    current: dict[int, dict[str, Any]] = field(default_factory=dict)
    # Kind (email, phone, url) -> contact id -> (position, value).
    values: dict[str, dict[int, list[tuple[int, str]]]] = field(
        default_factory=lambda: {kind: {} for kind in _NORMS}
    )
    # Contact id -> (position, normalised address).
    addresses: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    tags: dict[int, set[int]] = field(default_factory=dict)
    organisations: dict[int, set[int]] = field(default_factory=dict)
    met_days: set[tuple[int, date]] = field(default_factory=set)
    tag_names: dict[int, str] = field(default_factory=dict)


def merge_into(
    s: Session,
    pairs: Sequence[tuple[int, ContactCard]],
    tag_ids: Mapping[str, int],
    org_ids: Mapping[str, int],
) -> list[MergedChange]:
    """Adds what the cards know to the contacts they are paired with (`tag_ids` maps tag
    names and `org_ids` organisation name keys to rows that exist already)."""
    if not pairs:
        return []
    # Several groups may point at one contact: combine them first.
    by_id: dict[int, ContactCard] = {}
    for cid, card in pairs:
        by_id[cid] = merge_cards(by_id[cid], card) if cid in by_id else card
    ids = sorted(by_id)
    known = _read_known(s, ids)
    writer = _MergeWriter(s, known, tag_ids, org_ids, _reserve_ids(s, by_id.values()))
    changes: list[MergedChange] = []
    for cid in ids:
        row = known.current.get(cid)
        if row is not None:
            changes.append(writer.merge(cid, row, by_id[cid]))
    writer.write()
    return changes


def _read_known(s: Session, ids: Sequence[int]) -> _Known:
    """The contacts' columns, values, addresses, tags, organisations and "met" days."""
    ct: Any = m.Contact.__table__
    address_table: Any = m.ContactAddress.__table__
    link: Any = m.ContactTag.__table__
    member: Any = m.ContactOrganisation.__table__
    touch: Any = m.Touchpoint.__table__
    columns = [ct.c.id, ct.c.name, ct.c.created_at, ct.c.last_touch_on, ct.c.organisation_id]
    columns += [ct.c[n] for n in _SCALARS]
    known = _Known()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for found in s.execute(select(*columns).where(ct.c.id.in_(chunk))):
            known.current[found.id] = dict(found._mapping)
        for kind in _NORMS:
            table = _ADDED_TABLES[kind]
            for cid, value, position in s.execute(
                select(table.c.contact_id, table.c.value, table.c.position).where(
                    table.c.contact_id.in_(chunk)
                )
            ):
                known.values[kind].setdefault(cid, []).append((position, value))
        for found in s.execute(select(address_table).where(address_table.c.contact_id.in_(chunk))):
            known.addresses.setdefault(found.contact_id, []).append(
                (found.position, address_norm(address_of_row(found._mapping)))
            )
        for cid, tid in s.execute(
            select(link.c.contact_id, link.c.tag_id).where(link.c.contact_id.in_(chunk))
        ):
            known.tags.setdefault(cid, set()).add(tid)
        for cid, oid in s.execute(
            select(member.c.contact_id, member.c.organisation_id).where(
                member.c.contact_id.in_(chunk)
            )
        ):
            known.organisations.setdefault(cid, set()).add(oid)
        known.met_days.update(
            (cid, day)
            for cid, day in s.execute(
                select(touch.c.contact_id, touch.c.occurred_on).where(
                    touch.c.contact_id.in_(chunk), touch.c.kind == "met"
                )
            )
        )
    known.tag_names.update(s.execute(select(m.Tag.id, m.Tag.name)).all())
    return known


def _reserve_ids(s: Session, cards: Iterable[ContactCard]) -> dict[str, int]:
    """The first id of each kind of row the merge may add: at most one per value of the cards
    (fewer when values are known already)."""
    cards = list(cards)
    most = {
        "email": sum(len(c.emails) for c in cards),
        "phone": sum(len(c.phones) for c in cards),
        "url": sum(len(c.urls) for c in cards),
        "address": sum(len(c.addresses) for c in cards),
        "touch": sum(1 for c in cards if c.connected_on),
    }
    return {kind: reserve_ids(s, table, most[kind]) for kind, table in _ADDED_TABLES.items()}


class _MergeWriter:
    """Adds cards to contacts in memory, one contact at a time; `write` then inserts the new
    rows and updates the contacts in bulk."""

    def __init__(
        self,
        s: Session,
        known: _Known,
        tag_ids: Mapping[str, int],
        org_ids: Mapping[str, int],
        next_ids: dict[str, int],
    ) -> None:
        self.s = s
        self.known = known
        self.tag_ids = tag_ids
        self.org_ids = org_ids
        self.next_ids = next_ids
        self.new_rows: dict[str, list[dict[str, Any]]] = {kind: [] for kind in _ADDED_TABLES}
        self.new_links: list[dict[str, Any]] = []
        self.new_members: list[dict[str, Any]] = []
        self.updates: list[dict[str, Any]] = []
        self.now = utcnow()

    def merge(self, cid: int, row: dict[str, Any], card: ContactCard) -> MergedChange:
        """Adds one card to the contact whose columns are `row`; returns what it changed."""
        before = _fill(row, card)
        added: dict[str, list[int]] = {}
        for kind, items in (("email", card.emails), ("phone", card.phones), ("url", card.urls)):
            self._add_values(cid, kind, items, added)
        self._add_addresses(cid, card, added)
        added_tags = self._add_tags(cid, card)
        added_orgs = self._link_organisation(cid, row, before)
        touched = self._add_linkedin_touch(cid, row, card, added)
        change = MergedChange(
            contact_id=cid,
            before=tuple(sorted(before.items())),
            email_ids=tuple(added.get("email", ())),
            phone_ids=tuple(added.get("phone", ())),
            url_ids=tuple(added.get("url", ())),
            address_ids=tuple(added.get("address", ())),
            touchpoint_ids=tuple(added.get("touch", ())),
            tag_ids=tuple(added_tags),
            organisation_ids=tuple(added_orgs),
        )
        if before or added or added_tags:
            self._refresh_derived(cid, row, dated=touched or "cadence_days" in before)
            self.updates.append(row)
        return change

    def write(self) -> None:
        for kind, table in _ADDED_TABLES.items():
            bulk_insert(self.s, table, self.new_rows[kind])
        bulk_insert(self.s, m.ContactTag.__table__, self.new_links)
        bulk_insert(self.s, m.ContactOrganisation.__table__, self.new_members)
        _update_contacts(self.s, self.updates, self.now)

    def _next_id(self, kind: str) -> int:
        rid = self.next_ids[kind]
        self.next_ids[kind] += 1
        return rid

    def _add_values(
        self, cid: int, kind: str, items: Sequence[LabeledValue], added: dict[str, list[int]]
    ) -> None:
        """The e-mails, phones or web addresses the contact lacks, after its own."""
        norm = _NORMS[kind]
        rows = sorted(self.known.values[kind].get(cid, []))
        seen = {norm(v) for _p, v in rows}
        position = (rows[-1][0] + 1) if rows else 0
        for item in items:
            key = norm(item.value)
            if key in seen:
                continue
            seen.add(key)
            rid = self._next_id(kind)
            self.new_rows[kind].append(
                {
                    "id": rid,
                    "contact_id": cid,
                    "label": item.label,
                    "value": item.value,
                    "position": position,
                    # The contact's own preferred value stays so.
                    "pref": False,
                }
            )
            rows.append((position, item.value))
            position += 1
            added.setdefault(kind, []).append(rid)
        self.known.values[kind][cid] = rows

    def _add_addresses(self, cid: int, card: ContactCard, added: dict[str, list[int]]) -> None:
        """The postal addresses the contact lacks, after its own (never preferred)."""
        known = sorted(self.known.addresses.get(cid, []))
        seen = {k for _p, k in known}
        position = (known[-1][0] + 1) if known else 0
        for address in card.addresses:
            key = address_norm(address)
            if key in seen:
                continue
            seen.add(key)
            rid = self._next_id("address")
            row_of = address_row(cid, replace(address, pref=False), position)
            self.new_rows["address"].append({"id": rid, **row_of})
            known.append((position, key))
            position += 1
            added.setdefault("address", []).append(rid)
        self.known.addresses[cid] = known

    def _add_tags(self, cid: int, card: ContactCard) -> list[int]:
        """Links the card's tags the contact lacks; returns their ids."""
        tags = self.known.tags.setdefault(cid, set())
        added_tags = []
        for name in dict.fromkeys(card.tags):
            tid = self.tag_ids[name]
            if tid not in tags:
                tags.add(tid)
                added_tags.append(tid)
                self.new_links.append({"contact_id": cid, "tag_id": tid})
                self.known.tag_names.setdefault(tid, name)
        return added_tags

    def _link_organisation(
        self, cid: int, row: dict[str, Any], before: dict[str, Any]
    ) -> list[int]:
        """The merge gave them an organisation: link it as typing it would; returns the id of
        the organisation newly linked (none or one)."""
        if "organisation" not in before or row["organisation_id"] is not None:
            return []
        org_id = self.org_ids.get(name_key(row["organisation"]))
        if org_id is None:
            return []
        before["organisation_id"] = None
        row["organisation_id"] = org_id
        linked = self.known.organisations.setdefault(cid, set())
        if org_id in linked:
            return []
        linked.add(org_id)
        self.new_members.append({"contact_id": cid, "organisation_id": org_id, "role": ""})
        return [org_id]

    def _add_linkedin_touch(
        self, cid: int, row: dict[str, Any], card: ContactCard, added: dict[str, list[int]]
    ) -> bool:
        """The "connected on" touchpoint, unless they met that day already; whether it was
        added (the last touch may have moved)."""
        if not card.connected_on or (cid, card.connected_on) in self.known.met_days:
            return False
        self.known.met_days.add((cid, card.connected_on))
        rid = self._next_id("touch")
        self.new_rows["touch"].append(
            {"id": rid, **linkedin_touch(cid, card.connected_on, self.now, new_uuid())}
        )
        added.setdefault("touch", []).append(rid)
        last = row["last_touch_on"]
        row["last_touch_on"] = max(last, card.connected_on) if last else card.connected_on
        return True

    def _refresh_derived(self, cid: int, row: dict[str, Any], dated: bool) -> None:
        """The next touch due (when the touch dates or cadence moved) and the search text."""
        if dated:
            created = (row["created_at"] or self.now).date()
            row["next_touch_due"] = next_touch_due(
                row["last_touch_on"], created, row["cadence_days"]
            )
        else:
            row["next_touch_due"] = _UNCHANGED
        row["search_text"] = fast_search_blob(
            row["name"],
            row["organisation"],
            row["role"],
            *(v for _p, v in self.known.values["email"].get(cid, [])),
            *sorted(self.known.tag_names[t] for t in self.known.tags.get(cid, set())),
            row["notes"],
        )


def _update_contacts(s: Session, rows: list[dict[str, Any]], now: datetime) -> None:
    """Writes the merged contacts' columns back, next_touch_due only where it moved."""
    ct: Any = m.Contact.__table__
    names = (*_SCALARS, "search_text", "last_touch_on", "organisation_id")
    plain = [r for r in rows if r["next_touch_due"] is _UNCHANGED]
    dated = [r for r in rows if r["next_touch_due"] is not _UNCHANGED]
    for group, cols in ((plain, names), (dated, (*names, "next_touch_due"))):
        if not group:
            continue
        statement = (
            update(ct)
            .where(ct.c.id == bindparam("b_id"))
            .values({c: bindparam(f"b_{c}") for c in (*cols, "updated_at")})
            # A teammate's open copy of a merged contact is now out of date.
            .values(version=ct.c.version + 1)
        )
        params = [
            {"b_id": r["id"], "b_updated_at": now, **{f"b_{c}": r[c] for c in cols}} for r in group
        ]
        for start in range(0, len(params), CHUNK):
            s.connection().execute(statement, params[start : start + CHUNK])


def _fill(row: dict[str, Any], card: ContactCard) -> dict[str, Any]:
    """Fills what the contact lacks from the card; returns the old values of what changed."""
    before: dict[str, Any] = {}

    def put(name: str, value: Any) -> None:
        before.setdefault(name, row[name])
        row[name] = value

    for name in FILLED_WHEN_EMPTY:
        if not row[name] and getattr(card, name):
            put(name, getattr(card, name))
    if fills_relationship(row["relationship"], card.relationship):
        put("relationship", card.relationship)
    if not row["how_met_kind"] and card.how_met_kind:
        put("how_met_kind", card.how_met_kind)
    if row["birthday_month"] is None and card.birthday_month is not None:
        put("birthday_month", card.birthday_month)
        put("birthday_day", card.birthday_day)
        put("birthday_year", card.birthday_year)
    elif (
        row["birthday_year"] is None
        and card.birthday_year is not None
        and (row["birthday_month"], row["birthday_day"]) == (card.birthday_month, card.birthday_day)
    ):
        put("birthday_year", card.birthday_year)
    if row["cadence_days"] is None and card.cadence_days is not None:
        put("cadence_days", card.cadence_days)
    if row["photo"] is None and card.photo is not None:
        put("photo", card.photo)
        put("photo_type", card.photo_type)
    notes = merge_notes(row["notes"] or "", card.notes)
    if notes != (row["notes"] or ""):
        put("notes", notes)
    return before


def apply_scalars(contact: m.Contact, card: ContactCard) -> dict[str, Any]:
    """What a card fills in a live ORM contact (the merge tool); returns the old values."""
    row = {name: getattr(contact, name) for name in _SCALARS}
    before = _fill(row, card)
    for name in before:
        setattr(contact, name, row[name])
    return before
