"""Frozen snapshots of rows, handed to the UI and to file formats instead of live ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time


@dataclass(frozen=True, slots=True)
class LabeledValue:
    label: str
    value: str
    # Marked preferred by its source (vCard TYPE=pref / PREF=1, Google's "* " label) or the
    # user; the list's order is kept as well, and the first value is the one shown.
    pref: bool = False


@dataclass(frozen=True, slots=True)
class PostalAddress:
    """One postal address in vCard ADR's parts, with its type (home, work, ...) and pref."""

    label: str = ""
    street: str = ""
    locality: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    po_box: str = ""
    extended: str = ""
    pref: bool = False

    def parts(self) -> tuple[str, ...]:
        """The address lines in reading order (no label, no pref)."""
        return (
            self.po_box,
            self.extended,
            self.street,
            self.locality,
            self.region,
            self.postal_code,
            self.country,
        )

    def is_empty(self) -> bool:
        return not any(p.strip() for p in self.parts())

    def one_line(self) -> str:
        """ "Street, City, Region, Code, Country" for lists and the short location."""
        return ", ".join(" ".join(p.replace("\n", ", ").split()) for p in self.parts() if p.strip())


@dataclass(frozen=True)
class ContactRecord:
    id: int
    uuid: str
    name: str
    name_prefix: str = ""
    given_name: str = ""
    middle_name: str = ""
    family_name: str = ""
    name_suffix: str = ""
    nickname: str = ""
    phonetic_name: str = ""
    # The display name is the user's own text rather than the parts joined.
    name_custom: bool = False
    organisation: str = ""
    role: str = ""
    industry: str = ""
    relationship: str = "other"
    how_met_kind: str = ""
    how_met_text: str = ""
    how_met_event_id: int | None = None
    referred_by_id: int | None = None
    location: str = ""
    birthday_month: int | None = None
    birthday_day: int | None = None
    birthday_year: int | None = None
    interests: str = ""
    notes: str = ""
    cadence_days: int | None = None
    last_touch_on: date | None = None
    next_touch_due: date | None = None
    emails: tuple[LabeledValue, ...] = ()
    phones: tuple[LabeledValue, ...] = ()
    urls: tuple[LabeledValue, ...] = ()
    tags: tuple[str, ...] = ()
    addresses: tuple[PostalAddress, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None
    photo: bytes | None = field(default=None, repr=False, compare=False)
    photo_type: str = ""
    photo_url: str = ""
    # Team mode: the row's version (a save names it; see ContactService.update) and who
    # made and last changed the contact.
    version: int = 1
    created_by: str = ""
    updated_by: str = ""
    # "shared" (the team sees it) or "private" (only its creator); see core.visibility.
    visibility: str = "shared"


@dataclass(frozen=True)
class TouchpointRecord:
    id: int
    uuid: str
    contact_id: int
    occurred_on: date
    channel: str
    kind: str
    note: str = ""
    event_id: int | None = None
    organisation_id: int | None = None
    # Who logged it and who last changed it (team mode; "" before).
    created_by: str = ""
    updated_by: str = ""


@dataclass(frozen=True)
class ReferralRecord:
    id: int
    uuid: str
    contact_id: int
    direction: str
    status: str
    occurred_on: date
    other_contact_id: int | None = None
    outcome: str = ""
    note: str = ""


@dataclass(frozen=True)
class FollowUpRecord:
    id: int
    uuid: str
    contact_id: int | None
    due_date: date
    due_time: time | None = None
    time_zone: str = ""
    channel: str = ""
    purpose: str = ""
    notes: str = ""
    status: str = "open"
    origin: str = "manual"
    event_id: int | None = None
    sequence: int = 0
    completed_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # The row's optimistic-locking version and who saved it last (team mode).
    version: int = 1
    updated_by: str = ""
    # Team mode: who is to do it, who may see it ("shared" or "private"), who made it.
    owner: str = ""
    visibility: str = "shared"
    created_by: str = ""


@dataclass(frozen=True)
class NoteRecord:
    """A dated note about a contact with its author; private to the author by default."""

    id: int
    uuid: str
    contact_id: int
    text: str
    visibility: str = "private"
    created_by: str = ""
    updated_by: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class EventPlanRecord:
    id: int
    uuid: str
    name: str
    event_type: str = "networking_event"
    starts_local: datetime | None = None
    ends_local: datetime | None = None
    all_day: bool = False
    time_zone: str = ""
    venue: str = ""
    url: str = ""
    cost_cents: int | None = None
    currency: str = ""
    status: str = "idea"
    description: str = ""
    takeaways: str = ""
    pitch_id: int | None = None
    pitch_text: str = ""
    sequence: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # The row's optimistic-lock version and who saved it last (team mode's stale saves).
    version: int = 1
    updated_by: str = ""
