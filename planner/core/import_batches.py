"""Which contacts came in with which import: "Imported in <file>" on the Contacts tab.

The importer records a batch in its own transaction (created and merged contacts alike), and
forgets it when the import is undone, so the filter lists exactly what the import touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from planner.db import models as m
from planner.db.database import Database

_CHUNK = 500


@dataclass(frozen=True)
class ImportBatchRecord:
    id: int
    source: str
    imported_at: datetime
    imported_by: str
    # Contacts of this import that still exist.
    contact_count: int


def record_import(session: Session, source: str, contact_ids: Iterable[int]) -> int:
    """Note an import of `source` (a file name) and its contacts; returns the batch id.
    Runs inside the importer's transaction."""
    batch = m.ImportBatch(source=source[:300])
    session.add(batch)
    session.flush()
    ids = sorted(set(contact_ids))
    table: Any = m.ImportBatchContact.__table__
    for start in range(0, len(ids), _CHUNK):
        session.execute(
            insert(table),
            [{"import_id": batch.id, "contact_id": cid} for cid in ids[start : start + _CHUNK]],
        )
    return batch.id


def forget_import(session: Session, import_id: int | None) -> None:
    """Undoing an import takes its batch away too (its contacts may stay: merged ones)."""
    if import_id is None:
        return
    session.execute(delete(m.ImportBatchContact).where(m.ImportBatchContact.import_id == import_id))
    session.execute(delete(m.ImportBatch).where(m.ImportBatch.id == import_id))


class ImportBatchService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def recent(self, limit: int = 10) -> list[ImportBatchRecord]:
        """The latest imports, newest first, with how many of their contacts still exist."""
        count = func.count(m.ImportBatchContact.contact_id)
        query = (
            select(m.ImportBatch.id, m.ImportBatch.source, m.ImportBatch.created_at,
                   m.ImportBatch.created_by, count)
            .outerjoin(m.ImportBatchContact, m.ImportBatchContact.import_id == m.ImportBatch.id)
            .group_by(m.ImportBatch.id, m.ImportBatch.source, m.ImportBatch.created_at,
                      m.ImportBatch.created_by)
            .order_by(m.ImportBatch.created_at.desc(), m.ImportBatch.id.desc())
            .limit(limit)
        )  # fmt: skip
        with self.db.session() as s:
            return [
                ImportBatchRecord(int(i), source, at, by or "", int(n))
                for i, source, at, by, n in s.execute(query)
            ]

    def contact_ids(self, import_id: int) -> frozenset[int]:
        """The contacts that came in with (or were merged by) that import."""
        with self.db.session() as s:
            return frozenset(
                s.scalars(
                    select(m.ImportBatchContact.contact_id).where(
                        m.ImportBatchContact.import_id == import_id
                    )
                ).all()
            )
