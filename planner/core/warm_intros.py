"""The warm-intro question: "who on the team knows someone at <organisation>?"

A teammate knows a contact when they added the contact or logged a touchpoint with them
(rows carry `created_by`; the editor's name, "" before team mode). The contacts "at" an
organisation are its members (contact_organisations, which the typed organisation text also
links). Plain portable SQL: the same queries run on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from planner.core.visibility import contact_visible, viewer
from planner.db import models as m
from planner.db.database import Database


@dataclass(frozen=True)
class Knower:
    """One teammate who knows a contact, and how."""

    name: str
    added: bool  # they added the contact
    touchpoints: int  # touchpoints they logged with the contact
    last_touch: date | None


@dataclass(frozen=True)
class WarmIntro:
    """A contact at the organisation, with the teammates who know them (most contact first)."""

    contact_id: int
    knowers: tuple[Knower, ...]

    def summary(self) -> str:
        """ "Priya (3), Sam (added)": for the list's Known by column."""
        parts = []
        for k in self.knowers:
            if k.touchpoints:
                parts.append(f"{k.name} ({k.touchpoints})")
            else:
                parts.append(f"{k.name} (added)")
        return ", ".join(parts)


@dataclass(frozen=True)
class OrganisationChoice:
    id: int
    name: str
    contacts: int


class WarmIntroService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def organisations(self) -> list[OrganisationChoice]:
        """Organisations with at least one contact, by name: what the question can ask about."""
        member = m.ContactOrganisation
        query = (
            select(m.Organisation.id, m.Organisation.name, func.count(member.contact_id))
            .join(member, member.organisation_id == m.Organisation.id)
            .join(m.Contact, m.Contact.id == member.contact_id)
            .where(contact_visible(viewer(self.db)))
            .group_by(m.Organisation.id, m.Organisation.name)
            .order_by(func.lower(m.Organisation.name), m.Organisation.id)
        )
        with self.db.session() as s:
            return [OrganisationChoice(int(i), name, int(n)) for i, name, n in s.execute(query)]

    def who_knows_someone_at(self, organisation_id: int) -> list[WarmIntro]:
        """Every contact at the organisation with the teammates who know them; contacts no
        teammate is known to know (added before team mode) come with no knowers."""
        member = m.ContactOrganisation
        # A teammate's private contact is not offered to anyone else (core.visibility).
        at = (
            select(member.contact_id)
            .join(m.Contact, m.Contact.id == member.contact_id)
            .where(member.organisation_id == organisation_id, contact_visible(viewer(self.db)))
        )
        touched = (
            select(
                m.Touchpoint.contact_id,
                m.Touchpoint.created_by,
                func.count(m.Touchpoint.id),
                func.max(m.Touchpoint.occurred_on),
            )
            .where(m.Touchpoint.contact_id.in_(at), m.Touchpoint.created_by != "")
            .group_by(m.Touchpoint.contact_id, m.Touchpoint.created_by)
        )
        with self.db.session() as s:
            contacts: dict[int, str] = {
                int(cid): by or ""
                for cid, by in s.execute(
                    select(m.Contact.id, m.Contact.created_by).where(m.Contact.id.in_(at))
                )
            }
            logged: dict[int, dict[str, tuple[int, date | None]]] = {}
            for cid, who, count, last in s.execute(touched):
                logged.setdefault(cid, {})[who] = (int(count), last)
        out = []
        for cid, creator in contacts.items():
            by_name = logged.get(cid, {})
            names = set(by_name) | ({creator} if creator else set())
            knowers = [
                Knower(name, name == creator, *by_name.get(name, (0, None))) for name in names
            ]
            knowers.sort(key=lambda k: (-k.touchpoints, k.last_touch is None, k.name.casefold()))
            out.append(WarmIntro(cid, tuple(knowers)))
        return sorted(out, key=lambda w: (not w.knowers, w.contact_id))
