"""What a plan holds (core.event_plan_items): goals, the pitch, questions, people to meet and
the checklist, each change bumping the SEQUENCE; on a real database file."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from planner.core.contact_rows import new_contact
from planner.core.errors import NotFoundError, ValidationError
from planner.core.event_plan_items import EventPlanItems
from planner.db import models as m
from planner.db.database import Database


def _setup(db: Database) -> tuple[int, int, int, int]:
    with db.session() as s:
        event = m.EventPlan(name="Forum")
        ana = new_contact(s, "Ana Ruiz", organisation="Globex")
        pitch = m.Pitch(title="Short", text="I help teams ship.")
        question = m.Question(text="What keeps you busy?")
        s.add_all([event, pitch, question])
        s.flush()
        return event.id, ana.id, pitch.id, question.id


def test_goals_pitch_questions_people_checklist(db: Database) -> None:
    event_id, ana_id, pitch_id, question_id = _setup(db)
    items = EventPlanItems(db)
    goal, changes = items.add_goal(event_id, "talk_to", contact_id=ana_id)
    assert (goal.label, goal.progress, goal.target) == ("Talk to Ana Ruiz", 0, 1)
    assert changes.events == frozenset({event_id})
    custom, _ = items.add_goal(event_id, "custom", description="Find a mentor")
    moved, _ = items.set_goal_progress(custom.id, 1)
    assert moved.progress == 1 and moved.position == goal.position + 1
    record, _ = items.choose_pitch(event_id, pitch_id)
    assert record.pitch_text == "I help teams ship."
    items.set_questions(event_id, [question_id, question_id, 404])
    person, _ = items.add_person(event_id, ana_id, "Ask about Globex")
    assert (person.contact_name, person.met) == ("Ana Ruiz", False)
    with pytest.raises(ValidationError):
        items.add_person(event_id, ana_id)
    item, _ = items.add_checklist_item(event_id, "  Print   cards ")
    done, _ = items.update_checklist_item(item.id, done=True)
    assert (done.text, done.done) == ("Print cards", True)
    items.remove_goal(custom.id)
    with pytest.raises(NotFoundError):
        items.set_goal_progress(custom.id, 2)
    with db.session() as s:
        event = s.get(m.EventPlan, event_id)
        assert event is not None and event.sequence == 9
        assert s.scalars(select(m.EventQuestion.question_id)).all() == [question_id]


def test_goal_checks_name_the_field(db: Database) -> None:
    event_id, _ana, _pitch, _question = _setup(db)
    items = EventPlanItems(db)
    for kind, kwargs, field in [
        ("talk_to", {}, "contact"),
        ("custom", {}, "description"),
        ("meet_new", {"target": 0}, "target"),
        ("party", {}, "kind"),
    ]:
        with pytest.raises(ValidationError) as err:
            items.add_goal(event_id, kind, **kwargs)  # type: ignore[arg-type]
        assert err.value.field == field
