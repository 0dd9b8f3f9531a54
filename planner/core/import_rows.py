"""The rows an import writes besides the contact itself: its addresses, the LinkedIn
"connected on" touchpoint, and the organisations the cards name."""

from __future__ import annotations

import uuid as uuid_mod
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.core.bulk import CHUNK, bulk_insert, random_uuids
from planner.core.contact_rows import name_key
from planner.core.contacts import ADDRESS_PARTS
from planner.core.records import PostalAddress
from planner.db import models as m
from planner.db.dialect import reserve_ids

LINKEDIN_NOTE = "Connected on LinkedIn"


def uuid_or_empty(uid: str) -> str:
    """The file's UID as our UUID text ("urn:uuid:" and case dropped), or "" when it is none."""
    if not uid:
        return ""
    text = uid.strip().lower()
    if text.startswith("urn:uuid:"):
        text = text[9:]
    try:
        return str(uuid_mod.UUID(text))
    except ValueError:
        return ""


def organisation_ids(
    session: Session, texts: Iterable[str], now: datetime
) -> tuple[dict[str, int], tuple[int, ...]]:
    """Organisation ids by name key for the organisations the cards name, adding the new
    ones as companies (what organisations.link_contact_to_typed_organisation does per contact)."""
    names: dict[str, str] = {}
    for text in texts:
        key = name_key(text)
        if key and key not in names:
            names[key] = " ".join(text.split())[:300]
    if not names:
        return {}, ()
    table: Any = m.Organisation.__table__
    found: dict[str, int] = {}
    keys = list(names)
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        found.update(
            (k, i)
            for k, i in session.execute(
                select(table.c.name_key, table.c.id).where(table.c.name_key.in_(chunk))
            )
        )
    missing = [k for k in keys if k not in found]
    if not missing:
        return found, ()
    next_id = reserve_ids(session, table, len(missing))
    fresh = random_uuids(len(missing))
    rows = []
    for offset, key in enumerate(missing):
        found[key] = next_id + offset
        rows.append(
            {
                "id": next_id + offset,
                "uuid": next(fresh),
                "created_at": now,
                "updated_at": now,
                "name": names[key],
                "name_key": key,
                "kind": "company",
            }
        )
    bulk_insert(session, table, rows)
    return found, tuple(found[k] for k in missing)


def address_row(contact_id: int, address: PostalAddress, position: int) -> dict[str, Any]:
    return {
        "contact_id": contact_id,
        "label": address.label,
        **{p: getattr(address, p) for p in ADDRESS_PARTS},
        "position": position,
        "pref": address.pref,
    }


def address_of_row(row: Any) -> PostalAddress:
    return PostalAddress(
        label=row["label"] or "",
        **{p: row[p] or "" for p in ADDRESS_PARTS},
        pref=bool(row["pref"]),
    )


def linkedin_touch(contact_id: int, day: date, now: datetime, uid: str) -> dict[str, Any]:
    return {
        "uuid": uid,
        "created_at": now,
        "updated_at": now,
        "contact_id": contact_id,
        "occurred_on": day,
        "channel": "social",
        "kind": "met",
        "note": LINKEDIN_NOTE,
        "event_id": None,
    }
