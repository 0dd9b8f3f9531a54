"""One entry point for contact files: detect vCard or CSV layout from the content, read, write."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path

from planner.core.bulk import paused_gc
from planner.core.import_cards import ContactCard, ParseResult, UnreadableFileError
from planner.interop.csv_formats import decode_bytes, parse_csv_text, read_table, write_google_csv
from planner.interop.vcard import looks_like_vcard, parse_vcard_text, write_vcards
from planner.safefiles import write_atomically

MAX_FILE = 200 * 1024 * 1024
EXPORT_KINDS = {"vcard3": "vCard 3.0", "vcard4": "vCard 4.0", "csv": "CSV (Google Contacts)"}


def read_contacts(
    data: bytes, fmt: str = "auto", mapping: Sequence[str] | None = None
) -> ParseResult:
    """Parse a contacts file's bytes; raises UnreadableFileError when nothing can be read."""
    if len(data) > MAX_FILE:
        raise UnreadableFileError(
            f"The file is {len(data) // 1024 // 1024} MB; contact files are far smaller. "
            "Is it the right file?"
        )
    with paused_gc():
        return _read(data, fmt, mapping)


def _read(data: bytes, fmt: str, mapping: Sequence[str] | None) -> ParseResult:
    text, encoding = decode_bytes(data)
    return _parse(text, encoding, fmt, mapping)


def _parse(text: str, encoding: str, fmt: str, mapping: Sequence[str] | None) -> ParseResult:
    is_vcard = looks_like_vcard(text)
    if fmt == "vcard" or (fmt == "auto" and is_vcard):
        if not is_vcard:
            raise UnreadableFileError("This is not a vCard file (it does not start BEGIN:VCARD).")
        return parse_vcard_text(text, encoding)
    if is_vcard:
        raise UnreadableFileError("This is a vCard file, not a CSV; choose the vCard format.")
    return parse_csv_text(text, fmt, mapping, encoding)


def read_contacts_file(
    path: str | Path, fmt: str = "auto", mapping: Sequence[str] | None = None
) -> ParseResult:
    path = Path(path)
    try:
        if path.is_dir():
            raise UnreadableFileError(f"{path} is a folder, not a contacts file.")
        if path.stat().st_size > MAX_FILE:
            raise UnreadableFileError(
                f"{path.name} is {path.stat().st_size // 1024 // 1024} MB; contact files are "
                "far smaller. Is it the right file?"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(f"{path} cannot be read: {exc.strerror or exc}.") from exc
    # Decode here and let the bytes go before parsing: both copies of a big file at once
    # were a fifth of a 300,000-row import's peak memory.
    with paused_gc():
        text, encoding = decode_bytes(data)
        del data
        return _parse(text, encoding, fmt, mapping)


def csv_columns(data: bytes) -> tuple[list[str], list[list[str]]]:
    """Header cells and the first rows of a CSV, for the column-mapping step."""
    text, _encoding = decode_bytes(data)
    table = read_table(text)
    return table.headers, [cells for _line, cells in itertools.islice(table.rows, 5)]


def export_kind_for_path(path: str | Path, vcard_version: str = "3.0") -> str:
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".vcf", ".vcard"):
        return "vcard4" if vcard_version == "4.0" else "vcard3"
    raise ValueError(f"Export to .vcf (vCard) or .csv, not “{suffix or Path(path).name}”.")


def write_contacts(cards: Sequence[ContactCard], kind: str) -> str:
    if kind == "csv":
        return write_google_csv(cards)
    if kind in ("vcard3", "vcard4"):
        return write_vcards(cards, "4.0" if kind == "vcard4" else "3.0")
    raise ValueError(f"Unknown export format {kind}")


def write_contacts_file(cards: Sequence[ContactCard], path: str | Path, kind: str) -> None:
    """Writes atomically: a temporary file renamed over the target, so a failure keeps the old."""
    path = Path(path)
    text = write_contacts(cards, kind)
    # UTF-8 with BOM for CSV: Excel otherwise reads it as the Windows code page.
    encoding = "utf-8-sig" if kind == "csv" else "utf-8"
    write_atomically(path, text.encode(encoding))
