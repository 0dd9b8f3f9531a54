"""After a task that allocated much, collection resumes without scanning what it allocated
(gc.freeze): those scans froze the window 100-300 ms after start-up and big reads.

The tests compare freeze counts instead of unfreezing: `gc.unfreeze()` followed by a full
collection scans every Qt wrapper frozen by earlier tests, and that pass crashed the
interpreter (a segmentation fault inside `gc.collect()`) in full runs."""

from __future__ import annotations

import gc
from typing import Any

from planner.ui.tasks import FREEZE_AFTER, run_task, wait_for_all


def _allocate(count: int) -> list[list[int]]:
    return [[i] for i in range(count)]


def test_a_big_task_freezes_what_it_allocated(qtbot: Any) -> None:
    before = gc.get_freeze_count()
    results: list[list[list[int]]] = []
    run_task(lambda: _allocate(FREEZE_AFTER * 2), results.append, name="big")
    assert wait_for_all()
    assert len(results[0]) == FREEZE_AFTER * 2
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + FREEZE_AFTER


def test_a_small_task_freezes_nothing(qtbot: Any) -> None:
    results: list[list[list[int]]] = []
    run_task(lambda: None, results.append, name="warm-up")
    assert wait_for_all()
    before = gc.get_freeze_count()
    run_task(lambda: _allocate(10), results.append, name="small")
    assert wait_for_all()
    assert gc.isenabled()
    assert gc.get_freeze_count() == before


def test_a_task_that_frees_as_much_as_it_makes_still_freezes(qtbot: Any) -> None:
    """Undoing an import frees old rows and reads new ones: gc's count stays near zero, but
    the new objects would still be scanned by the next collection (45 ms on the GUI thread)."""
    old = _allocate(FREEZE_AFTER * 3)
    gc.collect(0)  # the old rows leave the young generation, as rows shown for a while have
    holder = [old]
    del old
    before = gc.get_freeze_count()
    results: list[list[list[int]]] = []

    def swap() -> list[list[int]]:
        rows, new = holder.pop(), []
        for i in range(FREEZE_AFTER * 2):  # one old row freed for each new one
            rows.pop()
            new.append([i])
        return new

    run_task(swap, results.append, name="swap")
    assert wait_for_all()
    assert len(results[0]) == FREEZE_AFTER * 2
    assert gc.get_freeze_count() >= before + FREEZE_AFTER


def test_a_few_huge_new_lists_are_frozen_too(qtbot: Any) -> None:
    """A reloaded list's rows are a few lists of 100,000 items: few objects, yet the next
    young collection traverses every item (20-140 ms on the GUI thread)."""
    results: list[list[int]] = []
    run_task(lambda: None, name="warm-up")
    assert wait_for_all()
    before = gc.get_freeze_count()
    run_task(lambda: list(range(FREEZE_AFTER * 2)), results.append, name="one big list")
    assert wait_for_all()
    assert gc.get_freeze_count() > before
