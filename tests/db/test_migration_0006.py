"""Upgrading a 0005 database: display names kept, parts split conservatively, lists in order."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from planner.db.database import head_revision, make_engine, migrate, open_database

NAMES = {
    1: "Marieke de Vries",
    2: "Jan van der Berg",
    3: "Omar El-Amin",
    4: "José Luis Rodríguez",
    5: "Dr. Ada Lovelace",
    6: "Prince",
    7: 'John "Jack" Smith',
    8: "Smith, John",
    9: "Prince Harry Wales",
}


def _old_database(path: Path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine, path, target="0005_calendar_sync")
    with engine.begin() as conn:
        for cid, name in NAMES.items():
            conn.execute(
                text(
                    "INSERT INTO contacts (id, uuid, created_at, updated_at, name, organisation,"
                    " role, industry, relationship, how_met_kind, how_met_text, location,"
                    " interests, notes, photo_type, search_text) VALUES (:id, :uuid,"
                    " '2026-01-01 00:00:00', '2026-01-01 00:00:00', :name, 'ING', '', '',"
                    " 'other', '', '', '', '', '', '', '')"
                ),
                {"id": cid, "uuid": f"uuid-{cid}", "name": name},
            )
        for pos, value in enumerate(("home@example.com", "work@example.com", "old@example.com")):
            conn.execute(
                text(
                    "INSERT INTO contact_emails (contact_id, label, value, position)"
                    " VALUES (1, :label, :value, :pos)"
                ),
                {"label": ("home", "work", "")[pos], "value": value, "pos": pos},
            )
        for pos, value in enumerate(("+31 20 000 0000", "+31 6 0000 0000")):
            conn.execute(
                text(
                    "INSERT INTO contact_phones (contact_id, label, value, position)"
                    " VALUES (4, 'work', :value, :pos)"
                ),
                {"value": value, "pos": pos},
            )
    engine.dispose()


def test_names_split_conservatively_and_lists_kept(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _old_database(path)
    db = open_database(path)
    try:
        assert db.backup_made is not None
        with db.engine.connect() as conn:
            rows = {
                r[0]: r[1:]
                for r in conn.execute(
                    text(
                        "SELECT id, name, name_prefix, given_name, middle_name, family_name,"
                        " name_suffix, name_custom, photo_url FROM contacts"
                    )
                )
            }
            emails = conn.execute(
                text("SELECT label, value FROM contact_emails ORDER BY position")
            ).all()
            phones = conn.execute(text("SELECT value FROM contact_phones ORDER BY position")).all()
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        db.close()
    assert version == head_revision()
    # Display names are exactly as they were.
    assert {cid: r[0] for cid, r in rows.items()} == NAMES
    parts = {cid: r[1:6] for cid, r in rows.items()}
    assert parts[1] == ("", "Marieke", "", "de Vries", "")
    assert parts[2] == ("", "Jan", "", "van der Berg", "")
    assert parts[3] == ("", "Omar", "", "El-Amin", "")
    # No guessed middle name: the two-word given name stays together.
    assert parts[4] == ("", "José Luis", "", "Rodríguez", "")
    assert parts[5] == ("Dr.", "Ada", "", "Lovelace", "")
    # A single word, a nickname in quotes, a "title" that is a name: not split.
    assert parts[6] == ("", "Prince", "", "", "")
    assert parts[7] == ("", 'John "Jack" Smith', "", "", "")
    assert parts[9] == ("", "Prince Harry Wales", "", "", "")
    assert parts[8] == ("", "John", "", "Smith", "")
    # The display name is derived where the parts give it back, otherwise the user's text.
    assert {cid for cid, r in rows.items() if r[6]} == {8}
    assert all(r[7] == "" for r in rows.values())
    assert emails == [
        ("home", "home@example.com"),
        ("work", "work@example.com"),
        ("", "old@example.com"),
    ]
    assert [p[0] for p in phones] == ["+31 20 000 0000", "+31 6 0000 0000"]
