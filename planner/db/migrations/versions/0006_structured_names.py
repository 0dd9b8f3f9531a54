"""structured names, photo URLs and calendar item versions

Revision ID: 0006_structured_names
Revises: 0005_calendar_sync
Create Date: 2026-12-06

Existing display names are kept exactly as they were; their parts are filled by a
conservative split (nameparser, particles such as "de Vries", "van der Berg" and "El-Amin"
stay family names, words between the first and the last stay with the given name). Where the
parts cannot be joined back into the same text the name is marked as typed by the user
(`name_custom`), so nothing the user sees changes.
"""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006_structured_names"
down_revision = "0005_calendar_sync"
branch_labels = None
depends_on = None

PARTS = ("name_prefix", "given_name", "middle_name", "family_name", "name_suffix")
CHUNK = 2000
HONORIFICS = frozenset(
    "mr mrs ms miss mx dr prof professor sir dame rev hon mme mlle m herr frau sr sra srta "
    "dott ing mag dipl".split()
)


@functools.cache
def _constants() -> Any:
    """Built once: a nameparser Constants() costs about 0.6 ms, minutes over 100k contacts."""
    from nameparser.config import Constants

    constants = Constants()
    constants.prefixes.add("el", "della", "ten", "zur", "lo")
    return constants


def _split(full: str) -> tuple[str, str, str, str, str]:
    """A frozen copy of planner.core.names.split_name (conservative); migrations stay fixed."""
    from nameparser import HumanName

    constants = _constants()
    text = " ".join(full.split())
    whole = ("", text[:100], "", "", "")
    if " " not in text:
        return whole
    parsed = HumanName(text, constants=constants)
    prefix, given, middle, family, suffix = (
        parsed.title,
        parsed.first,
        parsed.middle,
        parsed.last,
        parsed.suffix,
    )
    if parsed.nickname or (not given and not family):
        return whole
    if prefix and any(w.strip(".").lower() not in HONORIFICS for w in prefix.split()):
        return whole
    given = f"{given} {middle}".strip()
    parts = (prefix, given, "", family, suffix)
    joined = " ".join(p for p in parts if p)
    if sorted(joined.replace(",", " ").split()) != sorted(text.replace(",", " ").split()):
        return whole
    if any(len(p) > 100 for p in parts):
        return whole
    return parts


def upgrade() -> None:
    # Plain ADD COLUMN (no table copy: a copy would cascade-delete the contacts' links).
    for column in PARTS:
        op.add_column(
            "contacts", sa.Column(column, sa.String(100), nullable=False, server_default="")
        )
    op.add_column(
        "contacts", sa.Column("nickname", sa.String(100), nullable=False, server_default="")
    )
    op.add_column(
        "contacts", sa.Column("phonetic_name", sa.String(300), nullable=False, server_default="")
    )
    op.add_column(
        "contacts",
        sa.Column("name_custom", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "contacts", sa.Column("photo_url", sa.String(2000), nullable=False, server_default="")
    )
    op.create_table(
        "calendar_item_versions",
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_calendar_item_versions")),
    )
    conn = op.get_bind()
    contacts = sa.table(
        "contacts",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        *(sa.column(c, sa.String) for c in PARTS),
        sa.column("name_custom", sa.Boolean),
    )
    last = 0
    while True:
        rows = conn.execute(
            sa.select(contacts.c.id, contacts.c.name)
            .where(contacts.c.id > last)
            .order_by(contacts.c.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            break
        last = rows[-1][0]
        params = []
        for cid, name in rows:
            parts = _split(name or "")
            joined = " ".join(p for p in parts if p)
            params.append(
                {"cid": cid, **dict(zip(PARTS, parts, strict=True)), "custom": joined != name}
            )
        conn.execute(
            contacts.update()
            .where(contacts.c.id == sa.bindparam("cid"))
            .values({c: sa.bindparam(c) for c in PARTS} | {"name_custom": sa.bindparam("custom")}),
            params,
        )


def downgrade() -> None:
    op.drop_table("calendar_item_versions")
    with op.batch_alter_table("contacts") as batch:
        for column in (*PARTS, "nickname", "phonetic_name", "name_custom", "photo_url"):
            batch.drop_column(column)
