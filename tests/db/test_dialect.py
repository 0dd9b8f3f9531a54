"""reserve_ids: a block of free primary keys for bulk inserts, on either engine."""

from __future__ import annotations

from sqlalchemy import insert, select

from planner.db import models as m
from planner.db.database import Database
from planner.db.dialect import is_sqlite, reserve_ids
from planner.db.types import new_uuid, utcnow


def test_reserved_ids_are_free_and_later_inserts_do_not_collide(
    db: Database, db_engine: str
) -> None:
    tags = m.Base.metadata.tables["tags"]
    with db.session() as s:
        assert is_sqlite(s) == (db_engine == "sqlite")
        s.add_all([m.Tag(name="a"), m.Tag(name="b")])
        s.flush()
        first = reserve_ids(s, tags, 3)
        assert first > max(s.scalars(select(m.Tag.id)))
        s.execute(insert(tags), [{"id": first + i, "name": f"bulk{i}"} for i in range(3)])
    with db.session() as s:
        later = m.Tag(name="after")  # through the id sequence on PostgreSQL
        s.add(later)
        s.flush()
        assert later.id not in range(first, first + 3)
        assert s.scalar(select(m.Tag.id).where(m.Tag.name == "bulk2")) == first + 2
    assert new_uuid() and utcnow()
