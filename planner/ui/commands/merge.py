"""Undo command for merging duplicate contacts (Edit > Find duplicates…)."""

from __future__ import annotations

from collections.abc import Sequence

from planner.core.changes import Changes
from planner.core.merge import MergeOutcome, MergeService
from planner.ui.bus import Bus
from planner.ui.commands.base import Command

# Rows a merge re-points at the kept contact, by table: the kind a view reloads for them.
_KIND_OF_TABLE = {"touchpoints": "touchpoints", "follow_ups": "follow_ups",
                  "referrals": "referrals"}  # fmt: skip


def merge_changes(outcomes: Sequence[MergeOutcome]) -> Changes:
    """What merges touched: the contacts, the rows that moved, and the events and
    organisations they are linked to (named as a whole: attendee rows do not name events)."""
    contacts: set[int] = set()
    ids: dict[str, set[int]] = {}
    whole: set[str] = set()
    for outcome in outcomes:
        contacts.update((outcome.keep_id, *outcome.merged_ids))
        for table, _column, _old, row_ids in outcome.moved:
            kind = _KIND_OF_TABLE.get(table)
            if kind is not None:
                ids.setdefault(kind, set()).update(row_ids)
        for table, *_rest in (*outcome.moved, *outcome.removed, *outcome.added_links):
            if table.startswith("event_"):
                whole.add("events")
            elif table == "contact_organisations":
                whole.add("organisations")
    changes = Changes.of(contacts=contacts, **ids)  # type: ignore[arg-type]
    return changes | Changes.all(*whole) if whole else changes  # type: ignore[arg-type]


class MergeContacts(Command):
    """Fold each group's other contacts into its first one; one undo step for all groups.

    Undo puts every merged contact back with its id and everything that was theirs, last
    merge first.
    """

    def __init__(self, bus: Bus, service: MergeService, groups: Sequence[Sequence[int]]) -> None:
        count = len(groups)
        super().__init__(bus, f"Merge {count} duplicate group{'s' if count != 1 else ''}")
        self.service = service
        self.groups = [list(g) for g in groups]
        self.outcomes: list[MergeOutcome] = []

    def apply(self) -> Changes:
        self.outcomes = []
        try:
            for group in self.groups:
                self.outcomes.append(self.service.merge(group[0], group[1:]))
        except Exception:
            # A group that cannot be merged now (a contact deleted meanwhile): take back
            # the ones done, so the step is all or nothing.
            for outcome in reversed(self.outcomes):
                self.service.undo(outcome)
            self.outcomes = []
            raise
        return merge_changes(self.outcomes)

    def revert(self) -> Changes:
        done, self.outcomes = self.outcomes, []
        for outcome in reversed(done):
            self.service.undo(outcome)
        return merge_changes(done)
