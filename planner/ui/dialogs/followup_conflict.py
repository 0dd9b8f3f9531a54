"""A follow-up save that met a teammate's newer version: what to save over theirs.

Fields only one side changed merge by themselves; a field both changed asks (the shared
conflict dialog: Keep mine / Take theirs / per field). Nothing of theirs is lost silently.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from planner.core.conflicts import describe, find_conflict
from planner.core.followups import FollowUpDraft, FollowUpService
from planner.core.records import FollowUpRecord
from planner.core.visibility import VISIBILITY_LABELS
from planner.core.vocab import CHANNELS
from planner.ui.dates import short_date
from planner.ui.dialogs.conflict_dialog import ConflictDialog, value_text

# The fields a person edits in the follow-up dialog (the draft's and the record's names).
EDITED = (
    "contact_id",
    "due_date",
    "due_time",
    "time_zone",
    "channel",
    "purpose",
    "notes",
    "owner",
    "visibility",
)


def edited_fields(seen: FollowUpRecord, draft: FollowUpDraft) -> dict[str, Any]:
    """What the user changed in the dialog, against the copy they opened (owner and
    visibility are None outside team mode: left as they are)."""
    return {
        f: getattr(draft, f)
        for f in EDITED
        if getattr(draft, f) is not None and getattr(draft, f) != getattr(seen, f)
    }


def draft_of(record: FollowUpRecord, values: dict[str, Any]) -> FollowUpDraft:
    """The record as a draft, with `values` written over it."""
    base = FollowUpDraft(
        contact_id=record.contact_id,
        due_date=record.due_date,
        due_time=record.due_time,
        time_zone=record.time_zone,
        channel=record.channel,
        purpose=record.purpose,
        notes=record.notes,
        origin=record.origin,
        event_id=record.event_id,
        owner=record.owner,
        visibility=record.visibility,
    )
    return replace(base, **values)


def resolve_followup_conflict(
    parent: QWidget,
    service: FollowUpService,
    seen: FollowUpRecord,
    draft: FollowUpDraft,
    current: FollowUpRecord,
) -> tuple[FollowUpDraft | None, str]:
    """The draft to save over `current` (None: keep theirs, save nothing) and what to say."""
    mine = edited_fields(seen, draft)
    conflict = find_conflict(seen, current, mine)
    headline = describe(conflict, "follow-up")
    if not mine:
        return None, f"{headline}. You had changed nothing; their version is shown."
    if conflict.clashing:
        dialog = ConflictDialog(conflict, "follow-up", parent, show=_shower(service))
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        wanted = dialog.choice() if accepted else {}
        dialog.deleteLater()
        if not wanted:
            return None, f"{headline}. Their version was kept; nothing of yours was saved."
        return draft_of(current, wanted), f"{headline}. Saved your choice over their version."
    return draft_of(current, mine), f"{headline}. Your change was added to theirs."


def _shower(service: FollowUpService) -> Any:
    """How the conflict dialog shows a follow-up's values (names, not ids)."""

    def show(key: str, value: Any) -> str:
        if key == "contact_id":
            if value is None:
                return "(no contact)"
            choice = service.contact(int(value))
            return choice.name if choice is not None else "(deleted contact)"
        if key == "channel":
            return CHANNELS.get(str(value), "Any") if value else "Any"
        if isinstance(value, date):
            return short_date(value)
        if isinstance(value, time):
            return value.strftime("%H:%M")
        if key == "due_time" and value is None:
            return "All day"
        if key == "visibility":
            return VISIBILITY_LABELS.get(str(value), str(value))
        return value_text(value)

    return show
