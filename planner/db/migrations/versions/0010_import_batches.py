"""Remember each contacts import and the contacts it brought, for the "Imported in" filter.

After an import the user wants exactly those contacts (to tag or bulk edit them); "added
today" also catches contacts typed by hand and misses the ones an import merged into.
Earlier imports left no trace, so an upgraded database starts with no imports listed.

Revision ID: 0010_import_batches
Revises: 0009_change_notifications
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_import_batches"
down_revision = "0009_change_notifications"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("updated_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
        sa.UniqueConstraint("uuid", name=op.f("uq_imports_uuid")),
    )
    op.create_index("ix_imports_created_at", "imports", ["created_at"])
    op.create_table(
        "import_contacts",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
            name=op.f("fk_import_contacts_import_id_imports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_import_contacts_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("import_id", "contact_id", name=op.f("pk_import_contacts")),
    )
    op.create_index(
        op.f("ix_import_contacts_contact_id"), "import_contacts", ["contact_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_import_contacts_contact_id"), table_name="import_contacts")
    op.drop_table("import_contacts")
    op.drop_index("ix_imports_created_at", table_name="imports")
    op.drop_table("imports")
