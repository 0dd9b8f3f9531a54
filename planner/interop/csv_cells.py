"""Reading values out of CSV cells: a row by column name, names, birthdays, labels, tags, and
the formula guard a spreadsheet needs (neutralise / unneutralise)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime

from planner.core.import_cards import ContactCard
from planner.core.names import NameParts
from planner.core.records import LabeledValue, PostalAddress
from planner.core.text_safety import neutralise_text

MULTI = " ::: "


class Row:
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


def name_fields(parts: NameParts, display: str = "") -> dict[str, object]:
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


def split_multi(value: str) -> list[str]:
    return [v.strip() for v in value.split(MULTI) if v.strip()] if value else []


def join_words(*parts: str) -> str:
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
KNOWN_LABELS = frozenset(
    "home work other mobile main fax pager linkedin website profile blog homepage "
    "iphone cell".split()
)


def label_of(text: str) -> str:
    text = text.strip().lstrip("* ").strip()
    return text.lower() if text.lower() in KNOWN_LABELS else text


def starred(text: str) -> bool:
    """Google marks the primary value's label with "* " ("* Work")."""
    return text.strip().startswith("*")


def with_pref(items: Sequence[LabeledValue]) -> tuple[LabeledValue, ...]:
    """The preferred value first (the app shows the first), the rest in the file's order."""
    return tuple(sorted(items, key=lambda item: not item.pref))


def addresses_first(addresses: Iterable[PostalAddress]) -> tuple[PostalAddress, ...]:
    return tuple(sorted((a for a in addresses if not a.is_empty()), key=lambda a: not a.pref))


def location_of(addresses: Sequence[PostalAddress]) -> str:
    return addresses[0].one_line()[:300] if addresses else ""


def url_label(url: str, label: str = "") -> str:
    if "linkedin.com/" in url.lower():
        return "linkedin"
    label = label.lower()
    if label in ("linkedin", "website", "other"):
        return label
    return "website"


def tags_of(values: Iterable[str]) -> tuple[str, ...]:
    """Tags from labels or categories: Google's "* " and its system groups left out."""
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


def birthday_fields(text: str) -> dict[str, int | None]:
    month, day, year = parse_birthday(text)
    return {"birthday_month": month, "birthday_day": day, "birthday_year": year}


def fallback_name(name: str, org: str, emails: Sequence[LabeledValue]) -> str:
    if name:
        return name
    if org:
        return org
    if emails:
        return emails[0].value
    return ""


RowParser = Callable[[Row, int], "ContactCard | None"]
