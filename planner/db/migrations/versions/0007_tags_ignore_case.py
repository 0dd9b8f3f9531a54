"""Tags compare ignoring case: merge existing case variants into one tag.

"Fintech" (from a Google label) and "fintech" (typed) were two tags, so the tag filter
missed people. Each group of variants keeps its first spelling (the oldest tag); the
contacts of the others move to it and the variants are deleted. Not reversible: downgrade
leaves the merged tags as they are.

Revision ID: 0007_tags_ignore_case
Revises: 0006_structured_names
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_tags_ignore_case"
down_revision = "0006_structured_names"
branch_labels = None
depends_on = None


def _key(name: str) -> str:
    # A frozen copy of planner.core.contact_rows.tag_key: migrations must not change later.
    return " ".join(name.split()).casefold()


def upgrade() -> None:
    conn = op.get_bind()
    kept: dict[str, int] = {}
    merges: list[tuple[int, int]] = []
    for tag_id, name in conn.execute(sa.text("SELECT id, name FROM tags ORDER BY id")):
        key = _key(name or "")
        if key in kept:
            merges.append((int(tag_id), kept[key]))
        else:
            kept[key] = int(tag_id)
    for variant, keep in merges:
        params = {"variant": variant, "keep": keep}
        conn.execute(
            sa.text(
                "INSERT INTO contact_tags (contact_id, tag_id)"
                " SELECT contact_id, :keep FROM contact_tags WHERE tag_id = :variant"
                " AND contact_id NOT IN"
                " (SELECT contact_id FROM contact_tags WHERE tag_id = :keep)"
            ),
            params,
        )
        conn.execute(sa.text("DELETE FROM contact_tags WHERE tag_id = :variant"), params)
        conn.execute(sa.text("DELETE FROM tags WHERE id = :variant"), params)


def downgrade() -> None:
    """Merged tags stay merged: which contact had which spelling is not kept."""
