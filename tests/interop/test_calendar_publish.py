"""Publishing to a real CalDAV server (Radicale on 127.0.0.1), read back with the caldav client."""

from __future__ import annotations

import itertools
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
import vobject
from caldav.davclient import DAVClient

from planner.core.calendar_sync import CalendarSyncStore, content_hash
from planner.core.demo import generate_demo
from planner.core.followups import FollowUpService
from planner.core.reminders import ReminderQuery, ReminderService
from planner.db.database import Database
from planner.interop.caldav_client import (
    CalDavAuthError,
    CalDavClient,
    CalDavNotCalendarServer,
    CalDavUnreachable,
    resource_href,
)
from planner.interop.calendar_publish import PublishOptions, plan, publish
from planner.interop.ics import IcsOptions, render_resources
from tests.caldav_server import RadicaleServer, fast_folder, free_port

USERS = {f"user{i}": f"secret-{i}" for i in range(16)}
_next_user = itertools.count()


@pytest.fixture(scope="module")
def radicale() -> Iterator[RadicaleServer]:
    with tempfile.TemporaryDirectory(prefix="radicale-", dir=fast_folder()) as folder:
        server = RadicaleServer(Path(folder), USERS).start()
        yield server
        server.stop()


@pytest.fixture
def account(radicale: RadicaleServer) -> tuple[str, str, str]:
    """A fresh user on the shared server: (url, user, password)."""
    user = f"user{next(_next_user)}"
    return radicale.url, user, USERS[user]


@pytest.fixture
def demo_db(db: Database) -> Database:
    generate_demo(db, contacts=20, seed=5, today=date.today())
    return db


def _collect(db: Database) -> object:
    return ReminderService(db).collect(ReminderQuery())


def _sync(db: Database, account: tuple[str, str, str], **options: object) -> object:
    url, user, password = account
    with CalDavClient(url, user, password) as client:
        calendar = client.find_or_create_calendar()
        return publish(
            client,
            CalendarSyncStore(db),
            calendar.url,
            _collect(db),  # type: ignore[arg-type]
            PublishOptions(alarm_minutes=30, **options),  # type: ignore[arg-type]
        )


def _server_items(account: tuple[str, str, str]) -> dict[str, icalendar.Event]:
    """UID -> event, read by the caldav library on its own connection."""
    url, user, password = account
    with DAVClient(url=url, username=user, password=password) as client:
        calendars = client.get_principal().get_calendars()
        assert [c.get_display_name() for c in calendars] == ["Networking Planner"]
        items = {}
        for obj in calendars[0].get_events():
            text = obj.data
            parsed = icalendar.Calendar.from_ical(text)
            assert "METHOD" not in parsed
            events = [c for c in parsed.walk("VEVENT")]
            assert len(events) == 1
            # An independent parser reads every resource too.
            assert vobject.readOne(text).vevent.uid.value == str(events[0]["UID"])
            items[str(events[0]["UID"])] = events[0]
        return items


def test_publish_matches_the_export_and_a_second_sync_changes_nothing(
    demo_db: Database, account: tuple[str, str, str]
) -> None:
    reminders = _collect(demo_db)
    exported = render_resources(reminders, IcsOptions(alarm_minutes=30))  # type: ignore[arg-type]
    assert len(exported) > 10

    first = _sync(demo_db, account)
    assert (first.created, first.updated, first.deleted) == (len(exported), 0, 0)  # type: ignore[attr-defined]

    on_server = _server_items(account)
    assert set(on_server) == {r.uid for r in exported}
    # Same text as the file: only DTSTAMP may differ.
    by_uid = {r.uid: r for r in exported}
    for uid, event in on_server.items():
        ours = icalendar.Calendar.from_ical(by_uid[uid].data).walk("VEVENT")[0]
        assert event["SUMMARY"] == ours["SUMMARY"]
        assert event.decoded("DTSTART") == ours.decoded("DTSTART")
        assert int(event["SEQUENCE"]) == int(ours["SEQUENCE"])
        assert len(event.walk("VALARM")) == 1

    second = _sync(demo_db, account)
    assert (second.created, second.updated, second.deleted) == (0, 0, 0)  # type: ignore[attr-defined]
    assert second.unchanged == len(exported)  # type: ignore[attr-defined]


