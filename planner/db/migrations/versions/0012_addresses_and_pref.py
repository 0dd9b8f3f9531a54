"""typed, ordered postal addresses and a pref flag on e-mails, phones, URLs and addresses

Revision ID: 0012_addresses_and_pref
Revises: 0011_visibility_and_owners
Create Date: 2026-12-06

Nothing is guessed for existing contacts: their one-line `location` stays as it was (it is
not split into address parts) and no value is marked preferred; the first value of each list
stays the one shown, as before. On PostgreSQL the new table announces its changes like the
other contact tables (see 0009).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_addresses_and_pref"
down_revision = "0011_visibility_and_owners"
branch_labels = None
depends_on = None

VALUE_TABLES = ("contact_emails", "contact_phones", "contact_urls")


def upgrade() -> None:
    # Plain ADD COLUMN (no table copy: nothing else changes in these tables).
    for table in VALUE_TABLES:
        op.add_column(
            table, sa.Column("pref", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "contact_addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(64), nullable=False),
        sa.Column("po_box", sa.String(100), nullable=False),
        sa.Column("extended", sa.String(300), nullable=False),
        sa.Column("street", sa.String(500), nullable=False),
        sa.Column("locality", sa.String(200), nullable=False),
        sa.Column("region", sa.String(200), nullable=False),
        sa.Column("postal_code", sa.String(40), nullable=False),
        sa.Column("country", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("pref", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_contact_addresses_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_addresses")),
    )
    op.create_index(
        op.f("ix_contact_addresses_contact_id"), "contact_addresses", ["contact_id"], unique=False
    )
    if op.get_bind().dialect.name == "postgresql":
        for verb, ref in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            rows = "new_rows" if ref == "NEW" else "old_rows"
            op.execute(
                f"CREATE TRIGGER planner_notify_{verb.lower()} AFTER {verb} ON contact_addresses "
                f"REFERENCING {ref} TABLE AS {rows} FOR EACH STATEMENT "
                "EXECUTE FUNCTION planner_notify_changes('contact_id')"
            )


def downgrade() -> None:
    op.drop_index(op.f("ix_contact_addresses_contact_id"), table_name="contact_addresses")
    op.drop_table("contact_addresses")
    for table in VALUE_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("pref")
