"""Contact import: parsed cards -> preview (new / duplicate / error) -> one-transaction commit.

The file formats (planner.interop) turn a file into `ContactCard`s; this module decides what
each card is against the database, writes the user's choices in one transaction and returns
what it did, so the UI can undo the whole import in one step.
"""

from __future__ import annotations

import functools
import gc
import os
import re
import uuid as uuid_mod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from planner.core.cadence import next_touch_due
from planner.core.contact_rows import (
    get_or_create_tags,
    refresh_search_text,
    refresh_touch_dates,
    tag_key,
)
from planner.core.contacts import ADDRESS_PARTS, clean_address
from planner.core.dedupe import (
    conflicts,
    contact_keys,
    describe_key,
    email_key,
    fast_fold,
    fast_search_blob,
    group_by_keys,
    linkedin_key,
    load_database_keys,
    name_matches,
)
from planner.core.errors import ValidationError
from planner.core.import_batches import forget_import, record_import
from planner.core.names import NameParts, split_name
from planner.core.records import LabeledValue, PostalAddress
from planner.core.validation import (
    default_phone_region,
    normalize_email,
    normalize_phone,
    normalize_url,
)
from planner.core.visibility import contact_visible, viewer
from planner.core.vocab import HOW_MET, RELATIONSHIPS
from planner.db import models as m
from planner.db.database import Database
from planner.db.dialect import reserve_ids
from planner.db.types import new_uuid, utcnow

FORMATS: dict[str, str] = {
    "auto": "Detect from the content",
    "vcard": "vCard (.vcf)",
    "linkedin": "LinkedIn Connections.csv",
    "google": "Google Contacts CSV",
    "outlook": "Outlook CSV",
    "csv": "Other CSV (map the columns)",
}

# Per duplicate group: what to do with it.
SKIP = "skip"
MERGE = "merge"
NEW = "new"
CHOICES: dict[str, str] = {
    MERGE: "Merge into existing",
    SKIP: "Skip",
    NEW: "Import as new",
}

LINKEDIN_NOTE = "Connected on LinkedIn"
_CHUNK = 2000
_UNCHANGED = object()
_KEY_RANK = {"u": 0, "e": 1, "l": 2, "n": 3}


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


@dataclass(frozen=True, slots=True)
class ImportGroup:
    """File rows that are one person (maybe matching a contact already in the database)."""

    index: int
    card: ContactCard
    lines: tuple[int, ...]
    existing_id: int | None = None
    existing_name: str = ""
    reason: str = ""
    # Only the name and organisation match: the user decides (skipped unless they choose).
    proposed: bool = False


@dataclass(frozen=True, slots=True)
class PreviewRow:
    line: int
    name: str
    organisation: str
    email: str
    # new, duplicate (of a contact in the database), possible (same name and organisation
    # as a contact: the user decides), same (as an earlier row), error
    status: str
    group: int = -1
    detail: str = ""
    # Values that failed the checks (kept in the notes instead).
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportPreview:
    format: str
    rows: tuple[PreviewRow, ...]
    groups: tuple[ImportGroup, ...]
    errors: tuple[RowError, ...]
    encoding: str = ""

    @property
    def new_count(self) -> int:
        return sum(1 for g in self.groups if g.existing_id is None)

    @property
    def duplicate_count(self) -> int:
        return sum(1 for g in self.groups if g.existing_id is not None and not g.proposed)

    @property
    def proposed_count(self) -> int:
        return sum(1 for g in self.groups if g.proposed)

    @property
    def problem_rows(self) -> int:
        """Rows whose bad values were kept in the notes instead of the typed fields."""
        return sum(1 for r in self.rows if r.problems)

    @property
    def problem_count(self) -> int:
        return sum(len(r.problems) for r in self.rows)

    def default_choices(self) -> dict[int, str]:
        def choice(g: ImportGroup) -> str:
            if g.existing_id is None:
                return NEW
            return SKIP if g.proposed else MERGE

        return {g.index: choice(g) for g in self.groups}


@dataclass(frozen=True)
class MergedChange:
    """What a merge added to an existing contact, so undo can take exactly that away."""

    contact_id: int
    before: tuple[tuple[str, Any], ...]
    email_ids: tuple[int, ...] = ()
    phone_ids: tuple[int, ...] = ()
    url_ids: tuple[int, ...] = ()
    touchpoint_ids: tuple[int, ...] = ()
    tag_ids: tuple[int, ...] = ()
    organisation_ids: tuple[int, ...] = ()
    address_ids: tuple[int, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(
            self.before
            or self.email_ids
            or self.phone_ids
            or self.url_ids
            or self.address_ids
            or self.touchpoint_ids
            or self.tag_ids
            or self.organisation_ids
        )


@dataclass(frozen=True)
class ImportOutcome:
    created_ids: tuple[int, ...]
    merged: tuple[MergedChange, ...]
    created_tag_ids: tuple[int, ...]
    skipped: int
    errors: int
    created_organisation_ids: tuple[int, ...] = ()
    # Bad values kept in the notes instead of the typed fields.
    problems: int = 0
    # The batch that lists this import's contacts (core.import_batches); None when none came.
    import_id: int | None = None

    @property
    def created(self) -> int:
        return len(self.created_ids)

    @property
    def merged_count(self) -> int:
        return len(self.merged)

    @property
    def unchanged(self) -> int:
        return sum(1 for c in self.merged if not c.changed)

    def summary(self) -> str:
        return (
            f"{self.created:,} created, {self.merged_count:,} merged "
            f"({self.unchanged:,} already up to date), {self.skipped:,} skipped, "
            f"{self.errors:,} rows with errors, {self.problems:,} bad values kept in notes"
        )


# --- merging two cards (rows of one file that are one person) ----------------------------


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _url_norm(value: str) -> str:
    value = value.strip().lower()
    value = re.sub(r"^[a-z]+://", "", value)
    if value.startswith("www."):
        value = value[4:]
    return value.rstrip("/")


def _email_norm(value: str) -> str:
    return value.strip().lower()


def _phone_norm(value: str) -> str:
    return _digits(value) or value.strip().lower()


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
    first: Sequence[LabeledValue], second: Sequence[LabeledValue], norm: Any
) -> tuple[LabeledValue, ...]:
    seen = {norm(v.value) for v in first}
    out = list(first)
    for item in second:
        key = norm(item.value)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return tuple(out)