def test_edit_updates_in_place_and_completion_deletes(
    demo_db: Database, account: tuple[str, str, str]
) -> None:
    _sync(demo_db, account)
    reminders = _collect(demo_db)
    edited, completed = reminders.followups[0], reminders.followups[1]  # type: ignore[attr-defined]
    uid = f"{edited.uuid}@networking-planner"
    everything = _server_items(account)
    before = everything[uid]

    service = FollowUpService(demo_db)
    service.reschedule(edited.id, edited.due_date + timedelta(days=5))[0]
    service.cancel(completed.id)[0]
    report = _sync(demo_db, account)
    assert (report.created, report.updated, report.deleted) == (0, 1, 1)  # type: ignore[attr-defined]

    after = _server_items(account)
    assert f"{completed.uuid}@networking-planner" not in after
    assert uid in after
    assert int(after[uid]["SEQUENCE"]) > int(before["SEQUENCE"])
    moved = after[uid].decoded("DTSTART")
    was = before.decoded("DTSTART")
    assert (moved if isinstance(moved, date) else moved.date()) - (
        was if isinstance(was, date) else was.date()
    ) == timedelta(days=5)
    # Updated in place: same resource, not a new one.
    assert len(after) == len(everything) - 1


def test_server_side_edit_is_reported_not_overwritten(
    demo_db: Database, account: tuple[str, str, str]
) -> None:
    _sync(demo_db, account)
    reminders = _collect(demo_db)
    target = next(f for f in reminders.followups if f.contact_id)  # type: ignore[attr-defined]
    uid = f"{target.uuid}@networking-planner"

    # Someone edits the item in their calendar app.
    url, user, password = account
    with DAVClient(url=url, username=user, password=password) as client:
        calendar = client.get_principal().get_calendars()[0]
        obj = calendar.get_object_by_uid(uid)
        obj.data = obj.data.replace("SUMMARY:", "SUMMARY:Edited on the phone: ", 1)
        obj.save()

    FollowUpService(demo_db).reschedule(target.id, target.due_date + timedelta(days=2))
    report = _sync(demo_db, account)
    assert report.updated == 0  # type: ignore[attr-defined]
    assert [c.uid for c in report.conflicts] == [uid]  # type: ignore[attr-defined]
    assert "changed" in report.conflicts[0].reason  # type: ignore[attr-defined]
    assert report.conflicts[0].summary.startswith("Follow up:")  # type: ignore[attr-defined]
    assert str(_server_items(account)[uid]["SUMMARY"]).startswith("Edited on the phone: ")

    # Still reported on the next sync, and nothing is sent for it.
    again = _sync(demo_db, account)
    assert [c.uid for c in again.conflicts] == [uid]  # type: ignore[attr-defined]
    assert again.changed == 0  # type: ignore[attr-defined]

    # Only when the user says so is the server's copy replaced.
    replaced = _sync(demo_db, account, replace_conflicts=True)
    assert (replaced.updated, replaced.conflicts) == (1, ())  # type: ignore[attr-defined]
    assert not str(_server_items(account)[uid]["SUMMARY"]).startswith("Edited")


def test_dry_run_counts_and_writes_nothing(
    demo_db: Database, account: tuple[str, str, str]
) -> None:
    report = _sync(demo_db, account, dry_run=True)
    assert report.dry_run and report.created > 10  # type: ignore[attr-defined]
    assert _server_items(account) == {}
    assert CalendarSyncStore(demo_db).tracked("") == {}


def test_wrong_password_gives_the_auth_message(radicale: RadicaleServer) -> None:
    with pytest.raises(CalDavAuthError) as caught, CalDavClient(radicale.url, "user0", "nope") as c:
        c.calendars()
    assert "refused the user name or password" in caught.value.message


def test_stopped_server_is_unreachable(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    with pytest.raises(CalDavUnreachable) as caught, CalDavClient(url, "u", "p") as client:
        client.calendars()
    assert "Could not reach" in caught.value.message


def test_a_web_server_that_is_not_caldav_is_named(tmp_path: Path) -> None:
    port = free_port()
    web = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert web.stdout is not None
        web.stdout.readline()  # "Serving HTTP on ..." once it listens
        with (
            pytest.raises(CalDavNotCalendarServer) as caught,
            CalDavClient(f"http://127.0.0.1:{port}/", "u", "p") as client,
        ):
            client.calendars()
    finally:
        web.terminate()
        web.wait()
    assert "does not answer as a CalDAV server" in caught.value.message


def test_offline_plan_counts_waiting_changes(demo_db: Database) -> None:
    """With no server at all, the database alone says how many changes are waiting."""
    reminders = _collect(demo_db)
    store = CalendarSyncStore(demo_db)
    the_plan, desired = plan(reminders, store, "https://cal.example/c/", PublishOptions())  # type: ignore[arg-type]
    assert the_plan.pending == len(desired) == reminders.total  # type: ignore[attr-defined]
    first = desired[0]
    store.record_pushed(
        "https://cal.example/c/", first.uid, resource_href("https://cal.example/c/", first.uid),
        '"e1"', content_hash(first.data),
    )  # fmt: skip
    the_plan, _ = plan(reminders, store, "https://cal.example/c/", PublishOptions())  # type: ignore[arg-type]
    assert (the_plan.pending, the_plan.unchanged) == (len(desired) - 1, 1)
