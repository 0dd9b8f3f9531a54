"""The one way off the GUI thread: `run_task(fn, on_done, on_error, progress=...)`.

How it works, and why:

- `fn` runs on a `QThreadPool` thread. It must not touch widgets or other Qt objects; it
  calls services and returns plain data (frozen records, lists, `Changes`).
- Results come back on the GUI thread one way only: the worker stores the outcome on its
  `Task` (a plain Python object) and emits `finished(task)` on one module-wide relay QObject
  that lives on the GUI thread; Qt queues that emission to the GUI thread, where
  `on_done(result)` or `on_error(exc)` runs. Workers hold no other Qt object (the owner is a
  weak reference), so none can be destroyed off the GUI thread. Progress travels the same
  way (`progress(done, total, text)`), at most every `PROGRESS_INTERVAL` seconds so a tight
  loop cannot flood the event queue.
- Python's cycle collector is paused while any task runs and resumed on the GUI thread when
  the last result has been delivered. Run from a worker thread the collector could free a Qt
  object caught in a reference cycle off the GUI thread, which crashes Qt. No other module
  pauses the collector for this reason. After a big pause, what was allocated meanwhile is
  frozen (`gc.freeze`) rather than scanned: scanning it would stall the GUI thread.
- `release(...)` frees big containers a view dropped on a pool thread, in small slices.
- `Task.cancel()` (or destroying the `owner`) means the callbacks never run; a `fn` that
  takes a `Progress` stops at its next report (it raises `TaskCancelled`). Work already
  committed stays committed: cancel only where stopping halfway is safe.

`run_and_wait(fn)` is the same mechanism for the few places that must have the answer before
going on (opening the database): it spins a local event loop that keeps painting but ignores
input until the task is done.
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    QThread,
    QThreadPool,
    QTimer,
    Signal,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

PROGRESS_INTERVAL = 0.05  # seconds between two progress reports reaching the GUI thread


class TaskCancelled(Exception):
    """Raised inside `fn` by `Progress` once the task was cancelled."""


class Progress:
    """Handed to a task's `fn` when progress is wanted: call it as `progress(done, total)`."""

    def __init__(self, task: Task[Any]) -> None:
        self._task = task
        self._last = 0.0

    @property
    def cancelled(self) -> bool:
        return self._task.cancelled

    def __call__(self, done: int, total: int, text: str = "") -> None:
        """Report progress; raises TaskCancelled when the task was cancelled meanwhile."""
        if self._task.cancelled:
            raise TaskCancelled
        now = time.monotonic()
        if now - self._last >= PROGRESS_INTERVAL or done >= total:
            self._last = now
            assert _relay is not None
            _relay.progressed.emit(self._task, int(done), int(total), text)


# Cycle collection paused while tasks run (see the module docstring).
_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = True


def _pause_gc() -> None:
    global _gc_pausers, _gc_was_enabled
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1


# Objects allocated during a pause above this many are frozen (gc.freeze) before collection
# resumes, instead of being scanned by the first passes after it.
FREEZE_AFTER = 20_000


def _resume_gc() -> None:
    global _gc_pausers
    with _gc_lock:
        _gc_pausers -= 1
        if _gc_pausers == 0 and _gc_was_enabled:
            # After a big pause (start-up imports, a 100k-row read) the first collections
            # would scan every object allocated meanwhile on the GUI thread: 100-300 ms
            # frozen. Those objects are mostly modules and results that live on; moving them
            # to the permanent generation skips the scans. The price: a reference cycle
            # created during such a pause is never collected (a few KB per big task).
            if gc.get_count()[0] > FREEZE_AFTER or _young_is_big():
                gc.freeze()
            gc.enable()


_CONTAINERS = (list, dict, set, frozenset, tuple)


def _young_is_big() -> bool:
    """Would the next young collection take long? Judged on the young generation itself,
    not gc.get_count(): a task that frees as many old objects as it makes (undoing an
    import) leaves the count near 0 while 100,000s of new objects wait to be scanned, and
    a few new 100,000-row lists (a reloaded list's rows) cost as much to traverse."""
    young = gc.get_objects(generation=0)
    if len(young) > FREEZE_AFTER:
        return True
    refs = 0
    for obj in young:
        if type(obj) in _CONTAINERS:
            refs += len(obj)
    return refs > FREEZE_AFTER


