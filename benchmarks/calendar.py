"""Calendar tab speed on a large demo network: opening the tab and switching months.

Run: /work/venv/bin/python benchmarks/calendar.py [--contacts N] [--followups N]
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the stdlib `calendar` module: keep its folder off the import path.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

import argparse  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--followups", type=int, default=200_000)
    parser.add_argument("--switches", type=int, default=40)
    parser.add_argument(
        "--reuse", type=Path, help="copy of a generated database to reuse (made if missing)"
    )
    args = parser.parse_args()

    from PySide6.QtCore import QEventLoop
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from planner.core.demo import generate_demo
    from planner.db.database import open_database
    from planner.settings import SettingsStore
    from planner.ui.bus import Bus
    from planner.ui.context import TabContext

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        path = tmp / "bench.sqlite3"
        if args.reuse is not None and args.reuse.exists():
            shutil.copyfile(args.reuse, path)
        db = open_database(path)
        if args.reuse is None or not args.reuse.exists():
            started = time.perf_counter()
            generate_demo(db, contacts=args.contacts, followups=args.followups)
            print(f"generate_s: {time.perf_counter() - started:.1f}")
            # Reopen, as the app would: closing checkpoints the write-ahead log.
            db.close()
            if args.reuse is not None:
                shutil.copyfile(path, args.reuse)
            db = open_database(path)
        context = TabContext(db, SettingsStore(tmp / "settings.json"), Bus(), QUndoStack())

        # The main window imports every tab module when a database opens (start-up cost,
        # measured by the start-up benchmark); opening the tab is building and showing it.
        started = time.perf_counter()
        from planner.ui.tabs.calendar_tab import CalendarTab

        print(f"tab_import_ms: {(time.perf_counter() - started) * 1000:.1f}")
        started = time.perf_counter()
        cpu_started = time.process_time()
        tab = CalendarTab(context)
        tab.resize(1200, 780)
        tab.show()
        while tab.data_pending():  # the first read runs on a worker; months switch after it
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        app.processEvents()
        print(f"tab_open_ms: {(time.perf_counter() - started) * 1000:.1f}")
        print(f"tab_open_cpu_ms: {(time.process_time() - cpu_started) * 1000:.1f}")

        def switch_times(tab: CalendarTab, count: int) -> list[float]:
            # Back and forth over the five busiest months (the demo spreads follow-ups from
            # two months back to three ahead); grid and agenda repainted synchronously so
            # painting is inside the measured time.
            for _ in range(2):
                tab.previous_month()
            timings = []
            cpu = []
            for i in range(count):
                step = tab.next_month if (i // 4) % 2 == 0 else tab.previous_month
                started = time.perf_counter()
                cpu_started = time.process_time()
                step()
                tab.grid.repaint()
                tab.agenda_view.viewport().repaint()
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
            cpu_times.extend(cpu)
            return timings

        # CPU time beside wall time: on a shared, busy machine the difference is waiting.
        cpu_times: list[float] = []

        timings = switch_times(tab, args.switches)
        print(f"month_switch_ms_p50: {statistics.median(timings):.1f}")
        print(f"month_switch_ms_p95: {_p95(timings):.1f}")
        print(f"month_switch_cpu_ms_p95: {_p95(cpu_times):.1f}")
        tab.set_week_mode(True)
        timings = switch_times(tab, 10)
        print(f"month_switch_week_agenda_ms_p95: {_p95(timings):.1f}")

        started = time.perf_counter()
        tab.refresh()
        print(f"full_refresh_ms: {(time.perf_counter() - started) * 1000:.1f}")
        tab.notifier.stop()
        tab.close()
        tab.deleteLater()
        del tab
        app.processEvents()
        db.close()


if __name__ == "__main__":
    main()
