"""Calendar sync: the href, ETag and content hash of each item published to a CalDAV calendar.

Revision ID: 0005_calendar_sync
Revises: 0004_starter_content
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_calendar_sync"
down_revision = "0004_starter_content"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_sync_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("calendar_url", sa.String(length=2000), nullable=False),
        sa.Column("uid", sa.String(length=255), nullable=False),
        sa.Column("href", sa.String(length=2000), nullable=False),
        sa.Column("etag", sa.String(length=255), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("pushed_at", sa.DateTime(), nullable=False),
        sa.Column("conflict", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_sync_items")),
        sa.UniqueConstraint("calendar_url", "uid", name="uq_calendar_sync_items_uid"),
    )


def downgrade() -> None:
    op.drop_table("calendar_sync_items")
