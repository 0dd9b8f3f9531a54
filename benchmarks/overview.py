"""Overview tab speed on the 100,000-contact demo network.

Prints `overview_ready_ms` (tab opened -> data shown and painted; target <= 500) and
`overview_refresh_ms` (a touchpoint added and announced on the bus -> the overview shows it,
debounce included; target <= 200). Run: python benchmarks/overview.py [--contacts N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from planner.core.demo import generate_demo
    from planner.core.overview import OverviewService
    from planner.db import models as m
    from planner.db.database import open_database
    from planner.settings import SettingsStore
    from planner.ui.bus import Bus
    from planner.ui.context import TabContext

    app = QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        db = open_database(path)
        started = time.perf_counter()
        summary = generate_demo(db, contacts=args.contacts)
        print(f"demo_contacts: {summary.contacts}")
        print(f"demo_touchpoints: {summary.touchpoints}")
        print(f"demo_seconds: {time.perf_counter() - started:.1f}")
        # Closed and opened again, as when the user starts the app on this database (closing
        # also folds the write-ahead log back into the file).
        db.close()
        db = open_database(path)
        context = TabContext(db, SettingsStore(Path(folder) / "s.json"), Bus(), QUndoStack())

        # The query alone, for reference (full read and a touchpoint-only refresh).
        service = OverviewService(db)
        full, partial = [], []
        previous = None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            previous = service.overview()
            full.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            service.overview(sections={"touches", "cadence", "losing"}, previous=previous)
            partial.append((time.perf_counter() - t0) * 1000)
        print(f"overview_query_full_ms: {statistics.median(full):.0f}")
        print(f"overview_query_touch_refresh_ms: {statistics.median(partial):.0f}")

        def wait_for(signal: object, timeout_ms: int = 30_000) -> None:
            # One event loop run per wait: no processEvents() busy loop.
            loop = QEventLoop()
            signal.connect(loop.quit)  # type: ignore[attr-defined]
            QTimer.singleShot(timeout_ms, loop.quit)
            loop.exec()
            signal.disconnect(loop.quit)  # type: ignore[attr-defined]

        from planner.ui.tabs.overview_tab import OverviewTab

        ready, refresh, refresh_cpu = [], [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            tab = OverviewTab(context)
            tab.resize(1200, 780)
            tab.show()
            wait_for(tab.refreshed)
            tab.repaint()  # paint the charts and lists now, inside the measurement
            ready.append((time.perf_counter() - t0) * 1000)
            first = tab.activity_chart.value(0, 11)

            with db.session() as s:
                contact_id = s.query(m.Contact.id).order_by(m.Contact.id).limit(1).scalar()
                s.add(
                    m.Touchpoint(
                        contact_id=contact_id,
                        occurred_on=date.today(),
                        channel="call",
                        kind="gave_value",
                    )
                )
            t0 = time.perf_counter()
            c0 = time.process_time()
            context.bus.touchpoints_changed.emit()
            wait_for(tab.refreshed)
            tab.repaint()
            refresh.append((time.perf_counter() - t0) * 1000)
            # CPU of all threads: what the refresh costs on an otherwise idle machine.
            refresh_cpu.append((time.process_time() - c0) * 1000)
            assert tab.activity_chart.value(0, 11) == first + 1, "refresh did not show the edit"
            tab.close()
            tab.deleteLater()
        print(f"overview_ready_ms: {statistics.median(ready):.0f}")
        print(f"overview_refresh_ms: {statistics.median(refresh):.0f}")
        print(f"overview_refresh_cpu_ms: {statistics.median(refresh_cpu):.0f}")
        print(f"overview_ready_ms_max: {max(ready):.0f}")
        print(f"overview_refresh_ms_max: {max(refresh):.0f}")
        db.close()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load_average_1min: {load:.2f}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
