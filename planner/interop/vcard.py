"""vCard 2.1 / 3.0 / 4.0 in (as Outlook, Apple and Google write them) and 3.0 / 4.0 out.

Reading uses vobject for what it does well (unfolding, parameters, quoted-printable with
charsets) but splits structured values itself: vobject's text handling cuts a vCard 2.1 NOTE
at its first comma and a 4.0 PHOTO data URI at its comma, which would lose data.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
from collections.abc import Sequence
from dataclasses import replace

from vobject.base import (  # type: ignore[import-untyped]
    ContentLine,
    ParseError,
    textLineToContentLine,
)

from planner.core.import_cards import ContactCard, ParseResult, RowError, UnreadableFileError
from planner.core.names import NameParts, split_name
from planner.core.records import LabeledValue, PostalAddress
from planner.core.text_safety import neutralise_text
from planner.interop.csv_formats import parse_birthday, url_label

log = logging.getLogger(__name__)

MAX_PROPERTY = 1024 * 1024
MAX_PHOTO = 10 * 1024 * 1024
PRODID = "-//Networking Planner//Contacts//EN"

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
_EMAIL_TYPES = {"work": "work", "home": "home", "other": "other"}
_ADR_TYPES = {"work": "work", "home": "home", "other": "other"}
_X_FIELDS = {
    "X-PLANNER-RELATIONSHIP": "relationship",
    "X-PLANNER-INDUSTRY": "industry",
    "X-PLANNER-INTERESTS": "interests",
    "X-PLANNER-HOW-MET": "how_met_kind",
    "X-PLANNER-HOW-MET-TEXT": "how_met_text",
}


def looks_like_vcard(text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")[:200].upper()
    return head.startswith("BEGIN:VCARD")


# --- escaping --------------------------------------------------------------------------------


def _split(value: str, sep: str) -> list[str]:
    """Splits on `sep` not preceded by a backslash; escapes stay for _unescape."""
    parts, current, escaped = [], [], False
    for ch in value:
        if escaped:
            current.append("\\" + ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    if escaped:
        current.append("\\")
    parts.append("".join(current))
    return parts


def _unescape(value: str) -> str:
    out, escaped = [], False
    for ch in value:
        if escaped:
            out.append("\n" if ch in "nN" else ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        else:
            out.append(ch)
    if escaped:
        out.append("\\")
    return "".join(out).replace("\r\n", "\n")


def _escape(value: str) -> str:
    return (
        neutralise_text(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


# --- reading ---------------------------------------------------------------------------------


def _logical_lines(lines: Sequence[str], start: int) -> list[tuple[int, str]]:
    """Unfolds continuation lines and quoted-printable soft breaks; keeps each start line."""
    out: list[tuple[int, str]] = []
    qp = False
    for offset, raw in enumerate(lines):
        line = raw.rstrip("\r\n")
        if qp and out:
            # vobject decodes "=\n" as a quoted-printable soft line break.
            out[-1] = (out[-1][0], out[-1][1] + "\n" + line)
        elif line[:1] in (" ", "\t") and out:
            out[-1] = (out[-1][0], out[-1][1] + line[1:])
        elif not line.strip():
            qp = False
            continue
        else:
            out.append((start + offset, line))
        current = out[-1][1] if out else ""
        qp = current.endswith("=") and "QUOTED-PRINTABLE" in current.split(":", 1)[0].upper()
    return out


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


class _CardBuilder:
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
            # The preferred value comes first: first is primary everywhere in the app.
            order = sorted(range(len(out)), key=lambda i: (kind, i) not in self.preferred)
            return tuple(out[i] for i in order)

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
            LabeledValue(url_label(u.value, u.label), u.value) for u in labeled(self.urls, "url")
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
    card: _CardBuilder, kind: str, index: int, types: set[str], params: dict[str, list[str]]
) -> None:
    """vCard 2.1/3.0 TYPE=pref, 4.0 PREF=1 (the lowest PREF wins; 1 is the most preferred)."""
    pref = params.get("PREF")
    marked = "pref" in types or bool(pref and pref[0].strip() == "1")
    if marked and not any(k == kind for k, _i in card.preferred):
        card.preferred.add((kind, index))


def _text(line: ContentLine, version: str) -> str:
    value = line.value if isinstance(line.value, str) else str(line.value)
    return _unescape(value).strip()


def _structured(line: ContentLine) -> list[str]:
    value = line.value if isinstance(line.value, str) else str(line.value)
    return [_unescape(p).strip() for p in _split(value, ";")]


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


def _apply(card: _CardBuilder, line: ContentLine) -> None:
    name = line.name.upper()
    group = line.group.lower() if line.group else None
    types, params = _params(line)
    if name == "FN":
        card.fn = " ".join(_text(line, card.version).split())
    elif name == "N":
        # Each part may hold several values separated by commas ("Luis,José"): keep them.
        card.n = [
            " ".join(" ".join(_unescape(v) for v in _split(p, ",")).split())
            for p in _split(_raw(line), ";")
        ][:5]
    elif name == "NICKNAME":
        card.fields["nickname"] = ", ".join(
            _unescape(v).strip() for v in _split(_raw(line), ",") if v.strip()
        )[:100]
    elif name in ("X-PHONETIC-FIRST-NAME", "X-PHONETIC-MIDDLE-NAME", "X-PHONETIC-LAST-NAME"):
        card.phonetic.append(_text(line, card.version))
    elif name == "X-PLANNER-PHONETIC-NAME":
        card.phonetic = [_text(line, card.version)]
    elif name == "ORG":
        parts = [p for p in _structured(line) if p]
        if parts:
            card.fields["organisation"] = parts[0]
    elif name == "TITLE" or (name == "ROLE" and "role" not in card.fields):
        card.fields["role"] = _text(line, card.version)
    elif name == "NOTE":
        # Kept exactly (spaces at either end included): a note round-trips byte for byte.
        card.notes.append(_unescape(_raw(line)))
    elif name == "EMAIL":
        value = _text(line, card.version)
        if value.lower().startswith("mailto:"):
            value = value[7:]
        if value:
            _mark_pref(card, "email", len(card.emails), types, params)
            card.emails.append((group, LabeledValue(_first_label(types, _EMAIL_TYPES), value)))
    elif name == "TEL":
        value = _text(line, card.version)
        if value.lower().startswith("tel:"):
            value = value[4:]
        if value:
            _mark_pref(card, "phone", len(card.phones), types, params)
            card.phones.append((group, LabeledValue(_first_label(types, _PHONE_TYPES), value)))
    elif name == "URL":
        value = _text(line, card.version)
        if value:
            label = next((t for t in ("linkedin", "other") if t in types), "website")
            _mark_pref(card, "url", len(card.urls), types, params)
            card.urls.append((group, LabeledValue(label, value)))
    elif name == "X-SOCIALPROFILE":
        value = _text(line, card.version)
        if "linkedin" in value.lower() or "linkedin" in types:
            card.urls.append((group, LabeledValue("linkedin", value)))
    elif name == "CATEGORIES":
        value = line.value if isinstance(line.value, str) else ""
        for part in _split(value, ","):
            tag = _unescape(part).strip()
            if tag and tag.lower() not in ("mycontacts", "starred"):
                card.tags.append(tag[:100])
    elif name == "X-ABLABEL" and group:
        text = _text(line, card.version)
        match = _AB_LABEL.match(text)
        card.ab_labels[group] = match.group(1).lower() if match else text
    elif name == "BDAY":
        text = _text(line, card.version)
        month, day, year = parse_birthday(text)
        omit = params.get("X-APPLE-OMIT-YEAR")
        if omit and year is not None and str(year) == omit[0].strip():
            year = None
        card.fields.update(birthday_month=month, birthday_day=day, birthday_year=year)
    elif name == "ADR":
        po_box, extended, street, locality, region, code, country = (_structured(line) + [""] * 7)[
            :7
        ]
        address = PostalAddress(
            label=_first_label(types, _ADR_TYPES),
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
    elif name == "X-PLANNER-LOCATION":
        card.fields["location"] = _text(line, card.version)
    elif name == "PHOTO" and "photo" not in card.fields:
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
    elif name == "UID":
        uid = _text(line, card.version)
        card.fields["uid"] = uid[9:] if uid.lower().startswith("urn:uuid:") else uid
    elif name == "X-PLANNER-CADENCE":
        text = _text(line, card.version)
        card.fields["cadence_days"] = int(text) if text.isdigit() else None
    elif name in _X_FIELDS:
        card.fields[_X_FIELDS[name]] = _text(line, card.version)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def parse_vcard_text(text: str, encoding: str = "") -> ParseResult:
    """All cards of a .vcf file. A card that cannot be read, is cut short, holds another card
    or is closed twice is an error row of its own; the other cards are read."""
    # Lines end at CR LF (RFC 6350), or LF / CR alone; never at U+2028, NEL, VT, FF...: those
    # are text inside a value.
    lines = _LINE_BREAK.split(text.lstrip("\ufeff"))
    if lines and lines[-1] == "":
        lines.pop()
    cards: list[ContactCard] = []
    errors: list[RowError] = []
    found_any = False
    start: int | None = None
    # Cards left open by a nested BEGIN: their own END:VCARD comes later and is no new error.
    unclosed = 0
    for pos, raw in enumerate(lines):
        upper = raw.strip().upper()
        if upper == "BEGIN:VCARD":
            found_any = True
            if start is not None:
                errors.append(
                    RowError(
                        start + 1,
                        f"the card has no END:VCARD before the next card begins on line "
                        f"{pos + 1}; it was not imported",
                        _card_name(lines[start + 1 : pos]),
                    )
                )
                unclosed += 1
            start = pos
        elif upper == "END:VCARD":
            if start is None:
                if unclosed:
                    unclosed -= 1
                elif found_any:
                    errors.append(RowError(pos + 1, "END:VCARD without a BEGIN:VCARD"))
                continue
            try:
                cards.append(_parse_card(lines[start + 1 : pos], start + 1))
            except UnreadableFileError:
                raise
            except ValueError as exc:
                errors.append(RowError(start + 1, str(exc), _card_name(lines[start + 1 : pos])))
            start = None
        elif start is None and raw.strip() and not found_any:
            raise UnreadableFileError(
                f"Line {pos + 1} is not part of a vCard; this is not a .vcf contacts file."
            )
    if start is not None:
        errors.append(
            RowError(
                start + 1,
                "the file ends before this card's END:VCARD (cut short?); it was not imported",
                _card_name(lines[start + 1 :]),
            )
        )
    if not found_any:
        raise UnreadableFileError("No vCard found in the file.")
    return ParseResult(format="vcard", cards=tuple(cards), errors=tuple(errors), encoding=encoding)


def _card_name(body: Sequence[str]) -> str:
    """The FN (else N) of a card that cannot be imported, for the preview; "" when none."""
    family_given = ""
    for raw in body:
        head, _, value = raw.partition(":")
        prop = head.split(";")[0].split(".")[-1].strip().upper()
        if prop == "FN" and value.strip():
            text = " ".join(_unescape(value).split())
            return text if len(text) <= 80 else text[:79] + "…"
        if prop == "N" and not family_given:
            parts = [_unescape(p).strip() for p in _split(value, ";")] + ["", ""]
            family_given = " ".join(p for p in (parts[1], parts[0]) if p)
    return family_given[:80]


def _parse_card(body: Sequence[str], begin_line: int) -> ContactCard:
    logical = _logical_lines(body, begin_line + 1)
    version = "3.0"
    for _n, text in logical:
        if text.upper().startswith("VERSION:"):
            version = text.split(":", 1)[1].strip()
    card = _CardBuilder(begin_line, version)
    for number, text in logical:
        head = text.split(":", 1)[0].upper()
        if len(text) > MAX_PROPERTY and not head.split(";")[0].split(".")[-1] == "PHOTO":
            raise UnreadableFileError(
                f"Line {number} holds a field larger than {MAX_PROPERTY // 1024 // 1024} MB; "
                "this does not look like a contacts file."
            )
        if head.startswith(("BEGIN", "END")):
            continue
        if head.split(";")[0].split(".")[-1] == "PHOTO" and len(text) > MAX_PHOTO * 4 // 3 + 200:
            card.problems.append(
                f"the photo is about {len(text) * 3 // 4 / 1024 / 1024:.0f} MB, over the "
                f"{MAX_PHOTO // 1024 // 1024} MB limit; it was skipped"
            )
            continue
        try:
            line = textLineToContentLine(text, number)
        except (ParseError, LookupError, UnicodeError, ValueError) as exc:
            if head.split(";")[0].split(".")[-1] == "PHOTO":
                continue
            raise ValueError(f"line {number} cannot be read ({_short(exc)})") from exc
        try:
            _apply(card, line)
        except ValueError as exc:
            raise ValueError(f"line {number}: {exc}") from exc
    return card.card()


def _short(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) < 120 else text[:117] + "…"


# --- writing ---------------------------------------------------------------------------------


def _fold(line: str) -> str:
    """Folds at 75 octets without splitting a UTF-8 character (RFC 6350 3.2)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74
        current += ch
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


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
    return ";".join(_escape(p) for p in address.parts())


