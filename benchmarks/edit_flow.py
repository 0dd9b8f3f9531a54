"""The flow of one edit at scale: logging a touchpoint, tagging 20,000, undoing an import.

Builds `planner demo --contacts 100000` in a temporary folder (or uses `--database PATH`),
then drives the real ContactsTab offscreen through the same code the buttons use and prints:

  touchpoint_sessions           database sessions opened to log one touchpoint and show it
  touchpoint_gui_ms             time the GUI thread was busy for it (the click, and every
                                background result handed back to it), not counting waits
  bulk_tag_20k_gui_stall_ms     longest the event loop stalled while 20,000 contacts were
                                tagged off the GUI thread (with the list reloading after)
  undo_import_30k_gui_stall_ms  the same for undoing an import of 30,000 contacts

It runs with the app's GIL switch interval (planner.app.GUI_SWITCH_INTERVAL_S);
EDIT_FLOW_DEFAULT_SWITCH=1 keeps Python's default (5 ms) to compare.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))


class StallMeter:
    """Ticks a 5 ms timer; the longest gap between ticks is the longest GUI stall."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def start(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> float:
        self._timer.stop()
        self._tick()
        return self.longest * 1000


def wait(app: object, until: object, timeout: float = 600.0) -> None:
    deadline = time.monotonic() + timeout
    while not until() and time.monotonic() < deadline:  # type: ignore[operator]
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.001)


def measure(db_path: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication, QDialog

    from planner.app import GUI_SWITCH_INTERVAL_S
    from planner.core.importer import ImportService
    from planner.db.database import open_database
    from planner.settings import SettingsStore
    from planner.ui import tasks
    from planner.ui.bus import Bus
    from planner.ui.commands import execute_in_background
    from planner.ui.commands.base import push_done
    from planner.ui.commands.contacts import TagContacts
    from planner.ui.commands.imports import IMPORT_CHANGES, ImportContacts
    from planner.ui.context import TabContext
    from planner.ui.dialogs.touchpoint_dialog import TouchpointDialog
    from planner.ui.tabs.contacts_tab import ContactsTab

    if os.environ.get("EDIT_FLOW_DEFAULT_SWITCH") != "1":
        sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)  # as the app's window does
    app = QApplication.instance() or QApplication([])
    db = open_database(db_path)
    settings = SettingsStore(Path(tempfile.mkdtemp()) / "settings.json")
    bus = Bus()
    stack = QUndoStack()
    context = TabContext(db=db, settings=settings, bus=bus, undo_stack=stack)
    tab = ContactsTab(context)
    tab.resize(1200, 780)
    tab.show()
    wait(app, lambda: not tab.loading)
    cid = tab.model.contact_id(0)
    tab.select_contact(cid)
    wait(app, lambda: tasks.running() == 0)
    # As the user sees it before the click: the list painted and its thumbnails read (else
    # the first screenful's photos would be counted as part of logging a touchpoint).
    tab.repaint()
    app.processEvents()  # the thumbnails asked for while painting start loading
    wait(app, lambda: tasks.running() == 0)

    # --- log one touchpoint, as the Log touchpoint button does
    TouchpointDialog.exec = lambda self: int(QDialog.DialogCode.Accepted)  # type: ignore[method-assign]
    sessions = [0]
    real_session = db.session

    def counting():  # type: ignore[no-untyped-def]
        sessions[0] += 1
        return real_session()

    db.session = counting  # type: ignore[method-assign]
    # GUI-thread time: the click, plus every background result handed back to the GUI
    # thread meanwhile (the list's and the detail pane's reads coming back).
    gui = [0.0]
    real_deliver = tasks.Task._deliver

    def timed_deliver(self):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        real_deliver(self)
        gui[0] += time.perf_counter() - start

    tasks.Task._deliver = timed_deliver  # type: ignore[method-assign]
    start = time.perf_counter()
    tab.log_touchpoint([cid])
    gui[0] += time.perf_counter() - start
    wait(app, lambda: tasks.running() == 0)
    tasks.Task._deliver = real_deliver  # type: ignore[method-assign]
    db.session = real_session  # type: ignore[method-assign]
    print(f"touchpoint_sessions: {sessions[0]}")
    print(f"touchpoint_gui_ms: {gui[0] * 1000:.1f}")

    meter = StallMeter()
    # --- tag 20,000 contacts, as Selected > Add tag does
    ids = [tab.model.contact_id(r) for r in range(min(20_000, tab.model.rowCount()))]
    command = TagContacts(bus, tab.contacts, [i for i in ids if i is not None], "bench")
    meter.start()
    execute_in_background(stack, command)
    wait(app, lambda: not command.running and tasks.running() == 0 and not tab.loading)
    print(f"bulk_tag_20k_gui_stall_ms: {meter.stop():.1f}")

    # --- import 30,000 contacts (not measured), then undo that import
    from planner.interop.contact_files import read_contacts_file

    csv_path = Path(tempfile.mkdtemp()) / "Connections.csv"
    csv_path.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
        + "".join(
            f"Bench{i},Person{i},https://www.linkedin.com/in/bench-{i},"
            f"bench{i}@example.invalid,Bench Co {i % 500},Role,12 Nov 2025\r\n"
            for i in range(30_000)
        ),
        encoding="utf-8",
    )
    service = ImportService(db)
    preview = service.preview(read_contacts_file(csv_path))
    choices: dict[int, str] = {}
    outcome = service.commit(preview, choices)
    imported = ImportContacts(bus, service, preview, choices, outcome, "Import 30,000")
    push_done(stack, imported, IMPORT_CHANGES)  # as the import dialog hands it over
    wait(app, lambda: tasks.running() == 0 and not tab.loading)
    meter.start()
    stack.undo()
    wait(app, lambda: not imported.running and tasks.running() == 0 and not tab.loading)
    print(f"undo_import_30k_gui_stall_ms: {meter.stop():.1f}")
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", type=Path, help="an existing demo database to use")
    parser.add_argument("--contacts", type=int, default=100_000)
    args = parser.parse_args()
    if args.database is not None:
        measure(args.database)
        return
    from planner.core.demo import generate_demo
    from planner.db.database import open_database

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "edit_flow.sqlite3"
        db = open_database(path)
        generate_demo(db, contacts=args.contacts)
        db.close()
        measure(path)


if __name__ == "__main__":
    main()
