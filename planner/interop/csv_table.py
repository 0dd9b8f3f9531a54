"""A CSV file's text and table: the encoding found (UTF-8 with or without BOM, UTF-16, cp1252),
the delimiter and the header row (LinkedIn puts a "Notes:" preamble above it)."""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import re
from collections import Counter
from collections.abc import Iterable

from planner.core.import_cards import UnreadableFileError

MAX_FIELD = 1024 * 1024
_DELIMITERS = (",", ";", "\t", "|")

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
