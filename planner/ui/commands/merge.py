"""Undo command for merging duplicate contacts (Edit > Find duplicates…)."""

from __future__ import annotations

from collections.abc import Sequence

from planner.core.changes import Changes
from planner.core.merge import MergeOutcome, MergeService
from planner.ui.bus import Bus
from planner.ui.commands.base import Command


class MergeContacts(Command):
    """Fold each group's other contacts into its first one: every group in one transaction
    (`MergeService.merge_many`) and one undo step.

    Undo puts every merged contact back with its id and everything that was theirs, again in
    one transaction, last merge first. Undo and redo run off the GUI thread.
    """

    background = True

    def __init__(self, bus: Bus, service: MergeService, groups: Sequence[Sequence[int]]) -> None:
        count = len(groups)
        super().__init__(bus, f"Merge {count} duplicate group{'s' if count != 1 else ''}")
        self.service = service
        self.groups = [list(g) for g in groups]
        self.outcomes: list[MergeOutcome] = []

    def apply(self) -> Changes:
        self.outcomes, changes = self.service.merge_many(self.groups)
        return changes

    def revert(self) -> Changes:
        changes = self.service.undo_many(self.outcomes)
        self.outcomes = []
        return changes
