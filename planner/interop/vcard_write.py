"""Writing vCard 3.0 / 4.0: one card per contact with every value, preferred ones marked,
labels other apps do not know kept as Apple's X-ABLabel, our own fields as X-PLANNER-*."""

from __future__ import annotations

import base64
from collections.abc import Sequence

from planner.core.import_cards import ContactCard
from planner.core.names import split_name
from planner.core.records import LabeledValue, PostalAddress
from planner.core.text_safety import neutralise_text
from planner.interop.vcard_text import ADR_TYPES, EMAIL_TYPES, X_FIELDS, escape, fold_line

PRODID = "-//Networking Planner//Contacts//EN"
_PHONE_OUT = {"mobile": "cell", "work": "work", "home": "home", "fax": "fax", "main": "main"}


def write_vcards(cards: Sequence[ContactCard], version: str = "3.0") -> str:
    """Cards as one .vcf text (CRLF line ends, folded lines)."""
    if version not in ("3.0", "4.0"):
        raise ValueError("vCard version must be 3.0 or 4.0")
    out: list[str] = []
    for card in cards:
        out.extend(fold_line(line) for line in _card_lines(card, version))
    return "\r\n".join(out) + "\r\n" if out else ""


def _card_lines(card: ContactCard, version: str) -> list[str]:
    """One card's properties, unfolded."""
    lines = ["BEGIN:VCARD", f"VERSION:{version}", f"PRODID:{PRODID}"]
    lines += _name_lines(card, version)
    # Preferred values: 3.0 TYPE=PREF, 4.0 PREF=1 (see _preferred).
    lines += _email_lines(card.emails, version)
    lines += _phone_lines(card.phones, version)
    lines += _url_lines(card.urls, version)
    lines += _address_lines(card, version)
    lines += _detail_lines(card, version)
    lines += _photo_lines(card, version)
    lines.append("END:VCARD")
    return lines


def _name_lines(card: ContactCard, version: str) -> list[str]:
    """UID, the name in its forms, organisation and title."""
    lines = []
    if card.uid:
        lines.append(f"UID:{'urn:uuid:' if version == '4.0' else ''}{card.uid}")
    parts = card.name_parts()
    if parts.is_empty():
        parts = split_name(card.name)
    lines.append(f"FN:{escape(card.name)}")
    n = (parts.family, parts.given, parts.middle, parts.prefix, parts.suffix)
    lines.append("N:" + ";".join(escape(p) for p in n))
    if card.nickname:
        lines.append(f"NICKNAME:{escape(card.nickname)}")
    if card.phonetic_name:
        lines.append(f"X-PLANNER-PHONETIC-NAME:{escape(card.phonetic_name)}")
    if card.organisation:
        lines.append(f"ORG:{escape(card.organisation)}")
    if card.role:
        lines.append(f"TITLE:{escape(card.role)}")
    return lines


def _email_lines(emails: Sequence[LabeledValue], version: str) -> list[str]:
    internet = ("INTERNET",) if version == "3.0" else ()
    return _grouped_lines("EMAIL", emails, version, EMAIL_TYPES, "item", internet)


def _phone_lines(phones: Sequence[LabeledValue], version: str) -> list[str]:
    return _grouped_lines("TEL", phones, version, _PHONE_OUT, "tel")


def _grouped_lines(
    prop: str,
    items: Sequence[LabeledValue | PostalAddress],
    version: str,
    known: dict[str, str],
    group_name: str,
    extra_types: Sequence[str] = (),
) -> list[str]:
    """One line per value; a label other apps do not know goes in an X-ABLabel of the
    value's group (Apple's way), the TYPE they know otherwise."""
    lines = []
    preferred = _preferred(items)
    for i, item in enumerate(items):
        label = known.get(item.label, "")
        group = f"{group_name}{i + 1}." if item.label and not label else ""
        extra, pref4 = _pref_param(version, i in preferred)
        types = _types(version, label, [*extra_types, *extra]) + pref4
        value = _adr(item) if isinstance(item, PostalAddress) else escape(item.value)
        lines.append(f"{group}{prop}{types}:{value}")
        if group:
            lines.append(f"{group}X-ABLabel:{escape(item.label)}")
    return lines


