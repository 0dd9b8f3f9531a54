"""The import's new contacts: bulk inserts with the same derived columns `new_contact()` sets
(search text, next touch due, organisation link, the LinkedIn touchpoint)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.core.bulk import CHUNK, bulk_insert, uuid_stream
from planner.core.cadence import next_touch_due
from planner.core.contact_rows import name_key
from planner.core.dedupe import fast_search_blob
from planner.core.import_cards import ContactCard
from planner.core.import_rows import address_row, linkedin_touch, uuid_or_empty
from planner.db import models as m
from planner.db.dialect import reserve_ids
from planner.db.types import utcnow

# The tables a new contact has rows in, parents first.
_TABLES: tuple[Any, ...] = (
    m.Contact,
    m.ContactEmail,
    m.ContactPhone,
    m.ContactUrl,
    m.ContactAddress,
    m.ContactTag,
    m.Touchpoint,
    m.ContactOrganisation,
)
_Rows = dict[Any, list[dict[str, Any]]]


def create_contacts(
    s: Session,
    cards: Sequence[ContactCard],
    tag_ids: Mapping[str, int],
    org_ids: Mapping[str, int],
) -> list[int]:
    """Inserts the cards as new contacts; returns their ids in the cards' order. `tag_ids`
    maps tag names and `org_ids` organisation name keys to rows that exist already."""
    if not cards:
        return []
    now = utcnow()
    next_id = reserve_ids(s, m.Contact.__table__, len(cards))
    taken = _taken_uuids(s, cards)
    rows: _Rows = {model: [] for model in _TABLES}
    ids: list[int] = []
    fresh = uuid_stream()
    for offset, card in enumerate(cards):
        if offset and offset % CHUNK == 0:
            _write(s, rows)
        cid = next_id + offset
        ids.append(cid)
        uid = uuid_or_empty(card.uid)
        if not uid or uid in taken:
            uid = next(fresh)
        else:
            # Only the file's own UIDs can repeat; fresh random ones never do.
            taken.add(uid)
        org_id = org_ids.get(name_key(card.organisation)) if card.organisation else None
        rows[m.Contact].append(_contact_row(cid, uid, org_id, card, now))
        _add_related_rows(rows, cid, org_id, card, tag_ids, now, fresh)
    _write(s, rows)
    return ids


def _taken_uuids(s: Session, cards: Sequence[ContactCard]) -> set[str]:
    """The cards' UIDs that contacts in the database have already."""
    taken: set[str] = set()
    wanted_uids = [u for u in (uuid_or_empty(c.uid) for c in cards) if u]
    for start in range(0, len(wanted_uids), CHUNK):
        chunk = wanted_uids[start : start + CHUNK]
        taken.update(s.scalars(select(m.Contact.uuid).where(m.Contact.uuid.in_(chunk))))
    return taken


def _write(s: Session, rows: _Rows) -> None:
    """Writes and forgets the rows so far: Core inserts (not ORM bulk) are several times faster
    for tens of thousands of rows, and a 300,000-row import never holds every row dict."""
    for model, pending in rows.items():
        bulk_insert(s, model.__table__, pending)
        pending.clear()


def _contact_row(
    cid: int, uid: str, org_id: int | None, card: ContactCard, now: datetime
) -> dict[str, Any]:
    last = card.connected_on
    return {
        "id": cid,
        "uuid": uid,
        "organisation_id": org_id,
        "created_at": now,
        "updated_at": now,
        "name": card.name,
        "name_prefix": card.name_prefix,
        "given_name": card.given_name,
        "middle_name": card.middle_name,
        "family_name": card.family_name,
        "name_suffix": card.name_suffix,
        "nickname": card.nickname,
        "phonetic_name": card.phonetic_name,
        "name_custom": card.name_custom,
        "photo_url": card.photo_url,
        "organisation": card.organisation,
        "role": card.role,
        "industry": card.industry,
        "relationship": card.relationship or "other",
        "how_met_kind": card.how_met_kind,
        "how_met_text": card.how_met_text,
        "location": card.location,
        "birthday_month": card.birthday_month,
        "birthday_day": card.birthday_day,
        "birthday_year": card.birthday_year,
        "interests": card.interests,
        "notes": card.notes,
        "cadence_days": card.cadence_days,
        "last_touch_on": last,
        "next_touch_due": next_touch_due(last, now.date(), card.cadence_days),
        "photo": card.photo,
        "photo_type": card.photo_type if card.photo else "",
        "search_text": fast_search_blob(
            card.name,
            card.organisation,
            card.role,
            *(e.value for e in card.emails),
            *card.tags,
            card.notes,
        ),
    }


def _add_related_rows(
    rows: _Rows,
    cid: int,
    org_id: int | None,
    card: ContactCard,
    tag_ids: Mapping[str, int],
    now: datetime,
    fresh: Iterator[str],
) -> None:
    """The new contact's e-mails, phones, web addresses, addresses, tags, organisation link
    and LinkedIn touchpoint."""
    if org_id is not None:
        rows[m.ContactOrganisation].append(
            {"contact_id": cid, "organisation_id": org_id, "role": ""}
        )
    for model, items in (
        (m.ContactEmail, card.emails),
        (m.ContactPhone, card.phones),
        (m.ContactUrl, card.urls),
    ):
        for pos, item in enumerate(items):
            rows[model].append(
                {
                    "contact_id": cid,
                    "label": item.label,
                    "value": item.value,
                    "position": pos,
                    "pref": item.pref,
                }
            )
    for pos, address in enumerate(card.addresses):
        rows[m.ContactAddress].append(address_row(cid, address, pos))
    for tag_id in dict.fromkeys(tag_ids[tag] for tag in card.tags):
        rows[m.ContactTag].append({"contact_id": cid, "tag_id": tag_id})
    if card.connected_on:
        rows[m.Touchpoint].append(linkedin_touch(cid, card.connected_on, now, next(fresh)))
