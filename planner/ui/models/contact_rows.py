"""What the contacts list is made of, without Qt: the row tuple's positions, the filter, and
the index built off the GUI thread for 100,000 rows (see contact_table_model)."""

from __future__ import annotations

import operator
from collections.abc import Sequence
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
    100,000 contacts: the position of each id, the search texts, and the name order when the
    rows came sorted by it (None: sort when needed)."""

    pos: dict[int, int]
    texts: list[str]
    name_order: list[int] | None


def index_rows(rows: Sequence[Sequence[Any]]) -> RowIndex:
    """Pure Python over plain tuples: safe on a worker thread (see ContactsTab's load)."""
    pos = {row[R_ID]: i for i, row in enumerate(rows)}
    texts = [row[R_TEXT] for row in rows]
    in_order = all(map(operator.le, texts, islice(texts, 1, None)))
    return RowIndex(pos, texts, list(range(len(texts))) if in_order else None)


def cadence_label(days: int | None) -> str:
    if not days:
        return ""
    if days % 7 == 0 and days < 70:
        weeks = days // 7
        return "Weekly" if weeks == 1 else f"{weeks} weeks"
    return "Daily" if days == 1 else f"{days} days"