def _url_lines(urls: Sequence[LabeledValue], version: str) -> list[str]:
    lines = []
    preferred = _preferred(urls)
    for i, url in enumerate(urls):
        label = {"linkedin": "linkedin", "website": "", "other": "other"}.get(url.label, "")
        extra, pref4 = _pref_param(version, i in preferred)
        types = _types(version, label, extra) + pref4
        lines.append(f"URL{types}:{escape(url.value)}")
    return lines


def _address_lines(card: ContactCard, version: str) -> list[str]:
    """The addresses, and the location where it is not the first address's one line."""
    lines = _grouped_lines("ADR", card.addresses, version, ADR_TYPES, "adr")
    derived = card.addresses[0].one_line()[:300] if card.addresses else ""
    if card.location and not card.addresses:
        # Other apps see the location as an address's city; we read it back as the
        # location alone (see vcard_properties.CardBuilder.card).
        lines.append(f"ADR:;;;{escape(card.location)};;;")
        lines.append(f"X-PLANNER-LOCATION:{escape(card.location)}")
    elif card.location and card.location != derived:
        # The user's own short location beside the addresses.
        lines.append(f"X-PLANNER-LOCATION:{escape(card.location)}")
    return lines


def _detail_lines(card: ContactCard, version: str) -> list[str]:
    """Birthday, tags, notes and our own fields."""
    lines = []
    if card.birthday_month and card.birthday_day:
        md = f"{card.birthday_month:02d}-{card.birthday_day:02d}"
        if card.birthday_year:
            lines.append(f"BDAY:{card.birthday_year:04d}-{md}")
        elif version == "4.0":
            lines.append(f"BDAY:--{md.replace('-', '')}")
        else:
            # Apple's way of saying "no year"; others read a 1604 date and we drop it.
            lines.append(f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{md}")
    if card.tags:
        lines.append("CATEGORIES:" + ",".join(escape(t) for t in card.tags))
    if card.notes:
        lines.append(f"NOTE:{escape(card.notes)}")
    if card.relationship:
        lines.append(f"X-PLANNER-RELATIONSHIP:{escape(card.relationship)}")
    for prop, attr in X_FIELDS.items():
        value = getattr(card, attr)
        if value and attr != "relationship":
            lines.append(f"{prop}:{escape(value)}")
    if card.cadence_days:
        lines.append(f"X-PLANNER-CADENCE:{card.cadence_days}")
    return lines


def _photo_lines(card: ContactCard, version: str) -> list[str]:
    """The photo embedded, or its link when there is only a link."""
    lines = []
    if card.photo_url and not card.photo:
        uri = neutralise_text(card.photo_url).replace("\n", "")
        lines.append(f"PHOTO:{uri}" if version == "4.0" else f"PHOTO;VALUE=uri:{uri}")
    if card.photo:
        subtype = (card.photo_type.split("/")[-1] or "jpeg").lower()
        data = base64.b64encode(card.photo).decode("ascii")
        if version == "4.0":
            lines.append(f"PHOTO:data:image/{subtype};base64,{data}")
        else:
            lines.append(f"PHOTO;ENCODING=b;TYPE={subtype.upper()}:{data}")
    return lines


def _types(version: str, label: str, extra: Sequence[str] = ()) -> str:
    values = [v for v in (label, *extra) if v]
    if not values:
        return ""
    if version == "4.0":
        return ";TYPE=" + ",".join(v.lower() for v in values)
    return "".join(f";TYPE={v.upper()}" for v in values)


def _preferred(items: Sequence[LabeledValue | PostalAddress]) -> set[int]:
    """The values marked preferred. None marked: none written as such (the order still puts
    the one the app shows first), so a file read and written again says what it said."""
    marked = [i for i, item in enumerate(items) if item.pref]
    # One only (two merged contacts may each bring their own).
    return set(marked[:1])


def _pref_param(version: str, preferred: bool) -> tuple[list[str], str]:
    """(extra 3.0 TYPE value, 4.0 parameter) for a preferred value."""
    if not preferred:
        return [], ""
    return (["PREF"], "") if version == "3.0" else ([], ";PREF=1")


def _adr(address: PostalAddress) -> str:
    return ";".join(escape(p) for p in address.parts())
