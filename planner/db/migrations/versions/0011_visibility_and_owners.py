"""Team mode, whose is what: visibility on contacts and follow-ups, an owner on follow-ups,
and notes as records of their own (private to their author by default).

Existing contacts and follow-ups stay visible to everyone ("shared"): on a team database they
were visible before this upgrade. A follow-up's owner starts as whoever created it ("" for rows
made before team mode). The contact's own `notes` text stays as it was (it travels with the
contact in vCard/CSV); `contact_notes` holds dated notes with an author, private by default.

Revision ID: 0011_visibility_and_owners
Revises: 0010_import_batches
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_visibility_and_owners"
down_revision = "0010_import_batches"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(
            sa.Column("visibility", sa.String(16), nullable=False, server_default="shared")
        )
    with op.batch_alter_table("follow_ups") as batch:
        batch.add_column(
            sa.Column("visibility", sa.String(16), nullable=False, server_default="shared")
        )
        batch.add_column(sa.Column("owner", sa.String(200), nullable=False, server_default=""))
        batch.create_index("ix_follow_ups_owner", ["owner"])
    op.execute("UPDATE follow_ups SET owner = created_by")
    op.create_table(
        "contact_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("visibility", sa.String(16), nullable=False, server_default="private"),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name="fk_contact_notes_contact_id_contacts",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_contact_notes"),
        sa.UniqueConstraint("uuid", name="uq_contact_notes_uuid"),
    )
    op.create_index("ix_contact_notes_contact_id", "contact_notes", ["contact_id"])
    if op.get_bind().dialect.name == "postgresql":
        # Teammates' windows hear about notes like the rest of a contact (see 0009).
        for verb, ref in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            rows = "new_rows" if ref == "NEW" else "old_rows"
            op.execute(
                f"CREATE TRIGGER planner_notify_{verb.lower()} AFTER {verb} ON contact_notes "
                f"REFERENCING {ref} TABLE AS {rows} FOR EACH STATEMENT "
                "EXECUTE FUNCTION planner_notify_changes('contact_id')"
            )


def downgrade() -> None:
    op.drop_index("ix_contact_notes_contact_id", table_name="contact_notes")
    op.drop_table("contact_notes")
    with op.batch_alter_table("follow_ups") as batch:
        batch.drop_index("ix_follow_ups_owner")
        batch.drop_column("owner")
        batch.drop_column("visibility")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("visibility")
