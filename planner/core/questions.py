"""The question bank: open-ended questions to ask at events, tagged; a closed-question check."""

from __future__ import annotations

import builtins
import re
from dataclasses import dataclass

from sqlalchemy import select

from planner.core.errors import NotFoundError, ValidationError
from planner.core.text import fold
from planner.db import models as m
from planner.db.database import Database
from planner.db.starter import STARTER_QUESTIONS as STARTER_QUESTIONS

# Words that open a yes/no question; such questions tend to end a conversation.
CLOSED_OPENERS = frozenset(
    """
    do does did don't doesn't didn't is isn't are aren't was wasn't were weren't am
    can can't could couldn't will won't would wouldn't have haven't has hasn't had hadn't
    should shouldn't shall may might must
    """.split()
)

_FIRST_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def is_closed_question(text: str) -> bool:
    """True when the question starts like a yes/no question ("Do you…", "Is it…", "Can…")."""
    match = _FIRST_WORD.search(text.strip().lstrip("¿¡\"'“‘(["))
    if not match:
        return False
    first = match.group(0).casefold().replace("’", "'")
    return first in CLOSED_OPENERS


def split_tags(tags: str) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for part in tags.split(","):
        tag = " ".join(part.split())
        if tag and fold(tag) not in seen:
            seen[fold(tag)] = tag
    return tuple(seen.values())


@dataclass(frozen=True)
class QuestionRecord:
    id: int
    uuid: str
    text: str
    tags: tuple[str, ...] = ()

    @property
    def closed(self) -> bool:
        return is_closed_question(self.text)


def _record(row: m.Question) -> QuestionRecord:
    return QuestionRecord(row.id, row.uuid, row.text, split_tags(row.tags))


def _validate(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise ValidationError("text", "Type the question you want to ask.")
    return text


class QuestionService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def list(self, search: str = "", tag: str = "") -> list[QuestionRecord]:
        with self.db.session() as s:
            rows = [_record(q) for q in s.scalars(select(m.Question).order_by(m.Question.id))]
        needle = fold(search)
        wanted = fold(tag)
        return [
            q
            for q in rows
            if (not needle or needle in fold(q.text + " " + " ".join(q.tags)))
            and (not wanted or wanted in {fold(t) for t in q.tags})
        ]

    def all_tags(self) -> builtins.list[str]:
        tags: dict[str, str] = {}
        for q in self.list():
            for t in q.tags:
                tags.setdefault(fold(t), t)
        return sorted(tags.values(), key=fold)

    def get(self, question_id: int) -> QuestionRecord:
        with self.db.session() as s:
            row = s.get(m.Question, question_id)
            if row is None:
                raise NotFoundError(f"Question {question_id} no longer exists.")
            return _record(row)

    def create(self, text: str, tags: str = "") -> QuestionRecord:
        text = _validate(text)
        with self.db.session() as s:
            row = m.Question(text=text, tags=", ".join(split_tags(tags)))
            s.add(row)
            s.flush()
            return _record(row)

    def update(self, question_id: int, text: str, tags: str) -> QuestionRecord:
        text = _validate(text)
        with self.db.session() as s:
            row = s.get(m.Question, question_id)
            if row is None:
                raise NotFoundError(f"Question {question_id} no longer exists.")
            row.text = text
            row.tags = ", ".join(split_tags(tags))
            s.flush()
            return _record(row)

    def delete(self, question_id: int) -> tuple[QuestionRecord, tuple[tuple[int, int], ...]]:
        """Returns what restore() needs: the question and its (event id, position) picks."""
        with self.db.session() as s:
            row = s.get(m.Question, question_id)
            if row is None:
                raise NotFoundError(f"Question {question_id} no longer exists.")
            picks = tuple(
                (eq.event_id, eq.position)
                for eq in s.scalars(
                    select(m.EventQuestion).where(m.EventQuestion.question_id == question_id)
                )
            )
            record = _record(row)
            s.delete(row)
            return record, picks

    def restore(self, record: QuestionRecord, picks: tuple[tuple[int, int], ...] = ()) -> None:
        with self.db.session() as s:
            s.add(
                m.Question(
                    id=record.id, uuid=record.uuid, text=record.text, tags=", ".join(record.tags)
                )
            )
            s.flush()
            for event_id, position in picks:
                if s.get(m.EventPlan, event_id) is not None:
                    s.add(
                        m.EventQuestion(event_id=event_id, question_id=record.id, position=position)
                    )
