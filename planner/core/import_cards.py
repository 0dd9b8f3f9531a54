"""What a contact file holds: `ContactCard`s and the parse result, and how two cards of one
person are merged into one (nothing of either dropped)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from planner.core.dedupe import contact_keys, fast_fold
from planner.core.names import NameParts, split_name
from planner.core.records import LabeledValue, PostalAddress


class UnreadableFileError(ValueError):
    """The whole file cannot be imported; `message` says why in words a person understands."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class ContactCard:
    """One contact as a file holds it: what we read, and what we write when exporting."""

    name: str
    line: int = 0
    name_prefix: str = ""
    given_name: str = ""
    middle_name: str = ""
    family_name: str = ""
    name_suffix: str = ""
    nickname: str = ""
    phonetic_name: str = ""
    # The display name is the user's own text, not the parts joined.
    name_custom: bool = False
    organisation: str = ""
    role: str = ""
    industry: str = ""
    relationship: str = ""
    how_met_kind: str = ""
    how_met_text: str = ""
    location: str = ""
    birthday_month: int | None = None
    birthday_day: int | None = None
    birthday_year: int | None = None
    interests: str = ""
    notes: str = ""
    cadence_days: int | None = None
    emails: tuple[LabeledValue, ...] = ()
    phones: tuple[LabeledValue, ...] = ()
    urls: tuple[LabeledValue, ...] = ()
    tags: tuple[str, ...] = ()
    # Postal addresses in the source's order (the preferred one first, marked `pref`).
    addresses: tuple[PostalAddress, ...] = ()
    photo: bytes | None = field(default=None, repr=False)
    photo_type: str = ""
    photo_url: str = ""
    # LinkedIn's "Connected On": becomes the first touchpoint.
    connected_on: date | None = None
    uid: str = ""
    # What was wrong with this record's values (kept in the notes, not in typed fields).
    problems: tuple[str, ...] = ()

    def name_parts(self) -> NameParts:
        return NameParts(
            self.name_prefix, self.given_name, self.middle_name, self.family_name, self.name_suffix
        )

    def with_name_parts(self) -> ContactCard:
        """The card with name parts filled: split from the display name when it has none, and
        the display name built from the parts when it has no name."""
        parts = self.name_parts()
        if parts.is_empty():
            if not self.name:
                return self
            parts = split_name(self.name)
            custom = parts.display() != " ".join(self.name.split())
            return replace(
                self,
                name_prefix=parts.prefix,
                given_name=parts.given,
                middle_name=parts.middle,
                family_name=parts.family,
                name_suffix=parts.suffix,
                name_custom=custom,
            )
        if not self.name:
            return replace(self, name=parts.display(), name_custom=False)
        custom = " ".join(self.name.split()) != parts.display()
        return replace(self, name_custom=custom) if custom != self.name_custom else self

    def keys(self) -> set[str]:
        return contact_keys(
            self.name,
            self.organisation,
            (e.value for e in self.emails),
            (u.value for u in self.urls),
            self.uid,
        )


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    message: str
    # Who the broken row seems to be about, when the row says (shown in the preview).
    name: str = ""


@dataclass(frozen=True)
class ParseResult:
    format: str
    cards: tuple[ContactCard, ...]
    errors: tuple[RowError, ...] = ()
    encoding: str = ""
    # Generic CSV: the header cells and the field each column is mapped to ("" = ignored).
    columns: tuple[str, ...] = ()
    mapping: tuple[str, ...] = ()


# --- merging two cards (rows of one file that are one person) ----------------------------


def digits(value: str) -> str:
    """The digits of a phone number (what makes two spellings of one number the same)."""
    return re.sub(r"\D", "", value)


def url_norm(value: str) -> str:
    """A web address without scheme, "www." and trailing slash, lower case."""
    value = value.strip().lower()
    value = re.sub(r"^[a-z]+://", "", value)
    if value.startswith("www."):
        value = value[4:]
    return value.rstrip("/")


