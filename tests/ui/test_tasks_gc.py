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
