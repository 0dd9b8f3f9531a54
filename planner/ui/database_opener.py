"""Opening a database for the window: its file lock, and the open itself on a worker while
another worker imports what the first tab needs. Nothing here touches widgets."""

from __future__ import annotations

import logging
from pathlib import Path

from planner import APP_NAME

log = logging.getLogger(__name__)

# Saves mostly run on the GUI thread: waiting long for another program's lock would freeze the
# window. A refused save keeps its typed value and is tried again (see ContactDetail).
GUI_BUSY_TIMEOUT_MS = 1000

# Imported on a worker thread before the GUI thread needs them: each costs the GUI thread
# 10-150 ms when imported there (SQLAlchemy and the services behind the status bar's calendar
# sync, the file watch, the guards that load Qt's enums).
PRELOAD = (
    "planner.db.errors",
    "planner.ui.context",
    "planner.ui.live",
    "planner.ui.calendar_sync",
)
GUARD_MODULES = (
    "planner.ui.app_events",
    "planner.ui.discard_guard",
    "planner.ui.screen_fit",
    "planner.ui.wheel_guard",
)


def import_all(modules: tuple[str, ...]) -> None:
    """On a worker: import `modules`; a failure shows again when the GUI thread imports."""
    import importlib

    for module in modules:
        try:
            importlib.import_module(module)
        except Exception:
            log.exception("Could not import %s", module)


def lock_for(target: str | Path, held: object | None) -> tuple[object | None, str]:
    """(the lock to hold for `target`, "") or (None, why not); reuses `held` when it is
    the lock of the same file."""
    from planner.instance_lock import InstanceLock, file_identity

    text = str(target)
    if "://" in text:
        from planner.db.database import resolve_target

        _url, path = resolve_target(target)
    else:
        # A file name: no need to import SQLAlchemy here (the GUI thread, at start-up).
        path = Path(text).expanduser().resolve()
    if path is None:
        return None, ""
    try:
        if (
            held is not None
            and held.held  # type: ignore[attr-defined]
            and path.exists()
            and file_identity(path) == held.identity  # type: ignore[attr-defined]
        ):
            return held, ""
        lock = InstanceLock(path)
        if lock.acquire():
            return lock, ""
    except OSError as exc:
        return None, f"{path} cannot be opened: {exc.strerror or exc}."
    return None, (
        f"{path} is already open in another {APP_NAME} window. Switch to that window, "
        "or choose a different database."
    )


def open_with_preload(target: str | Path, modules: tuple[str, ...]) -> object:
    """Open the database on one worker while another imports the first tab's modules (a
    tab module and what it needs take 100-300 ms to import, time the GUI thread would
    stand still for). The imports start once the opener has imported SQLAlchemy (it says
    so as progress): two threads importing one package's modules at once could meet each
    other's half-imported modules. The window paints, ignoring input, until both are done."""
    from PySide6.QtCore import QEventLoop

    from planner.ui.tasks import Progress, run_task

    modules = (*PRELOAD, *modules)

    def open_(progress: Progress) -> object:
        from planner.db.database import open_database

        progress(1, 2, "imported")
        # No quick_check first (seconds on a big cold file, before anything shows): the
        # full check runs once the first tab has its data, and holds writes until then.
        return open_database(
            target, check="deferred", hold_writes=True, busy_timeout_ms=GUI_BUSY_TIMEOUT_MS
        )

    loop = QEventLoop()
    outcome: dict[str, object] = {}
    pending = {"open", "preload"}
    preloading: list[bool] = []

    def finished(name: str, key: str = "", value: object = None) -> None:
        if key:
            outcome[key] = value
        pending.discard(name)
        if name == "open" and not preloading:
            pending.discard("preload")  # the opener failed before the imports began
        if not pending:
            loop.quit()

    def start_preload(_done: int, _total: int, _text: str) -> None:
        if preloading:
            return
        preloading.append(True)
        run_task(
            lambda: import_all(modules),
            lambda _none: finished("preload"),
            lambda _exc: finished("preload"),
            name="preload-tab",
        )

    run_task(
        open_,
        lambda db: finished("open", "db", db),
        lambda exc: finished("open", "error", exc),
        progress=start_preload,
        name="open-database",
    )
    if pending:
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["db"]
