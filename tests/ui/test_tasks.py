"""run_task: work off the GUI thread, results (and progress) delivered on the GUI thread."""

from __future__ import annotations

import gc
import threading

import pytest
from PySide6.QtCore import QObject, QThread
from PySide6.QtWidgets import QWidget

from planner.ui import tasks


def _gui_thread() -> QThread:
    return QThread.currentThread()


def test_result_is_delivered_on_the_gui_thread(qtbot) -> None:
    gui = _gui_thread()
    seen: dict[str, object] = {}

    def work() -> int:
        seen["worker"] = threading.current_thread() is threading.main_thread()
        return 42

    def done(value: int) -> None:
        seen["value"] = value
        seen["on_gui"] = QThread.currentThread() == gui

    task = tasks.run_task(work, done)
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen == {"worker": False, "value": 42, "on_gui": True}
    assert not task.is_running()
    assert tasks.running() == 0


def test_error_goes_to_on_error_on_the_gui_thread(qtbot) -> None:
    gui = _gui_thread()
    seen: list[object] = []

    def work() -> None:
        raise ValueError("bad")

    tasks.run_task(
        work,
        lambda _v: seen.append("done"),
        lambda exc: seen.append((type(exc), str(exc), QThread.currentThread() == gui)),
    )
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(ValueError, "bad", True)]


def test_error_without_handler_is_logged(qtbot, caplog: pytest.LogCaptureFixture) -> None:
    def work() -> None:
        raise RuntimeError("lost?")

    tasks.run_task(work, name="failing")
    qtbot.waitUntil(lambda: tasks.running() == 0)
    assert "failing" in caplog.text


def test_progress_is_reported_in_order_and_the_last_one_always_arrives(qtbot) -> None:
    reports: list[tuple[int, int, str]] = []
    result: list[int] = []

    def work(progress: tasks.Progress) -> int:
        for i in range(1, 1001):
            progress(i, 1000, "tagging")
        return 1000

    tasks.run_task(work, result.append, progress=lambda d, t, s: reports.append((d, t, s)))
    qtbot.waitUntil(lambda: bool(result))
    assert reports, "no progress arrived"
    assert reports[-1] == (1000, 1000, "tagging")
    assert [r[0] for r in reports] == sorted(r[0] for r in reports)
    assert len(reports) < 1000  # throttled


def test_cancel_stops_at_the_next_report_and_drops_the_callbacks(qtbot) -> None:
    started = threading.Event()
    release = threading.Event()
    steps: list[int] = []
    delivered: list[object] = []

    def work(progress: tasks.Progress) -> str:
        started.set()
        release.wait(5)
        for i in range(100):
            progress(i, 100)
            steps.append(i)
        return "finished"

    task = tasks.run_task(
        work, delivered.append, delivered.append, progress=lambda *a: delivered.append(a)
    )
    assert started.wait(5)
    task.cancel()
    release.set()
    qtbot.waitUntil(lambda: not task.is_running())
    assert steps == []
    assert delivered == []


def test_nothing_is_delivered_once_the_owner_is_gone(qtbot) -> None:
    release = threading.Event()
    delivered: list[object] = []
    owner = QWidget()

    def work() -> int:
        release.wait(5)
        return 1

    task = tasks.run_task(work, delivered.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner))
    release.set()
    qtbot.waitUntil(lambda: not task.is_running())
    assert delivered == []


def _alive(obj: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)


def test_cycle_collection_is_paused_while_tasks_run_and_resumed_after(qtbot) -> None:
    assert gc.isenabled()
    release = threading.Event()
    inside: list[bool] = []

    def work() -> None:
        inside.append(gc.isenabled())
        release.wait(5)

    first = tasks.run_task(work)
    second = tasks.run_task(work)
    qtbot.waitUntil(lambda: len(inside) == 2)
    assert not gc.isenabled()
    release.set()
    qtbot.waitUntil(lambda: not first.is_running() and not second.is_running())
    assert inside == [False, False]
    assert gc.isenabled()


def test_run_and_wait_returns_or_raises(qtbot) -> None:
    assert tasks.run_and_wait(lambda: "opened") == "opened"

    def broken() -> None:
        raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone"):
        tasks.run_and_wait(broken)
    assert gc.isenabled()


def test_run_task_refuses_other_threads(qtbot) -> None:
    errors: list[BaseException] = []

    def from_thread() -> None:
        try:
            tasks.run_task(lambda: None)
        except RuntimeError as exc:
            errors.append(exc)

    t = threading.Thread(target=from_thread)
    t.start()
    t.join()
    assert errors and "GUI thread" in str(errors[0])


