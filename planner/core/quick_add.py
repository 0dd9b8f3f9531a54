"""Quick-add: one typed line ("Ana Ruiz, Globex, Head of Data") becomes a new contact's fields."""

from __future__ import annotations

import re
from dataclasses import dataclass

from planner.core.text import fold
from planner.core.vocab import RELATIONSHIPS

_EMAIL = re.compile(r"[^\s,;<>()]+@[^\s,;<>()]+\.[^\s,;<>()]+")
# "Ana Ruiz (Globex)" -> the organisation sits in brackets after the name.
_BRACKETS = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<org>[^()]*)\)\s*$")
_RELATIONSHIP_BY_LABEL = {fold(label): key for key, label in RELATIONSHIPS.items()} | {
    fold(key): key for key in RELATIONSHIPS
}
_SEPARATORS = re.compile(r"\s*[,;|]\s*|\s+[-–—]\s+")


# "…, in fintech" names the industry.
_INDUSTRY = re.compile(r"^(?:in|industry:?)\s+(?P<industry>.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class QuickAddFields:
    name: str
    organisation: str = ""
    role: str = ""
    email: str = ""
    industry: str = ""
    relationship: str = ""  # a RELATIONSHIPS key, or "" when the line names none


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
    # After the name, a part that is a relationship ("mentor", "industry leader") or says
    # "in <industry>" sets those fields wherever it stands; the rest keep their order.
    relationship = industry = ""
    rest: list[str] = []
    for part in parts[1:]:
        key = _RELATIONSHIP_BY_LABEL.get(fold(part))
        found = _INDUSTRY.match(part)
        if key and not relationship:
            relationship = key
        elif found and not industry:
            industry = _clean(found.group("industry"))
        else:
            rest.append(part)
    name = parts[0] if parts else ""
    organisation = rest[0] if rest else ""
    role = ", ".join(p for p in rest[1:] if p)
    return QuickAddFields(name, organisation, role, email, industry, relationship)
