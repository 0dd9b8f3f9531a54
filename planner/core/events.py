"""Event plans: the plan (details, goals, pitch, questions, people, checklist) and the aftermath
(who was met, takeaways, follow-ups). Every change to a plan bumps its iCalendar SEQUENCE.

`EventService` is the one entry point; each part lives in the module named for what it does:
event_plans (list, read, create, edit, delete, undo), event_plan_items (goals, pitch,
questions, people to meet, checklist), event_attendance (who was met), event_followups.
The records callers use come from here too.
"""

from __future__ import annotations

from planner.core.contact_choices import ContactChoice, find_contacts
from planner.core.event_attendance import EventAttendance
from planner.core.event_fields import EDITABLE_FIELDS, time_zone_names
from planner.core.event_followups import EventFollowUps
from planner.core.event_plan_items import EventPlanItems
from planner.core.event_plans import EventPlans
from planner.core.event_records import (
    AttendeeRecord,
    ChecklistItemRecord,
    EventDetail,
    EventListRow,
    GoalRecord,
    MetResult,
    PersonToMeetRecord,
    PlanSnapshot,
    Rows,
    days_until,
    event_day,
    format_cost,
    quick_add_defaults,
)
from planner.db.starter import STARTER_CHECKLIST

__all__ = [
    "EDITABLE_FIELDS",
    "STARTER_CHECKLIST",
    "AttendeeRecord",
    "ChecklistItemRecord",
    "ContactChoice",
    "EventDetail",
    "EventListRow",
    "EventService",
    "GoalRecord",
    "MetResult",
    "PersonToMeetRecord",
    "PlanSnapshot",
    "Rows",
    "days_until",
    "event_day",
    "find_contacts",
    "format_cost",
    "quick_add_defaults",
    "time_zone_names",
]


class EventService(EventPlans, EventPlanItems, EventAttendance, EventFollowUps):
    """Everything about event plans, one transaction per call; each returns what it changed."""
