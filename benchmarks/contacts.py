"""Contacts tab at scale: ready time, search keystroke latency, sort time, peak memory.

Generates `planner demo --contacts 100000` into a temporary file, then measures the real
ContactsTab in a fresh process (so peak RSS is the app's, not the generator's).

`--database postgresql://…` measures a team database (fill it first with
`planner --database URL demo --contacts 100000`) and, in the same run, an SQLite file with the
same number of demo contacts; it prints both sets of figures (`postgresql_*`, `sqlite_*`) and
the ratios `tab_ready_ratio` and `search_keystroke_p95_ratio` (PostgreSQL / SQLite).
"""

from __future__ import annotations

import argparse
import itertools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Python puts this script's folder first on the path, where benchmarks/calendar.py would
# shadow the standard library's calendar module; the project root goes there instead.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

TYPING = ["zoe", "\b\b\b", "ana kim", "\b" * 7, "fintech", "\b" * 7, "globex lab", "\b" * 10,
          "muller", "\b" * 6, "head of d"]  # fmt: skip


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def peak_rss_kb() -> int:
    """This process's peak memory. Linux keeps ru_maxrss across exec (it would include the
    generator that forked us), so prefer VmHWM, which belongs to this program image."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    import resource

    peak = int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes there, KiB elsewhere


def measure(db_path: Path | str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtGui import QUndoStack
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMainWindow

    from planner.app import GUI_SWITCH_INTERVAL_S
    from planner.db.database import open_database
    from planner.settings import SettingsStore
    from planner.ui.bus import Bus
    from planner.ui.context import TabContext

    # As the app's window does: the GUI thread gets the GIL back from the loading workers
    # within 1 ms instead of Python's default 5 ms (CONTACTS_DEFAULT_SWITCH=1 keeps 5 ms).
    if not os.environ.get("CONTACTS_DEFAULT_SWITCH"):
        sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    app = QApplication([])
    window = QMainWindow()
    window.resize(1400, 850)
    window.show()
    app.processEvents()
    # The main window opens (checks, migrates) the database before it builds the tabs;
    # that is the foundation's cost, reported separately.
    opened = time.perf_counter()
    db = open_database(db_path)
    open_ms = (time.perf_counter() - opened) * 1000
    started = time.perf_counter()
    cpu_started = time.process_time()
    gui_started = time.thread_time()
    from planner.ui.tabs.contacts_tab import ContactsTab

    folder = db_path.parent if isinstance(db_path, Path) else Path(tempfile.mkdtemp())
    settings = SettingsStore(folder / "settings.json")
    context = TabContext(db, settings, Bus(), QUndoStack())
    # A timer ticking every 10 ms measures how long the GUI thread is ever blocked while
    # the rows load on a worker thread.
    ticks: list[float] = [time.perf_counter()]
    ticker = QTimer()
    ticker.timeout.connect(lambda: ticks.append(time.perf_counter()))
    ticker.start(10)
    tab = ContactsTab(context)
    window.setCentralWidget(tab)
    if tab.loading:
        loop = QEventLoop()
        tab.load_finished.connect(loop.quit)
        loop.exec()
    app.processEvents()
    tab.view.viewport().repaint()
    ready_ms = (time.perf_counter() - started) * 1000
    ready_cpu_ms = (time.process_time() - cpu_started) * 1000
    ready_gui_cpu_ms = (time.thread_time() - gui_started) * 1000
    ticker.stop()
    blocked_ms = max(b - a for a, b in itertools.pairwise(ticks)) * 1000
    total = tab.model.total_count()

    tab.search.setFocus()
    app.processEvents()
    timings = []
    cpu_timings = []
    for chunk in TYPING:
        for char in chunk:
            t0 = time.perf_counter()
            c0 = time.process_time()
            if char == "\b":
                QTest.keyClick(tab.search, Qt.Key.Key_Backspace)
            else:
                QTest.keyClicks(tab.search, char)
            app.processEvents()  # handles the view's update: the new result is painted
            timings.append((time.perf_counter() - t0) * 1000)
            cpu_timings.append((time.process_time() - c0) * 1000)
    p95 = percentile(timings, 0.95)

    sorts = []
    sort_cpu = []
    for column in range(tab.model.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            t0 = time.perf_counter()
            c0 = time.process_time()
            tab.view.sortByColumn(column, order)
            app.processEvents()
            sorts.append((time.perf_counter() - t0) * 1000)
            sort_cpu.append((time.process_time() - c0) * 1000)
    peak_kb = peak_rss_kb()
    print(f"contacts: {total}")
    print(f"database_open_ms: {open_ms:.0f}")
    print(f"tab_ready_ms: {ready_ms:.0f}")
    print(f"tab_ready_cpu_ms: {ready_cpu_ms:.0f}")
    # The GUI thread's own CPU time (its import, build and swapping the rows in): what the
    # user waits for with the window frozen, independent of the machine's load.
    print(f"tab_ready_gui_thread_cpu_ms: {ready_gui_cpu_ms:.0f}")
    print(f"gui_blocked_max_ms_while_loading: {blocked_ms:.0f}")
    print(f"search_keystroke_p95_ms: {p95:.1f}")
    print(f"search_keystroke_cpu_p95_ms: {percentile(cpu_timings, 0.95):.1f}")
    print(f"search_keystroke_max_ms: {max(timings):.1f}")
    print(f"keystrokes: {len(timings)}")
    print(f"sort_ms_max: {max(sorts):.0f}")
    print(f"sort_cpu_ms_max: {max(sort_cpu):.0f}")
    print(f"peak_rss_mb: {peak_kb / 1024:.0f}")
    # Wall times above include waiting for the CPU on a busy machine; the *_cpu_* lines
    # are this process's own CPU time, for comparing runs when the load differs.
    print(f"load_average_1min: {os.getloadavg()[0]:.2f}")
    window.close()
    db.close()


def _generate_sqlite(folder: str, contacts: int) -> Path:
    from planner.core.demo import generate_demo
    from planner.db.database import open_database

    db_path = Path(folder) / "bench.sqlite3"
    db = open_database(db_path)
    t0 = time.perf_counter()
    generate_demo(db, contacts=contacts)
    db.close()
    print(f"generate_s: {time.perf_counter() - t0:.1f}", flush=True)
    return db_path


def _measure_in_child(target: Path | str, prefix: str = "") -> dict[str, float]:
    """Run measure() in a fresh process; echo its lines (with `prefix`) and return them."""
    result = subprocess.run(
        [sys.executable, __file__, "--measure", str(target)],
        check=True,
        capture_output=True,
        text=True,
    )
    values: dict[str, float] = {}
    for line in result.stdout.splitlines():
        name, _, value = line.partition(": ")
        try:
            values[name] = float(value)
        except ValueError:
            continue
        print(f"{prefix}{line}", flush=True)
    return values


def _count_contacts(url: str) -> int:
    from sqlalchemy import text

    from planner.db.database import open_database

    db = open_database(url)
    try:
        with db.engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM contacts")).scalar() or 0)
    finally:
        db.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument(
        "--database",
        help="measure an existing database file, or a PostgreSQL URL against SQLite",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure if "://" in args.measure else Path(args.measure))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        if args.database and "://" in args.database:
            count = _count_contacts(args.database)
            if count == 0:
                print(f"benchmark: {args.database} has no contacts; run `planner --database URL "
                      "demo --contacts N` first", file=sys.stderr)  # fmt: skip
                return 2
            server = _measure_in_child(args.database, "postgresql_")
            local = _measure_in_child(_generate_sqlite(tmp, count), "sqlite_")
            for name in ("tab_ready_ms", "search_keystroke_p95_ms"):
                ratio = server[name] / max(local[name], 0.1)
                print(f"{name.replace('_ms', '')}_ratio: {ratio:.2f}")
            return 0
        target = Path(args.database) if args.database else _generate_sqlite(tmp, args.contacts)
        _measure_in_child(target)
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