# Tasks whose result has not been delivered yet; keeps them (and their callbacks) alive.
_running: set[Task[Any]] = set()


class _Relay(QObject):
    """The one QObject workers talk to. It lives on the GUI thread for the whole run, so a
    worker never holds (and never drops the last reference to) any other Qt object."""

    finished = Signal(object)  # the Task
    progressed = Signal(object, int, int, str)  # the Task, done, total, text

    def __init__(self) -> None:
        super().__init__()
        self.finished.connect(lambda task: task._deliver())
        self.progressed.connect(lambda task, d, t, text: task._report(d, t, text))


_relay: _Relay | None = None


class Task(Generic[T]):
    """One piece of work on the pool, delivering its outcome on the GUI thread.

    A plain Python object on purpose: the worker thread holds a reference to it, and may drop
    the last one; dropping a QObject there would destroy it off the GUI thread.
    """

    def __init__(
        self,
        fn: Callable[..., T],
        on_done: Callable[[T], object] | None,
        on_error: Callable[[BaseException], object] | None,
        progress: Callable[[int, int, str], object] | None,
        owner: QObject | None,
        name: str,
    ) -> None:
        self.name = name
        self._fn: Callable[..., T] | None = fn
        self._on_done = on_done
        self._on_error = on_error
        self._on_progress = progress
        # Weak, so the worker never keeps (nor finally drops) a widget.
        self._owner = weakref.ref(owner) if owner is not None else None
        self._cancelled = False
        self._result: T | None = None
        self._error: BaseException | None = None
        self._done = threading.Event()
        self._delivered = False

    # --- GUI thread -------------------------------------------------------------------------

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        """The callbacks will not run; `fn` stops at its next progress report."""
        self._cancelled = True

    def is_running(self) -> bool:
        return not self._delivered

    def _owner_alive(self) -> bool:
        if self._owner is None:
            return True
        owner = self._owner()
        return owner is not None and shiboken6.isValid(owner)

    def _report(self, done: int, total: int, text: str) -> None:
        if self._on_progress is not None and not self._cancelled and self._owner_alive():
            self._on_progress(done, total, text)

    def _deliver(self) -> None:
        if self._delivered:
            return
        self._delivered = True
        _running.discard(self)
        _resume_gc()
        on_done, on_error = self._on_done, self._on_error
        result, error = self._result, self._error
        # Drop references now, on the GUI thread: the worker may hold this object longer.
        self._on_done = self._on_error = self._on_progress = None
        self._result = self._error = None
        if self._cancelled or not self._owner_alive():
            return
        if error is None:
            if on_done is not None:
                on_done(result)  # type: ignore[arg-type]
        elif isinstance(error, TaskCancelled):
            return
        elif on_error is not None:
            on_error(error)
        else:
            log.error("Background task %r failed", self.name, exc_info=error)

    # --- worker thread ----------------------------------------------------------------------

    def _run(self, with_progress: bool) -> None:
        fn, self._fn = self._fn, None
        try:
            if self._cancelled or fn is None:
                raise TaskCancelled
            self._result = fn(Progress(self)) if with_progress else fn()
        except BaseException as exc:  # handed to on_error on the GUI thread
            if not isinstance(exc, TaskCancelled):
                log.debug("Task %r raised %r", self.name, exc)
            self._error = exc
        finally:
            del fn
            self._done.set()
            try:
                _relay.finished.emit(self)  # type: ignore[union-attr]
            except (AttributeError, RuntimeError):
                # The app is shutting down (the relay is gone): nobody is left to deliver to,
                # and an error raised here would reach the user from a worker thread.
                log.debug("Task %r finished after the app quit", self.name)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until `fn` has returned (not delivered); for shutdown. True when done."""
        return self._done.wait(timeout)


def run_task(
    fn: Callable[..., T],
    on_done: Callable[[T], object] | None = None,
    on_error: Callable[[BaseException], object] | None = None,
    *,
    progress: Callable[[int, int, str], object] | None = None,
    with_progress: bool | None = None,
    owner: QObject | None = None,
    pool: QThreadPool | None = None,
    name: str = "",
) -> Task[T]:
    """Run `fn` off the GUI thread; `on_done(result)` or `on_error(exc)` run on the GUI thread.

    With `progress` (or `with_progress=True`), `fn` is called with a `Progress` to report
    through and to learn about cancellation. Without `on_error`, failures are logged. With an
    `owner`, nothing is delivered once that QObject is destroyed.
    """
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        raise RuntimeError("run_task must be called on the GUI thread")
    wants_progress = progress is not None if with_progress is None else with_progress
    global _relay
    if _relay is None:
        _relay = _Relay()
    task: Task[T] = Task(fn, on_done, on_error, progress, owner, name or _name_of(fn))
    _running.add(task)
    _pause_gc()
    (pool or QThreadPool.globalInstance()).start(lambda: task._run(wants_progress))
    return task


_writes: QThreadPool | None = None


def writes_pool() -> QThreadPool:
    """A one-thread pool for background writes (undo commands): they run one after another in
    the order asked, so undoing two steps quickly never runs the older undo first, nor both
    at once. Owned by the application, so it is gone before the interpreter is."""
    global _writes
    if _writes is None or not shiboken6.isValid(_writes):
        _writes = QThreadPool(QCoreApplication.instance())
        _writes.setMaxThreadCount(1)
    return _writes


def run_and_wait(fn: Callable[[], T], name: str = "") -> T:
    """Run `fn` as a task and return its result; the window paints meanwhile, input waits."""
    outcome: dict[str, Any] = {}
    loop = QEventLoop()

    def done(value: T) -> None:
        outcome["value"] = value
        loop.quit()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        loop.quit()

    task = run_task(fn, done, failed, name=name)
    if task.is_running():
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


def release(*containers: object) -> None:
    """Free big lists and dicts (100,000 rows a view no longer shows) off the GUI thread.

    Call it with containers about to be dropped; the caller lets go of its references right
    after. Dropping the last reference to a 100,000-row list frees every row in one step
    that holds the GIL for tens of milliseconds, wherever it runs. Here a pool thread empties
    each container in small slices instead, pausing between slices so the GUI thread gets
    the GIL back at once (rather than after a switch interval per call into Python while it
    paints). It starts `RELEASE_DELAY_MS` later, after the view that dropped the rows has
    painted the new ones. A container someone else still holds is only let go, never
    emptied.
    """
    pending = [c for c in containers if isinstance(c, (list, dict)) and c]
    del containers
    if not pending:
        return
    _releasing.append(pending)
    if len(_releasing) == 1:
        QTimer.singleShot(RELEASE_DELAY_MS, _start_release)


# Waiting to be freed: the rows a view dropped, kept until the delayed release starts.
_releasing: list[list[Any]] = []
RELEASE_DELAY_MS = 400
_SLICE = 1000
_SLICE_PAUSE = 0.001  # seconds the worker leaves the GIL free between two slices


def _start_release() -> None:
    if not _releasing:
        return  # wait_for_all started it already
    # Once each: a container passed twice (a model's texts in sort order can be its texts
    # themselves) would look held by someone else and never be emptied in slices.
    batches = list({id(c): c for batch in _releasing for c in batch}.values())
    _releasing.clear()
    run_task(lambda: _drain(batches), name="release rows")


def _drain(pending: list[Any]) -> None:
    deadline = time.monotonic() + 1.0
    while pending and time.monotonic() < deadline:
        i = 0
        while i < len(pending):
            # Two references: `pending` and getrefcount's argument. More: still in use.
            if sys.getrefcount(pending[i]) > 2:
                i += 1
                continue
            obj = pending.pop(i)
            if isinstance(obj, list):
                while obj:
                    del obj[-_SLICE:]
                    time.sleep(_SLICE_PAUSE)
            else:
                while obj:
                    for _ in range(min(_SLICE, len(obj))):
                        obj.popitem()
                    time.sleep(_SLICE_PAUSE)
            del obj
        if pending:
            time.sleep(0.005)
    pending.clear()


def running() -> int:
    """How many tasks have not delivered their result yet (a release waiting to start
    counts as one)."""
    return len(_running) + (1 if _releasing else 0)


def wait_for_all(timeout: float = 30.0) -> bool:
    """Let every running task finish and deliver (closing the window, tests). True if all did."""
    deadline = time.monotonic() + timeout
    if _releasing:
        _start_release()  # now, not after its delay
    while _running and time.monotonic() < deadline:
        for task in list(_running):
            task.wait(0.01)
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
    return not _running


def _name_of(fn: Callable[..., object]) -> str:
    return getattr(fn, "__qualname__", None) or type(fn).__name__
