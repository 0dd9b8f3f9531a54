"""Searching the contacts list (ContactTableModel's part): the first screenful of matches
at once, the rest appended a few milliseconds at a time, so typing never waits for a scan of
100,000 folded texts (contact_rows.SearchScan does the scanning, without Qt)."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QTimer, SignalInstance

from planner.core.contacts import ContactRow
from planner.core.text import fold
from planner.ui.models.contact_rows import ContactFilter, SearchScan, other_filters

# Rows shown at once (more than a screen holds); the rest come in slices of this long,
# the first once typing pauses this long (the next keystroke takes the scan over).
FIRST_ROWS = 120
SLICE_SECONDS = 0.004
TYPING_PAUSE_MS = 25


class ContactSearch:
    """Mixed into ContactTableModel, whose state it reads (declared here for the reader)."""

    _rows: list[Sequence[Any]]
    _tags: dict[int, tuple[str, ...]]
    _texts: list[str]
    _order: list[int]
    _visible: list[int]
    _filter: ContactFilter
    _folded_query: str
    _visible_exact: bool
    _today_value: str
    _results: dict[ContactFilter, list[int]]
    _scan: SearchScan | None
    _scan_timer: QTimer
    search_finished: SignalInstance
    beginResetModel: Callable[[], None]
    endResetModel: Callable[[], None]
    beginInsertRows: Callable[[QModelIndex, int, int], None]
    endInsertRows: Callable[[], None]
    _set_visible: Callable[[list[int]], None]
    _prepare_search: Callable[[], list[str]]
    _names_sorted: Callable[[], list[int]]
    _record: Callable[[Sequence[Any]], ContactRow]

    # --- filtering ----------------------------------------------------------------------

    def set_filter(self, new: ContactFilter) -> None:
        """Show what `new` lets through: the first screenful now, the rest appended a few
        milliseconds at a time (rowsInserted) until search_finished."""
        if new == self._filter:
            return
        folded = fold(new.text)
        incremental = (
            self._visible_exact
            and new.same_except_text(self._filter)
            and self._folded_query != ""
            and folded.startswith(self._folded_query)
        )
        cached = self._results.get(new)
        old, self._scan = self._scan, None
        self.beginResetModel()
        self._visible_exact = True
        if cached is not None:
            self._set_visible(cached)
        else:
            words = folded.split()
            scan = SearchScan(self._texts)
            if incremental:
                # Rows already match every earlier word; check only what is new, and all
                # of it in what the last search had not looked at yet.
                scan.add(self._visible, words[max(0, len(self._folded_query.split()) - 1) :])
                if old is not None:
                    old.hand_over(scan, words)
            else:
                base = other_filters(new, self._rows, self._tags, self._order, self._today_value)
                scan.add(base, words, self._prepare_search() if base is self._order else None)
            self._set_visible(scan.run(FIRST_ROWS, SLICE_SECONDS))
            self._scan = None if scan.done() else scan
        self._filter = new
        self._folded_query = folded
        self.endResetModel()
        if self._scan is None:
            self._searched()
        else:
            self._scan_timer.start(TYPING_PAUSE_MS)

    def _rescan(self) -> None:
        """Find again what the filter lets through after the rows changed (inside a model
        reset): the first screenful now, the rest appended a slice at a time like a search
        (see _after_rescan), so a reload of 100,000 rows with a search on never scans them
        all in one go on the GUI thread."""
        f = self._filter
        base = other_filters(f, self._rows, self._tags, self._order, self._today_value)
        scan = SearchScan(self._texts)
        texts = self._prepare_search() if base is self._order else None
        scan.add(base, fold(f.text).split(), texts)
        self._set_visible(scan.run(FIRST_ROWS, SLICE_SECONDS))
        self._scan = None if scan.done() else scan

    def _after_rescan(self) -> None:
        """Once the model reset around _rescan has ended: go on appending, or say it is done."""
        if self._scan is None:
            self._searched()
        else:
            self._scan_timer.start(0)

    def _continue_scan(self, seconds: float = SLICE_SECONDS) -> None:
        scan = self._scan
        if scan is None:
            return
        found = scan.run(sys.maxsize, seconds)
        if found:
            first = len(self._visible)
            self.beginInsertRows(QModelIndex(), first, first + len(found) - 1)
            self._visible += found  # this search's own list (set_filter made it)
            self.endInsertRows()
        if scan.done():
            self._scan = None
            self._searched()
        else:
            self._scan_timer.start(0)

    def finish_search(self) -> None:
        """Find the rest of the rows now, for what needs all of them (the row of a contact)."""
        self._continue_scan(math.inf)

    def searching(self) -> bool:
        """True while rows are still being appended (search_finished follows)."""
        return self._scan is not None

    def _searched(self) -> None:
        if len(self._results) > 64:
            self._results.clear()
        self._results[self._filter] = self._visible
        self.search_finished.emit()

    def current_filter(self) -> ContactFilter:
        return self._filter

    def search(self, text: str, limit: int = 20) -> list[ContactRow]:
        """The first contacts (by name) whose text matches: for pickers, ignores the filters."""
        words = fold(text).split()
        if not words:
            return []
        texts = self._texts
        out = []
        for i in self._names_sorted():
            if all(w in texts[i] for w in words):
                out.append(self._record(self._rows[i]))
                if len(out) >= limit:
                    break
        return out
