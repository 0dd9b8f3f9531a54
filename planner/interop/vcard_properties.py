"""What each vCard property adds to the card being read: names, e-mails, phones, web
addresses, postal addresses, the photo, Apple's labels and our own X-PLANNER fields."""

from __future__ import annotations

import base64
import binascii
import logging
import re
from dataclasses import replace

from vobject.base import (  # type: ignore[import-untyped]
    ContentLine,
)

from planner.core.import_cards import ContactCard
from planner.core.names import NameParts
from planner.core.records import LabeledValue, PostalAddress
from planner.interop.csv_cells import parse_birthday, url_label, with_pref
from planner.interop.vcard_text import ADR_TYPES, EMAIL_TYPES, X_FIELDS, split_unescaped, unescape

log = logging.getLogger(__name__)

MAX_PHOTO = 10 * 1024 * 1024

_AB_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_PHONE_TYPES = {
    "cell": "mobile",
    "mobile": "mobile",
    "iphone": "mobile",
    "work": "work",
    "home": "home",
    "fax": "fax",
    "main": "main",
    "pager": "pager",
    "other": "other",
}


def _params(line: ContentLine) -> tuple[set[str], dict[str, list[str]]]:
    """Lower-case TYPE values (2.1 singletons and 3.0/4.0 TYPE=a,b) and all parameters."""
    types: set[str] = set()
    for value in line.singletonparams:
        types.update(v.strip().lower() for v in value.split(","))
    params = {k.upper(): list(v) for k, v in line.params.items()}
    for value in params.get("TYPE", []):
        types.update(v.strip().strip('"').lower() for v in value.split(","))
    return types, params


def _first_label(types: set[str], table: dict[str, str]) -> str:
    for key in ("cell", "mobile", "iphone", "work", "home", "fax", "main", "pager", "other"):
        if key in types and key in table:
            return table[key]
    return ""


class CardBuilder:
    """The values of one card as its properties come; `card()` makes the ContactCard."""

    def __init__(self, line: int, version: str) -> None:
        self.line = line
        self.version = version
        self.fields: dict[str, object] = {}
        self.fn = ""
        self.n: list[str] = []
        self.emails: list[tuple[str | None, LabeledValue]] = []
        self.phones: list[tuple[str | None, LabeledValue]] = []
        self.urls: list[tuple[str | None, LabeledValue]] = []
        self.addresses: list[tuple[str | None, PostalAddress]] = []
        self.tags: list[str] = []
        self.ab_labels: dict[str, str] = {}
        self.notes: list[str] = []
        self.problems: list[str] = []
        # (kind, index) of values marked preferred (TYPE=pref, PREF=1).
        self.preferred: set[tuple[str, int]] = set()
        self.phonetic: list[str] = []

    def card(self) -> ContactCard:
        def labeled(
            items: list[tuple[str | None, LabeledValue]], kind: str
        ) -> tuple[LabeledValue, ...]:
            out = []
            for i, (group, item) in enumerate(items):
                label = item.label
                if group and group in self.ab_labels:
                    label = self.ab_labels[group]
                out.append(LabeledValue(label, item.value, (kind, i) in self.preferred))
            return with_pref(out)  # first is primary everywhere in the app

        addresses = [
            replace(
                a,
                label=self.ab_labels.get(group, a.label) if group else a.label,
                pref=("address", i) in self.preferred,
            )
            for i, (group, a) in enumerate(self.addresses)
        ]
        addresses.sort(key=lambda a: not a.pref)
        stand_in = PostalAddress(locality=str(self.fields.get("location", "")))
        if stand_in.locality and addresses == [stand_in]:
            addresses = []  # our own export's location written as an address
        if "location" not in self.fields and addresses:
            self.fields["location"] = addresses[0].one_line()[:300]

        emails = labeled(self.emails, "email")
        urls = tuple(
            LabeledValue(url_label(u.value, u.label), u.value, u.pref)
            for u in labeled(self.urls, "url")
        )
        family, given, middle, prefix, suffix = (self.n + [""] * 5)[:5]
        parts = NameParts(prefix, given, middle, family, suffix)
        name = self.fn or parts.display()
        org = str(self.fields.get("organisation", ""))
        if not name:
            name = org or (emails[0].value if emails else "")
        phones = labeled(self.phones, "phone")
        if not name and phones:
            name = phones[0].value
        if not name:
            raise ValueError("the contact has no name, organisation, e-mail or phone")
        return ContactCard(
            name=name,
            line=self.line,
            name_prefix=parts.prefix,
            given_name=parts.given,
            middle_name=parts.middle,
            family_name=parts.family,
            name_suffix=parts.suffix,
            name_custom=bool(self.fn) and not parts.is_empty() and self.fn != parts.display(),
            phonetic_name=" ".join(self.phonetic),
            problems=tuple(self.problems),
            emails=emails,
            phones=phones,
            urls=urls,
            addresses=tuple(addresses),
            tags=tuple(dict.fromkeys(self.tags)),
            notes="\n\n".join(n for n in self.notes if n).replace("\r\n", "\n"),
            **self.fields,  # type: ignore[arg-type]
        )


