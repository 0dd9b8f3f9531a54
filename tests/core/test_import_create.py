"""New contacts from cards (core.import_create): every row kind written, the derived columns
set, and a UID the database has already replaced by a fresh one; on a real database file."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from planner.core.contact_rows import get_or_create_tags, name_key, new_contact
from planner.core.import_cards import ContactCard
from planner.core.import_create import create_contacts
from planner.core.import_rows import organisation_ids
from planner.core.records import LabeledValue, PostalAddress
from planner.db import models as m
from planner.db.database import Database
from planner.db.types import utcnow

UID = "6f1c2f0e-6a8b-4f59-9d6c-0e5b8f0c2a11"


def test_create_contacts_writes_each_card_with_its_rows(db: Database) -> None:
    with db.session() as s:
        taken = new_contact(s, "Old Timer")
        taken.uuid = UID
    cards = [
        ContactCard(
            name="Ana Ruiz",
            organisation="Globex",
            emails=(LabeledValue("work", "ana@globex.example", True),),
            phones=(LabeledValue("mobile", "+34 600 000 000"),),
            urls=(LabeledValue("linkedin", "https://www.linkedin.com/in/ana"),),
            addresses=(PostalAddress(street="1 Quay St", locality="Cork"),),
            tags=("python", "python"),
            connected_on=date(2024, 5, 1),
            cadence_days=30,
            uid=UID,
        ),
        ContactCard(name="Mei Tan", uid="urn:uuid:11111111-2222-4333-8444-555555555555"),
    ]
    with db.session() as s:
        tags = get_or_create_tags(s, ["python"])
        s.flush()
        org_ids, _created = organisation_ids(s, ["Globex"], utcnow())
        ids = create_contacts(s, cards, {"python": tags[0].id}, org_ids)
    with db.session() as s:
        ana, mei = (s.get(m.Contact, i) for i in ids)
        assert ana is not None and mei is not None
        assert ana.uuid != UID  # taken by an older contact: a fresh one
        assert mei.uuid == "11111111-2222-4333-8444-555555555555"
        assert [e.value for e in ana.emails] == ["ana@globex.example"]
        assert [p.value for p in ana.phones] == ["+34 600 000 000"]
        assert [u.label for u in ana.urls] == ["linkedin"]
        assert [t.name for t in ana.tags] == ["python"]
        assert ana.organisation_id == org_ids[name_key("Globex")]
        assert ana.last_touch_on == date(2024, 5, 1)
        assert ana.next_touch_due == date(2024, 5, 31)
        assert "globex" in ana.search_text
        (touch,) = s.scalars(select(m.Touchpoint).where(m.Touchpoint.contact_id == ana.id))
        assert (touch.kind, touch.occurred_on) == ("met", date(2024, 5, 1))
        assert s.scalars(select(m.ContactAddress.street)).all() == ["1 Quay St"]
        assert mei.relationship == "other"


def test_create_contacts_of_nothing_writes_nothing(db: Database) -> None:
    with db.session() as s:
        assert create_contacts(s, [], {}, {}) == []
        assert s.scalars(select(m.Contact)).all() == []
