"""Team mode: a version number on the rows people edit, and who created and last changed a row.

`version` backs SQLAlchemy's optimistic locking (version_id_col) on contacts, follow-ups, event
plans and organisations: a save made from an out-of-date copy no longer silently overwrites a
teammate's change. `created_by` / `updated_by` hold the editor's name ("" for rows made before).

Revision ID: 0008_row_versions_and_authors
Revises: 0007_tags_ignore_case
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_row_versions_and_authors"
down_revision = "0007_tags_ignore_case"
branch_labels = None
depends_on = None

VERSIONED = ("contacts", "follow_ups", "event_plans", "organisations")
AUTHORED = (*VERSIONED, "touchpoints", "referrals", "pitches", "questions")


def upgrade() -> None:
    for table in AUTHORED:
        with op.batch_alter_table(table) as batch:
            if table in VERSIONED:
                batch.add_column(
                    sa.Column("version", sa.Integer(), nullable=False, server_default="1")
                )
            batch.add_column(
                sa.Column("created_by", sa.String(200), nullable=False, server_default="")
            )
            batch.add_column(
                sa.Column("updated_by", sa.String(200), nullable=False, server_default="")
            )


def downgrade() -> None:
    for table in reversed(AUTHORED):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("updated_by")
            batch.drop_column("created_by")
            if table in VERSIONED:
                batch.drop_column("version")
