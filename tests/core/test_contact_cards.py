"""Contacts read back as cards (core.contact_cards): every value, in name order, from a real
database file; a few ids or all of them give the same cards."""

from __future__ import annotations

from planner.core.contact_cards import load_cards
from planner.core.contact_rows import new_contact
from planner.core.records import LabeledValue
from planner.db import models as m
from planner.db.database import Database


def test_load_cards_reads_every_value_in_name_order(db: Database) -> None:
    with db.session() as s:
        zed = new_contact(s, "Zed Lee", organisation="Hooli", tags=["b", "a"], cadence_days=14)
        ana = new_contact(s, "Ana Ruiz", emails=["ana@globex.example", "ana@home.example"])
        s.add(m.ContactPhone(contact=ana, label="mobile", value="+34 600 000 000", position=0))
        s.add(m.ContactAddress(contact=zed, label="work", street="1 Quay St", locality="Cork"))
        s.flush()
        ids = [zed.id, ana.id]
    with db.session() as s:
        cards = load_cards(s)
        assert load_cards(s, ids) == cards
        assert load_cards(s, [zed.id]) == cards[1:]
    ana_card, zed_card = cards
    assert [c.name for c in cards] == ["Ana Ruiz", "Zed Lee"]
    assert [e.value for e in ana_card.emails] == ["ana@globex.example", "ana@home.example"]
    assert ana_card.phones == (LabeledValue("mobile", "+34 600 000 000"),)
    assert (zed_card.organisation, zed_card.cadence_days, zed_card.tags) == (
        "Hooli",
        14,
        ("a", "b"),
    )
    assert [(a.street, a.locality) for a in zed_card.addresses] == [("1 Quay St", "Cork")]
    assert zed_card.uid and ana_card.uid != zed_card.uid
