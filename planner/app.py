"""Start-up: arguments -> paths -> logging -> window (or a subcommand) -> database."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from planner import APP_ID, APP_NAME, ORG_NAME, __version__

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from planner.paths import AppPaths
    from planner.settings import SettingsStore
    from planner.ui.main_window import MainWindow

log = logging.getLogger(__name__)

# Each module registers one subcommand; imported lazily so `planner` starts fast.
COMMAND_MODULES = (
    "planner.cli.demo",
    "planner.cli.export_ics",
    "planner.cli.import_contacts",
    "planner.cli.export_contacts",
    "planner.cli.sync_calendar",
    "planner.cli.restore_backup",
)

# How often a thread holding the GIL is asked to hand it over (Python's default is 5 ms).
# Workers run Python (SQLAlchemy, imports) while the window paints, and every Qt virtual call
# on a Python widget needs the GIL: at 5 ms the GUI thread waited up to 5 ms per call, and with
# two busy workers it starved (ticks of a 5 ms timer 300-400 ms apart in a test; 1 ms: ~10).
GUI_SWITCH_INTERVAL_S = 0.001

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_ALREADY_RUNNING = 3
EXIT_DATABASE = 5
EXIT_UNEXPECTED = 70


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    """The command line; without `with_commands` the subcommand modules are not imported
    (the window's start-up path: importing and registering them costs about 15 ms)."""
    import importlib

    parser = argparse.ArgumentParser(
        prog="planner",
        description=f"{APP_NAME}: plan and keep a professional network.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--database",
        metavar="PATH_OR_URL",
        help="database file or SQLAlchemy URL (default: planner.sqlite3 in the user data "
        "folder; also PLANNER_DATABASE)",
    )
    parser.add_argument(
        "--data-dir", metavar="DIR", help="keep data, settings and logs under DIR instead"
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the main window on the database, then close it and exit 0",
    )
    parser.add_argument("--verbose", action="store_true", help="log debug messages")
    # Prints when the window is shown and the data loaded; used by benchmarks/startup.py.
    parser.add_argument("--startup-probe", action="store_true", help=argparse.SUPPRESS)
    if not with_commands:
        parser.set_defaults(command=None)
        return parser
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def _may_name_command(argv: Sequence[str]) -> bool:
    """Whether `argv` could name a subcommand (or asks for help, which lists them): any
    word that is neither an option nor the value of --database/--data-dir."""
    takes_value = {"--database", "--data-dir"}
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in takes_value:
            skip = True
        elif token in ("-h", "--help") or not token.startswith("-"):
            return True
    return False


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(with_commands=_may_name_command(words)).parse_args(words)
    from planner.paths import app_paths
    from planner.settings import SettingsStore

    if os.name == "posix":
        # Everything we create (database, backups, logs, exports) is private to the user.
        os.umask(0o077)
    paths = app_paths(args.data_dir)
    try:
        paths.create()
    except OSError as exc:
        print(
            f"planner: cannot create {exc.filename or 'the data folders'}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return EXIT_DATABASE
    database: str | Path = (
        args.database or os.environ.get("PLANNER_DATABASE") or paths.default_database
    )
    if isinstance(database, str):
        from planner.credentials import with_database_password

        # A team database's password comes from the keyring, never from settings.json.
        database = with_database_password(database)
    settings = SettingsStore(paths.settings_file)
    if args.command:
        from planner.logging_setup import setup_logging

        setup_logging(paths.log_file, args.verbose)
        return run_command(args, paths, database, settings)
    return run_gui(args, paths, database, settings)


def run_command(
    args: argparse.Namespace, paths: AppPaths, database: str | Path, settings: SettingsStore
) -> int:
    """Run a subcommand; every failure becomes one plain line on stderr and an exit code."""
    from planner.cli import CommandEnv
    from planner.db.backup import BackupError
    from planner.db.errors import StorageError

    env = CommandEnv(paths=paths, database=database, settings=settings)
    try:
        return int(args.run(args, env))
    except StorageError as exc:
        log.warning("%s failed: %s", args.command, type(exc).__name__)
        print(f"planner: {exc}", file=sys.stderr)
        return exc.exit_code
    except BackupError as exc:
        print(f"planner: the backup failed: {exc}. Nothing was changed.", file=sys.stderr)
        return EXIT_DATABASE
    except KeyboardInterrupt:
        print("planner: stopped; nothing more was changed.", file=sys.stderr)
        return 130
    except Exception as exc:
        # The traceback goes to the private log file only (SQL parameters are hidden there).
        log.error("Unexpected error in %s", args.command, exc_info=True)
        print(
            f"planner: {args.command} failed unexpectedly ({type(exc).__name__}). "
            f"Details are in {paths.log_file}.",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED


def run_gui(
    args: argparse.Namespace, paths: AppPaths, database: str | Path, settings: SettingsStore
) -> int:
    # Qt is first imported with planner.ui (see planner/ui/__init__.py).
    from planner.instance_lock import InstanceLock
    from planner.ui.error_hook import install_error_hook
    from planner.ui.main_window import MainWindow

    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    app = _application()
    lock = None
    db_file = _database_path_quick(database)
    if db_file is not None:
        lock = InstanceLock(db_file)
        if not lock.acquire():
            message = (
                f"{db_file} is already open in another {APP_NAME} window. "
                "Switch to that window, or open a different database with --database."
            )
            print(f"planner: {message}", file=sys.stderr)
            if not args.smoke_test:
                from PySide6.QtWidgets import QMessageBox

                QMessageBox.information(None, APP_NAME, message)
            return EXIT_ALREADY_RUNNING

    install_error_hook(paths.log_file)
    window = MainWindow(paths, settings)
    if lock is not None:
        window.adopt_lock(lock)
    result = {"code": EXIT_OK}

    def on_failed(message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        if window.db is not None:
            # File > Open database or a restore failed: the current database stays open.
            if not args.smoke_test:
                QMessageBox.warning(window, APP_NAME, message)
            return
        result["code"] = EXIT_DATABASE
        print(f"planner: {message}", file=sys.stderr)
        if not args.smoke_test:
            QMessageBox.critical(window, APP_NAME, message)
        window.close()
        app.quit()

    def on_data_ready() -> None:
        if args.startup_probe:
            print("probe: data_ready", flush=True)
        if args.smoke_test:
            from PySide6.QtCore import QTimer

            QTimer.singleShot(200, window.close)

    window.database_failed.connect(on_failed)
    window.data_ready.connect(on_data_ready)
    window.show()
    if args.startup_probe:
        import time

        print("probe: window_shown", flush=True)
        print(f"probe_value: window_cpu_ms {time.process_time() * 1000:.1f}", flush=True)
        _probe_gui_stalls(window)
    _open_after_logging(window, database, paths.log_file, args.verbose)
    try:
        app.exec()
    finally:
        # The window may hold another file's lock by now (File > Open database).
        for held in {id(x): x for x in (lock, window._lock) if x is not None}.values():
            held.release()  # type: ignore[attr-defined]
    return result["code"]


def _application() -> QApplication:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from planner.paths import resources_dir

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "planner"])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    icon = resources_dir() / "icons" / "planner.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def _open_after_logging(
    window: MainWindow, database: str | Path, log_file: Path, verbose: bool
) -> None:
    """Once the window is up: logging is set up on a worker (the rotating handler's imports
    would freeze the window), then the database opens (its upgrades and backups are logged)."""
    from PySide6.QtCore import QTimer

    from planner.ui.tasks import run_task

    def set_up() -> None:
        from planner.logging_setup import setup_logging

        setup_logging(log_file, verbose)

    def open_database(_result: object) -> None:
        window.open_database(database)

    QTimer.singleShot(0, lambda: run_task(set_up, open_database, open_database, name="logging"))


def _probe_gui_stalls(window: MainWindow) -> None:
    """For benchmarks/startup.py: the longest gap between ticks of a GUI-thread timer from
    the window shown to its data ready, i.e. how long the window was ever frozen."""
    import itertools
    import time

    from PySide6.QtCore import Qt, QTimer

    ticks = [time.perf_counter()]
    ticker = QTimer(window)
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.setInterval(5)
    ticker.timeout.connect(lambda: ticks.append(time.perf_counter()))

    def report() -> None:
        ticks.append(time.perf_counter())
        ticker.stop()
        stall = max(b - a for a, b in itertools.pairwise(ticks)) * 1000
        print(f"probe_value: max_gui_stall_ms {stall:.1f}", flush=True)

    window.data_ready.connect(report)
    ticker.start()


def _database_path_quick(database: str | Path) -> Path | None:
    """The SQLite file behind `database` without importing SQLAlchemy (start-up speed)."""
    text = str(database)
    if "://" not in text:
        return Path(text).expanduser().resolve()
    if text.startswith("sqlite:///") and text != "sqlite:///:memory:":
        return Path(text[len("sqlite:///") :]).expanduser().resolve()
    return None
