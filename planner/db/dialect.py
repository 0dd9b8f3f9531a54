"""The few things SQLite and PostgreSQL do differently, behind one function each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session


def is_sqlite(session_or_bind: Any) -> bool:
    bind = session_or_bind.get_bind() if isinstance(session_or_bind, Session) else session_or_bind
    return bool(bind.dialect.name == "sqlite")


def reserve_ids(session: Session, table: Any, count: int) -> int:
    """First of `count` consecutive new primary keys for `table`, for bulk inserts with ids.

    SQLite has one writer at a time, so max(id) + 1 is free. On PostgreSQL teammates insert
    concurrently through the id sequence: lock out other inserts into the table until this
    transaction ends, take the block from the sequence and move the sequence past it.
    """
    column = table.c.id
    highest = int(session.scalar(select(func.coalesce(func.max(column), 0))) or 0)
    if is_sqlite(session) or count <= 0:
        return highest + 1
    name = table.name
    session.execute(text(f'LOCK TABLE "{name}" IN SHARE ROW EXCLUSIVE MODE'))
    highest = int(session.scalar(select(func.coalesce(func.max(column), 0))) or 0)
    sequence = session.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": name})
    following = int(session.scalar(text("SELECT nextval(:s)"), {"s": sequence}) or 0)
    first = max(highest + 1, following)
    session.execute(text("SELECT setval(:s, :v)"), {"s": sequence, "v": first + count - 1})
    return first
