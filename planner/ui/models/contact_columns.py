"""The contacts list's columns and what each one sorts by, kept apart from the model so the
tab, the column fitting and the model name them one way."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from planner.core.text import fold
from planner.core.vocab import RELATIONSHIPS
from planner.ui.models.contact_rows import (
    R_CADENCE,
    R_ID,
    R_LAST,
    R_NAME,
    R_NEXT,
    R_ORGANISATION,
    R_RELATIONSHIP,
    R_ROLE,
    RowIndex,
)

(
    COL_NAME,
    COL_ORGANISATION,
    COL_ROLE,
    COL_RELATIONSHIP,
    COL_TAGS,
    COL_LAST,
    COL_NEXT,
    COL_CADENCE,
    COL_KNOWN_BY,
) = range(9)
HEADERS = (
    "Name",
    "Organisation",
    "Role",
    "Relationship",
    "Tags",
    "Last contact",
    "Next touch due",
    "Cadence",
    # Shown with the warm-intro filter: the teammates who know the contact.
    "Known by",
)
# Columns shown as their row field, untouched.
AS_IS = {COL_NAME: R_NAME, COL_ORGANISATION: R_ORGANISATION, COL_ROLE: R_ROLE}
# Row fields a sort by each column reads: when they did not change, neither did the order.
SORTED_BY = {
    COL_ORGANISATION: R_ORGANISATION,
    COL_ROLE: R_ROLE,
    COL_RELATIONSHIP: R_RELATIONSHIP,
    COL_LAST: R_LAST,
    COL_NEXT: R_NEXT,
    COL_CADENCE: R_CADENCE,
}


def sort_keys(
    rows: Sequence[Sequence[Any]],
    column: int,
    tags_of: dict[int, tuple[str, ...]],
    known: dict[int, str],
) -> list[Any]:
    """One key per row for sorting by `column` (None for an empty value, shown last)."""
    if column in (COL_ORGANISATION, COL_ROLE):
        cache: dict[str, str | None] = {}
        attr = 2 if column == COL_ORGANISATION else 3
        keys = []
        for row in rows:
            value = row[attr]
            key = cache.get(value)
            if key is None and value not in cache:
                key = cache[value] = fold(value) or None
            keys.append(key)
        return keys
    if column == COL_RELATIONSHIP:
        labels = {k: v.casefold() for k, v in RELATIONSHIPS.items()}
        return [labels.get(row[R_RELATIONSHIP], row[R_RELATIONSHIP]) for row in rows]
    if column == COL_TAGS:
        return [
            ", ".join(tags_of[row[R_ID]]).casefold() if row[R_ID] in tags_of else None
            for row in rows
        ]
    if column == COL_LAST:
        return [row[R_LAST] for row in rows]
    if column == COL_NEXT:
        return [row[R_NEXT] for row in rows]
    if column == COL_CADENCE:
        return [row[R_CADENCE] or None for row in rows]
    if column == COL_KNOWN_BY:
        if not known:  # no warm-intro answer: nobody is known by anyone
            return [None] * len(rows)
        return [known.get(row[R_ID]) or None for row in rows]
    return []


def sorted_index(
    index: RowIndex,
    rows: Sequence[Sequence[Any]],
    tags_of: dict[int, tuple[str, ...]],
    column: int,
    descending: bool,
) -> RowIndex:
    """`index` with the order for sorting by `column`, for the loading thread: 100,000 keys
    and a sort cost the GUI thread tens of ms. Known by as with no warm-intro answer (the
    list sorts again when it has one)."""
    if not 0 <= column < len(HEADERS):
        return index
    keys = None if column == COL_NAME else sort_keys(rows, column, tags_of, {})
    order = sorted_order(index.name_order, keys, descending)
    if index.in_place and column == COL_NAME and not descending:
        texts = index.texts
    else:
        texts = list(map(index.texts.__getitem__, order))
    return replace(index, sorted_by=(column, descending), keys=keys, order=order, order_texts=texts)


def sorted_order(name_order: list[int], keys: list[Any] | None, descending: bool) -> list[int]:
    """Row positions in the list's order: by name (`keys` None) or by a column's keys
    (sort_keys), name order breaking ties. The one sort of the loading thread and the model."""
    if keys is None:
        return name_order[::-1] if descending else list(name_order)
    return order_by_keys(name_order, keys, descending)


def order_by_keys(base: list[int], keys: list[Any], descending: bool) -> list[int]:
    """`base` (row positions in name order) sorted by `keys`, stable, empty values last in
    both directions: "no last contact" is not the oldest one."""
    filled = [i for i in base if keys[i] is not None]
    empty = [i for i in base if keys[i] is None]
    filled.sort(key=keys.__getitem__, reverse=descending)
    return filled + empty
