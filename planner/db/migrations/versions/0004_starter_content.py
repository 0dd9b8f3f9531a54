"""Starter questions and pitches in every database, whichever entry point created it.

They used to be added only when the window created the database, so `planner demo` then
`planner` left the question bank empty. A library the user already filled is left alone.

Revision ID: 0004_starter_content
Revises: 0003_foreign_key_indexes
Create Date: 2026-12-06
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

from planner.db.starter import STARTER_PITCHES, STARTER_QUESTIONS

revision = "0004_starter_content"
down_revision = "0003_foreign_key_indexes"
branch_labels = None
depends_on = None


def _table(name: str, *columns: str) -> sa.TableClause:
    return sa.table(
        name,
        sa.column("uuid", sa.String),
        sa.column("created_at", sa.DateTime),
        sa.column("updated_at", sa.DateTime),
        *(sa.column(c, sa.Text) for c in columns),
    )


def _seed(table: sa.TableClause, rows: list[dict[str, str]]) -> None:
    conn = op.get_bind()
    if conn.scalar(sa.select(sa.func.count()).select_from(table)):
        return
    # Stored as naive UTC, like the models' UTCDateTime.
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.bulk_insert(
        table,
        [{"uuid": str(uuid.uuid4()), "created_at": now, "updated_at": now, **r} for r in rows],
    )


def upgrade() -> None:
    _seed(
        _table("questions", "text", "tags"),
        [{"text": text, "tags": tags} for text, tags in STARTER_QUESTIONS],
    )
    _seed(
        _table("pitches", "title", "text"),
        [{"title": title, "text": text} for title, text in STARTER_PITCHES],
    )


def downgrade() -> None:
    # The rows are the user's now (edited, linked to events); going back keeps them.
    pass
