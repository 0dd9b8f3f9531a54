"""What the Contacts tab reads to fill its list, in one task off the GUI thread: the rows,
their tags and index in the list's sort, and what the filters offer. Plain service calls
and data, safe on a worker thread (no Qt here).

One task, not two at once: SQLite's cursor hands the GIL back and forth for every row, so
two readers (rows and tags) on two cores ping-ponged it and together took longer than one
after the other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planner.core.contacts import ContactService, ContactTable
from planner.core.import_batches import ImportBatchRecord, ImportBatchService
from planner.core.warm_intros import OrganisationChoice, WarmIntroService
from planner.ui.models.contact_columns import sorted_index
from planner.ui.models.contact_rows import RowIndex, index_rows
from planner.ui.tabs.contacts_filters import RECENT_IMPORTS, SetChoice, read_set


@dataclass(frozen=True)
class Loaded:
    """A load's result: the rows with their index, the tag names and the event choices."""

    table: ContactTable
    index: RowIndex
    tag_names: list[str]
    events: list[tuple[int, str, date | None]]
    imports: list[ImportBatchRecord]
    organisations: list[OrganisationChoice]
    # The set filters as they were when the load started, and the ids they let through.
    choice: SetChoice
    only_ids: frozenset[int] | None


def read_list(
    contacts: ContactService,
    imports: ImportBatchService,
    intros: WarmIntroService,
    choice: SetChoice,
    team: bool,
    sort: tuple[int, bool],
) -> Loaded:
    """The rows and everything derived from them or read beside them, so the GUI thread
    only swaps them in (100,000 contacts); `sort` is the list's (column, descending). The
    warm-intro filter's organisations only on a team database (the filter is hidden on a
    personal file)."""
    rows = contacts.list_rows()
    tags = contacts.list_tags()
    return Loaded(
        ContactTable(rows, tags),
        sorted_index(index_rows(rows), rows, tags, *sort),
        contacts.tag_names(),
        contacts.event_choices(),
        imports.recent(RECENT_IMPORTS),
        intros.organisations() if team else [],
        choice,
        read_set(contacts, imports, choice),
    )
