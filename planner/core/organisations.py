"""Organisations and communities: memberships, links to contacts, events and touchpoints,
and the renewal reminders and activity nudges that go to the follow-up calendar."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import bindparam, case, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from planner.core.changes import Changes
from planner.core.contact_rows import (
    name_key,
    refresh_search_text,
)
from planner.core.errors import NotFoundError, ValidationError
from planner.core.followups import followup_record
from planner.core.records import FollowUpRecord
from planner.core.text import fold
from planner.core.vocab import EVENT_STATUSES, EVENT_TYPES
from planner.db import models as m
from planner.db.database import Database
from planner.db.types import new_uuid, utcnow

KINDS: dict[str, str] = {
    "professional_association": "Professional association",
    "online_community": "Online community",
    "volunteer_group": "Volunteer group",
    "company": "Company",
    "other": "Other",
}
MY_ROLES: dict[str, str] = {
    "": "No role",
    "member": "Member",
    "volunteer": "Volunteer",
    "organiser": "Organiser",
    "speaker": "Speaker",
    "considering": "Considering joining",
}
MEMBERSHIP_STATUSES: dict[str, str] = {
    "": "Not a member",
    "active": "Active",
    "pending": "Applied, pending",
    "lapsed": "Lapsed",
    "former": "Former member",
}
# A role filter meaning "any role of mine" (the user has some role there).
MINE = "*"
# The follow-up origin for renewal reminders and activity nudges.
ORIGIN = "organisation"
RENEWAL_LEAD_DAYS = 14
RENEWAL_PREFIX = "Renew membership: "
ACTIVITY_PREFIX = "Take part: "
# Fields whose change re-plans the renewal reminder or the activity nudge.
RENEWAL_FIELDS = frozenset(
    {"name", "renewal_on", "membership_status", "renewal_fee_cents", "currency"}
)
ACTIVITY_FIELDS = frozenset(
    {"name", "activity_goal", "activity_every_days", "joined_on", "membership_status"}
)
# How _keep treats an open follow-up: set it exactly; leave it (the user may have snoozed or
# rescheduled it in the calendar); or only move it later (new activity pushes a nudge out).
EXACT, LEAVE_OPEN, LATER_ONLY = "exact", "leave_open", "later_only"
# Event statuses that count as taking part (a registered future event counts too).
ACTIVE_EVENT_STATUSES = ("registered", "attended")
MAX_EVERY_DAYS = 3650
# Rows per executemany batch in bulk linking.
CHUNK = 5000
EDITABLE = (
    "name",
    "kind",
    "website",
    "my_role",
    "membership_status",
    "joined_on",
    "renewal_on",
    "renewal_fee_cents",
    "currency",
    "activity_goal",
    "activity_every_days",
    "notes",
)
_URL_RE = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.IGNORECASE)
_DOMAIN_RE = re.compile(r"^[\w-]+(\.[\w-]+)+(/\S*)?$")

# Rows that can say where they happened (event plans hosted, touchpoints there).
_Linked = TypeVar("_Linked", m.EventPlan, m.Touchpoint)


# --- records ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationRecord:
    id: int
    uuid: str
    name: str
    kind: str = "other"
    website: str = ""
    my_role: str = ""
    membership_status: str = ""
    joined_on: date | None = None
    renewal_on: date | None = None
    renewal_fee_cents: int | None = None
    currency: str = ""
    activity_goal: str = ""
    activity_every_days: int | None = None
    notes: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def editable(self) -> dict[str, Any]:
        """The user-editable fields, e.g. to undo an edit."""
        return {name: getattr(self, name) for name in EDITABLE}


@dataclass(frozen=True)
class OrganisationSummary:
    """One row of the organisations list."""

    id: int
    name: str
    kind: str
    my_role: str
    membership_status: str
    renewal_on: date | None
    activity_every_days: int | None
    contacts: int = 0
    events: int = 0
    touchpoints: int = 0
    last_activity: date | None = None


@dataclass(frozen=True)
class MemberRecord:
    contact_id: int
    name: str
    organisation_text: str
    role: str = ""
    member: bool = True
    primary: bool = False
    met_here: bool = False


@dataclass(frozen=True)
class HostedEventRecord:
    id: int
    name: str
    event_type: str
    status: str
    starts_local: datetime | None


@dataclass(frozen=True)
class OrganisationTouchRecord:
    id: int
    contact_id: int
    contact_name: str
    occurred_on: date
    channel: str
    kind: str
    note: str
    event_id: int | None
    # True when linked to the organisation itself (not only through a hosted event).
    direct: bool = True


@dataclass(frozen=True)
class MembershipRecord:
    """One organisation a contact belongs to, for the contact's detail pane."""

    organisation_id: int
    name: str
    kind: str
    role: str = ""
    primary: bool = False