def _merge_notes(first: str, second: str) -> str:
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


def merge_cards(a: ContactCard, b: ContactCard) -> ContactCard:
    """`a` with what only `b` knows added; nothing of either is dropped."""
    changes: dict[str, Any] = {}
    for name in FILLED_WHEN_EMPTY:
        if not getattr(a, name) and getattr(b, name):
            changes[name] = getattr(b, name)
    changes["problems"] = tuple(dict.fromkeys((*a.problems, *b.problems)))
    if not a.relationship and b.relationship:
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
    changes["notes"] = _merge_notes(a.notes, b.notes)
    changes["emails"] = _merge_values(a.emails, b.emails, _email_norm)
    changes["phones"] = _merge_values(a.phones, b.phones, _phone_norm)
    changes["urls"] = _merge_values(a.urls, b.urls, _url_norm)
    changes["addresses"] = _merge_addresses(a.addresses, b.addresses)
    changes["tags"] = tuple(dict.fromkeys((*a.tags, *b.tags)))
    return replace(a, **changes)


_PHONE_CHARS = re.compile(r"^[+()\d][\d\s().\-/]*(?:\s*(?:x|ext\.?)\s*\d+)?$", re.IGNORECASE)
_LABELS = {"emails": "e-mail", "phones": "phone", "urls": "web address"}


def _check_phone(value: str, region: str) -> str:
    """The form's check; a national number without a known region is kept as written when it
    looks like a phone number (the region is unknown, not the number wrong)."""
    try:
        return normalize_phone(value, region)
    except ValidationError:
        text = value.strip()
        if (
            not region
            and not text.startswith("+")
            and _PHONE_CHARS.match(text)
            and 5 <= len(_digits(text)) <= 15
        ):
            return " ".join(text.split())
        raise


# Plain ASCII shapes for which the form's validators are known to give the text back as it
# is: checked here in microseconds, everything else goes through the validators themselves.
_PLAIN_URL = re.compile(
    r"https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::[0-9]{1,5})?(?:[/?#][!-~]*)?", re.ASCII
)
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")


@functools.lru_cache(maxsize=4096)
def _email_domain(domain: str) -> str | None:
    """The validator's verdict on a domain, once per domain (its checks are most of the cost
    of an address; a file's addresses share few domains): the normalised domain or None."""
    try:
        return normalize_email(f"a@{domain}").rpartition("@")[2]
    except ValidationError:
        return None


def check_email(value: str) -> str:
    """normalize_email, with the common plain case (ASCII dot-atom local part) checked
    without running the whole validator per address: same answers, a tenth of the time."""
    text = value.strip()
    local, at, domain = text.rpartition("@")
    if at and len(text) <= 254 and len(local) <= 64 and _PLAIN_LOCAL.fullmatch(local):
        normal = _email_domain(domain)
        if normal is not None:
            return f"{local}@{normal}"
    return normalize_email(value)


def _check_url(value: str) -> str:
    text = value.strip()
    if _PLAIN_URL.fullmatch(text):
        return text
    if text.lower().startswith("mailto:"):
        normalize_email(text[7:])
        return text
    return normalize_url(text)


def check_card(card: ContactCard, region: str = "") -> ContactCard:
    """The same checks as the contact form, at the door: a bad e-mail, phone or URL leaves its
    typed field, is kept in the notes and listed in `problems`; unknown vocabulary is dropped;
    the name parts are filled."""
    changes: dict[str, Any] = {}
    problems = list(card.problems)
    moved: list[str] = []
    if card.relationship and card.relationship not in RELATIONSHIPS:
        changes["relationship"] = ""
    if card.how_met_kind and card.how_met_kind not in HOW_MET:
        changes["how_met_kind"] = ""
    if card.cadence_days is not None and not 0 < card.cadence_days <= 3650:
        changes["cadence_days"] = None
    checks: dict[str, Any] = {
        "emails": check_email,
        "phones": lambda v: _check_phone(v, region),
        "urls": _check_url,
    }
    for kind, check in checks.items():
        items: tuple[LabeledValue, ...] = getattr(card, kind)
        kept: list[LabeledValue] = []
        bad = False
        for item in items:
            # (kept values are normalised as the form would: "linkedin.com/in/x" gets https://)
            try:
                value = check(item.value)
            except ValidationError:
                bad = True
                noun = _LABELS[kind]
                problems.append(f"not a valid {noun}: “{_clip(item.value)}”")
                moved.append(f"{noun.capitalize()} (not valid): {item.value}")
                continue
            if value != item.value:
                bad = True  # changed, not bad: the tuple is rebuilt either way
                kept.append(LabeledValue(item.label, value, item.pref))
            else:
                kept.append(item)
        if bad:
            changes[kind] = tuple(kept)
    if card.addresses:
        addresses: list[PostalAddress] = []
        for address in card.addresses:
            try:
                tidy = clean_address(address)
            except ValidationError as exc:
                problems.append(
                    f"an address is too long ({exc.message[:1].lower()}{exc.message[1:]})"
                )
                moved.append(f"Address (too long): {address.one_line()}")
                continue
            if not tidy.is_empty():
                addresses.append(tidy)
        if tuple(addresses) != card.addresses:
            changes["addresses"] = tuple(addresses)
        if not card.location and addresses:
            preferred = next((a for a in addresses if a.pref), addresses[0])
            changes["location"] = preferred.one_line()[:300]
    if moved:
        note = "\n".join(moved)
        changes["notes"] = f"{card.notes}\n\n{note}" if card.notes.strip() else note
    undecodable = [
        name
        for name in ("name", "organisation", "role", "notes", "location")
        if "\ufffd" in getattr(card, name)
    ]
    if undecodable:
        problems.append(
            "bytes that are not valid in the file's encoding (shown as �) in "
            + ", ".join(undecodable)
        )
    if problems != list(card.problems):
        changes["problems"] = tuple(problems)
    cleaned = replace(card, **changes) if changes else card
    return cleaned.with_name_parts()


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:59] + "…"