class PhotoTooLarge(ValueError):
    """A photo over MAX_PHOTO: reported on its card, the rest of the card is imported."""


def _raw(line: ContentLine) -> str:
    return line.value if isinstance(line.value, str) else str(line.value)


def _mark_pref(
    card: CardBuilder, kind: str, index: int, types: set[str], params: dict[str, list[str]]
) -> None:
    """vCard 2.1/3.0 TYPE=pref, 4.0 PREF=1 (the lowest PREF wins; 1 is the most preferred)."""
    pref = params.get("PREF")
    marked = "pref" in types or bool(pref and pref[0].strip() == "1")
    if marked and not any(k == kind for k, _i in card.preferred):
        card.preferred.add((kind, index))


def _text(line: ContentLine, version: str) -> str:
    value = line.value if isinstance(line.value, str) else str(line.value)
    return unescape(value).strip()


def _structured(line: ContentLine) -> list[str]:
    value = line.value if isinstance(line.value, str) else str(line.value)
    return [unescape(p).strip() for p in split_unescaped(value, ";")]


def _photo(line: ContentLine, params: dict[str, list[str]], types: set[str]) -> tuple[bytes, str]:
    value = line.value if isinstance(line.value, str) else ""
    kind = ""
    if value.startswith("data:"):
        header, _, data = value.partition(",")
        kind = header[5:].split(";")[0].split("/")[-1]
        if ";base64" not in header:
            return b"", ""
    elif {e.lower() for e in params.get("ENCODING", [])} & {"b", "base64"} or "base64" in types:
        data = value
        kind = next(
            (t for t in types if t in ("jpeg", "jpg", "png", "gif", "webp", "heic", "bmp")), ""
        )
    else:
        # A URL or something we cannot keep: ignore, never break the import.
        return b"", ""
    data = re.sub(r"\s+", "", data)
    if len(data) > MAX_PHOTO * 4 // 3 + 4:
        raise PhotoTooLarge(
            f"the photo is {len(data) * 3 // 4 / 1024 / 1024:.1f} MB, over the "
            f"{MAX_PHOTO // 1024 // 1024} MB limit; it was skipped"
        )
    try:
        raw = base64.b64decode(data + "=" * (-len(data) % 4), validate=False)
    except (binascii.Error, ValueError):
        return b"", ""
    kind = {"jpg": "jpeg"}.get(kind.lower(), kind.lower())
    if not kind:
        if raw.startswith(b"\x89PNG"):
            kind = "png"
        elif raw.startswith(b"\xff\xd8"):
            kind = "jpeg"
        elif raw.startswith(b"GIF8"):
            kind = "gif"
    return raw, f"image/{kind}" if kind else "application/octet-stream"


_NAME_PROPERTIES = frozenset(
    {
        "FN",
        "N",
        "NICKNAME",
        "X-PHONETIC-FIRST-NAME",
        "X-PHONETIC-MIDDLE-NAME",
        "X-PHONETIC-LAST-NAME",
        "X-PLANNER-PHONETIC-NAME",
    }
)
_VALUE_PROPERTIES = frozenset({"EMAIL", "TEL", "URL", "X-SOCIALPROFILE"})


def apply_property(card: CardBuilder, line: ContentLine) -> None:
    """Adds what one property says to the card being built; unknown properties are ignored."""
    name = line.name.upper()
    group = line.group.lower() if line.group else None
    types, params = _params(line)
    if name in _NAME_PROPERTIES:
        _apply_name(card, name, line)
    elif name in _VALUE_PROPERTIES:
        _apply_value(card, name, line, group, types, params)
    elif name == "ADR":
        _apply_address(card, line, group, types, params)
    elif name == "PHOTO":
        if "photo" not in card.fields:
            _apply_photo(card, line, types, params)
    else:
        _apply_other(card, name, line, group, params)


def _apply_name(card: CardBuilder, name: str, line: ContentLine) -> None:
    """FN, N, NICKNAME and the phonetic name."""
    if name == "FN":
        card.fn = " ".join(_text(line, card.version).split())
    elif name == "N":
        # Each part may hold several values separated by commas ("Luis,José"): keep them.
        card.n = [
            " ".join(" ".join(unescape(v) for v in split_unescaped(p, ",")).split())
            for p in split_unescaped(_raw(line), ";")
        ][:5]
    elif name == "NICKNAME":
        card.fields["nickname"] = ", ".join(
            unescape(v).strip() for v in split_unescaped(_raw(line), ",") if v.strip()
        )[:100]
    elif name == "X-PLANNER-PHONETIC-NAME":
        card.phonetic = [_text(line, card.version)]
    else:
        card.phonetic.append(_text(line, card.version))


