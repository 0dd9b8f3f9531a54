"""Writing contacts as a CSV with Google Contacts' headers (what Google imports), every value
and our own fields as custom fields, cells a spreadsheet would run neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from planner.core.import_cards import ContactCard
from planner.core.names import split_name
from planner.core.records import PostalAddress
from planner.interop.csv_cells import KNOWN_LABELS, MULTI, neutralise
from planner.interop.csv_layouts import CUSTOM_FIELDS


def _birthday_text(card: ContactCard) -> str:
    if not card.birthday_month or not card.birthday_day:
        return ""
    if card.birthday_year:
        return f"{card.birthday_year:04d}-{card.birthday_month:02d}-{card.birthday_day:02d}"
    return f"--{card.birthday_month:02d}-{card.birthday_day:02d}"


_ADDRESS_COLUMNS = (
    "Label",
    "Formatted",
    "Street",
    "City",
    "PO Box",
    "Region",
    "Postal Code",
    "Country",
    "Extended Address",
)


def _label_out(label: str, pref: bool) -> str:
    """Google's label: "Work", and "* Work" for the primary value."""
    text = label.title() if label.lower() in KNOWN_LABELS else label
    return f"* {text}" if pref else text


def _address_cells(address: PostalAddress) -> list[str]:
    lines = (address.street, address.locality, address.region, address.postal_code)
    formatted = "\n".join(p for p in (*lines, address.country) if p)
    street = address.street
    if formatted == address.street and not (address.po_box or address.extended):
        # Only a street (a location, or Google's own "Formatted" read back): Formatted alone,
        # which is how Google writes an address it could not split.
        street = ""
    return [
        _label_out(address.label, address.pref),
        formatted,
        street,
        address.locality,
        address.po_box,
        address.region,
        address.postal_code,
        address.country,
        address.extended,
    ]


# The columns before the numbered groups.
_FIRST_HEADERS = (
    "First Name",
    "Middle Name",
    "Last Name",
    "Phonetic First Name",
    "Name Prefix",
    "Name Suffix",
    "Nickname",
    "File As",
    "Organization Name",
    "Organization Title",
    "Birthday",
    "Notes",
    "Photo",
    "Labels",
)
# Our own fields' custom field titles (read back through csv_layouts.CUSTOM_FIELDS).
_CUSTOM_TITLES = {
    "relationship": "Relationship",
    "industry": "Industry",
    "interests": "Interests",
    "cadence_days": "Keep in touch every (days)",
    "how_met_kind": "How we met",
    "how_met_text": "How we met (details)",
    "uid": "Networking Planner ID",
    "location": "Location",
}


@dataclass(frozen=True)
class _Widths:
    """How many numbered groups of each kind the file has: the most any card needs."""

    emails: int
    phones: int
    urls: int
    addresses: int

    @classmethod
    def of(cls, cards: Sequence[ContactCard]) -> _Widths:
        return cls(
            emails=max([1, *(len(c.emails) for c in cards)]),
            phones=max([1, *(len(c.phones) for c in cards)]),
            urls=max([1, *(len(c.urls) for c in cards)]),
            addresses=max([1, *(len(c.addresses) for c in cards)]),
        )


def write_google_csv(cards: Sequence[ContactCard]) -> str:
    """CSV with Google Contacts' headers (what Google imports), formulas neutralised."""
    widths = _Widths.of(cards)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_headers(widths))
    for card in cards:
        writer.writerow([neutralise(cell) for cell in _row(card, widths)])
    return out.getvalue()


def _headers(widths: _Widths) -> list[str]:
    headers = list(_FIRST_HEADERS)
    for i in range(1, widths.emails + 1):
        headers += [f"E-mail {i} - Label", f"E-mail {i} - Value"]
    for i in range(1, widths.phones + 1):
        headers += [f"Phone {i} - Label", f"Phone {i} - Value"]
    for i in range(1, widths.addresses + 1):
        headers += [f"Address {i} - {part}" for part in _ADDRESS_COLUMNS]
    for i in range(1, widths.urls + 1):
        headers += [f"Website {i} - Label", f"Website {i} - Value"]
    for i in range(1, len(CUSTOM_FIELDS) + 1):
        headers += [f"Custom Field {i} - Label", f"Custom Field {i} - Value"]
    return headers


def _row(card: ContactCard, widths: _Widths) -> list[str]:
    """One card's cells, in the order of _headers."""
    parts = card.name_parts()
    if parts.is_empty():
        parts = split_name(card.name)
    # A display name the parts do not give (typed by the user) goes to "File As".
    file_as = card.name if card.name != parts.display() else ""
    row = [
        parts.given,
        parts.middle,
        parts.family,
        card.phonetic_name,
        parts.prefix,
        parts.suffix,
        card.nickname,
        file_as,
        card.organisation,
        card.role,
        _birthday_text(card),
        card.notes,
        card.photo_url,
    ]
    row.append(MULTI.join(["* myContacts", *card.tags]))
    for items, count in ((card.emails, widths.emails), (card.phones, widths.phones)):
        for i in range(count):
            item = items[i] if i < len(items) else None
            row += [_label_out(item.label, item.pref), item.value] if item else ["", ""]
    addresses = list(card.addresses)
    if not addresses and card.location:
        # Google shows the location as an address; the custom field gives it back to us.
        addresses = [PostalAddress(street=card.location)]
    for i in range(widths.addresses):
        address = addresses[i] if i < len(addresses) else None
        row += _address_cells(address) if address else [""] * len(_ADDRESS_COLUMNS)
    for i in range(widths.urls):
        url = card.urls[i] if i < len(card.urls) else None
        row += [_label_out(url.label, url.pref), url.value] if url else ["", ""]
    for _title, attr in CUSTOM_FIELDS.items():
        value = getattr(card, attr)
        row += [_CUSTOM_TITLES[attr], "" if value is None else str(value)]
    return row