# --- the service ------------------------------------------------------------------------

_SCALARS = (
    "organisation",
    "role",
    "industry",
    "relationship",
    "how_met_kind",
    "how_met_text",
    "location",
    "birthday_month",
    "birthday_day",
    "birthday_year",
    "interests",
    "notes",
    "cadence_days",
    "photo",
    "photo_type",
    "photo_url",
    "nickname",
    "phonetic_name",
)


def _uuid_or_empty(uid: str) -> str:
    if not uid:
        return ""
    text = uid.strip().lower()
    if text.startswith("urn:uuid:"):
        text = text[9:]
    try:
        return str(uuid_mod.UUID(text))
    except ValueError:
        return ""


def _strong_keys(session: Session, contact_ids: Sequence[int]) -> dict[int, set[str]]:
    """The e-mail and LinkedIn keys of some contacts (to tell namesakes apart)."""
    out: dict[int, set[str]] = {}
    for start in range(0, len(contact_ids), _CHUNK):
        chunk = list(contact_ids[start : start + _CHUNK])
        for cid, value in session.execute(
            select(m.ContactEmail.contact_id, m.ContactEmail.value).where(
                m.ContactEmail.contact_id.in_(chunk)
            )
        ):
            key = email_key(value)
            if key:
                out.setdefault(cid, set()).add(key)
        for cid, value in session.execute(
            select(m.ContactUrl.contact_id, m.ContactUrl.value).where(
                m.ContactUrl.contact_id.in_(chunk)
            )
        ):
            key = linkedin_key(value)
            if key:
                out.setdefault(cid, set()).add(key)
    return out


