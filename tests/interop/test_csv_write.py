"""Writing Google CSV (interop.csv_write): contacts from a real database file written, parsed
back with the csv module, and read again by our own reader to the same cards."""

from __future__ import annotations

import csv
import io

from planner.core.contact_cards import load_cards
from planner.core.contact_rows import new_contact
from planner.db.database import Database
from planner.interop.csv_read import parse_csv_text
from planner.interop.csv_write import write_google_csv


def test_written_csv_parses_back(db: Database) -> None:
    with db.session() as s:
        new_contact(s, "Ana Ruiz", organisation="=Globex", emails=["a@x.example", "b@x.example"])
        new_contact(s, "Mei Tan", location="Cork", cadence_days=30, tags=["fintech"])
    with db.session() as s:
        cards = load_cards(s)
    text = write_google_csv(cards)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    headers, ana, mei = rows
    assert headers[:3] == ["First Name", "Middle Name", "Last Name"]
    assert "E-mail 2 - Value" in headers and "E-mail 3 - Value" not in headers
    assert ana[headers.index("Organization Name")] == "'=Globex"
    assert mei[headers.index("Address 1 - Formatted")] == "Cork"
    back = parse_csv_text(text)
    assert back.format == "google"
    assert [(c.name, c.organisation, c.location, c.cadence_days) for c in back.cards] == [
        ("Ana Ruiz", "=Globex", "", None),
        ("Mei Tan", "", "Cork", 30),
    ]
    assert [e.value for e in back.cards[0].emails] == ["a@x.example", "b@x.example"]
