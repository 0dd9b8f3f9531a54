"""Authors: the session's user is stamped as created_by / updated_by on every flush."""

from __future__ import annotations

from sqlalchemy import select

from planner.db import models as m
from planner.db.database import Database


def test_new_rows_get_both_and_changed_rows_get_the_last_editor(db: Database) -> None:
    db.user = "Priya"
    with db.session() as s:
        ana = m.Contact(name="Ana")
        s.add(ana)
        s.flush()
        cid = ana.id
    db.user = "Tom"
    with db.session() as s:
        row = s.get(m.Contact, cid)
        assert row is not None
        row.role = "CTO"
    with db.session() as s:
        created_by, updated_by = s.execute(
            select(m.Contact.created_by, m.Contact.updated_by).where(m.Contact.id == cid)
        ).one()
    assert (created_by, updated_by) == ("Priya", "Tom")


def test_no_user_stamps_nothing_and_reading_stamps_nothing(db: Database) -> None:
    db.user = ""
    with db.session() as s:
        s.add(m.Contact(name="Ben"))
    db.user = "Tom"
    with db.session() as s:
        ben = s.scalar(select(m.Contact).where(m.Contact.name == "Ben"))
        assert ben is not None and ben.role in ("", None)  # read only: not modified
    with db.session() as s:
        row = s.execute(select(m.Contact.created_by, m.Contact.updated_by)).one()
    assert tuple(v or "" for v in row) == ("", "")