class ImportService:
    """Preview and commit imports; each public method is one transaction."""

    def __init__(self, db: Database, phone_region: str = "") -> None:
        self.db = db
        # Numbers without +country are read in this region (the preference, else the locale).
        self.phone_region = default_phone_region(phone_region)

    # --- preview ------------------------------------------------------------------------

    def preview(self, parsed: ParseResult) -> ImportPreview:
        """Groups the file's rows into people and matches them against the database."""
        with paused_gc():
            return self._preview(parsed)

    def _preview(self, parsed: ParseResult) -> ImportPreview:
        cards = [check_card(c, self.phone_region) for c in parsed.cards]
        # Tuples, not sets: a few hundred thousand sets cost far more memory.
        key_sets: list[Any] = [tuple(c.keys()) for c in cards]
        groups_idx = group_by_keys(key_sets)
        in_file = name_matches(key_sets, groups_idx)
        group_keys = [
            key_sets[members[0]]
            if len(members) == 1
            else set().union(*(key_sets[i] for i in members))
            for members in groups_idx
        ]
        with self.db.session() as s:
            db_keys = load_database_keys(s, with_uids=any(c.uid for c in cards))
            matches: list[tuple[int | None, str]] = []
            for keys in group_keys:
                # The strongest evidence wins (same UID, then e-mail, LinkedIn), then the oldest
                # contact; a name and organisation alone is only a proposal (checked below).
                best: tuple[int, int, str] | None = None
                for key in keys:
                    cid = db_keys.get(key)
                    if cid is None:
                        continue
                    candidate = (_KEY_RANK.get(key[0], 9), cid, key)
                    if best is None or candidate < best:
                        best = candidate
                matches.append((best[1], best[2]) if best else (None, ""))
            by_name = sorted({cid for cid, k in matches if cid is not None and k[:1] == "n"})
            strong_of = _strong_keys(s, by_name)
            # Only name matches need their keys again: let the rest go (300,000 sets).
            name_keys = {gi: group_keys[gi] for gi, (_c, k) in enumerate(matches) if k[:1] == "n"}
            del key_sets, group_keys
            wanted = {cid for cid, _k in matches if cid is not None}
            names: dict[int, str] = {}
            ids = sorted(wanted)
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                names.update(
                    s.execute(
                        select(m.Contact.id, m.Contact.name).where(m.Contact.id.in_(chunk))
                    ).all()
                )
        groups: list[ImportGroup] = []
        status_of: dict[int, PreviewRow] = {}
        for gi, members in enumerate(groups_idx):
            card = cards[members[0]]
            for i in members[1:]:
                card = merge_cards(card, cards[i])
            existing_id, key = matches[gi]
            existing_name = names.get(existing_id, "") if existing_id is not None else ""
            proposed = False
            note = ""
            if existing_id is not None and key.startswith("n:"):
                # E-mails or LinkedIn profiles on both sides with nothing in common: namesakes.
                theirs = strong_of.get(existing_id, set())
                mine = {k for k in name_keys[gi] if k[:1] in ("e", "l")}
                if conflicts(mine, theirs):
                    note = (
                        f"Same name and organisation as {existing_name}, but a different "
                        "e-mail or LinkedIn profile: a different person"
                    )
                    existing_id, key, existing_name = None, "", ""
                else:
                    proposed = True
            reason = describe_key(key) if key else ""
            group = ImportGroup(
                index=gi,
                card=card,
                lines=tuple(cards[i].line for i in members),
                existing_id=existing_id,
                existing_name=existing_name,
                reason=reason,
                proposed=proposed,
            )
            groups.append(group)
            first_line = cards[members[0]].line
            if not note and gi in in_file:
                other_gi, clash = in_file[gi]
                other = cards[groups_idx[other_gi][0]]
                note = f"Same name and organisation as line {other.line}; " + (
                    "a different e-mail or LinkedIn profile, so a different person"
                    if clash
                    else "imported separately (no shared e-mail or profile to prove it)"
                )
            for pos, i in enumerate(members):
                c = cards[i]
                email = c.emails[0].value if c.emails else ""
                if existing_id is not None and proposed:
                    status, detail = (
                        "possible",
                        f"Maybe {existing_name} — {reason}; skipped unless you choose to merge",
                    )
                elif existing_id is not None:
                    status, detail = "duplicate", f"{existing_name} — {reason}"
                elif pos == 0:
                    status, detail = "new", note
                else:
                    status, detail = "same", f"Same person as line {first_line}"
                status_of[i] = PreviewRow(
                    c.line, c.name, c.organisation, email, status, gi, detail, c.problems
                )
        rows = [status_of[i] for i in range(len(cards))]
        rows.extend(
            PreviewRow(e.line, e.name, "", "", "error", -1, e.message[:1].upper() + e.message[1:])
            for e in parsed.errors
        )
        rows.sort(key=lambda r: r.line)
        return ImportPreview(
            parsed.format, tuple(rows), tuple(groups), tuple(parsed.errors), parsed.encoding
        )

    # --- commit -------------------------------------------------------------------------

    def commit(
        self, preview: ImportPreview, choices: Mapping[int, str] | None = None, source: str = ""
    ) -> ImportOutcome:
        """Writes the groups as chosen (default: merge duplicates, add the rest) at once;
        `source` (the file's name) names the import in the "Imported in" filter."""
        with paused_gc():
            return self._commit(preview, choices, source)

    def _commit(
        self, preview: ImportPreview, choices: Mapping[int, str] | None, source: str = ""
    ) -> ImportOutcome:
        chosen = preview.default_choices()
        chosen.update(choices or {})
        to_create: list[ContactCard] = []
        to_merge: list[tuple[int, ContactCard]] = []
        skipped = 0
        for group in preview.groups:
            choice = chosen.get(group.index, MERGE)
            if group.existing_id is None or choice == NEW:
                to_create.append(group.card)
            elif choice == MERGE:
                to_merge.append((group.existing_id, group.card))
            else:
                skipped += len(group.lines)
        with self.db.session() as s:
            tag_names = sorted(
                {t for c in to_create for t in c.tags} | {t for _i, c in to_merge for t in c.tags}
            )
            # Tags match ignoring case: "Fintech" from a Google label joins "fintech".
            before_tags = set(s.scalars(select(m.Tag.id)).all()) if tag_names else set()
            tags = get_or_create_tags(s, tag_names)
            s.flush()
            by_key = {tag_key(t.name): t.id for t in tags}
            tag_ids = {name: by_key[tag_key(name)] for name in tag_names if name.strip()}
            created_tag_ids = tuple(sorted(t.id for t in tags if t.id not in before_tags))
            org_ids, created_orgs = _organisations(
                s,
                [c.organisation for c in to_create] + [c.organisation for _i, c in to_merge],
                utcnow(),
            )
            created_ids = self._create(s, to_create, tag_ids, org_ids)
            merged = self._merge_into(s, to_merge, tag_ids, org_ids)
            touched = [*created_ids, *(change.contact_id for change in merged)]
            import_id = record_import(s, source, touched) if touched else None
        return ImportOutcome(
            created_ids=tuple(created_ids),
            merged=tuple(merged),
            created_tag_ids=created_tag_ids,
            skipped=skipped,
            errors=len(preview.errors),
            created_organisation_ids=created_orgs,
            problems=preview.problem_count,
            import_id=import_id,
        )

    def _create(
        self,
        s: Session,
        cards: Sequence[ContactCard],
        tag_ids: Mapping[str, int],
        org_ids: Mapping[str, int],
    ) -> list[int]:
        """Bulk insert, with the same derived columns new_contact() sets."""
        if not cards:
            return []
        now = utcnow()
        next_id = reserve_ids(s, m.Contact.__table__, len(cards))
        taken: set[str] = set()
        wanted_uids = [u for u in (_uuid_or_empty(c.uid) for c in cards) if u]
        for start in range(0, len(wanted_uids), _CHUNK):
            chunk = wanted_uids[start : start + _CHUNK]
            taken.update(s.scalars(select(m.Contact.uuid).where(m.Contact.uuid.in_(chunk))))
        contacts: list[dict[str, Any]] = []
        emails: list[dict[str, Any]] = []
        phones: list[dict[str, Any]] = []
        urls: list[dict[str, Any]] = []
        addresses: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        touches: list[dict[str, Any]] = []
        memberships: list[dict[str, Any]] = []
        ids: list[int] = []
        fresh = _uuid_stream()
        from planner.core.contact_rows import name_key

        def flush() -> None:
            # Core inserts (not ORM bulk): several times faster for tens of thousands of rows.
            # Written a chunk at a time so a 300,000-row import never holds every row dict.
            for model, rows in (
                (m.Contact, contacts),
                (m.ContactEmail, emails),
                (m.ContactPhone, phones),
                (m.ContactUrl, urls),
                (m.ContactAddress, addresses),
                (m.ContactTag, links),
                (m.Touchpoint, touches),
                (m.ContactOrganisation, memberships),
            ):
                bulk_insert(s, model.__table__, rows)
                rows.clear()

        for offset, card in enumerate(cards):
            if offset and offset % _CHUNK == 0:
                flush()
            cid = next_id + offset
            ids.append(cid)
            uid = _uuid_or_empty(card.uid)
            if not uid or uid in taken:
                uid = next(fresh)
            elif uid:
                # Only the file's own UIDs can repeat; fresh random ones never do.
                taken.add(uid)
            last = card.connected_on
            org_id = org_ids.get(name_key(card.organisation)) if card.organisation else None
            if org_id is not None:
                memberships.append({"contact_id": cid, "organisation_id": org_id, "role": ""})
            contacts.append(
                {
                    "id": cid,
                    "uuid": uid,
                    "organisation_id": org_id,
                    "created_at": now,
                    "updated_at": now,
                    "name": card.name,
                    "name_prefix": card.name_prefix,
                    "given_name": card.given_name,
                    "middle_name": card.middle_name,
                    "family_name": card.family_name,
                    "name_suffix": card.name_suffix,
                    "nickname": card.nickname,
                    "phonetic_name": card.phonetic_name,
                    "name_custom": card.name_custom,
                    "photo_url": card.photo_url,
                    "organisation": card.organisation,
                    "role": card.role,
                    "industry": card.industry,
                    "relationship": card.relationship or "other",
                    "how_met_kind": card.how_met_kind,
                    "how_met_text": card.how_met_text,
                    "location": card.location,
                    "birthday_month": card.birthday_month,
                    "birthday_day": card.birthday_day,
                    "birthday_year": card.birthday_year,
                    "interests": card.interests,
                    "notes": card.notes,
                    "cadence_days": card.cadence_days,
                    "last_touch_on": last,
                    "next_touch_due": next_touch_due(last, now.date(), card.cadence_days),
                    "photo": card.photo,
                    "photo_type": card.photo_type if card.photo else "",
                    "search_text": fast_search_blob(
                        card.name,
                        card.organisation,
                        card.role,
                        *(e.value for e in card.emails),
                        *card.tags,
                        card.notes,
                    ),
                }
            )
            for rows, items in ((emails, card.emails), (phones, card.phones), (urls, card.urls)):
                for pos, item in enumerate(items):
                    rows.append(
                        {
                            "contact_id": cid,
                            "label": item.label,
                            "value": item.value,
                            "position": pos,
                            "pref": item.pref,
                        }
                    )
            for pos, address in enumerate(card.addresses):
                addresses.append(_address_row(cid, address, pos))
            for tag_id in dict.fromkeys(tag_ids[tag] for tag in card.tags):
                links.append({"contact_id": cid, "tag_id": tag_id})
            if card.connected_on:
                touches.append(_linkedin_touch(cid, card.connected_on, now, next(fresh)))
        flush()
        return ids

    def _merge_into(
        self,
        s: Session,
        pairs: Sequence[tuple[int, ContactCard]],
        tag_ids: Mapping[str, int],
        org_ids: Mapping[str, int],
    ) -> list[MergedChange]:
        """Adds what the cards know to existing contacts, with Core statements (fast at scale)."""
        if not pairs:
            return []
        # Several groups may point at one contact: combine them first.
        by_id: dict[int, ContactCard] = {}
        for cid, card in pairs:
            by_id[cid] = merge_cards(by_id[cid], card) if cid in by_id else card
        ids = sorted(by_id)
        ct: Any = m.Contact.__table__
        value_tables: dict[str, Any] = {
            "email": m.ContactEmail.__table__,
            "phone": m.ContactPhone.__table__,
            "url": m.ContactUrl.__table__,
        }
        norms = {"email": _email_norm, "phone": _phone_norm, "url": _url_norm}
        address_table: Any = m.ContactAddress.__table__
        have_addresses: dict[int, list[tuple[int, str]]] = {}
        columns = [ct.c.id, ct.c.name, ct.c.created_at, ct.c.last_touch_on, ct.c.organisation_id]
        columns += [ct.c[n] for n in _SCALARS]
        current: dict[int, dict[str, Any]] = {}
        existing: dict[str, dict[int, list[tuple[int, str]]]] = {k: {} for k in value_tables}
        have_tags: dict[int, set[int]] = {}
        have_orgs: dict[int, set[int]] = {}
        member: Any = m.ContactOrganisation.__table__
        met_days: set[tuple[int, date]] = set()
        link: Any = m.ContactTag.__table__
        touch: Any = m.Touchpoint.__table__
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for found in s.execute(select(*columns).where(ct.c.id.in_(chunk))):
                current[found.id] = dict(found._mapping)
            for kind, table in value_tables.items():
                for cid, value, position in s.execute(
                    select(table.c.contact_id, table.c.value, table.c.position).where(
                        table.c.contact_id.in_(chunk)
                    )
                ):
                    existing[kind].setdefault(cid, []).append((position, value))
            for found in s.execute(
                select(address_table).where(address_table.c.contact_id.in_(chunk))
            ):
                have_addresses.setdefault(found.contact_id, []).append(
                    (found.position, address_norm(_address_of_row(found._mapping)))
                )
            for cid, tid in s.execute(
                select(link.c.contact_id, link.c.tag_id).where(link.c.contact_id.in_(chunk))
            ):
                have_tags.setdefault(cid, set()).add(tid)
            for cid, oid in s.execute(
                select(member.c.contact_id, member.c.organisation_id).where(
                    member.c.contact_id.in_(chunk)
                )
            ):
                have_orgs.setdefault(cid, set()).add(oid)
            met_days.update(
                (cid, day)
                for cid, day in s.execute(
                    select(touch.c.contact_id, touch.c.occurred_on).where(
                        touch.c.contact_id.in_(chunk), touch.c.kind == "met"
                    )
                )
            )
        tag_names: dict[int, str] = dict(s.execute(select(m.Tag.id, m.Tag.name)).all())
        # At most this many rows of each kind are added (fewer when values are known already).
        most = {
            "email": sum(len(c.emails) for c in by_id.values()),
            "phone": sum(len(c.phones) for c in by_id.values()),
            "url": sum(len(c.urls) for c in by_id.values()),
            "address": sum(len(c.addresses) for c in by_id.values()),
            "touch": sum(1 for c in by_id.values() if c.connected_on),
        }
        next_ids = {
            kind: reserve_ids(s, t, most[kind])
            for kind, t in (*value_tables.items(), ("address", address_table), ("touch", touch))
        }
        new_rows: dict[str, list[dict[str, Any]]] = {
            k: [] for k in (*value_tables, "address", "touch")
        }
        new_links: list[dict[str, Any]] = []
        new_members: list[dict[str, Any]] = []
        from planner.core.contact_rows import name_key

        updates: list[dict[str, Any]] = []
        changes: list[MergedChange] = []
        now = utcnow()
        for cid in ids:
            row = current.get(cid)
            if row is None:
                continue
            card = by_id[cid]
            before = _fill(row, card)
            added: dict[str, list[int]] = {}
            for kind, items in (("email", card.emails), ("phone", card.phones), ("url", card.urls)):
                rows = sorted(existing[kind].get(cid, []))
                seen = {norms[kind](v) for _p, v in rows}
                position = (rows[-1][0] + 1) if rows else 0
                for item in items:
                    key = norms[kind](item.value)
                    if key in seen:
                        continue
                    seen.add(key)
                    rid = next_ids[kind]
                    next_ids[kind] += 1
                    new_rows[kind].append(
                        {
                            "id": rid,
                            "contact_id": cid,
                            "label": item.label,
                            "value": item.value,
                            "position": position,
                            # The contact's own preferred value stays so.
                            "pref": False,
                        }
                    )
                    rows.append((position, item.value))
                    position += 1
                    added.setdefault(kind, []).append(rid)
                existing[kind][cid] = rows
            known = sorted(have_addresses.get(cid, []))
            seen_addresses = {k for _p, k in known}
            position = (known[-1][0] + 1) if known else 0
            for address in card.addresses:
                key = address_norm(address)
                if key in seen_addresses:
                    continue
                seen_addresses.add(key)
                rid = next_ids["address"]
                next_ids["address"] += 1
                row_of = _address_row(cid, replace(address, pref=False), position)
                new_rows["address"].append({"id": rid, **row_of})
                known.append((position, key))
                position += 1
                added.setdefault("address", []).append(rid)
            have_addresses[cid] = known
            tags = have_tags.setdefault(cid, set())
            added_tags = []
            for name in dict.fromkeys(card.tags):
                tid = tag_ids[name]
                if tid not in tags:
                    tags.add(tid)
                    added_tags.append(tid)
                    new_links.append({"contact_id": cid, "tag_id": tid})
                    tag_names.setdefault(tid, name)
            added_orgs = []
            if "organisation" in before and row["organisation_id"] is None:
                # The merge gave them an organisation: link it as typing it would.
                org_id = org_ids.get(name_key(row["organisation"]))
                if org_id is not None:
                    before["organisation_id"] = None
                    row["organisation_id"] = org_id
                    if org_id not in have_orgs.setdefault(cid, set()):
                        have_orgs[cid].add(org_id)
                        added_orgs.append(org_id)
                        new_members.append(
                            {"contact_id": cid, "organisation_id": org_id, "role": ""}
                        )
            touched = False
            if card.connected_on and (cid, card.connected_on) not in met_days:
                met_days.add((cid, card.connected_on))
                rid = next_ids["touch"]
                next_ids["touch"] += 1
                new_rows["touch"].append(
                    {"id": rid, **_linkedin_touch(cid, card.connected_on, now, new_uuid())}
                )
                added.setdefault("touch", []).append(rid)
                last = row["last_touch_on"]
                row["last_touch_on"] = max(last, card.connected_on) if last else card.connected_on
                touched = True
            change = MergedChange(
                contact_id=cid,
                before=tuple(sorted(before.items())),
                email_ids=tuple(added.get("email", ())),
                phone_ids=tuple(added.get("phone", ())),
                url_ids=tuple(added.get("url", ())),
                address_ids=tuple(added.get("address", ())),
                touchpoint_ids=tuple(added.get("touch", ())),
                tag_ids=tuple(added_tags),
                organisation_ids=tuple(added_orgs),
            )
            changes.append(change)
            if not (before or added or added_tags):
                continue
            if touched or "cadence_days" in before:
                created = (row["created_at"] or now).date()
                row["next_touch_due"] = next_touch_due(
                    row["last_touch_on"], created, row["cadence_days"]
                )
            else:
                row["next_touch_due"] = _UNCHANGED
            row["search_text"] = fast_search_blob(
                row["name"],
                row["organisation"],
                row["role"],
                *(v for _p, v in existing["email"].get(cid, [])),
                *sorted(tag_names[t] for t in tags),
                row["notes"],
            )
            updates.append(row)
        for kind, table in (*value_tables.items(), ("address", address_table), ("touch", touch)):
            bulk_insert(s, table, new_rows[kind])
        bulk_insert(s, link, new_links)
        bulk_insert(s, member, new_members)
        self._update_contacts(s, updates, now)
        return changes

    @staticmethod
    def _update_contacts(s: Session, rows: list[dict[str, Any]], now: datetime) -> None:
        ct: Any = m.Contact.__table__
        names = (*_SCALARS, "search_text", "last_touch_on", "organisation_id")
        plain = [r for r in rows if r["next_touch_due"] is _UNCHANGED]
        dated = [r for r in rows if r["next_touch_due"] is not _UNCHANGED]
        for group, cols in ((plain, names), (dated, (*names, "next_touch_due"))):
            if not group:
                continue
            statement = (
                update(ct)
                .where(ct.c.id == bindparam("b_id"))
                .values({c: bindparam(f"b_{c}") for c in (*cols, "updated_at")})
                # A teammate's open copy of a merged contact is now out of date.
                .values(version=ct.c.version + 1)
            )
            params = [
                {"b_id": r["id"], "b_updated_at": now, **{f"b_{c}": r[c] for c in cols}}
                for r in group
            ]
            for start in range(0, len(params), _CHUNK):
                s.connection().execute(statement, params[start : start + _CHUNK])

    # --- undo ---------------------------------------------------------------------------

    def undo(self, outcome: ImportOutcome) -> None:
        """Takes back exactly what `commit` did (created contacts, merged-in details)."""
        with bulk_session(self.db) as s:
            forget_import(s, outcome.import_id)
            delete_contacts(s, list(outcome.created_ids))
            touched: list[int] = []
            for change in outcome.merged:
                if not change.changed:
                    continue
                touched.append(change.contact_id)
                for model, row_ids in (
                    (m.ContactEmail, change.email_ids),
                    (m.ContactPhone, change.phone_ids),
                    (m.ContactUrl, change.url_ids),
                    (m.ContactAddress, change.address_ids),
                    (m.Touchpoint, change.touchpoint_ids),
                ):
                    if row_ids:
                        s.execute(delete(model).where(model.id.in_(row_ids)))
                if change.organisation_ids:
                    member: Any = m.ContactOrganisation.__table__
                    s.execute(
                        delete(member).where(
                            member.c.contact_id == change.contact_id,
                            member.c.organisation_id.in_(change.organisation_ids),
                        )
                    )
                if change.tag_ids:
                    s.execute(
                        delete(m.ContactTag).where(
                            m.ContactTag.contact_id == change.contact_id,
                            m.ContactTag.tag_id.in_(change.tag_ids),
                        )
                    )
            s.expire_all()
            for start in range(0, len(touched), _CHUNK):
                chunk = touched[start : start + _CHUNK]
                befores = {c.contact_id: dict(c.before) for c in outcome.merged}
                for contact in s.scalars(
                    select(m.Contact)
                    .where(m.Contact.id.in_(chunk))
                    .options(selectinload(m.Contact.emails), selectinload(m.Contact.tags))
                ):
                    for name, value in befores[contact.id].items():
                        setattr(contact, name, value)
                    refresh_search_text(contact)
            s.flush()
            refresh_touch_dates(s, touched)
            if outcome.created_tag_ids:
                used = set(
                    s.scalars(
                        select(m.ContactTag.tag_id).where(
                            m.ContactTag.tag_id.in_(outcome.created_tag_ids)
                        )
                    )
                )
                unused = [t for t in outcome.created_tag_ids if t not in used]
                if unused:
                    s.execute(delete(m.Tag).where(m.Tag.id.in_(unused)))
            self._drop_unused_organisations(s, outcome.created_organisation_ids)

    @staticmethod
    def _drop_unused_organisations(s: Session, ids: Sequence[int]) -> None:
        """Organisations the import added go with it, unless something links to them now."""
        table: Any = m.Organisation.__table__
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            used: set[int] = set()
            for _other, column, _rule in _referencing(table):
                used.update(s.scalars(select(column).where(column.in_(chunk)).distinct()))
            unused = [i for i in chunk if i not in used]
            if unused:
                _delete_rows(s, table, table.c.id.in_(unused))

    # --- export -------------------------------------------------------------------------

    def load_cards(self, contact_ids: Iterable[int] | None = None) -> list[ContactCard]:
        """Contacts as cards for export: all of them, or the given ids, in name order."""
        with self.db.session() as s:
            return load_cards(
                s, None if contact_ids is None else list(contact_ids), visible_to=viewer(self.db)
            )


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while building tens of thousands of small objects that
    stay alive anyway (it re-scans them over and over: a third of a big parse)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def bulk_session(db: Database) -> Iterator[Session]:
    """One transaction for deleting many contacts, with SQLite's per-row foreign-key checks off.

    Several columns that point at contacts have no index (contacts.referred_by_id among them),
    so SQLite scans those tables for every deleted contact: undoing a 30,000-contact import
    took minutes. delete_contacts() applies the ON DELETE rules itself, a chunk at a time.
    """
    conn = db.engine.connect()
    sqlite = conn.dialect.name == "sqlite"
    try:
        if sqlite:
            # Outside a transaction, or SQLite ignores it.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        session = Session(bind=conn, expire_on_commit=False)
        try:
            with conn.begin():
                yield session
                session.flush()
        finally:
            session.close()
    finally:
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
        conn.close()


