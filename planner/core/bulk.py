"""Writing and deleting many rows fast and portably: Core inserts with each distinct value
converted once, deletes that apply the schema's ON DELETE rules a chunk at a time, random UUIDs
made in bulk, and no cyclic garbage collection while tens of thousands of objects are built."""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from planner.db import models as m
from planner.db.database import Database

# Rows per statement (and ids per IN list): well under every driver's parameter limit.
CHUNK = 2000


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while building tens of thousands of small objects that
    stay alive anyway (it re-scans them over and over: a third of a big parse)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def bulk_session(db: Database) -> Iterator[Session]:
    """One transaction for deleting many contacts, with SQLite's per-row foreign-key checks off.

    Several columns that point at contacts have no index (contacts.referred_by_id among them),
    so SQLite scans those tables for every deleted contact: undoing a 30,000-contact import
    took minutes. delete_contacts() applies the ON DELETE rules itself, a chunk at a time.
    """
    conn = db.engine.connect()
    sqlite = conn.dialect.name == "sqlite"
    try:
        if sqlite:
            # Outside a transaction, or SQLite ignores it.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        session = Session(bind=conn, expire_on_commit=False)
        try:
            with conn.begin():
                yield session
                session.flush()
        finally:
            session.close()
    finally:
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
        conn.close()


@functools.cache
def _referencing(table: Any) -> tuple[tuple[Any, Any, str], ...]:
    """(table, column, ON DELETE rule) of every foreign key that points at `table`."""
    out = []
    for other in m.Base.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is table:
                out.append((other, fk.parent, (fk.ondelete or "").upper()))
    return tuple(out)


def _delete_rows(session: Session, table: Any, condition: Any) -> None:
    """DELETE with the schema's ON DELETE rules applied by hand (see bulk_session)."""
    refs = _referencing(table)
    if refs:
        ids = list(session.scalars(select(table.c.id).where(condition)))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            for other, column, rule in refs:
                if rule == "CASCADE":
                    _delete_rows(session, other, column.in_(chunk))
                elif rule == "SET NULL":
                    session.execute(
                        update(other).where(column.in_(chunk)).values({column.name: None})
                    )
                elif session.scalar(
                    select(func.count()).select_from(other).where(column.in_(chunk))
                ):
                    raise ValueError(f"{other.name} still refers to rows being deleted")
    session.execute(delete(table).where(condition))


def delete_contacts(session: Session, ids: Sequence[int]) -> None:
    """Deletes contacts and everything the schema cascades, in chunks (fast at scale)."""
    contacts: Any = m.Contact.__table__
    for start in range(0, len(ids), CHUNK):
        _delete_rows(session, contacts, contacts.c.id.in_(list(ids[start : start + CHUNK])))


def uuid_stream() -> Iterator[str]:
    """Fresh random UUIDs without end, made a chunk at a time."""
    while True:
        yield from random_uuids(CHUNK)


def random_uuids(count: int) -> Iterator[str]:
    """Random (version 4) UUID strings, like new_uuid() but without a UUID object each."""
    data = bytearray(os.urandom(16 * count))
    for start in range(0, 16 * count, 16):
        data[start + 6] = (data[start + 6] & 0x0F) | 0x40
        data[start + 8] = (data[start + 8] & 0x3F) | 0x80
    text = data.hex()
    for start in range(0, 32 * count, 32):
        h = text[start : start + 32]
        yield f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def bulk_insert(session: Session, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    """executemany with each distinct value converted once (most columns repeat: dates, now).

    SQLAlchemy's per-row parameter processing is most of the time of a 30,000-row insert; the
    statement and the type conversions are still SQLAlchemy's, so this stays portable.
    """
    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    keys = list(rows[0])
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    # Every bind of the statement, including columns with a Python default that rows[0] lacks.
    order = list(compiled.positiontup or ()) if compiled.positional else list(compiled.binds)
    names = [compiled.binds[name].key if name in compiled.binds else name for name in order]
    processors: list[tuple[str, Any, dict[Any, Any]]] = []
    for name in names:
        processor = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        processors.append((name, processor, {}))
    # Columns SQLAlchemy adds because they have a Python default (a column added later).
    defaults = {name: _default_of(table.c[name]) for name in names if name not in rows[0]}

    def convert(row: dict[str, Any]) -> list[Any]:
        out = []
        for name, processor, cache in processors:
            value = row[name] if name in row else defaults[name]()
            if processor is None or value is None:
                out.append(value)
                continue
            try:
                converted = cache[value]
            except KeyError:
                converted = cache[value] = processor(value)
            except TypeError:  # unhashable (bytes are hashable; this is a safety net)
                converted = processor(value)
            out.append(converted)
        return out

    sql = str(compiled)
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        if compiled.positional:
            params: Any = [tuple(convert(r)) for r in chunk]
        else:
            params = [dict(zip(order, convert(r), strict=True)) for r in chunk]
        conn.exec_driver_sql(sql, params)


def _default_of(column: Any) -> Any:
    default = column.default
    if default is None:
        return lambda: None
    if default.is_scalar:
        return lambda: default.arg
    if default.is_callable:
        return lambda: default.arg(None)
    return lambda: None


def delete_unreferenced(session: Session, table: Any, ids: Sequence[int]) -> None:
    """Deletes the rows of `table` with these ids that no foreign key points at any more."""
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
        used: set[int] = set()
        for _other, column, _rule in _referencing(table):
            used.update(session.scalars(select(column).where(column.in_(chunk)).distinct()))
        unused = [i for i in chunk if i not in used]
        if unused:
            _delete_rows(session, table, table.c.id.in_(unused))
