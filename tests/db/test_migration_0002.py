"""Upgrading a 0001 database with free-text organisations to linked organisation rows."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from planner.db.database import (
    head_revision,
    make_engine,
    migrate,
    open_database,
    resolve_target,
)
from planner.db.models import Base

ORGS = {
    1: "Globex",
    2: " globex ",
    3: "GLOBEX",
    4: "Globex",
    5: "",
    6: "Initech  Labs",
    7: "initech labs",
    8: "Zoë & Co",
    9: "   ",
}


def _old_database(target: Path | str) -> None:
    url, path = resolve_target(target)
    engine = make_engine(url)
    migrate(engine, path, target="0001_initial")
    with engine.begin() as conn:
        for cid, org in ORGS.items():
            conn.execute(
                text(
                    "INSERT INTO contacts (id, uuid, created_at, updated_at, name, organisation,"
                    " role, industry, relationship, how_met_kind, how_met_text, location,"
                    " interests, notes, photo_type, search_text) VALUES (:id, :uuid,"
                    " '2026-01-01 00:00:00', '2026-01-01 00:00:00', :name, :org, '', '',"
                    " 'other', '', '', '', '', '', '', '')"
                ),
                {"id": cid, "uuid": f"uuid-{cid}", "name": f"Person {cid}", "org": org},
            )
        conn.execute(
            text(
                "INSERT INTO contact_emails (contact_id, label, value, position)"
                " VALUES (1, 'work', 'p1@globex.example', 0)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO touchpoints (uuid, created_at, updated_at, contact_id, occurred_on,"
                " channel, kind, note) VALUES ('t1', '2026-01-01 00:00:00',"
                " '2026-01-01 00:00:00', 2, '2026-01-02', 'call', 'caught_up', '')"
            )
        )
    engine.dispose()


def test_free_text_organisations_become_linked_rows(blank_target: Path | str) -> None:
    _old_database(blank_target)

    db = open_database(blank_target)
    try:
        if isinstance(blank_target, Path):
            assert db.backup_made is not None
            assert db.backup_made.parent == blank_target.parent / "backups"
            assert db.backup_made.exists()
        else:  # a server database is backed up with pg_dump, not copied by the app
            assert db.backup_made is None
        with db.engine.connect() as conn:
            orgs = conn.execute(
                text("SELECT id, name, name_key, kind FROM organisations ORDER BY name_key")
            ).all()
            contacts = dict(conn.execute(text("SELECT id, organisation FROM contacts")).all())
            primary = dict(conn.execute(text("SELECT id, organisation_id FROM contacts")).all())
            links = set(
                conn.execute(text("SELECT contact_id, organisation_id FROM contact_organisations"))
            )
            emails = conn.execute(text("SELECT value FROM contact_emails")).scalars().all()
            touches = conn.execute(text("SELECT count(*) FROM touchpoints")).scalar()
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        db.close()

    assert version == head_revision()
    by_key = {key: (oid, name) for oid, name, key, _kind in orgs}
    assert set(by_key) == {"globex", "initech labs", "zoë & co"}
    # The most common spelling names the organisation; a tie goes to the first seen.
    assert by_key["globex"][1] == "Globex"
    assert by_key["initech labs"][1] == "Initech Labs"
    assert by_key["zoë & co"][1] == "Zoë & Co"
    assert {kind for *_rest, kind in orgs} == {"company"}
    # Every contact's text is exactly as it was.
    assert contacts == ORGS
    globex, initech, zoe = by_key["globex"][0], by_key["initech labs"][0], by_key["zoë & co"][0]
    assert primary == {1: globex, 2: globex, 3: globex, 4: globex, 5: None, 6: initech,
                       7: initech, 8: zoe, 9: None}  # fmt: skip
    assert links == {(cid, oid) for cid, oid in primary.items() if oid is not None}
    # Nothing else touched (a table copy with foreign keys on would have cascaded).
    assert emails == ["p1@globex.example"]
    assert touches == 1


def test_migrated_schema_matches_the_models(db_target: Path | str) -> None:
    db = open_database(db_target)
    try:
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = compare_metadata(context, Base.metadata)
            if conn.dialect.name != "sqlite":
                assert diffs == []
                return
            fk_rows = conn.execute(text("PRAGMA foreign_key_list(follow_ups)")).all()
    finally:
        db.close()
    # SQLite keeps inline REFERENCES unnamed; only those names may differ from the models.
    assert [d for d in diffs if d[0] not in ("add_fk", "remove_fk")] == []
    added = {(d[1].table.name, tuple(d[1].column_keys), d[1].ondelete) for d in diffs
             if d[0] == "add_fk"}  # fmt: skip
    removed = {(d[1].table.name, tuple(d[1].column_keys)) for d in diffs if d[0] == "remove_fk"}
    assert {(t, c) for t, c, _ in added} == removed
    on_delete = {row[3]: row[6] for row in fk_rows}
    assert on_delete["organisation_id"] == "CASCADE"


def test_empty_old_database_upgrades_without_organisations(blank_target: Path | str) -> None:
    url, path = resolve_target(blank_target)
    engine = make_engine(url)
    migrate(engine, path, target="0001_initial")
    engine.dispose()
    db = open_database(blank_target)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM organisations")).scalar() == 0
    finally:
        db.close()
