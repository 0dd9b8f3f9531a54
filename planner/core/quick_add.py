"""Quick-add: one typed line ("Ana Ruiz, Globex, Head of Data") becomes a new contact's fields."""

from __future__ import annotations

import re
from dataclasses import dataclass

_EMAIL = re.compile(r"[^\s,;<>()]+@[^\s,;<>()]+\.[^\s,;<>()]+")
# "Ana Ruiz (Globex)" -> the organisation sits in brackets after the name.
_BRACKETS = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<org>[^()]*)\)\s*$")
_SEPARATORS = re.compile(r"\s*[,;|]\s*|\s+[-–—]\s+")


@dataclass(frozen=True)
class QuickAddFields:
    name: str
    organisation: str = ""
    role: str = ""
    email: str = ""


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(" ,;|-–—")


def parse_quick_add(line: str) -> QuickAddFields:
    """Name, then organisation, then role; separated by commas (or ;, |, " - ").

    Names are kept exactly as typed (no title-casing that would break "van der Berg" or
    "McArthur"); an e-mail address anywhere in the line is picked out; empty parts stay empty.
    """
    text = " ".join(line.split())
    email = ""
    match = _EMAIL.search(text)
    if match:
        email = match.group(0).strip("<>.")
        text = (text[: match.start()] + text[match.end() :]).strip()
        text = re.sub(r"<\s*>|\(\s*\)", "", text)
    parts = [_clean(p) for p in _SEPARATORS.split(text)]
    while parts and not parts[-1]:
        parts.pop()
    if len(parts) == 1:
        bracket = _BRACKETS.match(parts[0])
        if bracket:
            parts = [_clean(bracket.group("name")), _clean(bracket.group("org"))]
    name = parts[0] if parts else ""
    organisation = parts[1] if len(parts) > 1 else ""
    role = ", ".join(p for p in parts[2:] if p)
    return QuickAddFields(name=name, organisation=organisation, role=role, email=email)
