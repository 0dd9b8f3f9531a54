"""Migration 0007: tag case variants in an older database become one tag (first spelling)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from planner.core.contacts import ContactService
from planner.db.database import make_engine, migrate, open_database

TAGS = {1: "Fintech", 2: "fintech", 3: "FINTECH ", 4: "design", 5: "Straße", 6: "STRASSE"}
# contact id -> tag ids
LINKS = {1: [1], 2: [2], 3: [1, 2, 3], 4: [4], 5: [6], 6: [5, 6]}


def _old_database(path: Path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine, path, target="0006_structured_names")
    with engine.begin() as conn:
        for cid in LINKS:
            conn.execute(
                text(
                    "INSERT INTO contacts (id, uuid, created_at, updated_at, name, organisation,"
                    " role, industry, relationship, how_met_kind, how_met_text, location,"
                    " interests, notes, photo_type, search_text) VALUES (:id, :uuid,"
                    " '2026-01-01 00:00:00', '2026-01-01 00:00:00', :name, '', '', '',"
                    " 'other', '', '', '', '', '', '', '')"
                ),
                {"id": cid, "uuid": f"uuid-{cid}", "name": f"Person {cid}"},
            )
        for tid, name in TAGS.items():
            conn.execute(
                text("INSERT INTO tags (id, name) VALUES (:id, :name)"), {"id": tid, "name": name}
            )
        for cid, tids in LINKS.items():
            for tid in tids:
                conn.execute(
                    text("INSERT INTO contact_tags (contact_id, tag_id) VALUES (:c, :t)"),
                    {"c": cid, "t": tid},
                )
    engine.dispose()


def test_case_variants_merge_into_the_first_spelling(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _old_database(path)
    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            tags = dict(conn.execute(text("SELECT id, name FROM tags")).all())
            links = sorted(conn.execute(text("SELECT contact_id, tag_id FROM contact_tags")).all())
        assert tags == {1: "Fintech", 4: "design", 5: "Straße"}
        assert links == [(1, 1), (2, 1), (3, 1), (4, 4), (5, 5), (6, 5)]
        # The filter now finds everyone tagged with any spelling.
        rows = ContactService(db).table_data()
        fintech = sorted(cid for cid, names in rows.tags.items() if "Fintech" in names)
        assert fintech == [1, 2, 3]
    finally:
        db.close()
