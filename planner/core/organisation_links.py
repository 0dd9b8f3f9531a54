"""Links to organisations: contacts' memberships, main organisation and "how we met", the
host of an event plan, where a touchpoint happened, and linking typed organisation names.

Every write is one transaction and returns what undo needs with the `Changes` it made; a link
that moves activity (a hosted event, a touchpoint there) re-plans both organisations'
reminders inside the same transaction.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from planner.core.changes import Changes
from planner.core.contact_rows import name_key, refresh_search_text
from planner.core.errors import NotFoundError
from planner.core.organisation_queries import load
from planner.core.organisation_records import CHUNK, ContactOrganisationState, FreeTextLinks
from planner.core.organisation_reminders import sync
from planner.db import models as m
from planner.db.database import Database

# Rows that can say where they happened (event plans hosted, touchpoints there).
_Linked = TypeVar("_Linked", m.EventPlan, m.Touchpoint)


def _contact(s: Session, contact_id: int) -> m.Contact:
    contact = s.get(m.Contact, contact_id)
    if contact is None:
        raise NotFoundError(f"Contact {contact_id} no longer exists.")
    return contact


def _state(s: Session, contact: m.Contact) -> ContactOrganisationState:
    return ContactOrganisationState(
        contact_id=contact.id,
        organisation_id=contact.organisation_id,
        organisation_text=contact.organisation,
        how_met_kind=contact.how_met_kind,
        how_met_organisation_id=contact.how_met_organisation_id,
        memberships=tuple(
            (int(o), str(r))
            for o, r in s.execute(
                select(m.ContactOrganisation.organisation_id, m.ContactOrganisation.role).where(
                    m.ContactOrganisation.contact_id == contact.id
                )
            )
        ),
    )


def _make_primary(contact: m.Contact, org: m.Organisation) -> None:
    contact.organisation_id = org.id
    # The typed text is the user's; fill it only when they left it empty.
    if not contact.organisation.strip():
        contact.organisation = org.name
        refresh_search_text(contact)


def _changed(states: Iterable[ContactOrganisationState], *organisations: int | None) -> Changes:
    """A contact's links changed: the contact, and every organisation it left or joined."""
    contacts: set[int] = set()
    orgs: set[int | None] = set(organisations)
    for state in states:
        contacts.add(state.contact_id)
        orgs.update({state.organisation_id, state.how_met_organisation_id})
        orgs.update(o for o, _r in state.memberships)
    return Changes.of(contacts=contacts, organisations={o for o in orgs if o is not None})


