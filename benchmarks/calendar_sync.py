"""Time calendar sync: the offline plan ("changes waiting") at scale, and publishing a demo
network to a local Radicale server (first sync, a sync with nothing to do, one edit)."""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Run as a script, this folder comes first on sys.path, and benchmarks/calendar.py would
# shadow the standard library's calendar module (http.cookiejar needs it); the root instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from planner.core.calendar_sync import CalendarSyncStore  # noqa: E402
from planner.core.demo import generate_demo  # noqa: E402
from planner.core.followups import FollowUpService  # noqa: E402
from planner.core.reminders import ReminderQuery, ReminderService  # noqa: E402
from planner.db.database import open_database  # noqa: E402
from planner.interop.caldav_client import CalDavClient  # noqa: E402
from planner.interop.calendar_publish import PublishOptions, plan, publish  # noqa: E402


def plan_at_scale(folder: Path, contacts: int) -> None:
    db = open_database(folder / "big.sqlite3")
    generate_demo(db, contacts=contacts, seed=11, today=date.today())
    started = time.perf_counter()
    reminders = ReminderService(db).collect(ReminderQuery())
    the_plan, _ = plan(reminders, CalendarSyncStore(db), "https://x/c/", PublishOptions())
    elapsed = time.perf_counter() - started
    print(f"calendar_sync_plan_items: {the_plan.pending}")
    print(f"calendar_sync_plan_seconds: {elapsed:.2f}")
    db.close()


def publish_demo(folder: Path, contacts: int) -> None:
    try:
        from tests.caldav_server import RadicaleServer, fast_folder
    except ImportError:
        print("calendar_sync_publish: skipped (radicale not installed)")
        return
    store_folder = tempfile.TemporaryDirectory(prefix="radicale-", dir=fast_folder())
    server = RadicaleServer(Path(store_folder.name), {"me": "pw"}).start()
    try:
        db = open_database(folder / "demo.sqlite3")
        generate_demo(db, contacts=contacts, seed=3, today=date.today())
        store = CalendarSyncStore(db)

        def sync() -> tuple[float, str]:
            started = time.perf_counter()
            reminders = ReminderService(db).collect(ReminderQuery())
            with CalDavClient(server.url, "me", "pw") as client:
                calendar = client.resolve_calendar("", "Networking Planner")
                report = publish(client, store, calendar.url, reminders)
            return time.perf_counter() - started, report.describe()

        first, what = sync()
        print(f"calendar_sync_first_items: {what}")
        print(f"calendar_sync_first_seconds: {first:.2f}")
        noop, what = sync()
        print(f"calendar_sync_noop_seconds: {noop:.2f}")
        followup = ReminderService(db).collect(ReminderQuery()).followups[0]
        FollowUpService(db).reschedule(followup.id, followup.due_date + timedelta(days=1))
        one, what = sync()
        print(f"calendar_sync_one_edit: {what}")
        print(f"calendar_sync_one_edit_seconds: {one:.2f}")
        db.close()
    finally:
        server.stop()
        store_folder.cleanup()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        plan_at_scale(Path(tmp), int(sys.argv[1]) if len(sys.argv) > 1 else 30_000)
        publish_demo(Path(tmp), 300)
