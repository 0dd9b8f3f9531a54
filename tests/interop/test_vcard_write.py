"""Writing vCards (interop.vcard_write): contacts read from a real database file are written
and parsed back with vobject, every value and label in place."""

from __future__ import annotations

import vobject  # type: ignore[import-untyped]

from planner.core.contact_cards import load_cards
from planner.core.contact_rows import new_contact
from planner.db import models as m
from planner.db.database import Database
from planner.interop.vcard_write import write_vcards


def test_written_cards_parse_back(db: Database) -> None:
    with db.session() as s:
        ana = new_contact(
            s,
            "Ana Ruiz",
            organisation="Globex",
            role="Head of Data",
            emails=["ana@globex.example"],
            tags=["fintech"],
            cadence_days=30,
            birthday_month=3,
            birthday_day=9,
            location="Cork",
        )
        s.add(m.ContactPhone(contact=ana, label="assistant", value="+34 600 000 000", position=0))
    with db.session() as s:
        cards = load_cards(s)
    for version in ("3.0", "4.0"):
        text = write_vcards(cards, version)
        assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
        (parsed,) = list(vobject.readComponents(text))
        assert parsed.fn.value == "Ana Ruiz"
        assert parsed.org.value == ["Globex"]
        assert parsed.email.value == "ana@globex.example"
        assert parsed.tel.value == "+34 600 000 000"
        labels = [c.value for c in parsed.getChildren() if c.name == "X-ABLABEL"]
        assert labels == ["assistant"]
        assert parsed.categories.value == ["fintech"]
        assert parsed.contents["x-planner-cadence"][0].value == "30"
        assert parsed.contents["x-planner-location"][0].value == "Cork"
    assert write_vcards([]) == ""
