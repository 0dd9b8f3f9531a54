"""What the contacts list is made of, without Qt: the row tuple's positions, the filter, and
the index built off the GUI thread for 100,000 rows (see contact_table_model)."""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any

# Positions in a row tuple (ContactRow's field order).
R_ID, R_NAME, R_ORGANISATION, R_ROLE, R_RELATIONSHIP, R_LAST, R_NEXT, R_CADENCE, R_TEXT, R_TAGS = (
    range(10)
)


@dataclass(frozen=True)
class ContactFilter:
    """What the list shows: search text and the filters, all combined (AND)."""

    text: str = ""
    relationship: str = ""
    tag: str = ""
    due: bool = False
    never_contacted: bool = False
    # Only these contacts (e.g. the ones added today, after an import), or all when None.
    only_ids: frozenset[int] | None = None

    def same_except_text(self, other: ContactFilter) -> bool:
        return replace(self, text="") == replace(other, text="")


@dataclass(frozen=True)
class RowIndex:
    """What set_rows derives from the rows, built off the GUI thread (index_rows) for
    100,000 contacts: the position of each id, the search texts, and the positions in name
    order (`in_place`: they are 0, 1, 2, ... as the rows came sorted by name)."""

    pos: dict[int, int]
    texts: list[str]
    name_order: list[int]
    in_place: bool


def index_rows(rows: Sequence[Sequence[Any]]) -> RowIndex:
    """Pure Python over plain tuples: safe on a worker thread (see ContactsTab's load)."""
    pos = dict(zip(map(operator.itemgetter(R_ID), rows), range(len(rows)), strict=True))
    texts = list(map(operator.itemgetter(R_TEXT), rows))
    return RowIndex(pos, texts, *name_order(texts))


def name_order(texts: list[str]) -> tuple[list[int], bool]:
    """Positions in name order (the folded search text starts with the folded name), and
    whether that is the texts' own order (the usual case: no need to sort 100,000)."""
    positions = range(len(texts))
    if all(map(operator.le, texts, islice(texts, 1, None))):
        return list(positions), True
    return sorted(positions, key=texts.__getitem__), False


def other_filters(
    f: ContactFilter,
    rows: Sequence[Sequence[Any]],
    tags_of: Mapping[int, tuple[str, ...]],
    base: list[int],
    today: str,
) -> list[int]:
    """The positions in `base` that pass every filter but the search text (`base` itself
    when none is set); `today` is ISO text like the rows' dates."""
    out = base
    if f.relationship:
        rel = f.relationship
        out = [i for i in out if rows[i][R_RELATIONSHIP] == rel]
    if f.tag:
        tag = f.tag
        empty: tuple[str, ...] = ()
        out = [i for i in out if tag in tags_of.get(rows[i][R_ID], empty)]
    if f.due:
        out = [i for i in out if (due := rows[i][R_NEXT]) is not None and due <= today]
    if f.never_contacted:
        out = [i for i in out if rows[i][R_LAST] is None]
    if f.only_ids is not None:
        only = f.only_ids
        out = [i for i in out if rows[i][R_ID] in only]
    return out


def cadence_label(days: int | None) -> str:
    if not days:
        return ""
    if days % 7 == 0 and days < 70:
        weeks = days // 7
        return "Weekly" if weeks == 1 else f"{weeks} weeks"
    return "Daily" if days == 1 else f"{days} days"