def test_wait_for_all_drains_the_pool(qtbot) -> None:
    results: list[int] = []
    for i in range(5):
        tasks.run_task(lambda i=i: i * i, results.append)
    assert tasks.wait_for_all(10)
    assert sorted(results) == [0, 1, 4, 9, 16]


class _Rows(list):  # type: ignore[type-arg]
    """A list that counts the slices deleted from it."""

    slices = 0

    def __delitem__(self, key: object) -> None:
        type(self).slices += 1
        super().__delitem__(key)  # type: ignore[arg-type]


def test_drain_empties_in_slices_only_what_nobody_else_holds(monkeypatch) -> None:
    monkeypatch.setattr(tasks.time, "sleep", lambda _s: None)
    _Rows.slices = 0
    held = _Rows(range(10_000))
    tasks._drain([held])  # still ours: let go, never emptied
    assert len(held) == 10_000 and _Rows.slices == 0
    tasks._drain([_Rows(range(10_000)), {i: i for i in range(5000)}])
    assert _Rows.slices == 10_000 // tasks._SLICE  # emptied a slice at a time


def test_release_runs_on_a_pool_thread_and_skips_odd_things(qtbot) -> None:
    before = tasks.running()
    tasks.release(None, "text", [], {})
    assert tasks.running() == before  # nothing worth a task
    tasks.release([(i, str(i)) for i in range(10_000)])
    assert tasks.running() == before + 1
    qtbot.waitUntil(lambda: tasks.running() == before, timeout=5000)


def test_a_big_result_is_frozen_for_the_collector(qtbot, monkeypatch) -> None:
    frozen: list[bool] = []
    monkeypatch.setattr(tasks.gc, "freeze", lambda: frozen.append(True))
    monkeypatch.setattr(tasks, "FREEZE_AFTER", 1000)
    box: list[object] = []
    tasks.run_task(lambda: [[i] for i in range(20_000)], box.append)
    qtbot.waitUntil(lambda: box != [], timeout=5000)
    assert frozen == [True] and gc.isenabled()


def test_release_starts_after_the_view_painted_and_leaves_the_gil_between_slices(
    qtbot, monkeypatch
) -> None:
    """Freeing old rows right when a reloaded list paints made the GUI thread wait for the
    GIL on every call into Python (the paint stalled 100-200 ms); now the release starts
    later and sleeps between slices."""
    started = len(tasks._running)
    tasks.release([(i, str(i)) for i in range(10_000)])
    assert len(tasks._running) == started  # not yet on the pool
    assert tasks.running() == started + 1  # but counted: waiting for it waits for this too
    qtbot.waitUntil(lambda: tasks.running() == started, timeout=5000)
    pauses: list[float] = []
    monkeypatch.setattr(tasks.time, "sleep", pauses.append)
    tasks._drain([[(i, str(i)) for i in range(10_000)]])
    assert pauses.count(tasks._SLICE_PAUSE) == 10_000 // tasks._SLICE


def test_a_container_released_twice_is_still_emptied_in_slices(qtbot, monkeypatch) -> None:
    """A model's texts in sort order can be its texts list itself; released as two names
    for one list it looked held by someone else and was freed in one step at the end."""
    monkeypatch.setattr(tasks, "_SLICE_PAUSE", 0.0)
    rows = _Rows(range(10_000))
    before = _Rows.slices
    started = tasks.running()
    tasks.release(rows, rows)
    tasks.release(rows)
    del rows
    qtbot.waitUntil(lambda: tasks.running() == started, timeout=5000)
    assert _Rows.slices - before == 10_000 // tasks._SLICE


def test_a_task_finishing_after_the_app_quit_raises_nothing(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At exit Python deletes the relay while a worker may still be running: its emit raised
    "Signal source has been deleted" on the worker thread (and the smoke test aborted)."""

    class GoneSignal:
        def emit(self, *_args: object) -> None:
            raise RuntimeError("Signal source has been deleted")

    class GoneRelay:
        finished = GoneSignal()

    task = tasks.Task(lambda: 7, None, None, None, None, "late")
    monkeypatch.setattr(tasks, "_relay", GoneRelay())
    task._run(False)
    assert task.wait(0)
    monkeypatch.setattr(tasks, "_relay", None)
    tasks.Task(lambda: 8, None, None, None, None, "later")._run(False)
