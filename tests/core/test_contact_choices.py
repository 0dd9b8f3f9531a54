"""Contacts to pick by typing (core.contact_choices): every word must match, names that start
so come first; on a real database file."""

from __future__ import annotations

from planner.core.contact_choices import find_contacts
from planner.core.contact_rows import new_contact
from planner.db.database import Database


def test_find_contacts_matches_every_word_names_first(db: Database) -> None:
    with db.session() as s:
        new_contact(s, "Zoe Anders", organisation="Globex")
        new_contact(s, "Ana Ruiz", organisation="Globex")
        new_contact(s, "Ana Lind", organisation="Hooli")
        new_contact(s, "Percy 100%", organisation="Globex")
    assert [c.name for c in find_contacts(db, "an globex")] == ["Ana Ruiz", "Zoe Anders"]
    assert [c.name for c in find_contacts(db, "100%")] == ["Percy 100%"]
    assert [c.organisation for c in find_contacts(db, "", limit=2)] == ["Hooli", "Globex"]
