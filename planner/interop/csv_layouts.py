"""The three layouts we recognise by their headers: LinkedIn's Connections.csv, Google
Contacts and Outlook, each row read into a ContactCard."""

from __future__ import annotations

import re
import sys

from planner.core.import_cards import ContactCard
from planner.core.names import NameParts
from planner.core.records import LabeledValue, PostalAddress
from planner.interop.csv_cells import (
    Row,
    addresses_first,
    birthday_fields,
    fallback_name,
    join_words,
    label_of,
    location_of,
    name_fields,
    parse_connected_on,
    split_multi,
    starred,
    tags_of,
    unneutralise,
    url_label,
    with_pref,
)


def read_linkedin(row: Row, line: int) -> ContactCard | None:
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
        **name_fields(parts),  # type: ignore[arg-type]
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


NUMBERED = re.compile(
    r"^(e-mail|phone|website|address|organization|custom field|relation) (\d+) - (.+)$"
)
CUSTOM_FIELDS = {
    "relationship": "relationship",
    "industry": "industry",
    "interests": "interests",
    "keep in touch every (days)": "cadence_days",
    "how we met": "how_met_kind",
    "how we met (details)": "how_met_text",
    "networking planner id": "uid",
    "location": "location",
}


def read_google(row: Row, line: int) -> ContactCard | None:
    groups = _NumberedGroups(row)
    emails = groups.labeled("e-mail")
    phones = groups.labeled("phone")
    urls = groups.labeled("website")
    org = row.get("Organization Name")
    role = row.get("Organization Title")
    for _label_text, _vals, parts in groups.values("organization"):
        org = org or parts.get("name", "")
        role = role or parts.get("title", "")
    addresses, location = _google_places(groups)
    extra = _google_custom_fields(groups)
    stand_in = PostalAddress(street=location)
    if "location" in extra and addresses == (stand_in,) and location == extra["location"]:
        addresses = ()  # our own export's location written as an address
    if extra.get("location"):
        location = str(extra.pop("location"))
    extra.pop("location", None)
    fields = _google_name(row, org, emails, phones)
    if fields is None:
        return None
    groups_text = row.get("Labels") or row.get("Group Membership")
    phonetic = join_words(
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
        tags=tags_of(split_multi(groups_text)),
        location=location,
        addresses=addresses,
        **birthday_fields(row.get("Birthday")),  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )


class _NumberedGroups:
    """Google's numbered column groups of a row ("E-mail 2 - Label", "E-mail 2 - Value")."""

    def __init__(self, row: Row) -> None:
        self.numbered: dict[tuple[str, int], dict[str, str]] = {}
        for header, pos in row.index.items():
            match = NUMBERED.match(header)
            if match and pos < len(row.cells):
                self.numbered.setdefault((match.group(1), int(match.group(2))), {})[
                    match.group(3)
                ] = unneutralise(row.cells[pos]).replace("\r\n", "\n").strip()

    def values(self, kind: str) -> list[tuple[str, list[str], dict[str, str]]]:
        """(label, values, every part by name) of each group of this kind, in number order."""
        out = []
        for (k, _n), parts in sorted(self.numbered.items(), key=lambda kv: kv[0][1]):
            if k != kind:
                continue
            label = parts.get("label") or parts.get("type") or ""
            out.append((label, split_multi(parts.get("value", "")), parts))
        return out

    def labeled(self, kind: str) -> tuple[LabeledValue, ...]:
        """E-mails, phones or websites with their labels, the starred one first."""
        out = []
        for label, vals, _p in self.values(kind):
            for i, v in enumerate(vals):
                name = label_of(label)
                if kind == "website":
                    name = url_label(v, name)
                out.append(LabeledValue(name, v, starred(label) and i == 0))
        return with_pref(out)


def _google_places(groups: _NumberedGroups) -> tuple[tuple[PostalAddress, ...], str]:
    """The addresses, and the location: Google's own one-line text of the preferred address,
    else the parts joined."""
    groups_of_address = [(label, parts) for label, _v, parts in groups.values("address")]
    addresses = addresses_first(_google_address(label, parts) for label, parts in groups_of_address)
    formatted = [(starred(label), parts.get("formatted", "")) for label, parts in groups_of_address]
    formatted.sort(key=lambda f: not f[0])
    location = (
        ", ".join(x.strip() for x in formatted[0][1].splitlines() if x.strip())[:300]
        if formatted and formatted[0][1]
        else location_of(addresses)
    )
    return addresses, location


def _google_custom_fields(groups: _NumberedGroups) -> dict[str, object]:
    """Our own fields, written as Google custom fields (see csv_write)."""
    extra: dict[str, object] = {}
    for label, _vals, parts in groups.values("custom field"):
        target = CUSTOM_FIELDS.get(label.strip().lower())
        value = parts.get("value", "")
        if target == "cadence_days":
            extra[target] = int(value) if value.isdigit() else None
        elif target:
            extra[target] = value
    return extra


def _google_name(
    row: Row, org: str, emails: tuple[LabeledValue, ...], phones: tuple[LabeledValue, ...]
) -> dict[str, object] | None:
    """The card's name fields; None for an empty row, ValueError for a row with no one."""
    name_parts = NameParts(
        row.get("Name Prefix"),
        row.first("First Name", "Given Name"),
        row.first("Middle Name", "Additional Name"),
        row.first("Last Name", "Family Name"),
        row.get("Name Suffix"),
    )
    # Legacy exports have a "Name" column; ours writes the user's own display name in "File As".
    display = row.get("Name") or (row.get("File As") if not name_parts.is_empty() else "")
    fields = name_fields(name_parts, display)
    name = fallback_name(
        str(fields["name"]) or row.get("Nickname") or row.get("File As"), org, emails
    )
    if not name and not phones:
        if not any(c.strip() for c in row.cells):
            return None
        raise ValueError("the row has no name, organisation or e-mail")
    fields["name"] = name or phones[0].value
    return fields


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
    return PostalAddress(label=label_of(label), pref=starred(label), **pieces)


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


def read_outlook(row: Row, line: int) -> ContactCard | None:
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
    name = fallback_name(name or row.get("Nickname"), org, emails)
    if not name and not phones:
        if not any(c.strip() for c in row.cells):
            return None
        raise ValueError("the row has no name, company or e-mail")
    addresses = addresses_first(
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
    location = location_of(addresses)
    categories = re.split(r"[;,]", row.get("Categories"))
    fields = name_fields(parts)
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
        tags=tags_of(categories),
        location=row.get("Location") or location,
        addresses=addresses,
        **birthday_fields(row.get("Birthday")),  # type: ignore[arg-type]
    )
