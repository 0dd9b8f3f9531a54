"""Contact photos by id, for the contacts list's thumbnails (read a screenful at a time)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from planner.db import models as m
from planner.db.database import Database

CHUNK = 500


class PhotoService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def photos(self, contact_ids: Iterable[int]) -> dict[int, bytes]:
        """The stored photo bytes of those contacts that have one (others are left out)."""
        ids = sorted(set(contact_ids))
        out: dict[int, bytes] = {}
        with self.db.session() as s:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                for cid, photo in s.execute(
                    select(m.Contact.id, m.Contact.photo).where(
                        m.Contact.id.in_(chunk), m.Contact.photo.is_not(None)
                    )
                ):
                    if photo:
                        out[cid] = bytes(photo)
        return out
