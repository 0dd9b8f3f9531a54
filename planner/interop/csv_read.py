"""Reading a contacts CSV: the layout detected from the header (or the one the user chose,
checked against it), each row read by that layout, broken rows reported by line."""

from __future__ import annotations

from collections.abc import Sequence

from planner.core.import_cards import ContactCard, ParseResult, RowError, UnreadableFileError
from planner.interop.csv_cells import Row, RowParser, join_words, unneutralise
from planner.interop.csv_layouts import NUMBERED, read_google, read_linkedin, read_outlook
from planner.interop.csv_mapping import guess_mapping, mapped_reader
from planner.interop.csv_table import read_table


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
            or any(NUMBERED.match(n) for n in names)
        )
    if fmt == "outlook":
        return bool({"e-mail address", "job title", "business phone", "mobile phone"} & names)
    return True


def _row_name(index: dict[str, int], cells: list[str], mapping: Sequence[str]) -> str:
    """The person a broken row is about, as far as its name cells say (for the preview)."""
    row = Row(index, cells)
    if mapping:
        got = {f: cells[i].strip() for i, f in enumerate(mapping) if f and i < len(cells)}
        name = got.get("name") or join_words(got.get("first_name", ""), got.get("last_name", ""))
    else:
        name = row.first("Name", "File As") or join_words(
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
        parser = read_linkedin
    elif fmt == "google":
        parser = read_google
    elif fmt == "outlook":
        parser = read_outlook
    elif fmt == "csv":
        used_mapping = tuple(mapping) if mapping is not None else guess_mapping(table.headers)
        used_mapping = (used_mapping + ("",) * len(table.headers))[: len(table.headers)]
        if not {"name", "first_name", "last_name"} & set(used_mapping):
            raise UnreadableFileError(
                "No column holds the contacts' names. Choose which column is the name "
                "(or first and last name) and try again."
            )
        parser = mapped_reader(used_mapping)
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
            card = parser(Row(index, cells), line)
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
