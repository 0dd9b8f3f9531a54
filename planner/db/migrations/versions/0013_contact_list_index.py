"""an index that holds the contacts list in its order, so SQLite reads it without sorting

Revision ID: 0013_contact_list_index
Revises: 0012_addresses_and_pref
Create Date: 2026-12-07

The contacts list reads every contact ordered by (search_text, id) with the columns it
shows. Without an index SQLite sorts 100,000 rows in a temporary B-tree first (about a
fifth of the list's read); with this covering index it walks the index in order and never
touches the table. On PostgreSQL the index is created empty (WHERE false): a btree entry
must stay under 2.7 kB and a contact with long notes has a longer search text, so an
index there could refuse a save; PostgreSQL sorts the list in memory as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_contact_list_index"
down_revision = "0012_addresses_and_pref"
branch_labels = None
depends_on = None

# As planner.db.models.LIST_COLUMNS when this was written (a migration never changes).
COLUMNS = [
    "search_text",
    "id",
    "name",
    "organisation",
    "role",
    "relationship",
    "last_touch_on",
    "next_touch_due",
    "cadence_days",
]


def upgrade() -> None:
    op.create_index("ix_contacts_list", "contacts", COLUMNS, postgresql_where=sa.false())


def downgrade() -> None:
    op.drop_index("ix_contacts_list", table_name="contacts")