_PHONE_OUT = {"mobile": "cell", "work": "work", "home": "home", "fax": "fax", "main": "main"}


def write_vcards(cards: Sequence[ContactCard], version: str = "3.0") -> str:
    """Cards as one .vcf text (CRLF line ends, folded lines)."""
    if version not in ("3.0", "4.0"):
        raise ValueError("vCard version must be 3.0 or 4.0")
    out: list[str] = []
    for card in cards:
        lines = ["BEGIN:VCARD", f"VERSION:{version}"]
        lines.append(f"PRODID:{PRODID}")
        if card.uid:
            lines.append(f"UID:{'urn:uuid:' if version == '4.0' else ''}{card.uid}")
        parts = card.name_parts()
        if parts.is_empty():
            parts = split_name(card.name)
        lines.append(f"FN:{_escape(card.name)}")
        n = (parts.family, parts.given, parts.middle, parts.prefix, parts.suffix)
        lines.append("N:" + ";".join(_escape(p) for p in n))
        if card.nickname:
            lines.append(f"NICKNAME:{_escape(card.nickname)}")
        if card.phonetic_name:
            lines.append(f"X-PLANNER-PHONETIC-NAME:{_escape(card.phonetic_name)}")
        if card.organisation:
            lines.append(f"ORG:{_escape(card.organisation)}")
        if card.role:
            lines.append(f"TITLE:{_escape(card.role)}")
        # Preferred values: 3.0 TYPE=PREF, 4.0 PREF=1 (see _preferred).
        preferred = _preferred(card.emails)
        for i, email in enumerate(card.emails):
            label = email.label if email.label in _EMAIL_TYPES else ""
            extra, pref4 = _pref_param(version, i in preferred)
            extra = (["INTERNET"] if version == "3.0" else []) + extra
            group = ""
            if email.label and not label:
                group = f"item{i + 1}."
            types = _types(version, label, extra) + pref4
            lines.append(f"{group}EMAIL{types}:{_escape(email.value)}")
            if group:
                lines.append(f"{group}X-ABLabel:{_escape(email.label)}")
        preferred = _preferred(card.phones)
        for i, phone in enumerate(card.phones):
            label = _PHONE_OUT.get(phone.label, "")
            group = ""
            if phone.label and not label:
                group = f"tel{i + 1}."
            extra, pref4 = _pref_param(version, i in preferred)
            types = _types(version, label, extra) + pref4
            lines.append(f"{group}TEL{types}:{_escape(phone.value)}")
            if group:
                lines.append(f"{group}X-ABLabel:{_escape(phone.label)}")
        preferred = _preferred(card.urls)
        for i, url in enumerate(card.urls):
            label = {"linkedin": "linkedin", "website": "", "other": "other"}.get(url.label, "")
            extra, pref4 = _pref_param(version, i in preferred)
            types = _types(version, label, extra) + pref4
            lines.append(f"URL{types}:{_escape(url.value)}")
        preferred = _preferred(card.addresses)
        for i, address in enumerate(card.addresses):
            label = _ADR_TYPES.get(address.label, "")
            group = ""
            if address.label and not label:
                group = f"adr{i + 1}."
            extra, pref4 = _pref_param(version, i in preferred)
            types = _types(version, label, extra) + pref4
            lines.append(f"{group}ADR{types}:{_adr(address)}")
            if group:
                lines.append(f"{group}X-ABLabel:{_escape(address.label)}")
        derived = card.addresses[0].one_line()[:300] if card.addresses else ""
        if card.location and not card.addresses:
            # Other apps see the location as an address's city; we read it back as the
            # location alone (see _CardBuilder.card).
            lines.append(f"ADR:;;;{_escape(card.location)};;;")
            lines.append(f"X-PLANNER-LOCATION:{_escape(card.location)}")
        elif card.location and card.location != derived:
            # The user's own short location beside the addresses.
            lines.append(f"X-PLANNER-LOCATION:{_escape(card.location)}")
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
            lines.append("CATEGORIES:" + ",".join(_escape(t) for t in card.tags))
        if card.notes:
            lines.append(f"NOTE:{_escape(card.notes)}")
        if card.relationship:
            lines.append(f"X-PLANNER-RELATIONSHIP:{_escape(card.relationship)}")
        for prop, attr in _X_FIELDS.items():
            value = getattr(card, attr)
            if value and attr != "relationship":
                lines.append(f"{prop}:{_escape(value)}")
        if card.cadence_days:
            lines.append(f"X-PLANNER-CADENCE:{card.cadence_days}")
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
        lines.append("END:VCARD")
        out.extend(_fold(line) for line in lines)
    return "\r\n".join(out) + "\r\n" if out else ""
