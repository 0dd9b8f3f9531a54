"""Contact CSV files: LinkedIn, Google Contacts, Outlook and any other CSV, in and out.

Reading finds the encoding (UTF-8 with or without BOM, UTF-16, cp1252), the delimiter and
the header row (LinkedIn puts a "Notes:" preamble above it), then recognises the layout from
the header names. Writing uses Google Contacts' headers and neutralises cells a spreadsheet
would run as formulas.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import itertools
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime

from planner.core.import_cards import ContactCard, ParseResult, RowError, UnreadableFileError
from planner.core.names import NameParts, split_name
from planner.core.records import LabeledValue, PostalAddress
from planner.core.text_safety import neutralise_text

MAX_FIELD = 1024 * 1024
_DELIMITERS = (",", ";", "\t", "|")
_MULTI = " ::: "

# --- bytes -> text --------------------------------------------------------------------------


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding name); refuses empty and binary files with a message."""
    if not data[:65536].strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe") and not data.strip(
        b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"
    ):
        raise UnreadableFileError("The file is empty.")
    if data.startswith(b"PK\x03\x04"):
        raise UnreadableFileError(
            "This is a compressed file (for example an Excel workbook or a ZIP archive), "
            "not a contacts file. Save the sheet as CSV, or unzip it, and import that."
        )
    encoding = ""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        sample = data[:4096]
        even_nul = sample[0::2].count(0)
        odd_nul = sample[1::2].count(0)
        half = max(1, len(sample) // 2)
        if odd_nul > half * 0.4 and even_nul < half * 0.05:
            encoding = "utf-16-le"
        elif even_nul > half * 0.4 and odd_nul < half * 0.05:
            encoding = "utf-16-be"
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(
                f"The file says it is {encoding.upper()} text but is not (byte {exc.start})."
            ) from exc
    else:
        if b"\x00" in data[:65536]:
            raise UnreadableFileError(
                "This is a binary file, not a contacts file (vCard or CSV text)."
            )
        text, encoding = _decode_8bit(data)
    text = text.lstrip("\ufeff")
    sample_text = text[:65536]
    controls = sum(1 for ch in sample_text if ord(ch) < 32 and ch not in "\t\r\n\f")
    # Clean UTF-8 is text even when a note holds control characters (our own export keeps
    # them); a binary file with no NUL byte almost never decodes as UTF-8.
    if not encoding.startswith("utf-8") and controls > max(8, len(sample_text) // 200):
        raise UnreadableFileError("This is a binary file, not a contacts file (vCard or CSV text).")
    if not text.strip():
        raise UnreadableFileError("The file is empty.")
    return text, encoding


_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _decode_8bit(data: bytes) -> tuple[str, str]:
    """UTF-8 when it is; mostly UTF-8 with some broken bytes stays UTF-8 with the broken bytes
    shown as U+FFFD (reported per row by the import), never re-read as cp1252 ("ZoÃ«");
    otherwise the encoding charset-normalizer finds."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    valid = len(_UTF8_MULTIBYTE.findall(data))
    invalid = data.decode("utf-8", errors="replace").count("\ufffd")
    if valid and valid >= invalid:
        return data.decode("utf-8", errors="replace"), "utf-8 (with invalid bytes)"
    from charset_normalizer import from_bytes

    high = sum(1 for b in data[: 1024 * 1024] if b >= 0x80)
    if high < 16:
        # Too few non-ASCII bytes for any detector to tell code pages apart ("Zo\xeb" reads
        # as Urdu in cp1006): take Windows' Western code page.
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("cp1252"), "cp1252"
    matches = from_bytes(data[: 1024 * 1024])
    # Western exports (Outlook, Excel) are cp1252; when that reading is among the plausible
    # ones, take it rather than a neighbour that decodes these bytes the same way.
    plausible = [m.encoding for m in matches]
    if "cp1252" in plausible:
        return data.decode("cp1252"), "cp1252"
    best = matches.best()
    if best is not None and best.encoding:
        try:
            text = data.decode(best.encoding)
            with contextlib.suppress(UnicodeDecodeError):
                if data.decode("cp1252") == text:
                    return text, "cp1252"
            return text, best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


# --- text -> table --------------------------------------------------------------------------


class CsvTable:
    """The header row and the data rows of a CSV file, each row with its line number."""

    def __init__(
        self, headers: list[str], rows: Iterable[tuple[int, list[str]]], delimiter: str
    ) -> None:
        self.headers = headers
        # Read as they are used (a 300,000-row file is never held as a list of rows).
        self.rows = rows
        self.delimiter = delimiter


def _records(text: str, delimiter: str) -> Iterable[tuple[int, list[str]]]:
    """csv records with the line each starts on; a huge field is a clear error."""
    old = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        line = 1
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise UnreadableFileError(
                        f"Line {line} holds a field larger than {MAX_FIELD // 1024 // 1024} MB; "
                        "this does not look like a contacts file."
                    ) from exc
                raise UnreadableFileError(f"Line {line}: the CSV cannot be read ({exc}).") from exc
            yield line, record
            line = reader.line_num + 1
    finally:
        csv.field_size_limit(old)


def _pick_delimiter(text: str) -> str:
    sample = text[:65536]
    best, best_score = ",", -1.0
    for delimiter in _DELIMITERS:
        try:
            counts = []
            for _line, record in _records(sample, delimiter):
                if any(cell.strip() for cell in record):
                    counts.append(len(record))
                if len(counts) >= 40:
                    break
        except UnreadableFileError:
            continue
        if not counts:
            continue
        width, freq = Counter(counts).most_common(1)[0]
        if width < 2:
            continue
        score = freq * min(width, 10)
        if score > best_score:
            best, best_score = delimiter, score
    return best


_HEADER_WORDS = {
    "name", "first name", "last name", "given name", "family name", "e-mail address",
    "email address", "email", "e-mail", "company", "organization", "organisation",
    "position", "title", "job title", "phone", "url", "connected on", "notes",
}  # fmt: skip


def read_table(text: str) -> CsvTable:
    """Finds the delimiter and the header row (skipping a preamble such as LinkedIn's notes)."""
    delimiter = _pick_delimiter(text)
    stream = _records(text, delimiter)
    # The header is among the first rows; the usual width shows in the first thousand.
    records = list(itertools.islice(stream, 1000))
    widths = Counter(len(r) for _l, r in records if sum(1 for c in r if c.strip()) >= 2)
    if not widths:
        raise UnreadableFileError(
            "No table found: a contacts CSV needs a header row and one row per contact."
        )
    width = widths.most_common(1)[0][0]
    header_at = None
    # A header row: the usual width, non-empty cells, and preferably words we know.
    for pos, (_line, record) in enumerate(records[:50]):
        cells = [c.strip().lower() for c in record]
        if len(record) >= 2 and sum(1 for c in cells if c in _HEADER_WORDS) >= 2:
            header_at = pos
            break
    if header_at is None:
        for pos, (_line, record) in enumerate(records[:50]):
            if len(record) == width and sum(1 for c in record if c.strip()) >= 2:
                header_at = pos
                break
    if header_at is None:
        raise UnreadableFileError("No header row found in the CSV.")
    headers = [h.strip().lstrip("\ufeff") for h in records[header_at][1]]
    rows = itertools.chain(records[header_at + 1 :], stream)
    return CsvTable(headers, rows, delimiter)


def detect_csv_format(headers: Sequence[str]) -> str:
    names = {h.strip().lower() for h in headers}
    if {"first name", "last name", "connected on"} <= names:
        return "linkedin"
    if "e-mail 1 - value" in names or "group membership" in names or "labels" in names:
        return "google"
    if "given name" in names and "family name" in names:
        return "google"
    if (
        "e-mail address" in names
        and "first name" in names
        and ("job title" in names or "company" in names)
    ):
        return "outlook"
    return "csv"


# --- helpers ------------------------------------------------------------------------------


class _Row:
    def __init__(self, index: dict[str, int], cells: list[str]) -> None:
        self.index = index
        self.cells = cells

    def get(self, name: str) -> str:
        return self.raw(name).strip()

    def raw(self, name: str) -> str:
        """The cell as written (our formula guard undone), spaces kept: for notes."""
        pos = self.index.get(name.lower())
        if pos is None or pos >= len(self.cells):
            return ""
        return unneutralise(self.cells[pos]).replace("\r\n", "\n")

    def first(self, *names: str) -> str:
        for name in names:
            value = self.get(name)
            if value:
                return value
        return ""


def _name_fields(parts: NameParts, display: str = "") -> dict[str, object]:
    """ContactCard name fields from parts (and a display name a file gives separately)."""
    derived = parts.display()
    name = " ".join(display.split()) or derived
    return {
        "name": name,
        "name_prefix": parts.prefix,
        "given_name": parts.given,
        "middle_name": parts.middle,
        "family_name": parts.family,
        "name_suffix": parts.suffix,
        "name_custom": bool(derived) and name != derived,
    }


def _formula_like(cell: str) -> bool:
    """Whether a spreadsheet could run the cell: = + - @ first, also after spaces or line
    breaks (Excel and LibreOffice skip them), or a tab / line break first (DDE tricks)."""
    if cell[:1] in ("\t", "\r", "\n"):
        return True
    return cell.lstrip()[:1] in ("=", "+", "-", "@")


def unneutralise(cell: str) -> str:
    """Undo our own formula guard: one apostrophe before something neutralise() would guard
    ("'=x" -> "=x", "''=x" -> "'=x")."""
    if cell[:1] == "'" and _needs_guard(cell[1:]):
        return cell[1:]
    return cell


def _needs_guard(cell: str) -> bool:
    # A leading apostrophe before a formula-like text is guarded too, or reading it back would
    # take the user's own apostrophe for ours.
    return _formula_like(cell) or (cell[:1] == "'" and _needs_guard(cell[1:]))


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe; line separators
    other than a line feed become line feeds and NUL is dropped (see vcard.neutralise_text)."""
    cell = neutralise_text(cell)
    return "'" + cell if _needs_guard(cell) else cell


def _split_multi(value: str) -> list[str]:
    return [v.strip() for v in value.split(_MULTI) if v.strip()] if value else []


def _join(*parts: str) -> str:
    return " ".join(p for p in (x.strip() for x in parts) if p)


_MONTHS = {
    name: number
    for number, name in enumerate(
        "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1
    )
}
_MONTHS["sept"] = 9


def parse_birthday(text: str) -> tuple[int | None, int | None, int | None]:
    """(month, day, year) from ISO, --MM-DD, --MMDD, m/d/yyyy, "12 Nov 1985"; year may be None."""
    text = text.strip()
    if not text or text in ("0/0/00", "0/0/0000", "00/00/0000"):
        return None, None, None
    match = re.match(r"^(\d{4}|--|-)-?(\d{1,2})-?(\d{1,2})(?:[T ].*)?$", text)
    if match and (match.group(1).startswith("-") or len(text.split("T")[0]) in (8, 10)):
        year = None if match.group(1).startswith("-") else int(match.group(1))
        return _checked(int(match.group(2)), int(match.group(3)), year)
    match = re.match(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})(?:\s.*)?$", text)
    if match:
        a, b, y = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if a == 0 or b == 0:
            return None, None, None
        month, day = (b, a) if a > 12 else (a, b)
        if "." in text:
            month, day = b, a
        year = y + (1900 if y >= 30 else 2000) if y < 100 else y
        return _checked(month, day, year)
    match = re.match(r"^(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{2,4})$", text)
    if match:
        named = _MONTHS.get(match.group(2)[:3].lower())
        if named:
            y = int(match.group(3))
            return _checked(named, int(match.group(1)), y + 2000 if y < 100 else y)
    raise ValueError(f"“{text}” is not a date this app understands")


def _checked(month: int, day: int, year: int | None) -> tuple[int | None, int | None, int | None]:
    if year in (1604, 0):
        year = None
    try:
        date(year or 2000, month, day)
    except ValueError:
        raise ValueError(f"{year or '--'}-{month:02d}-{day:02d} is not a real date") from None
    return month, day, year


@functools.lru_cache(maxsize=4096)
def parse_connected_on(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    for fmt in ("%d %b %Y", "%d %B %Y", "%d %b %y", "%Y-%m-%d", "%m/%d/%y", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"“{text}” in Connected On is not a date")


# Labels the app knows by their lower-case name; the user's own labels keep their spelling.
_KNOWN_LABELS = frozenset(
    "home work other mobile main fax pager linkedin website profile blog homepage "
    "iphone cell".split()
)


def _label(text: str) -> str:
    text = text.strip().lstrip("* ").strip()
    return text.lower() if text.lower() in _KNOWN_LABELS else text


def _starred(text: str) -> bool:
    """Google marks the primary value's label with "* " ("* Work")."""
    return text.strip().startswith("*")


def _with_pref(items: Sequence[LabeledValue]) -> tuple[LabeledValue, ...]:
    """The preferred value first (the app shows the first), the rest in the file's order."""
    return tuple(sorted(items, key=lambda item: not item.pref))


def _addresses_first(addresses: Iterable[PostalAddress]) -> tuple[PostalAddress, ...]:
    return tuple(sorted((a for a in addresses if not a.is_empty()), key=lambda a: not a.pref))


def _location_of(addresses: Sequence[PostalAddress]) -> str:
    return addresses[0].one_line()[:300] if addresses else ""


def url_label(url: str, label: str = "") -> str:
    if "linkedin.com/" in url.lower():
        return "linkedin"
    label = label.lower()
    if label in ("linkedin", "website", "other"):
        return label
    return "website"


def _tags(values: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        tag = value.strip()
        if tag.startswith("*"):
            tag = tag.lstrip("* ").strip()
        if not tag or tag.lower() in ("mycontacts", "my contacts", "starred"):
            continue
        if tag not in out:
            out.append(tag[:100])
    return tuple(out)


def _birthday_fields(text: str) -> dict[str, int | None]:
    month, day, year = parse_birthday(text)
    return {"birthday_month": month, "birthday_day": day, "birthday_year": year}


def _fallback_name(name: str, org: str, emails: Sequence[LabeledValue]) -> str:
    if name:
        return name
    if org:
        return org
    if emails:
        return emails[0].value
    return ""


# --- the layouts ---------------------------------------------------------------------------

RowParser = Callable[[_Row, int], "ContactCard | None"]


def _linkedin(row: _Row, line: int) -> ContactCard | None:
    parts = NameParts(given=row.get("First Name"), family=row.get("Last Name"))
    name = parts.display()
    url = row.get("URL") or row.get("Profile URL")
    email = row.get("Email Address") or row.get("E-mail Address")
    org = row.get("Company")
    if not name and not url and not email and not org:
        return None
    if not name:
        raise ValueError("the row has no first or last name")
    connected = parse_connected_on(row.get("Connected On"))
    return ContactCard(
        **_name_fields(parts),  # type: ignore[arg-type]
        line=line,
        # Companies and positions repeat across a big export: one string each.
        organisation=sys.intern(org),
        role=sys.intern(row.get("Position")),
        emails=(LabeledValue("", email),) if email else (),
        urls=(LabeledValue("linkedin", url),) if url else (),
        connected_on=connected,
        how_met_kind="online",
        how_met_text="LinkedIn",
    )


_NUMBERED = re.compile(
    r"^(e-mail|phone|website|address|organization|custom field|relation) (\d+) - (.+)$"
)
_CUSTOM_FIELDS = {
    "relationship": "relationship",
    "industry": "industry",
    "interests": "interests",
    "keep in touch every (days)": "cadence_days",
    "how we met": "how_met_kind",
    "how we met (details)": "how_met_text",
    "networking planner id": "uid",
    "location": "location",
}


def _google(row: _Row, line: int) -> ContactCard | None:
    numbered: dict[tuple[str, int], dict[str, str]] = {}
    for header, pos in row.index.items():
        match = _NUMBERED.match(header)
        if match and pos < len(row.cells):
            numbered.setdefault((match.group(1), int(match.group(2))), {})[match.group(3)] = (
                unneutralise(row.cells[pos]).replace("\r\n", "\n").strip()
            )

    def values(kind: str) -> list[tuple[str, list[str], dict[str, str]]]:
        out = []
        for (k, _n), parts in sorted(numbered.items(), key=lambda kv: kv[0][1]):
            if k != kind:
                continue
            label = parts.get("label") or parts.get("type") or ""
            out.append((label, _split_multi(parts.get("value", "")), parts))
        return out

    def labeled(kind: str) -> tuple[LabeledValue, ...]:
        out = []
        for label, vals, _p in values(kind):
            for i, v in enumerate(vals):
                name = _label(label)
                if kind == "website":
                    name = url_label(v, name)
                out.append(LabeledValue(name, v, _starred(label) and i == 0))
        return _with_pref(out)

    emails = labeled("e-mail")
    phones = labeled("phone")
    urls = labeled("website")
    org = row.get("Organization Name")
    role = row.get("Organization Title")
    for _label_text, _vals, parts in values("organization"):
        org = org or parts.get("name", "")
        role = role or parts.get("title", "")
    groups_of_address = [(label, parts) for label, _v, parts in values("address")]
    addresses = _addresses_first(
        _google_address(label, parts) for label, parts in groups_of_address
    )
    # Google's own one-line text of the preferred address, else the parts joined.
    formatted = [
        (_starred(label), parts.get("formatted", "")) for label, parts in groups_of_address
    ]
    formatted.sort(key=lambda f: not f[0])
    location = (
        ", ".join(x.strip() for x in formatted[0][1].splitlines() if x.strip())[:300]
        if formatted and formatted[0][1]
        else _location_of(addresses)
    )
    extra: dict[str, object] = {}
    stand_in = PostalAddress(street=location)
    for label, _vals, parts in values("custom field"):
        target = _CUSTOM_FIELDS.get(label.strip().lower())
        value = parts.get("value", "")
        if target == "cadence_days":
            extra[target] = int(value) if value.isdigit() else None
        elif target:
            extra[target] = value
    if "location" in extra and addresses == (stand_in,) and location == extra["location"]:
        addresses = ()  # our own export's location written as an address
    if extra.get("location"):
        location = str(extra.pop("location"))
    extra.pop("location", None)
    name_parts = NameParts(
        row.get("Name Prefix"),
        row.first("First Name", "Given Name"),
        row.first("Middle Name", "Additional Name"),
        row.first("Last Name", "Family Name"),
        row.get("Name Suffix"),
    )
    # Legacy exports have a "Name" column; ours writes the user's own display name in "File As".
    display = row.get("Name") or (row.get("File As") if not name_parts.is_empty() else "")
    fields = _name_fields(name_parts, display)
    name = _fallback_name(
        str(fields["name"]) or row.get("Nickname") or row.get("File As"), org, emails
    )
    if not name and not phones:
        if not any(c.strip() for c in row.cells):
            return None
        raise ValueError("the row has no name, organisation or e-mail")
    fields["name"] = name or phones[0].value
    groups = row.get("Labels") or row.get("Group Membership")
    birthday = row.get("Birthday")
    phonetic = _join(
        row.first("Phonetic First Name", "Given Name Yomi"),
        row.first("Phonetic Middle Name", "Additional Name Yomi"),
        row.first("Phonetic Last Name", "Family Name Yomi"),
    )
    photo = row.get("Photo")
    return ContactCard(
        **fields,  # type: ignore[arg-type]
        line=line,
        nickname=row.get("Nickname")[:100],
        phonetic_name=phonetic,
        photo_url=photo if re.match(r"^https?://", photo, re.IGNORECASE) else "",
        organisation=org,
        role=role,
        notes=row.raw("Notes"),
        emails=emails,
        phones=phones,
        urls=urls,
        tags=_tags(_split_multi(groups)),
        location=location,
        addresses=addresses,
        **_birthday_fields(birthday),  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )


def _google_address(label: str, parts: dict[str, str]) -> PostalAddress:
    """One "Address N - ..." group; only "Formatted" given: it is the street (its lines kept)."""
    pieces = {
        "street": parts.get("street", ""),
        "locality": parts.get("city", ""),
        "region": parts.get("region", ""),
        "postal_code": parts.get("postal code", ""),
        "country": parts.get("country", ""),
        "po_box": parts.get("po box", ""),
        "extended": parts.get("extended address", ""),
    }
    if not any(pieces.values()):
        pieces["street"] = parts.get("formatted", "")
    return PostalAddress(label=_label(label), pref=_starred(label), **pieces)


_OUTLOOK_PHONES = (
    ("Mobile Phone", "mobile"),
    ("Business Phone", "work"),
    ("Business Phone 2", "work"),
    ("Home Phone", "home"),
    ("Home Phone 2", "home"),
    ("Primary Phone", "main"),
    ("Company Main Phone", "work"),
    ("Other Phone", "other"),
    ("Business Fax", "fax"),
    ("Home Fax", "fax"),
)


def _outlook(row: _Row, line: int) -> ContactCard | None:
    parts = NameParts(
        row.get("Title"),
        row.get("First Name"),
        row.get("Middle Name"),
        row.get("Last Name"),
        row.get("Suffix"),
    )
    name = parts.display()
    org = row.get("Company")
    emails: list[LabeledValue] = []
    for column in ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address"):
        value = row.get(column)
        # Exchange entries hold an X.500 path instead of an address; keep only addresses.
        if value and "@" in value:
            emails.append(LabeledValue("", value))
    phones = tuple(
        LabeledValue(label, row.get(column)) for column, label in _OUTLOOK_PHONES if row.get(column)
    )
    urls = tuple(
        LabeledValue(url_label(row.get(c)), row.get(c))
        for c in ("Web Page", "Personal Web Page")
        if row.get(c)
    )
    name = _fallback_name(name or row.get("Nickname"), org, emails)
    if not name and not phones:
        if not any(c.strip() for c in row.cells):
            return None
        raise ValueError("the row has no name, company or e-mail")
    addresses = _addresses_first(
        PostalAddress(
            label=label,
            street="\n".join(
                x for x in (row.get(f"{prefix} Street{n}") for n in ("", " 2", " 3")) if x
            ),
            locality=row.get(f"{prefix} City"),
            region=row.get(f"{prefix} State"),
            postal_code=row.get(f"{prefix} Postal Code"),
            country=row.get(f"{prefix} Country/Region") or row.get(f"{prefix} Country"),
            po_box=row.get(f"{prefix} PO Box") or row.get(f"{prefix} Address PO Box"),
        )
        for prefix, label in (("Business", "work"), ("Home", "home"), ("Other", "other"))
    )
    location = _location_of(addresses)
    categories = re.split(r"[;,]", row.get("Categories"))
    fields = _name_fields(parts)
    fields["name"] = name or phones[0].value
    return ContactCard(
        **fields,  # type: ignore[arg-type]
        line=line,
        nickname=row.get("Nickname")[:100],
        organisation=org,
        role=row.get("Job Title"),
        notes=row.raw("Notes"),
        emails=tuple(emails),
        phones=phones,
        urls=urls,
        tags=_tags(categories),
        location=row.get("Location") or location,
        addresses=addresses,
        **_birthday_fields(row.get("Birthday")),  # type: ignore[arg-type]
    )


# Generic CSV: the fields a column can be mapped to.
FIELDS: dict[str, str] = {
    "": "(ignore)",
    "name": "Full name",
    "first_name": "First name",
    "last_name": "Last name",
    "organisation": "Organisation",
    "role": "Role / job title",
    "email": "E-mail",
    "phone": "Phone",
    "url": "Web / LinkedIn URL",
    "location": "Location",
    "birthday": "Birthday",
    "tags": "Tags",
    "notes": "Notes",
    "industry": "Industry",
}

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "full name",
        "fullname",
        "display name",
        "contact",
        "contact name",
        "nom",
        "nombre",
    ),
    "first_name": ("first name", "firstname", "given name", "first", "forename", "vorname"),
    "last_name": ("last name", "lastname", "surname", "family name", "last", "nachname"),
    "organisation": (
        "organisation",
        "organization",
        "company",
        "employer",
        "org",
        "firma",
        "société",
        "entreprise",
    ),
    "role": ("role", "title", "job title", "position", "job", "occupation"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail", "courriel"),
    "phone": ("phone", "telephone", "mobile", "tel", "phone number", "cell"),
    "url": ("url", "website", "web", "linkedin", "linkedin url", "profile url", "homepage"),
    "location": ("location", "city", "address", "country"),
    "birthday": ("birthday", "date of birth", "dob", "birth date"),
    "tags": ("tags", "labels", "categories", "groups", "tag"),
    "notes": ("notes", "note", "comments", "comment", "remarks", "remarques"),
    "industry": ("industry", "sector"),
}


_STEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("email", ("mail",)),
    ("phone", ("phone", "téléphone", "telefon", "mobil", "handy")),
    ("url", ("linkedin", "http", "web")),
)


def guess_mapping(headers: Sequence[str]) -> tuple[str, ...]:
    """The field each column probably holds ("" when unsure)."""
    used: set[str] = set()
    out = []
    for header in headers:
        key = re.sub(r"[\s_]+", " ", header.strip().lower())
        field = ""
        for name, words in _SYNONYMS.items():
            if key in words:
                field = name
                break
        if not field:
            # "E-Mail-Adresse", "Work email", "Mobile phone 2", "Téléphone", "LinkedIn profile"
            for name, stems in _STEMS:
                if any(stem in key for stem in stems):
                    field = name
                    break
        if field in used and field not in ("email", "phone", "url", "tags"):
            field = ""
        if field:
            used.add(field)
        out.append(field)
    return tuple(out)


def _generic(mapping: Sequence[str]) -> RowParser:
    def parse(row: _Row, line: int) -> ContactCard | None:
        got: dict[str, list[str]] = {}
        for pos, field in enumerate(mapping):
            if field and pos < len(row.cells):
                value = unneutralise(row.cells[pos]).replace("\r\n", "\n")
                if value.strip():
                    got.setdefault(field, []).append(value if field == "notes" else value.strip())

        def one(field: str) -> str:
            return " ".join(got.get(field, []))

        if not got:
            return None
        parts = NameParts(given=one("first_name"), family=one("last_name"))
        name = one("name") or parts.display()
        emails = tuple(
            LabeledValue("", v)
            for cell in got.get("email", [])
            for v in re.split(r"[;,]|\s:::\s", cell)
            if v.strip()
        )
        if not name:
            raise ValueError("the name cell is empty")
        birthday = _birthday_fields(one("birthday")) if one("birthday") else {}
        return ContactCard(
            **_name_fields(parts, name),  # type: ignore[arg-type]
            line=line,
            organisation=one("organisation"),
            role=one("role"),
            industry=one("industry"),
            location=one("location"),
            notes="\n".join(got.get("notes", [])),
            emails=tuple(LabeledValue(e.label, e.value.strip()) for e in emails),
            phones=tuple(LabeledValue("", v) for v in got.get("phone", [])),
            urls=tuple(LabeledValue(url_label(v), v) for v in got.get("url", [])),
            tags=_tags(t for cell in got.get("tags", []) for t in re.split(r"[;,]|\s:::\s", cell)),
            **birthday,  # type: ignore[arg-type]
        )

    return parse


_FORMAT_NAMES = {
    "linkedin": "LinkedIn's Connections.csv",
    "google": "a Google Contacts CSV",
    "outlook": "an Outlook CSV",
}


def _fits(fmt: str, index: dict[str, int]) -> bool:
    """Whether a layout the user chose matches the header (a wrong choice loses data)."""
    names = set(index)
    if fmt == "linkedin":
        return bool({"first name", "last name"} & names) and (
            "connected on" in names or {"company", "position"} <= names
        )
    if fmt == "google":
        return bool(
            {"labels", "group membership", "organization name", "given name"} & names
            or any(_NUMBERED.match(n) for n in names)
        )
    if fmt == "outlook":
        return bool({"e-mail address", "job title", "business phone", "mobile phone"} & names)
    return True


def _row_name(index: dict[str, int], cells: list[str], mapping: Sequence[str]) -> str:
    """The person a broken row is about, as far as its name cells say (for the preview)."""
    row = _Row(index, cells)
    if mapping:
        got = {f: cells[i].strip() for i, f in enumerate(mapping) if f and i < len(cells)}
        name = got.get("name") or _join(got.get("first_name", ""), got.get("last_name", ""))
    else:
        name = row.first("Name", "File As") or _join(
            row.first("First Name", "Given Name"),
            row.first("Middle Name", "Additional Name"),
            row.first("Last Name", "Family Name"),
        )
    name = " ".join(unneutralise(name).split())
    return name if len(name) <= 80 else name[:79] + "…"


def parse_csv_text(
    text: str, fmt: str = "auto", mapping: Sequence[str] | None = None, encoding: str = ""
) -> ParseResult:
    """Reads a contacts CSV; `mapping` (one field per column) applies to the generic layout."""
    table = read_table(text)
    detected = detect_csv_format(table.headers)
    if fmt in ("auto", ""):
        fmt = detected
    index: dict[str, int] = {}
    for pos, header in enumerate(table.headers):
        index.setdefault(header.strip().lower(), pos)
    used_mapping: tuple[str, ...] = ()
    parser: RowParser
    if not _fits(fmt, index):
        raise UnreadableFileError(
            f"This CSV does not look like {_FORMAT_NAMES.get(fmt, fmt)} (its columns are "
            f"{', '.join(table.headers[:6])}…). Choose another format, or let the app detect it."
        )
    if fmt == "linkedin":
        parser = _linkedin
    elif fmt == "google":
        parser = _google
    elif fmt == "outlook":
        parser = _outlook
    elif fmt == "csv":
        used_mapping = tuple(mapping) if mapping is not None else guess_mapping(table.headers)
        used_mapping = (used_mapping + ("",) * len(table.headers))[: len(table.headers)]
        if not {"name", "first_name", "last_name"} & set(used_mapping):
            raise UnreadableFileError(
                "No column holds the contacts' names. Choose which column is the name "
                "(or first and last name) and try again."
            )
        parser = _generic(used_mapping)
    else:
        raise UnreadableFileError(f"Unknown CSV format “{fmt}”.")
    if fmt in ("google", "outlook") and not (
        {"name", "first name", "last name", "given name", "family name", "company"} & set(index)
        or "organization name" in index
    ):
        raise UnreadableFileError("The CSV has no name column.")
    cards: list[ContactCard] = []
    errors: list[RowError] = []
    for line, cells in table.rows:
        if not any(c.strip() for c in cells):
            continue
        try:
            card = parser(_Row(index, cells), line)
        except ValueError as exc:
            errors.append(RowError(line, str(exc), _row_name(index, cells, used_mapping)))
            continue
        if card is not None:
            cards.append(card)
    if not cards and not errors:
        raise UnreadableFileError("The CSV has a header row but no contacts.")
    return ParseResult(
        format=fmt,
        cards=tuple(cards),
        errors=tuple(errors),
        encoding=encoding,
        columns=tuple(table.headers),
        mapping=used_mapping,
    )


# --- writing ------------------------------------------------------------------------------


def _birthday_text(card: ContactCard) -> str:
    if not card.birthday_month or not card.birthday_day:
        return ""
    if card.birthday_year:
        return f"{card.birthday_year:04d}-{card.birthday_month:02d}-{card.birthday_day:02d}"
    return f"--{card.birthday_month:02d}-{card.birthday_day:02d}"


_ADDRESS_COLUMNS = (
    "Label",
    "Formatted",
    "Street",
    "City",
    "PO Box",
    "Region",
    "Postal Code",
    "Country",
    "Extended Address",
)


def _label_out(label: str, pref: bool) -> str:
    """Google's label: "Work", and "* Work" for the primary value."""
    text = label.title() if label.lower() in _KNOWN_LABELS else label
    return f"* {text}" if pref else text


def _address_cells(address: PostalAddress) -> list[str]:
    lines = (address.street, address.locality, address.region, address.postal_code)
    formatted = "\n".join(p for p in (*lines, address.country) if p)
    street = address.street
    if formatted == address.street and not (address.po_box or address.extended):
        # Only a street (a location, or Google's own "Formatted" read back): Formatted alone,
        # which is how Google writes an address it could not split.
        street = ""
    return [
        _label_out(address.label, address.pref),
        formatted,
        street,
        address.locality,
        address.po_box,
        address.region,
        address.postal_code,
        address.country,
        address.extended,
    ]


def write_google_csv(cards: Sequence[ContactCard]) -> str:
    """CSV with Google Contacts' headers (what Google imports), formulas neutralised."""
    n_email = max([1, *(len(c.emails) for c in cards)])
    n_phone = max([1, *(len(c.phones) for c in cards)])
    n_url = max([1, *(len(c.urls) for c in cards)])
    n_address = max([1, *(len(c.addresses) for c in cards)])
    custom = list(_CUSTOM_FIELDS.items())
    headers = [
        "First Name",
        "Middle Name",
        "Last Name",
        "Phonetic First Name",
        "Name Prefix",
        "Name Suffix",
        "Nickname",
        "File As",
        "Organization Name",
        "Organization Title",
        "Birthday",
        "Notes",
        "Photo",
        "Labels",
    ]
    for i in range(1, n_email + 1):
        headers += [f"E-mail {i} - Label", f"E-mail {i} - Value"]
    for i in range(1, n_phone + 1):
        headers += [f"Phone {i} - Label", f"Phone {i} - Value"]
    for i in range(1, n_address + 1):
        headers += [f"Address {i} - {part}" for part in _ADDRESS_COLUMNS]
    for i in range(1, n_url + 1):
        headers += [f"Website {i} - Label", f"Website {i} - Value"]
    for i in range(1, len(custom) + 1):
        headers += [f"Custom Field {i} - Label", f"Custom Field {i} - Value"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    titles = {
        "relationship": "Relationship",
        "industry": "Industry",
        "interests": "Interests",
        "cadence_days": "Keep in touch every (days)",
        "how_met_kind": "How we met",
        "how_met_text": "How we met (details)",
        "uid": "Networking Planner ID",
        "location": "Location",
    }
    for card in cards:
        parts = card.name_parts()
        if parts.is_empty():
            parts = split_name(card.name)
        # A display name the parts do not give (typed by the user) goes to "File As".
        file_as = card.name if card.name != parts.display() else ""
        row = [
            parts.given,
            parts.middle,
            parts.family,
            card.phonetic_name,
            parts.prefix,
            parts.suffix,
            card.nickname,
            file_as,
            card.organisation,
            card.role,
            _birthday_text(card),
            card.notes,
            card.photo_url,
        ]
        row.append(_MULTI.join(["* myContacts", *card.tags]))
        for items, count in ((card.emails, n_email), (card.phones, n_phone)):
            for i in range(count):
                item = items[i] if i < len(items) else None
                row += [_label_out(item.label, item.pref), item.value] if item else ["", ""]
        addresses = list(card.addresses)
        if not addresses and card.location:
            # Google shows the location as an address; the custom field gives it back to us.
            addresses = [PostalAddress(street=card.location)]
        for i in range(n_address):
            address = addresses[i] if i < len(addresses) else None
            row += _address_cells(address) if address else [""] * len(_ADDRESS_COLUMNS)
        for i in range(n_url):
            url = card.urls[i] if i < len(card.urls) else None
            row += [_label_out(url.label, url.pref), url.value] if url else ["", ""]
        for _title, attr in custom:
            value = getattr(card, attr)
            row += [titles[attr], "" if value is None else str(value)]
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()
