"""organisations and communities; free-text contact organisations become linked rows

Revision ID: 0002_organisations
Revises: 0001_initial
Create Date: 2026-11-22 03:00:00

Every contact's organisation text is kept exactly as it was. Spellings that differ only in
case or spacing ("Globex", " globex ", "GLOBEX") become one organisation, named after the
most common spelling, and each contact is linked to it.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0002_organisations"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

# (table, column, ondelete) for the new nullable links to organisations.
LINKS = (
    ("contacts", "how_met_organisation_id", "SET NULL"),
    ("contacts", "organisation_id", "SET NULL"),
    ("event_plans", "organisation_id", "SET NULL"),
    ("touchpoints", "organisation_id", "SET NULL"),
    ("follow_ups", "organisation_id", "CASCADE"),
)
CHUNK = 5000


def _key(text: str) -> str:
    """Same rule as planner.core.organisations.name_key (copied: migrations stay frozen)."""
    return " ".join(text.casefold().split())


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("website", sa.String(length=2000), nullable=False),
        sa.Column("my_role", sa.String(length=32), nullable=False),
        sa.Column("membership_status", sa.String(length=32), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("renewal_on", sa.Date(), nullable=True),
        sa.Column("renewal_fee_cents", sa.Integer(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("activity_goal", sa.Text(), nullable=False),
        sa.Column("activity_every_days", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("renewal_followup_id", sa.Integer(), nullable=True),
        sa.Column("activity_followup_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("name_key", name=op.f("uq_organisations_name_key")),
        sa.UniqueConstraint("uuid", name=op.f("uq_organisations_uuid")),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index("ix_organisations_renewal_on", ["renewal_on"], unique=False)

    op.create_table(
        "contact_organisations",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_contact_organisations_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_contact_organisations_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "contact_id", "organisation_id", name=op.f("pk_contact_organisations")
        ),
    )
    with op.batch_alter_table("contact_organisations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_organisations_organisation_id"),
            ["organisation_id"],
            unique=False,
        )

    # Plain ADD COLUMN with an inline REFERENCES clause: SQLite accepts it for a nullable
    # column, so no table is copied (a copy would drop `contacts`, firing ON DELETE CASCADE).
    for table, column, ondelete in LINKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    column,
                    sa.Integer(),
                    sa.ForeignKey(
                        "organisations.id",
                        name=f"fk_{table}_{column}_organisations",
                        ondelete=ondelete,
                    ),
                    nullable=True,
                ),
                inline_references=True,
            )
            batch_op.create_index(f"ix_{table}_{column}", [column], unique=False)

    # Touchpoints at an event: an organisation's hosted events, an event's attendees.
    with op.batch_alter_table("touchpoints", schema=None) as batch_op:
        batch_op.create_index("ix_touchpoints_event_id", ["event_id"], unique=False)

    _link_free_text_organisations()


def _link_free_text_organisations() -> None:
    """Group contacts' organisation text into organisations and link every contact."""
    conn = op.get_bind()
    contacts = sa.table(
        "contacts",
        sa.column("id", sa.Integer),
        sa.column("organisation", sa.String),
        sa.column("organisation_id", sa.Integer),
    )
    rows = conn.execute(
        sa.select(contacts.c.id, contacts.c.organisation)
        .where(contacts.c.organisation != "")
        .order_by(contacts.c.id)
    ).all()
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    members: dict[str, list[int]] = defaultdict(list)
    for contact_id, text in rows:
        key = _key(text or "")
        if not key:
            continue
        spelling = " ".join(text.split())
        spellings[key][spelling] += 1
        members[key].append(contact_id)
    if not members:
        return

    organisations = sa.table(
        "organisations",
        *(
            sa.column(name)
            for name in (
                "id", "uuid", "created_at", "updated_at", "name", "name_key", "kind",
                "website", "my_role", "membership_status", "currency", "activity_goal",
                "notes",
            )
        ),
    )  # fmt: skip
    links = sa.table(
        "contact_organisations",
        sa.column("contact_id", sa.Integer),
        sa.column("organisation_id", sa.Integer),
        sa.column("role", sa.String),
    )
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    org_rows = []
    org_id_of: dict[str, int] = {}
    for new_id, key in enumerate(sorted(members), start=1):
        # Most common spelling wins; a tie goes to the spelling seen first (Counter keeps
        # insertion order, and contacts are read in id order).
        name = spellings[key].most_common(1)[0][0]
        org_id_of[key] = new_id
        org_rows.append(
            {
                "id": new_id,
                "uuid": str(uuid.uuid4()),
                "created_at": now,
                "updated_at": now,
                "name": name,
                "name_key": key,
                # Free text on a contact is nearly always their employer.
                "kind": "company",
                "website": "",
                "my_role": "",
                "membership_status": "",
                "currency": "",
                "activity_goal": "",
                "notes": "",
            }
        )
    for start in range(0, len(org_rows), CHUNK):
        conn.execute(organisations.insert(), org_rows[start : start + CHUNK])

    update = (
        contacts.update()
        .where(contacts.c.id == sa.bindparam("cid"))
        .values(organisation_id=sa.bindparam("oid"))
    )
    pairs = [
        {"cid": contact_id, "oid": org_id_of[key]}
        for key, ids in members.items()
        for contact_id in ids
    ]
    for start in range(0, len(pairs), CHUNK):
        chunk = pairs[start : start + CHUNK]
        conn.execute(update, chunk)
        conn.execute(
            links.insert(),
            [{"contact_id": p["cid"], "organisation_id": p["oid"], "role": ""} for p in chunk],
        )


def downgrade() -> None:
    # Dropping a column copies the table on SQLite; with foreign keys on, dropping the old
    # `contacts` would cascade-delete every e-mail, touchpoint and follow-up. The pragma only
    # takes effect outside a write transaction, which is where a migration starts.
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("PRAGMA foreign_keys=OFF")
    with op.batch_alter_table("touchpoints", schema=None) as batch_op:
        batch_op.drop_index("ix_touchpoints_event_id")
    for table, column, _ondelete in reversed(LINKS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_{column}")
            batch_op.drop_column(column)
    with op.batch_alter_table("contact_organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_organisations_organisation_id"))
    op.drop_table("contact_organisations")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index("ix_organisations_renewal_on")
    op.drop_table("organisations")
    if sqlite:
        op.execute("PRAGMA foreign_keys=ON")
