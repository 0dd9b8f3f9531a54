"""Contacts to pick from by typing (the event editor's pickers): every typed word in the
folded search text, names that start so first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, select

from planner.core.text import fold
from planner.db import models as m
from planner.db.database import Database


@dataclass(frozen=True)
class ContactChoice:
    id: int
    name: str
    organisation: str = ""
    role: str = ""


def find_contacts(db: Database, text: str, limit: int = 100) -> list[ContactChoice]:
    """Contacts whose folded search text holds every typed word, for the pickers."""
    words = [
        w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in fold(text).split()
    ]
    query = select(m.Contact)
    for word in words:
        query = query.where(m.Contact.search_text.like(f"%{word}%", escape="\\"))
    # The folded name leads search_text: people whose name starts so come first.
    if words:
        first = case((m.Contact.search_text.like(f"{words[0]}%", escape="\\"), 0), else_=1)
        query = query.order_by(first)
    query = query.order_by(m.Contact.name).limit(limit)
    with db.session() as s:
        return [ContactChoice(c.id, c.name, c.organisation, c.role) for c in s.scalars(query)]