@functools.cache
def _referencing(table: Any) -> tuple[tuple[Any, Any, str], ...]:
    """(table, column, ON DELETE rule) of every foreign key that points at `table`."""
    out = []
    for other in m.Base.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is table:
                out.append((other, fk.parent, (fk.ondelete or "").upper()))
    return tuple(out)


def _delete_rows(session: Session, table: Any, condition: Any) -> None:
    """DELETE with the schema's ON DELETE rules applied by hand (see bulk_session)."""
    refs = _referencing(table)
    if refs:
        ids = list(session.scalars(select(table.c.id).where(condition)))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for other, column, rule in refs:
                if rule == "CASCADE":
                    _delete_rows(session, other, column.in_(chunk))
                elif rule == "SET NULL":
                    session.execute(
                        update(other).where(column.in_(chunk)).values({column.name: None})
                    )
                elif session.scalar(
                    select(func.count()).select_from(other).where(column.in_(chunk))
                ):
                    raise ValueError(f"{other.name} still refers to rows being deleted")
    session.execute(delete(table).where(condition))


def delete_contacts(session: Session, ids: Sequence[int]) -> None:
    """Deletes contacts and everything the schema cascades, in chunks (fast at scale)."""
    contacts: Any = m.Contact.__table__
    for start in range(0, len(ids), _CHUNK):
        _delete_rows(session, contacts, contacts.c.id.in_(list(ids[start : start + _CHUNK])))