class OrganisationLinkService:
    """Who belongs where, and where things happened."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- contacts -------------------------------------------------------------------------

    def contact_state(self, contact_id: int) -> ContactOrganisationState:
        with self.db.session() as s:
            return _state(s, _contact(s, contact_id))

    def restore_contact_states(
        self, states: Sequence[ContactOrganisationState]
    ) -> tuple[list[ContactOrganisationState], Changes]:
        """Put contacts' memberships, main organisation and "how we met" back (undo), all in
        one transaction; returns their states just before."""
        with self.db.session() as s:
            existing = set(s.scalars(select(m.Organisation.id)))
            before = [self._restore(s, state, existing) for state in states]
        return before, _changed([*before, *states])

    def restore_contact_state(
        self, state: ContactOrganisationState
    ) -> tuple[ContactOrganisationState, Changes]:
        before, changes = self.restore_contact_states([state])
        return before[0], changes

    @staticmethod
    def _restore(
        s: Session, state: ContactOrganisationState, existing: set[int]
    ) -> ContactOrganisationState:
        contact = _contact(s, state.contact_id)
        before = _state(s, contact)
        links = {
            link.organisation_id: link
            for link in s.scalars(
                select(m.ContactOrganisation).where(m.ContactOrganisation.contact_id == contact.id)
            )
        }
        wanted = {oid: role for oid, role in state.memberships if oid in existing}
        for oid, link in links.items():
            if oid not in wanted:
                s.delete(link)
            else:
                link.role = wanted[oid]
        for oid, role in wanted.items():
            if oid not in links:
                s.add(m.ContactOrganisation(contact_id=contact.id, organisation_id=oid, role=role))
        contact.organisation_id = (
            state.organisation_id if state.organisation_id in existing else None
        )
        if contact.organisation != state.organisation_text:
            contact.organisation = state.organisation_text
            refresh_search_text(contact)
        contact.how_met_kind = state.how_met_kind
        contact.how_met_organisation_id = (
            state.how_met_organisation_id if state.how_met_organisation_id in existing else None
        )
        return before

    def link_contact(
        self, organisation_id: int, contact_id: int, *, role: str = "", primary: bool = False
    ) -> tuple[ContactOrganisationState, Changes]:
        """Add a membership (or change its role); returns the state before, for undo."""
        with self.db.session() as s:
            org = load(s, organisation_id)
            contact = _contact(s, contact_id)
            before = _state(s, contact)
            link = s.get(m.ContactOrganisation, (contact_id, organisation_id))
            if link is None:
                s.add(
                    m.ContactOrganisation(
                        contact_id=contact_id, organisation_id=organisation_id, role=role.strip()
                    )
                )
            else:
                link.role = role.strip()
            if primary or contact.organisation_id is None:
                _make_primary(contact, org)
        return before, _changed([before], organisation_id)

    def link_contacts(
        self, organisation_id: int, contact_ids: Iterable[int]
    ) -> tuple[list[ContactOrganisationState], Changes]:
        """Add several members at once (one undo step); returns their states before."""
        with self.db.session() as s:
            org = load(s, organisation_id)
            states = []
            ids = list(dict.fromkeys(contact_ids))
            linked = set(
                s.scalars(
                    select(m.ContactOrganisation.contact_id).where(
                        m.ContactOrganisation.organisation_id == organisation_id,
                        m.ContactOrganisation.contact_id.in_(ids),
                    )
                )
            )
            for contact in s.scalars(select(m.Contact).where(m.Contact.id.in_(ids))):
                states.append(_state(s, contact))
                if contact.id not in linked:
                    s.add(
                        m.ContactOrganisation(
                            contact_id=contact.id, organisation_id=organisation_id, role=""
                        )
                    )
                if contact.organisation_id is None:
                    _make_primary(contact, org)
        return states, _changed(states, organisation_id)

    def unlink_contact(
        self, organisation_id: int, contact_id: int
    ) -> tuple[ContactOrganisationState, Changes]:
        """End a membership (and "how we met" there); returns the state before, for undo."""
        with self.db.session() as s:
            contact = _contact(s, contact_id)
            before = _state(s, contact)
            link = s.get(m.ContactOrganisation, (contact_id, organisation_id))
            if link is not None:
                s.delete(link)
            if contact.organisation_id == organisation_id:
                contact.organisation_id = None
            if contact.how_met_organisation_id == organisation_id:
                contact.how_met_organisation_id = None
                if contact.how_met_kind == "organisation":
                    contact.how_met_kind = ""
        return before, _changed([before], organisation_id)

    def set_primary(
        self, contact_id: int, organisation_id: int | None
    ) -> tuple[ContactOrganisationState, Changes]:
        """Make it the contact's main organisation (a membership too); None clears it."""
        with self.db.session() as s:
            contact = _contact(s, contact_id)
            before = _state(s, contact)
            if organisation_id is None:
                contact.organisation_id = None
            else:
                org = load(s, organisation_id)
                if s.get(m.ContactOrganisation, (contact_id, organisation_id)) is None:
                    s.add(
                        m.ContactOrganisation(
                            contact_id=contact_id, organisation_id=organisation_id, role=""
                        )
                    )
                _make_primary(contact, org)
        return before, _changed([before], organisation_id)

    def set_how_met(
        self, contact_id: int, organisation_id: int | None
    ) -> tuple[ContactOrganisationState, Changes]:
        """ "How we met" points at an organisation, or (None) no longer does."""
        with self.db.session() as s:
            contact = _contact(s, contact_id)
            before = _state(s, contact)
            if organisation_id is None:
                contact.how_met_organisation_id = None
                if contact.how_met_kind == "organisation":
                    contact.how_met_kind = ""
            else:
                load(s, organisation_id)
                contact.how_met_organisation_id = organisation_id
                contact.how_met_kind = "organisation"
        return before, _changed([before], organisation_id)

    # --- events and touchpoints -------------------------------------------------------------

    def set_event_host(
        self, event_id: int, organisation_id: int | None
    ) -> tuple[int | None, Changes]:
        """Link an event plan to its host (None unlinks); returns the host before, for undo."""
        before, changes = self.set_event_hosts({event_id: organisation_id})
        return before[event_id], changes

    def set_event_hosts(
        self, hosts: Mapping[int, int | None]
    ) -> tuple[dict[int, int | None], Changes]:
        """Set several events' hosts in one transaction; returns the hosts before."""
        before, changes = self._relink(m.EventPlan, hosts, "Event plan")
        return before, changes | Changes.of(events=hosts)

    def set_touchpoint_organisation(
        self, touchpoint_id: int, organisation_id: int | None
    ) -> tuple[int | None, Changes]:
        """Say a touchpoint happened there (None unlinks); returns the link before, for undo."""
        before, changes = self.set_touchpoint_organisations({touchpoint_id: organisation_id})
        return before[touchpoint_id], changes

    def set_touchpoint_organisations(
        self, links: Mapping[int, int | None]
    ) -> tuple[dict[int, int | None], Changes]:
        before, changes = self._relink(m.Touchpoint, links, "Touchpoint")
        return before, changes | Changes.of(touchpoints=links)

    def _relink(
        self, model: type[_Linked], targets: Mapping[int, int | None], what: str
    ) -> tuple[dict[int, int | None], Changes]:
        """Point rows' organisation_id elsewhere and re-plan every organisation involved
        (activity counts change); returns the links before, for undo."""
        before: dict[int, int | None] = {}
        with self.db.session() as s:
            for row_id, organisation_id in targets.items():
                row = s.get(model, row_id)
                if row is None:
                    raise NotFoundError(f"{what} {row_id} no longer exists.")
                if organisation_id is not None:
                    load(s, organisation_id)
                before[row_id] = row.organisation_id
                row.organisation_id = organisation_id
            s.flush()
            orgs = {o for o in (*before.values(), *targets.values()) if o is not None}
            moved: set[int] = set()
            for org in s.scalars(select(m.Organisation).where(m.Organisation.id.in_(orgs))):
                # The user linked it here: the nudge follows exactly, earlier too.
                moved |= sync(s, org, renewal=None)
        return before, Changes.of(organisations=orgs, follow_ups=moved)

    # --- typed names ------------------------------------------------------------------------

    def link_free_text(self) -> tuple[FreeTextLinks, Changes]:
        """Link contacts whose organisation is typed text only, grouping spellings as the
        upgrade does (new organisations are companies). Undo: unlink_free_text()."""
        with self.db.session() as s:
            rows = s.execute(
                select(m.Contact.id, m.Contact.organisation)
                .where(m.Contact.organisation_id.is_(None), m.Contact.organisation != "")
                .order_by(m.Contact.id)
            ).all()
            groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
            for cid, text in rows:
                if name_key(text):
                    groups[name_key(text)].append((cid, text))
            if not groups:
                return FreeTextLinks(), Changes()
            known = dict(
                s.execute(
                    select(m.Organisation.name_key, m.Organisation.id).where(
                        m.Organisation.name_key.in_(list(groups))
                    )
                ).all()
            )
            created = []
            for key, members in groups.items():
                if key not in known:
                    counts = Counter(" ".join(t.split()) for _, t in members)
                    # Most common spelling; a tie goes to the one seen first.
                    name = counts.most_common(1)[0][0]
                    org = m.Organisation(name=name, name_key=key, kind="company")
                    s.add(org)
                    s.flush()
                    known[key] = org.id
                    created.append(org.id)
            linked_already = set(
                s.execute(
                    select(m.ContactOrganisation.contact_id, m.ContactOrganisation.organisation_id)
                ).all()
            )
            primaries = [(cid, known[key]) for key, members in groups.items() for cid, _ in members]
            added = [pair for pair in primaries if pair not in linked_already]
            _link_rows(s, primaries, added)
            links = FreeTextLinks(tuple(created), tuple(primaries), tuple(added))
        return links, _free_text_changes(links)

    def unlink_free_text(self, links: FreeTextLinks) -> tuple[FreeTextLinks, Changes]:
        """Undo link_free_text(): the links it made go, and the organisations it created."""
        contacts = m.Base.metadata.tables["contacts"]
        table = m.Base.metadata.tables["contact_organisations"]
        clear_primary = (
            update(contacts)
            .where(
                contacts.c.id == bindparam("cid"), contacts.c.organisation_id == bindparam("oid")
            )
            .values(organisation_id=None)
        )
        drop_link = delete(table).where(
            table.c.contact_id == bindparam("cid"), table.c.organisation_id == bindparam("oid")
        )
        with self.db.session() as s:
            for pairs, statement in (
                (links.primaries, clear_primary),
                (links.memberships, drop_link),
            ):
                for start in range(0, len(pairs), CHUNK):
                    s.execute(
                        statement, [{"cid": c, "oid": o} for c, o in pairs[start : start + CHUNK]]
                    )
            if links.created:
                s.execute(delete(m.Organisation).where(m.Organisation.id.in_(links.created)))
        return links, _free_text_changes(links)


def _link_rows(
    s: Session, primaries: Sequence[tuple[int, int]], added: Sequence[tuple[int, int]]
) -> None:
    """Core executemany: tens of thousands of rows after an import, in a second or two."""
    contacts = m.Base.metadata.tables["contacts"]
    links = m.Base.metadata.tables["contact_organisations"]
    set_primary = (
        update(contacts)
        .where(contacts.c.id == bindparam("cid"))
        .values(organisation_id=bindparam("oid"))
    )
    for start in range(0, len(primaries), CHUNK):
        chunk = primaries[start : start + CHUNK]
        s.execute(set_primary, [{"cid": c, "oid": o} for c, o in chunk])
    for start in range(0, len(added), CHUNK):
        chunk = added[start : start + CHUNK]
        s.execute(
            insert(links),
            [{"contact_id": c, "organisation_id": o, "role": ""} for c, o in chunk],
        )


def _free_text_changes(links: FreeTextLinks) -> Changes:
    """Thousands of contacts at once after an import: said as whole kinds."""
    if not links.primaries and not links.created:
        return Changes()
    return Changes.all("contacts", "organisations")
