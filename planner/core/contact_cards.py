"""Contacts read back as `ContactCard`s, in a handful of queries: what an export writes and
what the merge tool combines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.core.bulk import CHUNK
from planner.core.import_cards import ContactCard
from planner.core.import_rows import address_of_row
from planner.core.records import LabeledValue, PostalAddress
from planner.core.visibility import contact_visible
from planner.db import models as m

# Id chunks to read a table by; [None] reads the whole table once.
_Chunks = Sequence[Sequence[int] | None]


def load_cards(
    session: Session, contact_ids: list[int] | None = None, visible_to: str = ""
) -> list[ContactCard]:
    """Cards for the given contacts (all when None), in a handful of queries; with
    `visible_to`, only the contacts that user may see (an export leaves others' private ones)."""
    rows = _contacts(session, contact_ids, visible_to)
    ids = {c.id for c in rows}
    # A few contacts (a merge): ask for theirs only. All of them (an export): read each table
    # once rather than in thousands of chunks.
    few = contact_ids is not None and len(ids) <= 5 * CHUNK
    wanted = sorted(ids)
    chunks: _Chunks = (
        [wanted[i : i + CHUNK] for i in range(0, len(wanted), CHUNK)] if few else [None]
    )
    emails = _labeled(session, m.ContactEmail, chunks, ids)
    phones = _labeled(session, m.ContactPhone, chunks, ids)
    urls = _labeled(session, m.ContactUrl, chunks, ids)
    addresses = _addresses(session, chunks, ids)
    tags = _tags(session, chunks, ids)
    return [
        _card(
            c,
            emails=tuple(emails.get(c.id, ())),
            phones=tuple(phones.get(c.id, ())),
            urls=tuple(urls.get(c.id, ())),
            addresses=tuple(addresses.get(c.id, ())),
            tags=tuple(tags.get(c.id, ())),
        )
        for c in rows
    ]


def _contacts(session: Session, contact_ids: list[int] | None, visible_to: str) -> list[m.Contact]:
    """The contacts themselves, in name order."""
    query = (
        select(m.Contact).where(contact_visible(visible_to)).order_by(m.Contact.name, m.Contact.id)
    )
    rows: list[m.Contact] = []
    if contact_ids is None:
        rows = list(session.scalars(query.execution_options(yield_per=5000)))
    else:
        for start in range(0, len(contact_ids), CHUNK):
            id_chunk = contact_ids[start : start + CHUNK]
            rows.extend(session.scalars(query.where(m.Contact.id.in_(id_chunk))))
        rows.sort(key=lambda c: (c.name, c.id))
    return rows


def _labeled(
    session: Session, model: Any, chunks: _Chunks, ids: set[int]
) -> dict[int, list[LabeledValue]]:
    """E-mails, phones or web addresses per contact, in their order."""
    out: dict[int, list[LabeledValue]] = {}
    for chunk in chunks:
        value_query = select(model.contact_id, model.label, model.value, model.pref).order_by(
            model.contact_id, model.position, model.id
        )
        if chunk is not None:
            value_query = value_query.where(model.contact_id.in_(chunk))
        for cid, label, value, pref in session.execute(value_query):
            if cid in ids:
                out.setdefault(cid, []).append(LabeledValue(label or "", value, bool(pref)))
    return out


def _addresses(session: Session, chunks: _Chunks, ids: set[int]) -> dict[int, list[PostalAddress]]:
    """Postal addresses per contact, in their order."""
    addresses: dict[int, list[PostalAddress]] = {}
    address_table: Any = m.ContactAddress.__table__
    for chunk in chunks:
        address_query = select(address_table).order_by(
            address_table.c.contact_id, address_table.c.position, address_table.c.id
        )
        if chunk is not None:
            address_query = address_query.where(address_table.c.contact_id.in_(chunk))
        for found in session.execute(address_query):
            if found.contact_id in ids:
                addresses.setdefault(found.contact_id, []).append(address_of_row(found._mapping))
    return addresses


def _tags(session: Session, chunks: _Chunks, ids: set[int]) -> dict[int, list[str]]:
    """Tag names per contact, alphabetically."""
    tags: dict[int, list[str]] = {}
    for chunk in chunks:
        tag_query = (
            select(m.ContactTag.contact_id, m.Tag.name)
            .join(m.Tag, m.Tag.id == m.ContactTag.tag_id)
            .order_by(m.Tag.name)
        )
        if chunk is not None:
            tag_query = tag_query.where(m.ContactTag.contact_id.in_(chunk))
        for cid, name in session.execute(tag_query):
            if cid in ids:
                tags.setdefault(cid, []).append(name)
    return tags


def _card(
    c: m.Contact,
    *,
    emails: tuple[LabeledValue, ...],
    phones: tuple[LabeledValue, ...],
    urls: tuple[LabeledValue, ...],
    addresses: tuple[PostalAddress, ...],
    tags: tuple[str, ...],
) -> ContactCard:
    """One contact's columns and its rows of other tables as a card."""
    return ContactCard(
        name=c.name,
        name_prefix=c.name_prefix or "",
        given_name=c.given_name or "",
        middle_name=c.middle_name or "",
        family_name=c.family_name or "",
        name_suffix=c.name_suffix or "",
        nickname=c.nickname or "",
        phonetic_name=c.phonetic_name or "",
        name_custom=bool(c.name_custom),
        photo_url=c.photo_url or "",
        organisation=c.organisation or "",
        role=c.role or "",
        industry=c.industry or "",
        relationship=c.relationship or "",
        how_met_kind=c.how_met_kind or "",
        how_met_text=c.how_met_text or "",
        location=c.location or "",
        birthday_month=c.birthday_month,
        birthday_day=c.birthday_day,
        birthday_year=c.birthday_year,
        interests=c.interests or "",
        notes=c.notes or "",
        cadence_days=c.cadence_days,
        emails=emails,
        phones=phones,
        urls=urls,
        addresses=addresses,
        tags=tags,
        photo=c.photo,
        photo_type=c.photo_type or "",
        uid=c.uuid,
    )