@dataclass(frozen=True)
class ContactOrganisationState:
    """A contact's organisation links before a change, so undo can put them back."""

    contact_id: int
    organisation_id: int | None
    organisation_text: str
    how_met_kind: str
    how_met_organisation_id: int | None
    memberships: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class FreeTextLinks:
    """What link_free_text() did, so it can be undone."""

    created: tuple[int, ...] = ()
    # (contact id, organisation id) set as the contact's main organisation.
    primaries: tuple[tuple[int, int], ...] = ()
    # (contact id, organisation id) memberships added.
    memberships: tuple[tuple[int, int], ...] = ()

    @property
    def count(self) -> int:
        return len(self.primaries)


@dataclass(frozen=True)
class OrganisationSnapshot:
    """Everything a delete removes or unlinks, so restore() can undo it exactly."""

    record: OrganisationRecord
    renewal_followup_id: int | None
    activity_followup_id: int | None
    memberships: tuple[tuple[int, str], ...] = ()
    primary_of: tuple[int, ...] = ()
    how_met_of: tuple[int, ...] = ()
    event_ids: tuple[int, ...] = ()
    touchpoint_ids: tuple[int, ...] = ()
    followups: tuple[Mapping[str, Any], ...] = field(default=())


# --- helpers ----------------------------------------------------------------------------


def _record(org: m.Organisation) -> OrganisationRecord:
    return OrganisationRecord(
        id=org.id,
        uuid=org.uuid,
        name=org.name,
        kind=org.kind,
        website=org.website,
        my_role=org.my_role,
        membership_status=org.membership_status,
        joined_on=org.joined_on,
        renewal_on=org.renewal_on,
        renewal_fee_cents=org.renewal_fee_cents,
        currency=org.currency,
        activity_goal=org.activity_goal,
        activity_every_days=org.activity_every_days,
        notes=org.notes,
        created_at=org.created_at,
        updated_at=org.updated_at,
    )


def format_fee(cents: int | None, currency: str) -> str:
    if cents is None:
        return ""
    text = f"{cents // 100}.{cents % 100:02d}"
    return f"{text} {currency}".strip()


