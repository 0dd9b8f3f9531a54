"""The notifier on a running event loop: a follow-up that falls due is announced once."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from planner.core.contact_rows import new_contact
from planner.core.followups import FollowUpDraft, FollowUpService
from planner.db.database import Database
from planner.ui.notifier import FollowUpNotifier


def test_timer_announces_a_follow_up_once_when_it_falls_due(qtbot: object, db: Database) -> None:
    with db.session() as s:
        cid = new_contact(s, "Amara Okafor").id
    service = FollowUpService(db)
    due = datetime.now(timezone.utc) + timedelta(milliseconds=600)
    fu = service.create(FollowUpDraft(cid, due.date(), due.time(), "UTC", purpose="call Amara"))[0]

    notifier = FollowUpNotifier(service, interval_ms=50, use_tray=False)
    fired: list[int] = []
    ticks: list[int] = []
    notifier.notified.connect(fired.append)
    notifier._timer.timeout.connect(lambda: ticks.append(1))
    notifier.start()
    try:
        with qtbot.waitSignal(notifier.notified, timeout=5000):  # type: ignore[attr-defined]
            pass
        assert fired == [fu.id]
        # Several more checks later it has still fired only once.
        seen = len(ticks)
        qtbot.waitUntil(lambda: len(ticks) >= seen + 5, timeout=5000)  # type: ignore[attr-defined]
        assert fired == [fu.id]
    finally:
        notifier.stop()
    # A new notifier (the app restarted) does not repeat it either.
    assert FollowUpNotifier(service, use_tray=False).check() == []


def test_the_periodic_look_reads_off_the_gui_thread(
    qtbot: object, db: Database, monkeypatch: object
) -> None:
    """At 100,000 contacts the read scans the follow-ups (20-30 ms every 30 s): a worker does
    it; marking and announcing stay on the GUI thread."""
    import threading

    with db.session() as s:
        cid = new_contact(s, "Kenji Sato").id
    service = FollowUpService(db)
    due = datetime.now(timezone.utc) - timedelta(minutes=1)
    fu = service.create(FollowUpDraft(cid, due.date(), due.time(), "UTC", purpose="call Kenji"))[0]
    readers: list[int] = []
    markers: list[int] = []
    read, mark = service.due_for_notification, service.mark_notified

    def reading(*args: object) -> object:
        readers.append(threading.get_ident())
        return read(*args)  # type: ignore[arg-type]

    def marking(*args: object) -> object:
        markers.append(threading.get_ident())
        return mark(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "due_for_notification", reading)  # type: ignore[attr-defined]
    monkeypatch.setattr(service, "mark_notified", marking)  # type: ignore[attr-defined]
    notifier = FollowUpNotifier(service, interval_ms=50, use_tray=False)
    fired: list[int] = []
    notifier.notified.connect(fired.append)
    notifier.start()
    try:
        qtbot.waitUntil(lambda: fired == [fu.id], timeout=5000)  # type: ignore[attr-defined]
    finally:
        notifier.stop()
    gui = threading.get_ident()
    assert readers and all(thread != gui for thread in readers)
    assert markers == [gui]
