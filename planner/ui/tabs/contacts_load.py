"""What the Contacts tab reads to fill its list, off the GUI thread: the rows with their
index in one task, what is read beside them (tags, filter choices) in another, at the same
time. SQLite works without the GIL, so on two cores the second task costs the first almost
nothing. Plain service calls and data, safe on a worker thread (no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from planner.core.contacts import ContactService, ContactTable
from planner.core.import_batches import ImportBatchRecord, ImportBatchService
from planner.core.warm_intros import OrganisationChoice, WarmIntroService
from planner.ui.models.contact_columns import COL_TAGS, sorted_index
from planner.ui.models.contact_rows import RowIndex, index_rows
from planner.ui.tabs.contacts_filters import RECENT_IMPORTS, SetChoice, read_set


@dataclass(frozen=True)
class Rows:
    """The rows' task's result: the rows in name order and their index in the list's
    sort; their tags too when the list is sorted by them."""

    rows: list[tuple[Any, ...]]
    tags: dict[int, tuple[str, ...]] | None
    index: RowIndex


@dataclass(frozen=True)
class Rest:
    """What is read beside the rows: their tags (unless the rows' task read them), the tag
    names, the event choices, the recent imports and the warm-intro organisations."""

    tags: dict[int, tuple[str, ...]] | None
    tag_names: list[str]
    events: list[tuple[int, str, date | None]]
    imports: list[ImportBatchRecord]
    organisations: list[OrganisationChoice]
    # The set filters as they were when the load started, and the ids they let through.
    choice: SetChoice
    only_ids: frozenset[int] | None


@dataclass(frozen=True)
class Loaded:
    """A load's result: the rows with their tags and index, and the rest."""

    table: ContactTable
    index: RowIndex
    rest: Rest


def rows_need_tags(sort: tuple[int, bool]) -> bool:
    """Sorting by tags needs them with the rows: then the rows' task reads them too."""
    return sort[0] == COL_TAGS


def read_rows(contacts: ContactService, sort: tuple[int, bool]) -> Rows:
    """The rows and their index in the list's sort, (column, descending), so the GUI
    thread only swaps them in (100,000 contacts)."""
    rows = contacts.list_rows()
    tags = contacts.list_tags() if rows_need_tags(sort) else None
    return Rows(rows, tags, sorted_index(index_rows(rows), rows, tags or {}, *sort))


def read_rest(
    contacts: ContactService,
    imports: ImportBatchService,
    intros: WarmIntroService,
    choice: SetChoice,
    team: bool,
    sort: tuple[int, bool],
) -> Rest:
    """What the list shows beside the rows. The warm-intro filter's organisations only on a
    team database (the filter is hidden on a personal file)."""
    return Rest(
        None if rows_need_tags(sort) else contacts.list_tags(),
        contacts.tag_names(),
        contacts.event_choices(),
        imports.recent(RECENT_IMPORTS),
        intros.organisations() if team else [],
        choice,
        read_set(contacts, imports, choice),
    )


def combine(rows: object, rest: object) -> Loaded | BaseException:
    """Both tasks' results as one load, or the first one's error."""
    for part in (rows, rest):
        if isinstance(part, BaseException):
            return part
    assert isinstance(rows, Rows) and isinstance(rest, Rest)
    tags = rows.tags if rows.tags is not None else rest.tags
    return Loaded(ContactTable(rows.rows, tags or {}), rows.index, rest)
