"""Any other CSV: which field each column holds (guessed from its header, or chosen by the
user), and rows read through that mapping."""

from __future__ import annotations

import re
from collections.abc import Sequence

from planner.core.import_cards import ContactCard
from planner.core.names import NameParts
from planner.core.records import LabeledValue
from planner.interop.csv_cells import (
    Row,
    RowParser,
    birthday_fields,
    name_fields,
    tags_of,
    unneutralise,
    url_label,
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


def mapped_reader(mapping: Sequence[str]) -> RowParser:
    """A row reader for a CSV whose columns hold the fields `mapping` names ("" = ignored)."""

    def parse(row: Row, line: int) -> ContactCard | None:
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
        birthday = birthday_fields(one("birthday")) if one("birthday") else {}
        return ContactCard(
            **name_fields(parts, name),  # type: ignore[arg-type]
            line=line,
            organisation=one("organisation"),
            role=one("role"),
            industry=one("industry"),
            location=one("location"),
            notes="\n".join(got.get("notes", [])),
            emails=tuple(LabeledValue(e.label, e.value.strip()) for e in emails),
            phones=tuple(LabeledValue("", v) for v in got.get("phone", [])),
            urls=tuple(LabeledValue(url_label(v), v) for v in got.get("url", [])),
            tags=tags_of(
                t for cell in got.get("tags", []) for t in re.split(r"[;,]|\s:::\s", cell)
            ),
            **birthday,  # type: ignore[arg-type]
        )

    return parse
