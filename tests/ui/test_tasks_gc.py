"""After a task that allocated much, collection resumes without scanning what it allocated
(gc.freeze): those scans froze the window 100-300 ms after start-up and big reads."""

from __future__ import annotations

import gc
from typing import Any

from planner.ui.tasks import FREEZE_AFTER, run_task, wait_for_all


def _allocate(count: int) -> list[list[int]]:
    return [[i] for i in range(count)]


def test_a_big_task_freezes_what_it_allocated(qtbot: Any) -> None:
    gc.collect()
    gc.unfreeze()
    results: list[list[list[int]]] = []
    run_task(lambda: _allocate(FREEZE_AFTER * 2), results.append, name="big")
    assert wait_for_all()
    assert len(results[0]) == FREEZE_AFTER * 2
    assert gc.isenabled()
    assert gc.get_freeze_count() >= FREEZE_AFTER
    gc.unfreeze()


def test_a_small_task_freezes_nothing(qtbot: Any) -> None:
    gc.collect()
    gc.unfreeze()
    results: list[list[list[int]]] = []
    run_task(lambda: _allocate(10), results.append, name="small")
    assert wait_for_all()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
