"""The question bank and the closed-question check."""

from __future__ import annotations

import pytest

from planner.core.errors import ValidationError
from planner.core.questions import (
    STARTER_QUESTIONS,
    QuestionService,
    is_closed_question,
)
from planner.db.database import Database


@pytest.mark.parametrize(
    "text",
    [
        "Do you like it here?",
        "does it scale?",
        "Did you enjoy the keynote?",
        "Is this your first time?",
        "Are you hiring?",
        "Was it worth it?",
        "Were you at last year's?",
        "Can I ask you something?",
        "Could you introduce me?",
        "Will you be at the dinner?",
        "Would you recommend it?",
        "Have you tried it?",
        "Has it changed?",
        "Should I go?",
        "Don't you think so?",
        "  “Isn't it great?”",
        "¿Are you coming?",
    ],
)
def test_closed_questions(text: str) -> None:
    assert is_closed_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "What brought you here?",
        "How did you get started?",
        "Why did you choose that?",
        "Tell me about your work.",
        "Which talk did you like?",
        "Doing anything fun later?",  # "doing" is not "do"
        "Island life suits you?",
        "",
        "   ",
    ],
)
def test_open_questions(text: str) -> None:
    assert not is_closed_question(text)


def test_starters_are_open_and_in_every_new_database(db: Database) -> None:
    assert all(not is_closed_question(text) for text, _ in STARTER_QUESTIONS)
    service = QuestionService(db)
    assert len(service.list()) == len(STARTER_QUESTIONS)
    assert "opener" in service.all_tags()


def test_crud_tags_and_search(db: Database) -> None:
    service = QuestionService(db)
    q = service.create("  What is  the hardest part of your job? ", "work, Work,  craft ")
    assert q.text == "What is the hardest part of your job?"
    assert q.tags == ("work", "craft")
    assert not q.closed
    assert [r.id for r in service.list(tag="CRAFT")] == [q.id]
    assert [r.id for r in service.list(search="hardest")] == [q.id]
    assert service.list(search="nothing like it") == []
    updated = service.update(q.id, "Is it hard?", "yes-no")
    assert updated.closed
    with pytest.raises(ValidationError) as err:
        service.create("   ")
    assert err.value.field == "text"
    record, picks = service.delete(q.id)
    assert q.id not in [r.id for r in service.list()]
    service.restore(record, picks)
    assert service.get(q.id).text == "Is it hard?"