def _uuid_stream() -> Iterator[str]:
    """Fresh random UUIDs without end, made a chunk at a time."""
    while True:
        yield from _uuids(_CHUNK)


def _uuids(count: int) -> Iterator[str]:
    """Random (version 4) UUID strings, like new_uuid() but without a UUID object each."""
    data = bytearray(os.urandom(16 * count))
    for start in range(0, 16 * count, 16):
        data[start + 6] = (data[start + 6] & 0x0F) | 0x40
        data[start + 8] = (data[start + 8] & 0x3F) | 0x80
    text = data.hex()
    for start in range(0, 32 * count, 32):
        h = text[start : start + 32]
        yield f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def bulk_insert(session: Session, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    """executemany with each distinct value converted once (most columns repeat: dates, now).

    SQLAlchemy's per-row parameter processing is most of the time of a 30,000-row insert; the
    statement and the type conversions are still SQLAlchemy's, so this stays portable.
    """
    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    keys = list(rows[0])
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    # Every bind of the statement, including columns with a Python default that rows[0] lacks.
    order = list(compiled.positiontup or ()) if compiled.positional else list(compiled.binds)
    names = [compiled.binds[name].key if name in compiled.binds else name for name in order]
    processors: list[tuple[str, Any, dict[Any, Any]]] = []
    for name in names:
        processor = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        processors.append((name, processor, {}))
    # Columns SQLAlchemy adds because they have a Python default (a column added later).
    defaults = {name: _default_of(table.c[name]) for name in names if name not in rows[0]}

    def convert(row: dict[str, Any]) -> list[Any]:
        out = []
        for name, processor, cache in processors:
            value = row[name] if name in row else defaults[name]()
            if processor is None or value is None:
                out.append(value)
                continue
            try:
                converted = cache[value]
            except KeyError:
                converted = cache[value] = processor(value)
            except TypeError:  # unhashable (bytes are hashable; this is a safety net)
                converted = processor(value)
            out.append(converted)
        return out

    sql = str(compiled)
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        if compiled.positional:
            params: Any = [tuple(convert(r)) for r in chunk]
        else:
            params = [dict(zip(order, convert(r), strict=True)) for r in chunk]
        conn.exec_driver_sql(sql, params)


def _default_of(column: Any) -> Any:
    default = column.default
    if default is None:
        return lambda: None
    if default.is_scalar:
        return lambda: default.arg
    if default.is_callable:
        return lambda: default.arg(None)
    return lambda: None


def _organisations(
    session: Session, texts: Iterable[str], now: datetime
) -> tuple[dict[str, int], tuple[int, ...]]:
    """Organisation ids by name key for the organisations the cards name, adding the new
    ones as companies (what organisations.link_contact_to_typed_organisation does per contact)."""
    from planner.core.contact_rows import name_key

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
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
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
    fresh = _uuids(len(missing))
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


def _address_row(contact_id: int, address: PostalAddress, position: int) -> dict[str, Any]:
    return {
        "contact_id": contact_id,
        "label": address.label,
        **{p: getattr(address, p) for p in ADDRESS_PARTS},
        "position": position,
        "pref": address.pref,
    }


def _address_of_row(row: Any) -> PostalAddress:
    return PostalAddress(
        label=row["label"] or "",
        **{p: row[p] or "" for p in ADDRESS_PARTS},
        pref=bool(row["pref"]),
    )


def _linkedin_touch(contact_id: int, day: date, now: datetime, uid: str) -> dict[str, Any]:
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


def _fill(row: dict[str, Any], card: ContactCard) -> dict[str, Any]:
    """Fills what the contact lacks from the card; returns the old values of what changed."""
    before: dict[str, Any] = {}

    def put(name: str, value: Any) -> None:
        before.setdefault(name, row[name])
        row[name] = value

    for name in FILLED_WHEN_EMPTY:
        if not row[name] and getattr(card, name):
            put(name, getattr(card, name))
    if row["relationship"] in ("", "other") and card.relationship not in ("", "other"):
        put("relationship", card.relationship)
    if not row["how_met_kind"] and card.how_met_kind:
        put("how_met_kind", card.how_met_kind)
    if row["birthday_month"] is None and card.birthday_month is not None:
        put("birthday_month", card.birthday_month)
        put("birthday_day", card.birthday_day)
        put("birthday_year", card.birthday_year)
    elif (
        row["birthday_year"] is None
        and card.birthday_year is not None
        and (row["birthday_month"], row["birthday_day"]) == (card.birthday_month, card.birthday_day)
    ):
        put("birthday_year", card.birthday_year)
    if row["cadence_days"] is None and card.cadence_days is not None:
        put("cadence_days", card.cadence_days)
    if row["photo"] is None and card.photo is not None:
        put("photo", card.photo)
        put("photo_type", card.photo_type)
    notes = _merge_notes(row["notes"] or "", card.notes)
    if notes != (row["notes"] or ""):
        put("notes", notes)
    return before


def _apply_scalars(contact: m.Contact, card: ContactCard) -> dict[str, Any]:
    """_fill for a live ORM contact (the merge tool)."""
    row = {name: getattr(contact, name) for name in _SCALARS}
    before = _fill(row, card)
    for name in before:
        setattr(contact, name, row[name])
    return before


def load_cards(
    session: Session, contact_ids: list[int] | None = None, visible_to: str = ""
) -> list[ContactCard]:
    """Cards for the given contacts (all when None), in a handful of queries; with
    `visible_to`, only the contacts that user may see (an export leaves others' private ones)."""
    query = (
        select(m.Contact).where(contact_visible(visible_to)).order_by(m.Contact.name, m.Contact.id)
    )
    rows: list[m.Contact] = []
    if contact_ids is None:
        rows = list(session.scalars(query.execution_options(yield_per=5000)))
    else:
        for start in range(0, len(contact_ids), _CHUNK):
            id_chunk = contact_ids[start : start + _CHUNK]
            rows.extend(session.scalars(query.where(m.Contact.id.in_(id_chunk))))
        rows.sort(key=lambda c: (c.name, c.id))
    ids = {c.id for c in rows}
    # A few contacts (a merge): ask for theirs only. All of them (an export): read each table
    # once rather than in thousands of chunks.
    few = contact_ids is not None and len(ids) <= 5 * _CHUNK
    wanted = sorted(ids)
    chunks: list[list[int] | None] = (
        [wanted[i : i + _CHUNK] for i in range(0, len(wanted), _CHUNK)] if few else [None]
    )

    def labeled(model: Any) -> dict[int, list[LabeledValue]]:
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

    emails = labeled(m.ContactEmail)
    phones = labeled(m.ContactPhone)
    urls = labeled(m.ContactUrl)
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
                addresses.setdefault(found.contact_id, []).append(_address_of_row(found._mapping))
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
    return [
        ContactCard(
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
            emails=tuple(emails.get(c.id, ())),
            phones=tuple(phones.get(c.id, ())),
            urls=tuple(urls.get(c.id, ())),
            addresses=tuple(addresses.get(c.id, ())),
            tags=tuple(tags.get(c.id, ())),
            photo=c.photo,
            photo_type=c.photo_type or "",
            uid=c.uuid,
        )
        for c in rows
    ]
