"""Reading vCard 2.1 / 3.0 / 4.0 files as Outlook, Apple and Google write them: the cards of a
file, each an error row of its own when it cannot be read.

vobject does what it does well (unfolding, parameters, quoted-printable with charsets); the
structured values are split in vcard_properties: vobject's text handling cuts a vCard 2.1 NOTE
at its first comma and a 4.0 PHOTO data URI at its comma, which would lose data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from vobject.base import (  # type: ignore[import-untyped]
    ParseError,
    textLineToContentLine,
)

from planner.core.import_cards import ContactCard, ParseResult, RowError, UnreadableFileError
from planner.interop.vcard_properties import MAX_PHOTO, CardBuilder, apply_property
from planner.interop.vcard_text import split_unescaped, unescape

MAX_PROPERTY = 1024 * 1024


def looks_like_vcard(text: str) -> bool:
    """Whether the text starts as a vCard file does (after a BOM and blank lines)."""
    head = text.lstrip("\ufeff \t\r\n")[:200].upper()
    return head.startswith("BEGIN:VCARD")


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
            text = " ".join(unescape(value).split())
            return text if len(text) <= 80 else text[:79] + "…"
        if prop == "N" and not family_given:
            parts = [unescape(p).strip() for p in split_unescaped(value, ";")] + ["", ""]
            family_given = " ".join(p for p in (parts[1], parts[0]) if p)
    return family_given[:80]


def _parse_card(body: Sequence[str], begin_line: int) -> ContactCard:
    logical = _logical_lines(body, begin_line + 1)
    version = "3.0"
    for _n, text in logical:
        if text.upper().startswith("VERSION:"):
            version = text.split(":", 1)[1].strip()
    card = CardBuilder(begin_line, version)
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
            apply_property(card, line)
        except ValueError as exc:
            raise ValueError(f"line {number}: {exc}") from exc
    return card.card()


def _short(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) < 120 else text[:117] + "…"
