"""Low-level writes that keep a contact's derived columns right; shared by every service.

Services that add contacts or touchpoints (contacts, events, follow-ups, imports) call these
inside their own transaction, so search text and due dates never drift from the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from planner.core.cadence import next_touch_due
from planner.core.names import NAME_PARTS, split_name
from planner.core.text import search_blob
from planner.db import models as m
from planner.db.types import utcnow


def refresh_search_text(contact: m.Contact) -> None:
    contact.search_text = search_blob(
        contact.name,
        contact.organisation,
        contact.role,
        *(e.value for e in contact.emails),
        *(t.name for t in contact.tags),
        contact.notes,
    )


def refresh_search_texts(session: Session, contact_ids: Iterable[int]) -> None:
    """refresh_search_text for many contacts at once, without loading ORM objects.

    For bulk edits (tagging thousands after an import): a few queries per 500 contacts.
    """
    ids = sorted(set(contact_ids))
    contacts = m.Base.metadata.tables["contacts"]
    write = (
        update(contacts)
        .where(contacts.c.id == bindparam("cid"))
        .values(search_text=bindparam("blob"), updated_at=bindparam("now"))
    )
    now = utcnow()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        emails: dict[int, list[str]] = {}
        for cid, value in session.execute(
            select(m.ContactEmail.contact_id, m.ContactEmail.value)
            .where(m.ContactEmail.contact_id.in_(chunk))
            .order_by(m.ContactEmail.contact_id, m.ContactEmail.position)
        ):
            emails.setdefault(cid, []).append(value)
        tags: dict[int, list[str]] = {}
        for cid, name in session.execute(
            select(m.ContactTag.contact_id, m.Tag.name)
            .join(m.Tag, m.Tag.id == m.ContactTag.tag_id)
            .where(m.ContactTag.contact_id.in_(chunk))
            .order_by(m.Tag.name)
        ):
            tags.setdefault(cid, []).append(name)
        params = [
            {
                "cid": cid,
                "blob": search_blob(
                    name, org or "", role or "", *emails.get(cid, ()), *tags.get(cid, ()),
                    notes or "",
                ),
                "now": now,
            }
            for cid, name, org, role, notes in session.execute(
                select(
                    m.Contact.id, m.Contact.name, m.Contact.organisation, m.Contact.role,
                    m.Contact.notes,
                ).where(m.Contact.id.in_(chunk))
            )
        ]  # fmt: skip
        if params:
            session.execute(write, params)


def refresh_touch_dates(session: Session, contact_ids: Iterable[int]) -> None:
    """Recompute last_touch_on and next_touch_due from touchpoints and cadence."""
    ids = list(set(contact_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        last = dict(
            session.execute(
                select(m.Touchpoint.contact_id, func.max(m.Touchpoint.occurred_on))
                .where(m.Touchpoint.contact_id.in_(chunk))
                .group_by(m.Touchpoint.contact_id)
            ).all()
        )
        for contact in session.scalars(select(m.Contact).where(m.Contact.id.in_(chunk))):
            contact.last_touch_on = last.get(contact.id)
            added = (contact.created_at or utcnow()).date()
            contact.next_touch_due = next_touch_due(
                contact.last_touch_on, added, contact.cadence_days
            )


def tag_key(name: str) -> str:
    """What makes two tags the same: "Fintech" (a Google label) and "fintech" are one tag."""
    return " ".join(name.split()).casefold()


def get_or_create_tags(session: Session, names: Sequence[str]) -> list[m.Tag]:
    """The tags called `names`, matched ignoring case (the first spelling stays); new ones
    are added. Case variants in `names` give one tag."""
    wanted = [" ".join(n.split()) for n in names if n.strip()]
    if not wanted:
        return []
    existing: dict[str, m.Tag] = {}
    for tag in session.scalars(select(m.Tag).order_by(m.Tag.id)):
        existing.setdefault(tag_key(tag.name), tag)
    tags: list[m.Tag] = []
    for name in wanted:
        key = tag_key(name)
        found = existing.get(key)
        if found is None:
            found = existing[key] = m.Tag(name=name)
            session.add(found)
        tag = found
        if tag not in tags:
            tags.append(tag)
    return tags


def new_contact(
    session: Session,
    name: str,
    *,
    organisation: str = "",
    role: str = "",
    relationship: str = "other",
    cadence_days: int | None = None,
    emails: Sequence[str] = (),
    tags: Sequence[str] = (),
    link_organisation: bool = True,
    **fields: object,
) -> m.Contact:
    """Add a contact row with its derived columns and organisation link set; the caller
    validates and commits."""
    if not any(fields.get(k) for k in NAME_PARTS):
        # Only a display name (quick add, after an event): its parts, split conservatively.
        parts = split_name(name)
        fields = {**fields, **parts.as_fields(), "name_custom": parts.display() != name}
    contact = m.Contact(
        name=name,
        organisation=organisation,
        role=role,
        relationship=relationship,
        cadence_days=cadence_days,
        **fields,
    )
    contact.emails = [
        m.ContactEmail(value=value, label="", position=i) for i, value in enumerate(emails)
    ]
    contact.tags = get_or_create_tags(session, tags)
    contact.created_at = utcnow()
    refresh_search_text(contact)
    contact.next_touch_due = next_touch_due(None, contact.created_at.date(), cadence_days)
    session.add(contact)
    session.flush()
    if link_organisation:
        link_contact_to_typed_organisation(session, contact)
    return contact


def name_key(text: str) -> str:
    """Grouping key: case- and space-insensitive ("Globex", " globex ", "GLOBEX" -> "globex")."""
    return " ".join(text.casefold().split())


def link_contact_to_typed_organisation(session: Session, contact: m.Contact) -> int | None:
    """Point a contact's main organisation at the one its typed text names, creating it (as a
    company) if new; the text is left exactly as typed. For services that add contacts or
    change their organisation text (contacts, imports), inside their own transaction.
    Returns the organisation id, or None for empty text."""
    key = name_key(contact.organisation or "")
    if not key:
        return None
    if contact.organisation_id is not None:
        current = session.get(m.Organisation, contact.organisation_id)
        if current is not None and current.name_key == key:
            return current.id
    org = session.scalar(select(m.Organisation).where(m.Organisation.name_key == key))
    if org is None:
        org = m.Organisation(name=" ".join(contact.organisation.split()), name_key=key,
                             kind="company")  # fmt: skip
        session.add(org)
        session.flush()
    if contact.id is None:
        session.flush()
    contact.organisation_id = org.id
    if session.get(m.ContactOrganisation, (contact.id, org.id)) is None:
        session.add(m.ContactOrganisation(contact_id=contact.id, organisation_id=org.id, role=""))
    return org.id
