"""The recognised layouts (interop.csv_layouts): a LinkedIn, a Google and an Outlook row each
read into a card, and a row with no one an error."""

from __future__ import annotations

from datetime import date

import pytest

from planner.interop.csv_cells import Row
from planner.interop.csv_layouts import read_google, read_linkedin, read_outlook


def _row(cells: dict[str, str]) -> Row:
    return Row({h.lower(): i for i, h in enumerate(cells)}, list(cells.values()))


def test_linkedin_row() -> None:
    card = read_linkedin(
        _row({"First Name": "Ana", "Last Name": "Ruiz", "Company": "Globex",
              "URL": "https://www.linkedin.com/in/ana", "Connected On": "12 Nov 2025"}),
        3,
    )  # fmt: skip
    assert card is not None
    assert (card.name, card.line, card.connected_on) == ("Ana Ruiz", 3, date(2025, 11, 12))
    assert card.urls[0].label == "linkedin"


def test_google_row_with_numbered_groups_and_our_custom_fields() -> None:
    card = read_google(
        _row({"Given Name": "Ana", "Family Name": "Ruiz", "Organization Name": "Globex",
              "E-mail 1 - Label": "Work", "E-mail 1 - Value": "ana@globex.example",
              "E-mail 2 - Label": "* Home", "E-mail 2 - Value": "ana@home.example",
              "Address 1 - Label": "Home", "Address 1 - City": "Cork",
              "Custom Field 1 - Label": "Keep in touch every (days)",
              "Custom Field 1 - Value": "30", "Labels": "* myContacts ::: Fintech"}),
        2,
    )  # fmt: skip
    assert card is not None
    assert [(e.value, e.pref) for e in card.emails] == [
        ("ana@home.example", True),
        ("ana@globex.example", False),
    ]
    assert (card.cadence_days, card.tags, card.location) == (30, ("Fintech",), "Cork")
    assert read_google(_row({"Given Name": "", "Notes": ""}), 4) is None
    with pytest.raises(ValueError):
        read_google(_row({"Given Name": "", "Notes": "who?"}), 5)


def test_outlook_row() -> None:
    card = read_outlook(
        _row({"First Name": "Ana", "Last Name": "Ruiz", "Company": "Globex",
              "E-mail Address": "/o=Exchange/cn=ana", "Mobile Phone": "+34 600 000 000",
              "Business City": "Cork", "Categories": "Fintech;Clients"}),
        2,
    )  # fmt: skip
    assert card is not None
    assert card.emails == ()  # an X.500 path is not an address
    assert [(p.label, p.value) for p in card.phones] == [("mobile", "+34 600 000 000")]
    assert (card.location, card.tags) == ("Cork", ("Fintech", "Clients"))
