"""Indexes on foreign keys and the overview's monthly counts.

Without them SQLite scanned whole tables for every deleted contact (each ON DELETE rule looks
up the referencing rows): 5,000 deletes among 100,000 contacts took minutes.

Revision ID: 0003_foreign_key_indexes
Revises: 0002_organisations
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0003_foreign_key_indexes"
down_revision = "0002_organisations"
branch_labels = None
depends_on = None

INDEXES: list[tuple[str, str, list[str]]] = [
    ("ix_contacts_how_met_event_id", "contacts", ["how_met_event_id"]),
    ("ix_contacts_referred_by_id", "contacts", ["referred_by_id"]),
    ("ix_contacts_created_at", "contacts", ["created_at"]),
    ("ix_referrals_other_contact_id", "referrals", ["other_contact_id"]),
    ("ix_event_goals_contact_id", "event_goals", ["contact_id"]),
    ("ix_event_people_to_meet_contact_id", "event_people_to_meet", ["contact_id"]),
    ("ix_event_attendees_touchpoint_id", "event_attendees", ["touchpoint_id"]),
    ("ix_event_plans_pitch_id", "event_plans", ["pitch_id"]),
    ("ix_follow_ups_event_id", "follow_ups", ["event_id"]),
    ("ix_event_questions_question_id", "event_questions", ["question_id"]),
    ("ix_touchpoints_occurred_kind", "touchpoints", ["occurred_on", "kind"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
