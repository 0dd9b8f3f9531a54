"""Upgrading a 0011 database with data to typed addresses and pref flags (both engines)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from planner.core.contacts import ContactService
from planner.core.records import LabeledValue, PostalAddress
from planner.db.database import make_engine, migrate, open_database, resolve_target


def test_existing_values_stay_in_order_unmarked_and_addresses_can_be_added(
    blank_target: Path | str,
) -> None:
    url, path = resolve_target(blank_target)
    engine = make_engine(url)
    migrate(engine, path, target="0011_visibility_and_owners")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO contacts (id, uuid, created_at, updated_at, name, organisation,"
                " role, industry, relationship, how_met_kind, how_met_text, location,"
                " interests, notes, photo_type, search_text) VALUES (1, 'c-1',"
                " '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'Ana Ruiz', 'Globex', '', '',"
                " 'peer', '', '', 'Calle Mayor 1, Madrid', '', 'kept', '', 'ana ruiz')"
            )
        )
        for pos, value in enumerate(("ana@home.example", "ana@globex.example")):
            conn.execute(
                text(
                    "INSERT INTO contact_emails (contact_id, label, value, position)"
                    " VALUES (1, :label, :value, :pos)"
                ),
                {"label": "home" if pos == 0 else "work", "value": value, "pos": pos},
            )
        conn.execute(
            text(
                "INSERT INTO contact_phones (contact_id, label, value, position)"
                " VALUES (1, 'mobile', '+34 600 000 000', 0)"
            )
        )
    engine.dispose()

    db = open_database(blank_target)
    try:
        contacts = ContactService(db)
        ana = contacts.get(1)
        # Nothing guessed: the location stays one line, nothing is marked preferred.
        assert ana.location == "Calle Mayor 1, Madrid"
        assert ana.addresses == ()
        assert ana.emails == (
            LabeledValue("home", "ana@home.example"),
            LabeledValue("work", "ana@globex.example"),
        )
        assert ana.phones == (LabeledValue("mobile", "+34 600 000 000"),)
        work = PostalAddress(label="work", street="Calle Mayor 1", locality="Madrid", pref=True)
        saved, _ = contacts.update(
            1,
            {
                "addresses": [work],
                "emails": [LabeledValue("work", "ana@globex.example", True)],
            },
        )
        assert saved.addresses == (work,)
        assert contacts.get(1).emails == (LabeledValue("work", "ana@globex.example", True),)
        # Deleting the contact takes its addresses along; undo brings them back.
        snapshot, _ = contacts.delete(1)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM contact_addresses")).scalar() == 0
        contacts.restore(snapshot)
        assert contacts.get(1).addresses == (work,)
    finally:
        db.close()
