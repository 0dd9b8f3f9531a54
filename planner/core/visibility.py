"""Whose is what: a private row is seen only by its author (and a follow-up's owner).

One rule for every list, search, calendar query and export. The viewer is the database's user
(the identity set on connecting to a team database). On a single-user SQLite file the user is
"" and every row is the user's own, so nothing is filtered.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, true

from planner.core.errors import ValidationError
from planner.db import models as m
from planner.db.database import Database

PRIVATE = "private"
SHARED = "shared"
VISIBILITIES = (PRIVATE, SHARED)
VISIBILITY_LABELS = {PRIVATE: "Private to me", SHARED: "Shared with the team"}


def viewer(db: Database) -> str:
    """Who is looking: the database's user ("" on a single-user file: sees everything)."""
    return db.user or ""


def clean_visibility(value: object, field: str = "visibility") -> str:
    text = str(value or "").strip().lower()
    if text not in VISIBILITIES:
        raise ValidationError(field, "Choose “Private to me” or “Shared with the team”.")
    return text


def contact_visible(user: str) -> Any:
    """WHERE clause: contacts `user` may see."""
    if not user:
        return true()
    return or_(m.Contact.visibility != PRIVATE, m.Contact.created_by == user)


def followup_visible(user: str) -> Any:
    """WHERE clause: follow-ups `user` may see (a private one: its creator and its owner)."""
    if not user:
        return true()
    return or_(
        m.FollowUp.visibility != PRIVATE,
        m.FollowUp.created_by == user,
        m.FollowUp.owner == user,
    )


def note_visible(user: str) -> Any:
    """WHERE clause: notes `user` may read (a private one: only its author)."""
    if not user:
        return true()
    return or_(m.ContactNote.visibility != PRIVATE, m.ContactNote.created_by == user)


def may_see(user: str, visibility: str, *authors: str) -> bool:
    """The same rule for one row already read."""
    return not user or visibility != PRIVATE or user in authors
