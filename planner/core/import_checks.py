"""The contact form's checks at the import's door: a bad e-mail, phone or web address leaves
its typed field for the notes (and is listed as a problem) instead of refusing the file."""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from typing import Any

from planner.core.contacts import clean_address
from planner.core.errors import ValidationError
from planner.core.import_cards import ContactCard, digits
from planner.core.records import LabeledValue, PostalAddress
from planner.core.validation import normalize_email, normalize_phone, normalize_url
from planner.core.vocab import HOW_MET, RELATIONSHIPS

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
            and 5 <= len(digits(text)) <= 15
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


def check_url(value: str) -> str:
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
        "urls": check_url,
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
