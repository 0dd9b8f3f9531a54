"""The contact's fields are named once (core.contact_schema); the record the app shows, the
card files are read into and the table the rows live in all hold exactly those."""

from __future__ import annotations

from dataclasses import fields

from planner.core import contact_schema as schema
from planner.core.import_cards import ContactCard
from planner.core.import_merge import _SCALARS
from planner.core.records import ContactRecord
from planner.db import models as m

# What a card carries besides contact fields: where it came from and what was wrong with it.
CARD_ONLY = {"uid", "connected_on", "problems", "line"}


def test_every_field_is_in_the_record_and_the_table() -> None:
    record = {f.name for f in fields(ContactRecord)}
    columns = set(m.Contact.__table__.columns.keys())
    assert set(schema.EDITABLE_FIELDS) <= record
    assert set(schema.SIMPLE_FIELDS) <= columns
    assert len(set(schema.SIMPLE_FIELDS)) == len(schema.SIMPLE_FIELDS)


def test_a_card_holds_contact_fields_only() -> None:
    card = {f.name for f in fields(ContactCard)} - CARD_ONLY
    assert card <= schema.EDITABLE_FIELDS, card - schema.EDITABLE_FIELDS


def test_an_import_fills_the_cards_single_fields_but_the_name_group() -> None:
    assert (
        set(_SCALARS)
        == ({f.name for f in fields(ContactCard)} & set(schema.SIMPLE_FIELDS)) - schema.NAME_GROUP
    )
    assert {"organisation", "nickname"} <= set(_SCALARS)
    assert "name" not in _SCALARS and "given_name" not in _SCALARS
