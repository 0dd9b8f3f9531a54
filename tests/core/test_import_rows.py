"""The rows an import writes besides the contact (core.import_rows): organisations named by the
cards, found or added once; addresses and the LinkedIn touchpoint as rows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from planner.core.contact_rows import name_key, new_contact
from planner.core.import_rows import (
    LINKEDIN_NOTE,
    address_of_row,
    address_row,
    linkedin_touch,
    organisation_ids,
    uuid_or_empty,
)
from planner.core.records import PostalAddress
from planner.db import models as m
from planner.db.database import Database
from planner.db.types import utcnow


def test_organisation_ids_finds_known_ones_and_adds_the_rest_once(db: Database) -> None:
    with db.session() as s:
        new_contact(s, "Ana Ruiz", organisation="Globex")
    with db.session() as s:
        ids, created = organisation_ids(s, ["globex", "  Hooli  Labs ", "Hooli Labs", ""], utcnow())
    with db.session() as s:
        orgs = {o.name_key: o for o in s.scalars(select(m.Organisation))}
    assert set(ids) == {name_key("Globex"), name_key("Hooli Labs")}
    assert created == (ids[name_key("Hooli Labs")],)
    hooli = orgs[name_key("Hooli Labs")]
    assert (hooli.name, hooli.kind, hooli.id) == ("Hooli Labs", "company", created[0])
    assert ids[name_key("Globex")] == orgs[name_key("Globex")].id


def test_address_row_round_trips() -> None:
    address = PostalAddress(label="work", street="1 Quay St", locality="Cork", pref=True)
    row = address_row(7, address, 2)
    assert (row["contact_id"], row["position"]) == (7, 2)
    assert address_of_row(row) == address


def test_linkedin_touch_is_a_met_touchpoint_on_that_day() -> None:
    row = linkedin_touch(3, date(2024, 5, 1), utcnow(), "u")
    assert (row["kind"], row["channel"], row["occurred_on"]) == ("met", "social", date(2024, 5, 1))
    assert row["note"] == LINKEDIN_NOTE


def test_uuid_or_empty_takes_only_real_uuids() -> None:
    assert uuid_or_empty("urn:uuid:6F1C2F0E-6A8B-4F59-9D6C-0E5B8F0C2A11") == (
        "6f1c2f0e-6a8b-4f59-9d6c-0e5b8f0c2a11"
    )
    assert uuid_or_empty("apple-contact-17") == ""
    assert uuid_or_empty("") == ""
