"""Events at scale: list, open one plan, find a contact, mark met, create follow-ups.

Builds 30,000 demo contacts (400 event plans) in a temp folder and prints each timing in ms
as `name: value` (medians of several runs).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.core.demo import generate_demo
from planner.core.events import EventService, find_contacts
from planner.db.database import open_database

RUNS = 7


def median_ms(action: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.sqlite3")
        generate_demo(db, contacts=30_000)
        service = EventService(db)
        rows = service.list()
        busiest = max(rows, key=lambda r: r.met_count)
        print(f"events: {len(rows)}")
        print(f"busiest_event_met: {busiest.met_count}")
        print(f"list_ms: {median_ms(service.list):.1f}")
        print(f"list_search_ms: {median_ms(lambda: service.list('conference')):.1f}")
        print(f"detail_busiest_ms: {median_ms(lambda: service.detail(busiest.id)):.1f}")
        print(f"find_contacts_ms: {median_ms(lambda: find_contacts(db, 'ana head')):.1f}")
        event_id = service.create("Benchmark Forum")[0].id
        counter = iter(range(10_000))

        def quick_add() -> None:
            service.mark_met(event_id, quick_add=f"Person {next(counter)}, Acme")

        print(f"mark_met_quick_add_ms: {median_ms(quick_add):.1f}")
        print(
            f"create_followups_busiest_ms: "
            f"{median_ms(lambda: service.create_followups(busiest.id, 3), runs=1):.1f}"
        )
        db.close()


if __name__ == "__main__":
    main()