def _apply_value(
    card: CardBuilder,
    name: str,
    line: ContentLine,
    group: str | None,
    types: set[str],
    params: dict[str, list[str]],
) -> None:
    """EMAIL, TEL, URL and a LinkedIn X-SOCIALPROFILE."""
    value = _text(line, card.version)
    if name == "EMAIL":
        if value.lower().startswith("mailto:"):
            value = value[7:]
        if value:
            _mark_pref(card, "email", len(card.emails), types, params)
            card.emails.append((group, LabeledValue(_first_label(types, EMAIL_TYPES), value)))
    elif name == "TEL":
        if value.lower().startswith("tel:"):
            value = value[4:]
        if value:
            _mark_pref(card, "phone", len(card.phones), types, params)
            card.phones.append((group, LabeledValue(_first_label(types, _PHONE_TYPES), value)))
    elif name == "URL":
        if value:
            label = next((t for t in ("linkedin", "other") if t in types), "website")
            _mark_pref(card, "url", len(card.urls), types, params)
            card.urls.append((group, LabeledValue(label, value)))
    elif "linkedin" in value.lower() or "linkedin" in types:
        card.urls.append((group, LabeledValue("linkedin", value)))


def _apply_address(
    card: CardBuilder,
    line: ContentLine,
    group: str | None,
    types: set[str],
    params: dict[str, list[str]],
) -> None:
    po_box, extended, street, locality, region, code, country = (_structured(line) + [""] * 7)[:7]
    address = PostalAddress(
        label=_first_label(types, ADR_TYPES),
        street=street,
        locality=locality,
        region=region,
        postal_code=code,
        country=country,
        po_box=po_box,
        extended=extended,
    )
    if not address.is_empty():
        _mark_pref(card, "address", len(card.addresses), types, params)
        card.addresses.append((group, address))


def _apply_photo(
    card: CardBuilder, line: ContentLine, types: set[str], params: dict[str, list[str]]
) -> None:
    """An embedded photo, or a link to one; a photo that cannot be read is a problem on the
    card, never the end of the import."""
    value = _raw(line).strip()
    if re.match(r"^https?://", value, re.IGNORECASE):
        card.fields.setdefault("photo_url", value[:2000])
        return
    try:
        data, kind = _photo(line, params, types)
    except PhotoTooLarge as exc:
        card.problems.append(str(exc))
        return
    except Exception:  # a photo must never break the import
        log.debug("Unreadable PHOTO on card at line %s", card.line, exc_info=True)
        card.problems.append("the photo cannot be read; it was skipped")
        return
    if data:
        card.fields.update(photo=data, photo_type=kind)


def _apply_other(
    card: CardBuilder,
    name: str,
    line: ContentLine,
    group: str | None,
    params: dict[str, list[str]],
) -> None:
    """Organisation, role, notes, tags, labels, birthday, UID and our own X-PLANNER fields."""
    if name == "ORG":
        parts = [p for p in _structured(line) if p]
        if parts:
            card.fields["organisation"] = parts[0]
    elif name == "TITLE" or (name == "ROLE" and "role" not in card.fields):
        card.fields["role"] = _text(line, card.version)
    elif name == "NOTE":
        # Kept exactly (spaces at either end included): a note round-trips byte for byte.
        card.notes.append(unescape(_raw(line)))
    elif name == "CATEGORIES":
        value = line.value if isinstance(line.value, str) else ""
        for part in split_unescaped(value, ","):
            tag = unescape(part).strip()
            if tag and tag.lower() not in ("mycontacts", "starred"):
                card.tags.append(tag[:100])
    elif name == "X-ABLABEL" and group:
        text = _text(line, card.version)
        match = _AB_LABEL.match(text)
        card.ab_labels[group] = match.group(1).lower() if match else text
    elif name == "BDAY":
        month, day, year = parse_birthday(_text(line, card.version))
        omit = params.get("X-APPLE-OMIT-YEAR")
        if omit and year is not None and str(year) == omit[0].strip():
            year = None
        card.fields.update(birthday_month=month, birthday_day=day, birthday_year=year)
    elif name == "X-PLANNER-LOCATION":
        card.fields["location"] = _text(line, card.version)
    elif name == "UID":
        uid = _text(line, card.version)
        card.fields["uid"] = uid[9:] if uid.lower().startswith("urn:uuid:") else uid
    elif name == "X-PLANNER-CADENCE":
        text = _text(line, card.version)
        card.fields["cadence_days"] = int(text) if text.isdigit() else None
    elif name in X_FIELDS:
        card.fields[X_FIELDS[name]] = _text(line, card.version)
