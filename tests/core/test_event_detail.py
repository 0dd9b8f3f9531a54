"""An event read whole (core.event_detail): goal progress counted from the people met, who
of the people to meet was met, who has a follow-up; on a real database file."""

from __future__ import annotations

from datetime import date

from planner.core.contact_rows import new_contact
from planner.core.event_detail import read_detail
from planner.db import models as m
from planner.db.database import Database


def test_read_detail_counts_goals_from_the_people_met(db: Database) -> None:
    with db.session() as s:
        event = m.EventPlan(name="Forum")
        ana = new_contact(s, "Ana Ruiz", industry="Fintech")
        bo = new_contact(s, "Bo Lind", industry="Retail")
        cy = new_contact(s, "Cy Park")
        s.add(event)
        s.flush()
        s.add_all(
            [
                m.EventAttendee(event_id=event.id, contact_id=ana.id, is_new=True, note="CTO"),
                m.EventAttendee(event_id=event.id, contact_id=bo.id, is_new=True),
                m.EventGoal(
                    event_id=event.id, kind="meet_new", target=2, industry="fin", position=0
                ),
                m.EventGoal(event_id=event.id, kind="talk_to", contact_id=cy.id, position=1),
                m.EventPersonToMeet(event_id=event.id, contact_id=bo.id, reason="retail"),
                m.EventChecklistItem(event_id=event.id, text="Print cards", position=0),
                m.FollowUp(
                    contact_id=ana.id,
                    due_date=date(2026, 5, 20),
                    purpose="Follow up",
                    status="open",
                    origin="event",
                    event_id=event.id,
                ),
            ]
        )
        s.flush()
        detail = read_detail(s, event)
    meet, talk = detail.goals
    assert (meet.progress, meet.computed, meet.done) == (1, True, False)
    assert (talk.contact_name, talk.progress) == ("Cy Park", 0)
    assert [(p.contact_name, p.met) for p in detail.people] == [("Bo Lind", True)]
    assert [(a.contact_name, a.has_followup) for a in detail.attendees] == [
        ("Ana Ruiz", True),
        ("Bo Lind", False),
    ]
    assert [c.text for c in detail.checklist] == ["Print cards"]
    assert detail.event.name == "Forum" and detail.pitch_title == ""
