"""What the Organisations tab and pickers read: the list with its counts, one organisation's
members, hosted events, touchpoints and reminders, and the searches behind the link pickers."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from planner.core.contact_rows import name_key
from planner.core.errors import NotFoundError
from planner.core.followups import followup_record
from planner.core.organisation_records import (
    MINE,
    HostedEventRecord,
    MemberRecord,
    MembershipRecord,
    OrganisationRecord,
    OrganisationSummary,
    OrganisationTouchRecord,
    to_record,
)
from planner.core.organisation_reminders import (
    last_activity,
    last_event_dates,
    touch_counts,
    touch_queries,
)
from planner.core.records import FollowUpRecord
from planner.core.text import fold
from planner.core.vocab import EVENT_STATUSES, EVENT_TYPES
from planner.db import models as m
from planner.db.database import Database


def load(s: Session, organisation_id: int) -> m.Organisation:
    org = s.get(m.Organisation, organisation_id)
    if org is None:
        raise NotFoundError(f"Organisation {organisation_id} no longer exists.")
    return org


class OrganisationQueries:
    """Read-only views of organisations; one short session per call."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, organisation_id: int) -> OrganisationRecord:
        with self.db.session() as s:
            return to_record(load(s, organisation_id))

    def choices(self) -> list[tuple[int, str]]:
        """(id, name) of every organisation, by name, for pickers."""
        with self.db.session() as s:
            rows = s.execute(
                select(m.Organisation.id, m.Organisation.name).order_by(m.Organisation.name_key)
            ).all()
        return [(int(i), str(n)) for i, n in rows]

    def find_by_name(self, name: str) -> OrganisationRecord | None:
        with self.db.session() as s:
            org = s.scalar(select(m.Organisation).where(m.Organisation.name_key == name_key(name)))
            return to_record(org) if org is not None else None

    def list_organisations(
        self,
        search: str = "",
        kind: str | None = None,
        status: str | None = None,
        role: str | None = None,
    ) -> list[OrganisationSummary]:
        """Organisations with their link counts, the user's own first; search is accent- and
        case-insensitive; role MINE means any role."""
        with self.db.session() as s:
            # The user's own organisations first, then the rest (mostly contacts' employers).
            query = select(m.Organisation).order_by(
                case(
                    (or_(m.Organisation.my_role != "", m.Organisation.membership_status != ""), 0),
                    else_=1,
                ),
                m.Organisation.name_key,
            )
            if kind is not None:
                query = query.where(m.Organisation.kind == kind)
            if status is not None:
                query = query.where(m.Organisation.membership_status == status)
            if role == MINE:
                query = query.where(m.Organisation.my_role != "")
            elif role is not None:
                query = query.where(m.Organisation.my_role == role)
            orgs = list(s.scalars(query))
            needle = fold(search)
            if needle:
                words = needle.split()
                orgs = [
                    o
                    for o in orgs
                    if all(
                        w in fold(" ".join((o.name, o.website, o.activity_goal, o.notes)))
                        for w in words
                    )
                ]
            contacts = dict(
                s.execute(
                    select(m.ContactOrganisation.organisation_id, func.count()).group_by(
                        m.ContactOrganisation.organisation_id
                    )
                ).all()
            )
            events = dict(
                s.execute(
                    select(m.EventPlan.organisation_id, func.count())
                    .where(m.EventPlan.organisation_id.is_not(None))
                    .group_by(m.EventPlan.organisation_id)
                ).all()
            )
            touches, last_touch = touch_counts(s)
            last_event = last_event_dates(s)
        out = []
        for o in orgs:
            last = max(
                (d for d in (last_touch.get(o.id), last_event.get(o.id)) if d is not None),
                default=None,
            )
            out.append(
                OrganisationSummary(
                    id=o.id,
                    name=o.name,
                    kind=o.kind,
                    my_role=o.my_role,
                    membership_status=o.membership_status,
                    renewal_on=o.renewal_on,
                    activity_every_days=o.activity_every_days,
                    contacts=int(contacts.get(o.id, 0)),
                    events=int(events.get(o.id, 0)),
                    touchpoints=int(touches.get(o.id, 0)),
                    last_activity=last,
                )
            )
        return out

    def members(self, organisation_id: int) -> list[MemberRecord]:
        """Contacts who belong to it, or whom the user met there, by name."""
        with self.db.session() as s:
            load(s, organisation_id)
            roles = dict(
                s.execute(
                    select(m.ContactOrganisation.contact_id, m.ContactOrganisation.role).where(
                        m.ContactOrganisation.organisation_id == organisation_id
                    )
                ).all()
            )
            rows = s.execute(
                select(
                    m.Contact.id,
                    m.Contact.name,
                    m.Contact.organisation,
                    m.Contact.organisation_id,
                    m.Contact.how_met_organisation_id,
                )
                .where(
                    or_(
                        m.Contact.id.in_(
                            select(m.ContactOrganisation.contact_id).where(
                                m.ContactOrganisation.organisation_id == organisation_id
                            )
                        ),
                        m.Contact.how_met_organisation_id == organisation_id,
                    )
                )
                .order_by(m.Contact.name)
            ).all()
        return [
            MemberRecord(
                contact_id=cid,
                name=name,
                organisation_text=text,
                role=roles.get(cid, ""),
                member=cid in roles,
                primary=primary == organisation_id,
                met_here=met == organisation_id,
            )
            for cid, name, text, primary, met in rows
        ]

    def events(self, organisation_id: int) -> list[HostedEventRecord]:
        with self.db.session() as s:
            rows = s.scalars(
                select(m.EventPlan)
                .where(m.EventPlan.organisation_id == organisation_id)
                .order_by(m.EventPlan.starts_local.desc())
            ).all()
            return [
                HostedEventRecord(e.id, e.name, e.event_type, e.status, e.starts_local)
                for e in rows
            ]

    def touchpoints(self, organisation_id: int) -> list[OrganisationTouchRecord]:
        """Touchpoints there: linked to it, or at an event it hosted; newest first."""
        t = m.Touchpoint
        columns = (t.id, t.contact_id, m.Contact.name, t.occurred_on, t.channel, t.kind, t.note,
                   t.event_id, t.organisation_id)  # fmt: skip
        records: list[OrganisationTouchRecord] = []
        with self.db.session() as s:
            for query in touch_queries(organisation_id, *columns):
                # Plain columns, not ORM objects: thousands of rows for a big community.
                for row in s.execute(query.join(m.Contact, m.Contact.id == t.contact_id)):
                    records.append(
                        OrganisationTouchRecord(
                            id=row[1],
                            contact_id=row[2],
                            contact_name=row[3],
                            occurred_on=row[4],
                            channel=row[5],
                            kind=row[6],
                            note=row[7],
                            event_id=row[8],
                            direct=row[9] == organisation_id,
                        )
                    )
        records.sort(key=lambda r: (r.occurred_on, r.id), reverse=True)
        return records

    def reminders(self, organisation_id: int) -> list[FollowUpRecord]:
        """Its open follow-ups (renewal reminder, activity nudge), soonest first."""
        with self.db.session() as s:
            rows = s.scalars(
                select(m.FollowUp)
                .where(m.FollowUp.organisation_id == organisation_id, m.FollowUp.status == "open")
                .order_by(m.FollowUp.due_date)
            ).all()
            return [followup_record(r) for r in rows]

    def last_activity(self, organisation_id: int) -> date | None:
        with self.db.session() as s:
            return last_activity(s, load(s, organisation_id))

    def search_contacts(self, text: str, limit: int = 200) -> list[tuple[int, str]]:
        """(id, "Name — Organisation") of contacts matching text, for the member picker."""
        needle = fold(text)
        with self.db.session() as s:
            query = select(m.Contact.id, m.Contact.name, m.Contact.organisation).order_by(
                m.Contact.name
            )
            for word in needle.split():
                query = query.where(m.Contact.search_text.contains(word, autoescape=True))
            rows = s.execute(query.limit(limit)).all()
        return [(cid, f"{name} — {org}" if org else name) for cid, name, org in rows]

    def search_events(self, text: str, limit: int = 200) -> list[tuple[int, str]]:
        needle = fold(text)
        with self.db.session() as s:
            rows = s.execute(
                select(
                    m.EventPlan.id,
                    m.EventPlan.name,
                    m.EventPlan.starts_local,
                    m.EventPlan.event_type,
                    m.EventPlan.status,
                ).order_by(m.EventPlan.starts_local.desc())
            ).all()
        out = []
        for eid, name, start, etype, status in rows:
            label = f"{name} — {start:%Y-%m-%d}" if start else name
            label += f" ({EVENT_TYPES.get(etype, etype)}, {EVENT_STATUSES.get(status, status)})"
            if all(w in fold(label) for w in needle.split()):
                out.append((int(eid), label))
            if len(out) >= limit:
                break
        return out

    def search_member_touchpoints(
        self, organisation_id: int, text: str = "", limit: int = 300
    ) -> list[tuple[int, str]]:
        """Members' touchpoints not yet linked to this organisation, newest first."""
        needle = fold(text)
        with self.db.session() as s:
            members = select(m.ContactOrganisation.contact_id).where(
                m.ContactOrganisation.organisation_id == organisation_id
            )
            rows = s.execute(
                select(m.Touchpoint, m.Contact.name)
                .join(m.Contact, m.Contact.id == m.Touchpoint.contact_id)
                .where(
                    m.Touchpoint.contact_id.in_(members),
                    or_(
                        m.Touchpoint.organisation_id.is_(None),
                        m.Touchpoint.organisation_id != organisation_id,
                    ),
                )
                .order_by(m.Touchpoint.occurred_on.desc())
                .limit(5000)
            ).all()
            out = []
            for t, name in rows:
                label = f"{t.occurred_on:%Y-%m-%d} {name}: {t.kind.replace('_', ' ')}"
                if t.note:
                    label += f" — {t.note}"
                if all(w in fold(label) for w in needle.split()):
                    out.append((t.id, label))
                if len(out) >= limit:
                    break
            return out

    def memberships(self, contact_id: int) -> list[MembershipRecord]:
        with self.db.session() as s:
            contact = s.get(m.Contact, contact_id)
            if contact is None:
                raise NotFoundError(f"Contact {contact_id} no longer exists.")
            rows = s.execute(
                select(m.Organisation, m.ContactOrganisation.role)
                .join(
                    m.ContactOrganisation,
                    m.ContactOrganisation.organisation_id == m.Organisation.id,
                )
                .where(m.ContactOrganisation.contact_id == contact_id)
                .order_by(
                    case((m.Organisation.id == contact.organisation_id, 0), else_=1),
                    m.Organisation.name_key,
                )
            ).all()
            return [
                MembershipRecord(o.id, o.name, o.kind, role, o.id == contact.organisation_id)
                for o, role in rows
            ]
