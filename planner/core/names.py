"""Structured personal names: split a full name with nameparser, build the display name back.

vCard N, Google's and Outlook's name columns and LinkedIn's First/Last all carry the parts;
only free text (a CSV "Name" column, an old database row) needs splitting, and that split is
conservative: particles ("de Vries", "van der Berg", "El-Amin") stay in the family name and
words between the first and the last stay with the given name rather than being guessed a
middle name.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

NAME_PARTS = ("name_prefix", "given_name", "middle_name", "family_name", "name_suffix")
# Parts a contact carries besides the display name.
NAME_FIELDS = (*NAME_PARTS, "nickname", "phonetic_name")
PART_MAX = 100

# Particles nameparser does not know out of the box; they begin a family name.
_EXTRA_PARTICLES = ("el", "della", "ten", "zur", "lo")
# Titles taken as a name prefix; any other "title" nameparser finds keeps the text unsplit.
_HONORIFICS = frozenset(
    "mr mrs ms miss mx dr prof professor sir dame rev hon mme mlle m herr frau sr sra srta "
    "dott ing mag dipl".split()
)


@dataclass(frozen=True)
class NameParts:
    prefix: str = ""
    given: str = ""
    middle: str = ""
    family: str = ""
    suffix: str = ""

    def display(self) -> str:
        return display_name(self.prefix, self.given, self.middle, self.family, self.suffix)

    def is_empty(self) -> bool:
        return not (self.prefix or self.given or self.middle or self.family or self.suffix)

    def as_fields(self) -> dict[str, str]:
        return dict(
            zip(
                NAME_PARTS,
                (self.prefix, self.given, self.middle, self.family, self.suffix),
                strict=True,
            )
        )


def display_name(prefix: str, given: str, middle: str, family: str, suffix: str) -> str:
    """ "Dr. José Luis Rodríguez Jr." style: parts in Western order, single spaces."""
    return " ".join(
        " ".join(p.split()) for p in (prefix, given, middle, family, suffix) if p.strip()
    )


@functools.cache
def _constants() -> Any:
    """A private nameparser configuration with our particles (the shared one stays as is)."""
    from nameparser.config import Constants

    constants = Constants()
    constants.prefixes.add(*_EXTRA_PARTICLES)
    return constants


def _parse(text: str) -> Any:
    from nameparser import HumanName

    return HumanName(text, constants=_constants())


def split_name(full: str, *, conservative: bool = True) -> NameParts:
    """The parts of a free-text name.

    Conservative (the default): a middle word stays with the given name ("José Luis"), a
    single word is a given name, and when the parts cannot be put back into the same text
    (nicknames in quotes, unusual punctuation) the whole text becomes the given name.
    """
    text = " ".join(full.split())
    if not text:
        return NameParts()
    words = text.split(" ")
    if len(words) == 1:
        return NameParts(given=text[:PART_MAX])
    parsed = _parse(text)
    prefix, given, middle = parsed.title, parsed.first, parsed.middle
    family, suffix = parsed.last, parsed.suffix
    if prefix and any(w.strip(".").lower() not in _HONORIFICS for w in prefix.split()):
        # nameparser knows 800 titles ("Prince", "Judge", "Bishop"): most are also names.
        return NameParts(given=text[:PART_MAX]) if conservative else NameParts(given=text)
    if getattr(parsed, "nickname", ""):
        return NameParts(given=text[:PART_MAX])
    if not given and not family:
        return NameParts(given=text[:PART_MAX])
    if conservative and middle:
        given, middle = f"{given} {middle}".strip(), ""
    parts = NameParts(prefix, given, middle, family, suffix)
    # "Smith, John" reassembles in another order: accept that, but nothing may be lost.
    if sorted(parts.display().replace(",", " ").split()) != sorted(text.replace(",", " ").split()):
        return NameParts(given=text[:PART_MAX])
    if any(len(p) > PART_MAX for p in (prefix, given, middle, family, suffix)):
        return NameParts(given=text[:PART_MAX])
    return parts
