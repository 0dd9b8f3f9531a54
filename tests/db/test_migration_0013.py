"""Upgrading a 0012 database with contacts to the contacts list's index (both engines)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from planner.core.contacts import LIST_ORDER, ContactService, list_statement
from planner.db.database import make_engine, migrate, open_database, resolve_target

PEOPLE = [("Zoë Adams", "zoe adams"), ("Ana Kim", "ana kim"), ("Bo Li", "bo li")]


def test_an_upgraded_database_lists_its_contacts_in_order_from_the_index(
    blank_target: Path | str,
) -> None:
    url, path = resolve_target(blank_target)
    engine = make_engine(url)
    migrate(engine, path, target="0012_addresses_and_pref")
    with engine.begin() as conn:
        for n, (name, folded) in enumerate(PEOPLE):
            conn.execute(
                text(
                    "INSERT INTO contacts (uuid, created_at, updated_at, name, organisation,"
                    " role, industry, relationship, how_met_kind, how_met_text, location,"
                    " interests, notes, photo_type, search_text, last_touch_on, cadence_days)"
                    " VALUES (:uuid, '2026-01-01 00:00:00', '2026-01-01 00:00:00', :name,"
                    " 'Globex', '', '', 'peer', '', '', '', '', '', '', :folded, '2026-03-01',"
                    " 30)"
                ),
                {"uuid": f"c-{n}", "name": name, "folded": folded},
            )
    engine.dispose()

    db = open_database(blank_target)
    try:
        contacts = ContactService(db)
        rows = contacts.rows()
        assert [r.name for r in rows] == ["Ana Kim", "Bo Li", "Zoë Adams"]
        assert rows[0].last_touch_iso == "2026-03-01" and rows[0].cadence_days == 30
        # A contact added and one edited after the upgrade keep the list in order.
        contacts.create({"name": "Cy Ode"})
        contacts.update(rows[0].id, {"name": "Ann Kim"})
        assert [r.name for r in contacts.rows()] == ["Ann Kim", "Bo Li", "Cy Ode", "Zoë Adams"]
        with db.engine.connect() as conn:
            if conn.dialect.name != "sqlite":
                return
            sql = str(
                list_statement("")
                .order_by(*LIST_ORDER)
                .compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
            )
            plan = " ".join(row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
        # Read in order straight from the index: no sort, no look-up in the table.
        assert "COVERING INDEX ix_contacts_list" in plan
        assert "TEMP B-TREE" not in plan
    finally:
        db.close()
