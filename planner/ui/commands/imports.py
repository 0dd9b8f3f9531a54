"""Undo command for importing contacts (File > Import contacts…)."""

from __future__ import annotations

from planner.core.changes import Changes
from planner.core.importer import ImportOutcome, ImportPreview, ImportService
from planner.ui.bus import Bus
from planner.ui.commands.base import Command

# An import adds or merges thousands of contacts (and their touchpoints): reload them whole.
IMPORT_CHANGES = Changes.all("contacts", "touchpoints", "organisations")


class ImportContacts(Command):
    """The whole import as one undo step. The dialog runs the first import off the GUI
    thread and hands it over with `push_done`; undo and redo run off the GUI thread too:
    taking back 30,000 contacts must not freeze the window."""

    background = True

    def __init__(
        self,
        bus: Bus,
        service: ImportService,
        preview: ImportPreview,
        choices: dict[int, str],
        outcome: ImportOutcome,
        label: str,
        source: str = "",
    ) -> None:
        super().__init__(bus, label)
        self.service = service
        self.preview = preview
        self.choices = choices
        self.outcome = outcome
        self.source = source

    def apply(self) -> Changes:
        self.outcome = self.service.commit(self.preview, self.choices, self.source)
        return IMPORT_CHANGES

    def revert(self) -> Changes:
        self.service.undo(self.outcome)
        return IMPORT_CHANGES
