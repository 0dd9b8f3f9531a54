"""The elevator-pitch library: titled texts with word count and speaking time."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from sqlalchemy import select

from planner.core.errors import NotFoundError, ValidationError
from planner.db import models as m
from planner.db.database import Database

WORDS_PER_MINUTE = 130
_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def speaking_seconds(text: str, words_per_minute: int = WORDS_PER_MINUTE) -> int:
    """Seconds it takes to say `text` aloud at a relaxed pace (about 130 words a minute)."""
    words = word_count(text)
    return math.ceil(words * 60 / words_per_minute) if words else 0


def describe_length(text: str) -> str:
    """'52 words · about 24 s' — shown live under every pitch editor."""
    words = word_count(text)
    seconds = speaking_seconds(text)
    spoken = f"{seconds} s" if seconds < 60 else f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{words} word{'s' if words != 1 else ''} · about {spoken} to say"


@dataclass(frozen=True)
class PitchRecord:
    id: int
    uuid: str
    title: str
    text: str

    @property
    def words(self) -> int:
        return word_count(self.text)


def _record(row: m.Pitch) -> PitchRecord:
    return PitchRecord(row.id, row.uuid, row.title, row.text)


def _validate(title: str) -> str:
    title = title.strip()
    if not title:
        raise ValidationError("title", "Give the pitch a title, e.g. “Data lead, 30 seconds”.")
    if len(title) > 200:
        raise ValidationError("title", "Keep the title under 200 characters.")
    return title


class PitchService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def list(self) -> list[PitchRecord]:
        with self.db.session() as s:
            return [_record(p) for p in s.scalars(select(m.Pitch).order_by(m.Pitch.title))]

    def get(self, pitch_id: int) -> PitchRecord:
        with self.db.session() as s:
            row = s.get(m.Pitch, pitch_id)
            if row is None:
                raise NotFoundError(f"Pitch {pitch_id} no longer exists.")
            return _record(row)

    def create(self, title: str, text: str = "", *, uuid: str | None = None) -> PitchRecord:
        title = _validate(title)
        with self.db.session() as s:
            row = m.Pitch(title=title, text=text.strip())
            if uuid:
                row.uuid = uuid
            s.add(row)
            s.flush()
            return _record(row)

    def update(self, pitch_id: int, title: str, text: str) -> PitchRecord:
        title = _validate(title)
        with self.db.session() as s:
            row = s.get(m.Pitch, pitch_id)
            if row is None:
                raise NotFoundError(f"Pitch {pitch_id} no longer exists.")
            row.title = title
            row.text = text.strip()
            s.flush()
            return _record(row)

    def delete(self, pitch_id: int) -> PitchRecord:
        """Delete from the library; events keep their tailored copy (pitch_text)."""
        with self.db.session() as s:
            row = s.get(m.Pitch, pitch_id)
            if row is None:
                raise NotFoundError(f"Pitch {pitch_id} no longer exists.")
            record = _record(row)
            s.delete(row)
            return record

    def restore(self, record: PitchRecord) -> PitchRecord:
        """Undo a delete: the same id and uuid come back."""
        with self.db.session() as s:
            s.add(m.Pitch(id=record.id, uuid=record.uuid, title=record.title, text=record.text))
        return record