def email_norm(value: str) -> str:
    return value.strip().lower()


def phone_norm(value: str) -> str:
    return digits(value) or value.strip().lower()


def address_norm(address: PostalAddress) -> str:
    """Two spellings of one address ("1 Quay St" / "1  quay st") are the same address."""
    return fast_fold(" ".join(" ".join(p.split()) for p in address.parts()))


def _merge_addresses(
    first: Sequence[PostalAddress], second: Sequence[PostalAddress]
) -> tuple[PostalAddress, ...]:
    seen = {address_norm(a) for a in first}
    out = list(first)
    for item in second:
        key = address_norm(item)
        if key not in seen:
            seen.add(key)
            out.append(replace(item, pref=False) if any(a.pref for a in out) else item)
    return tuple(out)


def _merge_values(
    first: Sequence[LabeledValue], second: Sequence[LabeledValue], norm: Callable[[str], str]
) -> tuple[LabeledValue, ...]:
    seen = {norm(v.value) for v in first}
    out = list(first)
    for item in second:
        key = norm(item.value)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return tuple(out)


def merge_notes(first: str, second: str) -> str:
    if not second.strip() or fast_fold(second) in fast_fold(first):
        return first
    if not first.strip():
        return second
    return f"{first}\n\n{second}"


# Single-valued fields a second source fills only where the first left them empty.
FILLED_WHEN_EMPTY = (
    "organisation",
    "role",
    "industry",
    "location",
    "how_met_text",
    "interests",
    "photo_url",
    "nickname",
    "phonetic_name",
)


# "other" is the catch-all a source writes when it knows nothing better (our own export does):
# a real relationship from the second source replaces it, as it would replace an empty one.
UNKNOWN_RELATIONSHIPS = ("", "other")


def fills_relationship(current: str, incoming: str) -> bool:
    return current in UNKNOWN_RELATIONSHIPS and incoming not in UNKNOWN_RELATIONSHIPS


def merge_cards(a: ContactCard, b: ContactCard) -> ContactCard:
    """`a` with what only `b` knows added; nothing of either is dropped."""
    changes: dict[str, Any] = {}
    for name in FILLED_WHEN_EMPTY:
        if not getattr(a, name) and getattr(b, name):
            changes[name] = getattr(b, name)
    changes["problems"] = tuple(dict.fromkeys((*a.problems, *b.problems)))
    if fills_relationship(a.relationship, b.relationship):
        changes["relationship"] = b.relationship
    if not a.how_met_kind and b.how_met_kind:
        changes["how_met_kind"] = b.how_met_kind
    if a.birthday_month is None and b.birthday_month is not None:
        changes.update(
            birthday_month=b.birthday_month,
            birthday_day=b.birthday_day,
            birthday_year=b.birthday_year,
        )
    elif (
        a.birthday_year is None
        and b.birthday_year is not None
        and (
            a.birthday_month,
            a.birthday_day,
        )
        == (b.birthday_month, b.birthday_day)
    ):
        changes["birthday_year"] = b.birthday_year
    if a.cadence_days is None and b.cadence_days is not None:
        changes["cadence_days"] = b.cadence_days
    if a.photo is None and b.photo is not None:
        changes.update(photo=b.photo, photo_type=b.photo_type)
    if b.connected_on and (a.connected_on is None or b.connected_on < a.connected_on):
        changes["connected_on"] = b.connected_on
    if not a.uid and b.uid:
        changes["uid"] = b.uid
    changes["notes"] = merge_notes(a.notes, b.notes)
    changes["emails"] = _merge_values(a.emails, b.emails, email_norm)
    changes["phones"] = _merge_values(a.phones, b.phones, phone_norm)
    changes["urls"] = _merge_values(a.urls, b.urls, url_norm)
    changes["addresses"] = _merge_addresses(a.addresses, b.addresses)
    changes["tags"] = tuple(dict.fromkeys((*a.tags, *b.tags)))
    return replace(a, **changes)
