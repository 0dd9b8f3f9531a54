"""Team mode: PostgreSQL announces every change (LISTEN/NOTIFY) so teammates' windows refresh.

Statement-level triggers on the tables people edit call pg_notify('planner_changes',
'<table>:<ids or *>:<application_name>') once per statement, with the ids it touched (the
contact's id for a contact's e-mails, tags, ...; `*` when more than 500). SQLite has one user
at a time and gets nothing.

Revision ID: 0009_change_notifications
Revises: 0008_row_versions_and_authors
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0009_change_notifications"
down_revision = "0008_row_versions_and_authors"
branch_labels = None
depends_on = None

# Table -> the column whose values say what changed (planner.db.listen maps tables to kinds).
WATCHED = {
    "contacts": "id",
    "contact_emails": "contact_id",
    "contact_phones": "contact_id",
    "contact_urls": "contact_id",
    "contact_tags": "contact_id",
    "contact_organisations": "contact_id",
    "touchpoints": "id",
    "referrals": "id",
    "follow_ups": "id",
    "event_plans": "id",
    "event_attendees": "event_id",
    "event_goals": "event_id",
    "organisations": "id",
}

FUNCTION = """
CREATE OR REPLACE FUNCTION planner_notify_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    n integer;
    ids text;
    source text := CASE WHEN TG_OP = 'DELETE' THEN 'old_rows' ELSE 'new_rows' END;
BEGIN
    EXECUTE format(
        'SELECT count(*), string_agg(v::text, '','') FROM '
        '(SELECT DISTINCT %I AS v FROM %I LIMIT 501) AS t',
        TG_ARGV[0], source
    ) INTO n, ids;
    IF n = 0 THEN
        RETURN NULL;
    END IF;
    IF n > 500 THEN
        ids := '*';
    END IF;
    PERFORM pg_notify(
        'planner_changes',
        TG_TABLE_NAME || ':' || ids || ':'
            || coalesce(current_setting('application_name', true), '')
    );
    RETURN NULL;
END
$$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    for table, column in WATCHED.items():
        for verb, ref in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            rows = "new_rows" if ref == "NEW" else "old_rows"
            op.execute(
                f"CREATE TRIGGER planner_notify_{verb.lower()} AFTER {verb} ON {table} "
                f"REFERENCING {ref} TABLE AS {rows} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION planner_notify_changes('{column}')"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in WATCHED:
        for verb in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS planner_notify_{verb} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS planner_notify_changes()")
