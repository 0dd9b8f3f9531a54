"""Organisations as data: the vocabularies, the frozen records services return, and the
rules a field value must follow before it is written."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from planner.core.errors import ValidationError
from planner.db import models as m

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
    # The row's optimistic-lock version and who saved it last (team mode's stale saves).
    version: int = 1
    updated_by: str = ""

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


# --- conversion and field rules ----------------------------------------------------


def to_record(org: m.Organisation) -> OrganisationRecord:
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
        version=org.version,
        updated_by=org.updated_by,
    )


def format_fee(cents: int | None, currency: str) -> str:
    if cents is None:
        return ""
    text = f"{cents // 100}.{cents % 100:02d}"
    return f"{text} {currency}".strip()


def clean(changes: Mapping[str, Any]) -> dict[str, Any]:
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
