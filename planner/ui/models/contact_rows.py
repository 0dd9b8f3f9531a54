"""What the contacts list is made of, without Qt: the row tuple's positions, the filter, and
the index built off the GUI thread for 100,000 rows (see contact_table_model)."""

from __future__ import annotations

import operator
import time
from collections import deque
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
    # The list's sort, (column, descending), when it was worked out there too (see
    # contact_columns.sorted_index): that column's keys, the order and its texts.
    sorted_by: tuple[int, bool] | None = None
    keys: list[Any] | None = None
    order: list[int] | None = None
    order_texts: list[str] | None = None


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


# A scan checks this many rows between two looks at the clock.
SCAN_CHUNK = 4096


class SearchScan:
    """The rows a search lets through, found a slice at a time (see ContactTableModel): the
    first screenful is shown at once, the rest is appended while the user looks at it, so a
    keystroke never waits for a scan of 100,000 texts.

    It works through segments in list order: row positions (all past the other filters),
    their texts in the same order when at hand (a zip instead of indexing), and the folded
    words each of those rows still has to contain.
    """

    def __init__(self, texts: list[str]) -> None:
        self._texts = texts  # by row position
        # [positions, their texts or None, words, where to go on in positions]
        self._segments: deque[list[Any]] = deque()

    def add(
        self,
        positions: list[int],
        words: list[str],
        texts: list[str] | None = None,
        start: int = 0,
    ) -> None:
        if start < len(positions):
            self._segments.append([positions, texts, words, start])

    def done(self) -> bool:
        return not self._segments

    def hand_over(self, to: SearchScan, words: list[str]) -> None:
        """Give `to` what this scan has not looked at yet, to be checked for all `words`
        (the next keystroke's search, while this one was still going): no copying."""
        for positions, texts, _words, start in self._segments:
            to.add(positions, words, texts, start)
        self._segments.clear()

    def run(self, enough: int, seconds: float) -> list[int]:
        """The next matches, in order: stops once `enough` are found, `seconds` have passed
        (checked every SCAN_CHUNK rows) or nothing is left."""
        found: list[int] = []
        deadline = time.perf_counter() + seconds
        while self._segments and len(found) < enough:
            found += self._step()
            if time.perf_counter() > deadline:
                break
        return found

    def _step(self) -> list[int]:
        segment = self._segments[0]
        positions, texts, words, start = segment
        end = len(positions) if not words else min(len(positions), start + SCAN_CHUNK)
        if end >= len(positions):
            self._segments.popleft()
        else:
            segment[3] = end
        chunk = positions[start:end]
        if not words:
            return chunk
        all_texts = self._texts
        first = words[0]
        if texts is not None:
            chunk = [i for i, text in zip(chunk, texts[start:end], strict=True) if first in text]
        else:
            chunk = [i for i in chunk if first in all_texts[i]]
        for word in words[1:]:
            chunk = [i for i in chunk if word in all_texts[i]]
        return chunk
