"""EventService: plans, goals with computed progress, meeting people, follow-ups, undo data."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from planner.core.contact_rows import new_contact
from planner.core.errors import ValidationError
from planner.core.events import STARTER_CHECKLIST, EventService, format_cost
from planner.core.pitches import PitchService, describe_length, speaking_seconds, word_count
from planner.core.questions import QuestionService
from planner.db import models as m
from planner.db.database import Database, open_database

START = datetime(2026, 5, 12, 9, 0)


def _contact(db: Database, name: str, **fields: object) -> int:
    with db.session() as s:
        return new_contact(s, name, **fields).id  # type: ignore[arg-type]


def _event(service: EventService, name: str = "FinTech Forum 2026", **fields: object) -> int:
    return service.create(
        name,
        event_type="conference",
        starts_local=START,
        ends_local=START + timedelta(days=1, hours=8),
        time_zone="Europe/Lisbon",
        venue="FIL Lisbon",
        **fields,
    )[0].id


def test_create_validates_and_starts_a_checklist(db: Database) -> None:
    service = EventService(db)
    event_id = _event(service, cost_cents=49900, currency="eur")
    detail = service.detail(event_id)
    assert detail.event.currency == "EUR"
    assert [c.text for c in detail.checklist] == list(STARTER_CHECKLIST)
    assert format_cost(detail.event.cost_cents, detail.event.currency) == "499.00 EUR"
    for field, kwargs in [
        ("name", {"name": "  "}),
        ("time_zone", {"time_zone": "Mars/Olympus"}),
        ("currency", {"currency": "euro"}),
        ("cost", {"cost_cents": -1}),
        ("ends_local", {"ends_local": START - timedelta(hours=1)}),
        ("status", {"status": "maybe"}),
    ]:
        with pytest.raises(ValidationError) as err:
            service.update(event_id, **kwargs)
        assert err.value.field == field
    assert service.get(event_id).name == "FinTech Forum 2026"


def test_every_change_bumps_sequence(db: Database) -> None:
    service = EventService(db)
    event_id = _event(service)
    seq = service.get(event_id).sequence
    service.update(event_id, takeaways="Open banking is moving fast")
    item = service.add_checklist_item(event_id, "Charge the phone")[0]
    service.update_checklist_item(item.id, done=True)
    goal = service.add_goal(event_id, "meet_new", target=3)[0]
    service.remove_goal(goal.id)
    assert service.get(event_id).sequence == seq + 5
    service.update(event_id, takeaways="Open banking is moving fast")  # no change
    assert service.get(event_id).sequence == seq + 5


def test_list_order_filters_and_search(db: Database) -> None:
    service = EventService(db)
    today = date(2026, 3, 1)
    past_old = service.create("Old meetup", starts_local=datetime(2025, 1, 1, 18, 0))[0].id
    past_new = service.create("Recent seminar", starts_local=datetime(2026, 2, 1, 9, 0))[0].id
    soon = service.create("Soon", starts_local=datetime(2026, 3, 5, 9, 0), status="registered")[
        0
    ].id
    later = service.create(
        "Later", starts_local=datetime(2026, 9, 1, 9, 0), venue="Zoë's Café", event_type="meetup"
    )[0].id
    undated = service.create("Someday idea")[0].id
    ids = [r.id for r in service.list(today=today)]
    assert ids == [soon, later, undated, past_new, past_old]
    assert [r.id for r in service.list(status="registered", today=today)] == [soon]
    assert [r.id for r in service.list(event_type="meetup", today=today)] == [later]
    assert [r.id for r in service.list(search="zoe", today=today)] == [later]
    service.update(past_old, description="Great pizza")
    assert [r.id for r in service.list(search="PIZZA", today=today)] == [past_old]


def test_meet_people_goals_and_followups_twice(db: Database) -> None:
    service = EventService(db)
    event_id = _event(service)
    mentor = _contact(db, "Grace Hopper", industry="Fintech", relationship="mentor")
    known = _contact(db, "Old Friend", industry="Retail")
    with db.session() as s:
        s.add(
            m.Touchpoint(
                contact_id=known, occurred_on=date(2025, 1, 1), channel="call", kind="caught_up"
            )
        )
    meet = service.add_goal(event_id, "meet_new", target=2, industry="fintech")[0]
    talk = service.add_goal(event_id, "talk_to", contact_id=mentor)[0]
    learn = service.add_goal(event_id, "learn_about", topic="open banking")[0]
    assert talk.label == "Talk to Grace Hopper"
    assert meet.label == "Meet 2 new people in fintech"

    r1 = service.mark_met(event_id, contact_id=mentor, note="Talked about mentoring")[0]
    assert not r1.contact_created and r1.is_new
    r2 = service.mark_met(event_id, quick_add="Ana Ruiz, Globex, Head of Data", note="Fraud ML")[0]
    assert r2.contact_created and r2.is_new
    r3 = service.mark_met(event_id, contact_id=known)[0]
    assert not r3.is_new
    with pytest.raises(ValidationError):
        service.mark_met(event_id, contact_id=mentor)
    with pytest.raises(ValidationError) as err:
        service.mark_met(event_id, quick_add=" , Globex")
    assert err.value.field == "quick_add"

    with db.session() as s:
        ana = s.get(m.Contact, r2.contact_id)
        assert ana is not None
        assert (ana.name, ana.organisation, ana.role) == ("Ana Ruiz", "Globex", "Head of Data")
        assert ana.how_met_kind == "event" and ana.how_met_event_id == event_id
        assert ana.last_touch_on == START.date()
        assert "globex" in ana.search_text
        touch = s.get(m.Touchpoint, r2.touchpoint_id)
        assert touch is not None
        assert (touch.kind, touch.channel, touch.occurred_on) == ("met", "in_person", START.date())
        assert touch.note == "Fraud ML"
        ana.industry = "FinTech"

    goals = {g.id: g for g in service.goals(event_id)}
    assert goals[meet.id].progress == 2 and goals[meet.id].done  # Grace + Ana, not Old Friend
    assert goals[talk.id].progress == 1
    assert goals[learn.id].progress == 0 and not goals[learn.id].computed
    service.set_goal_progress(learn.id, 1)
    assert {g.id: g for g in service.goals(event_id)}[learn.id].done

    made = service.create_followups(event_id, 3)[0]
    assert len(made) == 3
    due = (START + timedelta(days=1)).date() + timedelta(days=3)
    assert {f.due_date for f in made} == {due}
    assert all(f.purpose == "Follow up after FinTech Forum 2026" for f in made)
    assert all(f.origin == "event" and f.event_id == event_id and f.status == "open" for f in made)
    assert service.create_followups(event_id, 3)[0] == []
    with db.session() as s:
        assert s.scalar(select(func.count(m.FollowUp.id))) == 3
    assert [e.id for e in service.events_for_contact(mentor)] == [event_id]


def test_unmark_and_restore_keeps_ids(db: Database) -> None:
    service = EventService(db)
    event_id = _event(service)
    result = service.mark_met(event_id, quick_add="Zoë Ørsted, Acme")[0]
    rows = service.unmark_met(result.attendee_id, delete_contact=True)[0]
    with db.session() as s:
        assert s.get(m.Contact, result.contact_id) is None
    service.restore(rows)
    detail = service.detail(event_id)
    assert [(a.id, a.contact_id, a.contact_name) for a in detail.attendees] == [
        (result.attendee_id, result.contact_id, "Zoë Ørsted")
    ]
    with db.session() as s:
        contact = s.get(m.Contact, result.contact_id)
        assert contact is not None and contact.last_touch_on == START.date()

    made = service.create_followups(event_id, 2)[0]
    gone = service.remove_followups([f.id for f in made])[0]
    assert service.create_followups(event_id, 2)[0] != []  # removed, so it can be made again
    with db.session() as s:
        s.query(m.FollowUp).delete()
    service.restore(gone)
    with db.session() as s:
        assert s.scalar(select(m.FollowUp.id)) == made[0].id


def test_delete_restore_and_plan_snapshot(db: Database) -> None:
    service = EventService(db)
    event_id = _event(service)
    contact = _contact(db, "Grace Hopper")
    questions = [q.id for q in QuestionService(db).list()[:3]]
    service.set_questions(event_id, questions)
    service.add_person(event_id, contact, "Ask about mentoring")
    service.mark_met(event_id, contact_id=contact)
    before = service.plan_snapshot(event_id)
    service.add_goal(event_id, "custom", description="Collect 10 cards", target=10)
    service.update(event_id, name="Renamed")
    service.restore_plan(before)
    detail = service.detail(event_id)
    assert detail.event.name == "FinTech Forum 2026" and detail.goals == ()
    assert [q.id for q in detail.questions] == questions

    rows = service.delete(event_id)[0]
    with db.session() as s:
        assert s.get(m.Contact, contact).how_met_event_id is None  # type: ignore[union-attr]
        assert s.scalar(select(func.count(m.EventAttendee.id))) == 0
    service.restore(rows)
    again = service.detail(event_id)
    assert again.event.uuid == detail.event.uuid
    assert [p.contact_id for p in again.people] == [contact]
    assert again.people[0].met
    assert len(again.attendees) == 1
    with db.session() as s:
        touch = s.scalar(select(m.Touchpoint))
        assert touch is not None and touch.event_id == event_id


def test_pitch_library_and_tailoring(db: Database) -> None:
    pitches = PitchService(db)
    service = EventService(db)
    text = "I help small banks spot fraud sooner. " * 5
    pitch = pitches.create("Data lead", text)
    assert word_count("I'm a data-lead, really.") == 4
    assert speaking_seconds("word " * 130) == 60
    assert describe_length("one two") == "2 words · about 1 s to say"
    event_id = _event(service)
    service.choose_pitch(event_id, pitch.id)
    service.update(event_id, pitch_text="Tailored for fintech.")
    assert pitches.get(pitch.id).text == text.strip()
    assert service.detail(event_id).pitch_title == "Data lead"
    assert service.get(event_id).pitch_text == "Tailored for fintech."


def test_survives_reopen(db_target: Path | str) -> None:
    db = open_database(db_target)
    service = EventService(db)
    event_id = _event(service)
    service.add_goal(event_id, "meet_new", target=4)
    service.mark_met(event_id, quick_add="Ana Ruiz, Globex")
    db.close()
    db = open_database(db_target)
    try:
        detail = EventService(db).detail(event_id)
        assert detail.goals[0].progress == 1
        assert detail.attendees[0].contact_name == "Ana Ruiz"
    finally:
        db.close()


def test_find_contacts_all_words_name_starts_first(db: Database) -> None:
    from planner.core.events import find_contacts

    _contact(db, "Bob Analyst", role="Sales")
    _contact(db, "Ana Ruiz", organisation="Globex")
    _contact(db, "Zoë 100% Real", organisation="Acme")
    assert [c.name for c in find_contacts(db, "ana")] == ["Ana Ruiz", "Bob Analyst"]
    assert [c.name for c in find_contacts(db, "ana globex")] == ["Ana Ruiz"]
    assert [c.name for c in find_contacts(db, "100%")] == ["Zoë 100% Real"]
    assert [c.name for c in find_contacts(db, "zoe")] == ["Zoë 100% Real"]
    assert len(find_contacts(db, "")) == 3