def _clean(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and normalise editable fields; raises ValidationError naming the field."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(sorted(unknown)[0], f"Unknown field: {sorted(unknown)[0]}.")
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "name":
            name = " ".join(str(value or "").split())
            if not name:
                raise ValidationError("name", "Give the organisation a name.")
            if len(name) > 300:
                raise ValidationError("name", "The name is too long (300 characters at most).")
            out[key] = name
        elif key == "kind":
            if value not in KINDS:
                raise ValidationError("kind", f"Unknown kind of organisation: {value!r}.")
            out[key] = value
        elif key == "my_role":
            value = value or ""
            if value not in MY_ROLES:
                raise ValidationError("my_role", f"Unknown role: {value!r}.")
            out[key] = value
        elif key == "membership_status":
            value = value or ""
            if value not in MEMBERSHIP_STATUSES:
                raise ValidationError("membership_status", f"Unknown status: {value!r}.")
            out[key] = value
        elif key == "website":
            out[key] = _clean_website(str(value or ""))
        elif key in ("joined_on", "renewal_on"):
            if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
                raise ValidationError(key, "Enter a date.")
            out[key] = value
        elif key == "renewal_fee_cents":
            if value is not None and (not isinstance(value, int) or value < 0):
                raise ValidationError(key, "The fee must be zero or more.")
            out[key] = value
        elif key == "currency":
            code = str(value or "").strip().upper()
            if code and not re.fullmatch(r"[A-Z]{3}", code):
                raise ValidationError(key, "Use a three-letter currency code, e.g. EUR or USD.")
            out[key] = code
        elif key == "activity_every_days":
            if value is not None and (
                not isinstance(value, int) or not 1 <= value <= MAX_EVERY_DAYS
            ):
                raise ValidationError(
                    key, f"Take part every 1 to {MAX_EVERY_DAYS} days, or leave it empty."
                )
            out[key] = value
        else:  # activity_goal, notes
            out[key] = str(value or "")
    if (
        out.get("joined_on") is not None
        and out.get("renewal_on") is not None
        and out["renewal_on"] < out["joined_on"]
    ):
        raise ValidationError("renewal_on", "The renewal date is before the joining date.")
    return out


def _clean_website(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    if len(text) > 2000:
        raise ValidationError("website", "The web address is too long.")
    if _URL_RE.match(text):
        return text
    if _DOMAIN_RE.match(text):
        return f"https://{text}"
    raise ValidationError("website", "Enter a web address such as https://example.org.")


class OrganisationService:
    """CRUD, links and reminders for organisations; one short transaction per call."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- reading ------------------------------------------------------------------------

    def get(self, organisation_id: int) -> OrganisationRecord:
        with self.db.session() as s:
            return _record(self._load(s, organisation_id))

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
            return _record(org) if org is not None else None

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
            touches, last_touch = self._touch_counts(s)
            last_event = self._last_event_dates(s)
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

    def _touch_queries(self, organisation_id: int | None, *columns: Any) -> list[Any]:
        """Two index-friendly selects, together every touchpoint at an organisation: linked
        to it directly, or (when not linked elsewhere) at an event it hosted. The first
        column of each is the organisation id."""
        direct = select(m.Touchpoint.organisation_id, *columns).where(
            m.Touchpoint.organisation_id.is_not(None)
        )
        hosted = (
            select(m.EventPlan.organisation_id, *columns)
            .select_from(m.EventPlan)
            .join(m.Touchpoint, m.Touchpoint.event_id == m.EventPlan.id)
            .where(m.EventPlan.organisation_id.is_not(None), m.Touchpoint.organisation_id.is_(None))
        )
        if organisation_id is not None:
            direct = direct.where(m.Touchpoint.organisation_id == organisation_id)
            hosted = hosted.where(m.EventPlan.organisation_id == organisation_id)
        return [direct, hosted]

    def _touch_counts(
        self, s: Session, organisation_id: int | None = None
    ) -> tuple[dict[int, int], dict[int, date]]:
        counts: dict[int, int] = defaultdict(int)
        last: dict[int, date] = {}
        for query in self._touch_queries(
            organisation_id, func.count(), func.max(m.Touchpoint.occurred_on)
        ):
            for oid, count, latest in s.execute(query.group_by(query.selected_columns[0])):
                counts[int(oid)] += int(count)
                if latest is not None and (oid not in last or latest > last[int(oid)]):
                    last[int(oid)] = latest
        return dict(counts), last

    def _last_event_dates(self, s: Session, organisation_id: int | None = None) -> dict[int, date]:
        query = (
            select(m.EventPlan.organisation_id, func.max(m.EventPlan.starts_local))
            .where(
                m.EventPlan.organisation_id.is_not(None),
                m.EventPlan.status.in_(ACTIVE_EVENT_STATUSES),
                m.EventPlan.starts_local.is_not(None),
            )
            .group_by(m.EventPlan.organisation_id)
        )
        if organisation_id is not None:
            query = query.where(m.EventPlan.organisation_id == organisation_id)
        return {
            int(oid): start.date()
            for oid, start in s.execute(query)
            if oid is not None and start is not None
        }

    def members(self, organisation_id: int) -> list[MemberRecord]:
        """Contacts who belong to it, or whom the user met there, by name."""
        with self.db.session() as s:
            self._load(s, organisation_id)
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
            for query in self._touch_queries(organisation_id, *columns):
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
            return self._last_activity(s, self._load(s, organisation_id))

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

    # --- writing ------------------------------------------------------------------------

    def create(self, name: str, **fields_: Any) -> OrganisationRecord:
        values = _clean({"name": name, **fields_})
        with self.db.session() as s:
            self._check_unique(s, values["name"], None)
            values.setdefault("kind", "other")
            org = m.Organisation(name_key=name_key(values["name"]), **values)
            s.add(org)
            s.flush()
            self._sync(s, org)
            s.flush()
            return _record(org)

    def update(self, organisation_id: int, **changes: Any) -> OrganisationRecord:
        """Change fields; the renewal reminder and activity nudge follow."""
        with self.db.session() as s:
            org = self._load(s, organisation_id)
            merged = {k: getattr(org, k) for k in ("joined_on", "renewal_on")}
            values = _clean({**merged, **changes})
            for key in merged:
                if key not in changes:
                    values.pop(key)
            if "name" in values:
                self._check_unique(s, values["name"], organisation_id)
                org.name_key = name_key(values["name"])
            changed = {k for k, v in values.items() if getattr(org, k) != v}
            for key, value in values.items():
                setattr(org, key, value)
            s.flush()
            self._sync(
                s,
                org,
                renewal=EXACT if changed & RENEWAL_FIELDS else None,
                activity=EXACT if changed & ACTIVITY_FIELDS else None,
            )
            s.flush()
            return _record(org)

    def delete(self, organisation_id: int) -> OrganisationSnapshot:
        """Delete it; contacts, events and touchpoints stay, only unlinked. Undo: restore()."""
        with self.db.session() as s:
            org = self._load(s, organisation_id)
            snapshot = OrganisationSnapshot(
                record=_record(org),
                renewal_followup_id=org.renewal_followup_id,
                activity_followup_id=org.activity_followup_id,
                memberships=tuple(
                    (int(c), str(r))
                    for c, r in s.execute(
                        select(m.ContactOrganisation.contact_id, m.ContactOrganisation.role).where(
                            m.ContactOrganisation.organisation_id == organisation_id
                        )
                    )
                ),
                primary_of=self._ids(s, m.Contact.id, m.Contact.organisation_id == organisation_id),
                how_met_of=self._ids(
                    s, m.Contact.id, m.Contact.how_met_organisation_id == organisation_id
                ),
                event_ids=self._ids(
                    s, m.EventPlan.id, m.EventPlan.organisation_id == organisation_id
                ),
                touchpoint_ids=self._ids(
                    s, m.Touchpoint.id, m.Touchpoint.organisation_id == organisation_id
                ),
                followups=tuple(
                    {c.key: getattr(f, c.key) for c in m.FollowUp.__table__.columns}
                    for f in s.scalars(
                        select(m.FollowUp).where(m.FollowUp.organisation_id == organisation_id)
                    )
                ),
            )
            s.delete(org)
            return snapshot

    def restore(self, snapshot: OrganisationSnapshot) -> OrganisationRecord:
        """Undo a delete: same id and UUID, links put back where their rows still exist."""
        rec = snapshot.record
        with self.db.session() as s:
            if s.get(m.Organisation, rec.id) is not None:
                raise ValidationError("name", f"“{rec.name}” is already there.")
            self._check_unique(s, rec.name, None)
            org = m.Organisation(
                id=rec.id,
                uuid=rec.uuid,
                created_at=rec.created_at or utcnow(),
                name_key=name_key(rec.name),
                renewal_followup_id=snapshot.renewal_followup_id,
                activity_followup_id=snapshot.activity_followup_id,
                **rec.editable(),
            )
            s.add(org)
            s.flush()
            contacts = set(
                s.scalars(
                    select(m.Contact.id).where(
                        m.Contact.id.in_(
                            {c for c, _ in snapshot.memberships}
                            | set(snapshot.primary_of)
                            | set(snapshot.how_met_of)
                        )
                    )
                )
            )
            for contact_id, role in snapshot.memberships:
                if contact_id in contacts:
                    s.add(
                        m.ContactOrganisation(
                            contact_id=contact_id, organisation_id=rec.id, role=role
                        )
                    )
            for contact in s.scalars(
                select(m.Contact).where(m.Contact.id.in_(snapshot.primary_of))
            ):
                contact.organisation_id = rec.id
            for contact in s.scalars(
                select(m.Contact).where(m.Contact.id.in_(snapshot.how_met_of))
            ):
                contact.how_met_organisation_id = rec.id
            for event in s.scalars(
                select(m.EventPlan).where(m.EventPlan.id.in_(snapshot.event_ids))
            ):
                event.organisation_id = rec.id
            for touch in s.scalars(
                select(m.Touchpoint).where(m.Touchpoint.id.in_(snapshot.touchpoint_ids))
            ):
                touch.organisation_id = rec.id
            for row in snapshot.followups:
                values = dict(row)
                if values.get("contact_id") is not None and values["contact_id"] not in contacts:
                    continue
                # The calendar already saw it gone; a higher SEQUENCE makes it come back.
                values["sequence"] = int(values.get("sequence") or 0) + 1
                s.add(m.FollowUp(**values))
            s.flush()
            self._sync(s, org)
            s.flush()
            return _record(org)

    # --- links --------------------------------------------------------------------------

    def contact_state(self, contact_id: int) -> ContactOrganisationState:
        with self.db.session() as s:
            return self._contact_state(s, self._contact(s, contact_id))

    def restore_contact_state(self, state: ContactOrganisationState) -> None:
        """Put a contact's memberships, main organisation and "how we met" back (undo)."""
        with self.db.session() as s:
            contact = self._contact(s, state.contact_id)
            existing = set(s.scalars(select(m.Organisation.id)))
            links = {
                link.organisation_id: link
                for link in s.scalars(
                    select(m.ContactOrganisation).where(
                        m.ContactOrganisation.contact_id == contact.id
                    )
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
                    s.add(
                        m.ContactOrganisation(contact_id=contact.id, organisation_id=oid, role=role)
                    )
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

    def memberships(self, contact_id: int) -> list[MembershipRecord]:
        with self.db.session() as s:
            contact = self._contact(s, contact_id)
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

    def link_contact(
        self, organisation_id: int, contact_id: int, *, role: str = "", primary: bool = False
    ) -> ContactOrganisationState:
        """Add a membership (or change its role); returns the state before, for undo."""
        with self.db.session() as s:
            org = self._load(s, organisation_id)
            contact = self._contact(s, contact_id)
            before = self._contact_state(s, contact)
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
                self._make_primary(contact, org)
            return before

    def link_contacts(
        self, organisation_id: int, contact_ids: Iterable[int]
    ) -> list[ContactOrganisationState]:
        """Add several members at once (one undo step); returns their states before."""
        with self.db.session() as s:
            org = self._load(s, organisation_id)
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
                states.append(self._contact_state(s, contact))
                if contact.id not in linked:
                    s.add(
                        m.ContactOrganisation(
                            contact_id=contact.id, organisation_id=organisation_id, role=""
                        )
                    )
                if contact.organisation_id is None:
                    self._make_primary(contact, org)
            return states

    def unlink_contact(self, organisation_id: int, contact_id: int) -> ContactOrganisationState:
        """End a membership (and "how we met" there); returns the state before, for undo."""
        with self.db.session() as s:
            contact = self._contact(s, contact_id)
            before = self._contact_state(s, contact)
            link = s.get(m.ContactOrganisation, (contact_id, organisation_id))
            if link is not None:
                s.delete(link)
            if contact.organisation_id == organisation_id:
                contact.organisation_id = None
            if contact.how_met_organisation_id == organisation_id:
                contact.how_met_organisation_id = None
                if contact.how_met_kind == "organisation":
                    contact.how_met_kind = ""
            return before

    def set_primary(self, contact_id: int, organisation_id: int | None) -> ContactOrganisationState:
        """Make it the contact's main organisation (a membership too); None clears it."""
        with self.db.session() as s:
            contact = self._contact(s, contact_id)
            before = self._contact_state(s, contact)
            if organisation_id is None:
                contact.organisation_id = None
                return before
            org = self._load(s, organisation_id)
            if s.get(m.ContactOrganisation, (contact_id, organisation_id)) is None:
                s.add(
                    m.ContactOrganisation(
                        contact_id=contact_id, organisation_id=organisation_id, role=""
                    )
                )
            self._make_primary(contact, org)
            return before

    def set_how_met(self, contact_id: int, organisation_id: int | None) -> ContactOrganisationState:
        """ "How we met" points at an organisation, or (None) no longer does."""
        with self.db.session() as s:
            contact = self._contact(s, contact_id)
            before = self._contact_state(s, contact)
            if organisation_id is None:
                contact.how_met_organisation_id = None
                if contact.how_met_kind == "organisation":
                    contact.how_met_kind = ""
                return before
            self._load(s, organisation_id)
            contact.how_met_organisation_id = organisation_id
            contact.how_met_kind = "organisation"
            return before

    def set_event_host(self, event_id: int, organisation_id: int | None) -> int | None:
        """Link an event plan to its host (None unlinks); returns the host before, for undo."""
        return self._relink(m.EventPlan, event_id, organisation_id, "Event plan")

    def set_touchpoint_organisation(
        self, touchpoint_id: int, organisation_id: int | None
    ) -> int | None:
        """Say a touchpoint happened there (None unlinks); returns the link before, for undo."""
        return self._relink(m.Touchpoint, touchpoint_id, organisation_id, "Touchpoint")

    def _relink(
        self,
        model: type[_Linked],
        row_id: int,
        organisation_id: int | None,
        what: str,
    ) -> int | None:
        """Point a row's organisation_id elsewhere and re-plan both organisations' reminders
        (activity counts change); returns the link before, for undo."""
        with self.db.session() as s:
            row = s.get(model, row_id)
            if row is None:
                raise NotFoundError(f"{what} {row_id} no longer exists.")
            if organisation_id is not None:
                self._load(s, organisation_id)
            before = row.organisation_id
            row.organisation_id = organisation_id
            s.flush()
            for oid in {before, organisation_id} - {None}:
                org = s.get(m.Organisation, oid)
                if org is not None:
                    self._sync(s, org, renewal=None)
            return before

    def link_free_text(self) -> FreeTextLinks:
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
                return FreeTextLinks()
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
            # Core executemany: tens of thousands of rows after an import, in a second or two.
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
            return FreeTextLinks(tuple(created), tuple(primaries), tuple(added))

    def unlink_free_text(self, links: FreeTextLinks) -> None:
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

    # --- reminders ----------------------------------------------------------------------

    def sync_reminders(self, organisation_id: int | None = None) -> int:
        """Bring reminders up to date after touchpoints, events or follow-ups changed
        elsewhere: a missing one is made, a nudge moves later after new activity, and an
        open reminder the user rescheduled is left alone. Returns how many changed."""
        with self.db.session() as s:
            query = select(m.Organisation).where(
                or_(
                    m.Organisation.renewal_on.is_not(None),
                    m.Organisation.activity_every_days.is_not(None),
                    m.Organisation.renewal_followup_id.is_not(None),
                    m.Organisation.activity_followup_id.is_not(None),
                )
            )
            if organisation_id is not None:
                query = query.where(m.Organisation.id == organisation_id)
            return sum(
                self._sync(s, org, renewal=LEAVE_OPEN, activity=LATER_ONLY)
                for org in s.scalars(query).all()
            )

    def _sync(
        self,
        s: Session,
        org: m.Organisation,
        *,
        renewal: str | None = EXACT,
        activity: str | None = EXACT,
    ) -> int:
        """Keep the renewal reminder and activity nudge in step (None: leave that one)."""
        wants_reminders = org.membership_status != "former"
        renewal_due = (
            org.renewal_on - timedelta(days=RENEWAL_LEAD_DAYS)
            if org.renewal_on is not None and wants_reminders
            else None
        )
        fee = format_fee(org.renewal_fee_cents, org.currency)
        changed = 0
        if renewal is not None:
            org.renewal_followup_id, n = self._keep(
                s,
                org,
                org.renewal_followup_id,
                renewal_due,
                f"{RENEWAL_PREFIX}{org.name}",
                f"Renewal on {org.renewal_on:%Y-%m-%d}" + (f", fee {fee}" if fee else "")
                if org.renewal_on
                else "",
                renewal,
            )
            changed += n
        if activity is None:
            return changed
        activity_due = None
        if org.activity_every_days and wants_reminders:
            tracked = (
                s.get(m.FollowUp, org.activity_followup_id) if org.activity_followup_id else None
            )
            last = self._last_activity(s, org, tracked)
            start = last or org.joined_on or (org.created_at or utcnow()).date()
            activity_due = start + timedelta(days=org.activity_every_days)
        goal = org.activity_goal.strip()
        org.activity_followup_id, n = self._keep(
            s,
            org,
            org.activity_followup_id,
            activity_due,
            f"{ACTIVITY_PREFIX}{org.name}" + (f" ({goal})" if goal else ""),
            f"Nothing with {org.name} for {org.activity_every_days} days."
            if org.activity_every_days
            else "",
            activity,
        )
        return changed + n

    def _keep(
        self,
        s: Session,
        org: m.Organisation,
        followup_id: int | None,
        due: date | None,
        purpose: str,
        notes: str,
        mode: str = EXACT,
    ) -> tuple[int | None, int]:
        """Make the tracked follow-up match `due`; returns (id to track, changes made)."""
        row = s.get(m.FollowUp, followup_id) if followup_id else None
        if row is not None and row.organisation_id != org.id:
            row = None
        if (
            row is not None
            and row.status == "open"
            and mode != EXACT
            and (mode == LEAVE_OPEN or due is None or due <= row.due_date)
        ):
            return row.id, 0
        if due is None:
            if row is not None and row.status == "open":
                # Cancelled by us, so no longer tracked: a date set later gets a fresh one.
                row.status = "cancelled"
                row.sequence += 1
                return None, 1
            return (row.id if row is not None else None), 0
        if row is not None and row.status == "open":
            if (row.due_date, row.purpose, row.notes) == (due, purpose, notes):
                return row.id, 0
            row.due_date = due
            row.purpose = purpose
            row.notes = notes
            row.notified_at = None
            row.sequence += 1
            return row.id, 1
        if row is not None and row.due_date == due:
            # Done or cancelled for this very date: the user dealt with it.
            return row.id, 0
        new = m.FollowUp(
            uuid=new_uuid(),
            contact_id=None,
            organisation_id=org.id,
            due_date=due,
            purpose=purpose,
            notes=notes,
            status="open",
            origin=ORIGIN,
            channel="",
            time_zone="",
            sequence=0,
        )
        s.add(new)
        s.flush()
        return new.id, 1

    def _last_activity(
        self, s: Session, org: m.Organisation, tracked: m.FollowUp | None = None
    ) -> date | None:
        _counts, touches = self._touch_counts(s, org.id)
        candidates = [touches.get(org.id), self._last_event_dates(s, org.id).get(org.id)]
        if tracked is None and org.activity_followup_id:
            tracked = s.get(m.FollowUp, org.activity_followup_id)
        if tracked is not None and tracked.status == "done" and tracked.completed_at:
            candidates.append(tracked.completed_at.date())
        return max((d for d in candidates if d is not None), default=None)

    # --- internals ----------------------------------------------------------------------

    def _load(self, s: Session, organisation_id: int) -> m.Organisation:
        org = s.get(m.Organisation, organisation_id)
        if org is None:
            raise NotFoundError(f"Organisation {organisation_id} no longer exists.")
        return org

    def _contact(self, s: Session, contact_id: int) -> m.Contact:
        contact = s.get(m.Contact, contact_id)
        if contact is None:
            raise NotFoundError(f"Contact {contact_id} no longer exists.")
        return contact

    def _check_unique(self, s: Session, name: str, own_id: int | None) -> None:
        other = s.scalar(select(m.Organisation.id).where(m.Organisation.name_key == name_key(name)))
        if other is not None and other != own_id:
            raise ValidationError("name", f"There is already an organisation called “{name}”.")

    def _ids(self, s: Session, column: Any, condition: Any) -> tuple[int, ...]:
        return tuple(int(i) for i in s.scalars(select(column).where(condition)))

    def _contact_state(self, s: Session, contact: m.Contact) -> ContactOrganisationState:
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

    def _make_primary(self, contact: m.Contact, org: m.Organisation) -> None:
        contact.organisation_id = org.id
        # The typed text is the user's; fill it only when they left it empty.
        if not contact.organisation.strip():
            contact.organisation = org.name
            refresh_search_text(contact)


def follow_activity(s: Session, organisation_ids: Iterable[int | None]) -> Changes:
    """The rule after activity at organisations changed (a touchpoint, a hosted event, a
    done nudge): their renewal reminders and activity nudges follow, inside the caller's
    transaction, so the CLI, the window and undo all get it. Returns what moved."""
    ids = sorted({int(i) for i in organisation_ids if i is not None})
    if not ids:
        return Changes()
    # The reminder rules use only the session handed to them, never the service's database.
    rules = OrganisationService(cast(Database, None))
    touched_orgs: set[int] = set()
    touched_followups: set[int] = set()
    for org in s.scalars(select(m.Organisation).where(m.Organisation.id.in_(ids))):
        before = (org.renewal_followup_id, org.activity_followup_id)
        if rules._sync(s, org, renewal=LEAVE_OPEN, activity=LATER_ONLY):
            touched_orgs.add(org.id)
            after = (org.renewal_followup_id, org.activity_followup_id)
            touched_followups.update(i for i in (*before, *after) if i is not None)
    return Changes.of(organisations=touched_orgs, follow_ups=touched_followups)
