"""Who created and who last changed a row: stamped on every ORM flush from the session's user."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from planner.db.models import Owned

USER_KEY = "planner_user"


def stamp_authors(session: Session, _context: Any, _instances: Any) -> None:
    """before_flush hook: new rows get created_by/updated_by, changed rows updated_by."""
    user = str(session.info.get(USER_KEY) or "")
    if not user:
        return
    for obj in session.new:
        if isinstance(obj, Owned):
            obj.created_by = obj.created_by or user
            obj.updated_by = user
    for obj in session.dirty:
        if isinstance(obj, Owned) and session.is_modified(obj, include_collections=False):
            obj.updated_by = user
