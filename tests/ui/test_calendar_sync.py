"""Calendar sync in the window: Preferences page, debounced sync off the GUI thread, and the
status bar while the server is up, stopped, or refusing the password (a real Radicale)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from caldav.davclient import DAVClient

from planner import credentials
from planner.core.changes import Changes
from planner.core.demo import generate_demo
from planner.core.followups import FollowUpService
from planner.core.reminders import ReminderQuery, ReminderService
from planner.db.database import Database
from planner.settings import SettingsStore
from planner.ui.bus import Bus
from planner.ui.calendar_sync import CalendarSyncController, CalendarSyncStatus
from planner.ui.dialogs.calendar_sync_page import CalendarSyncPage
from planner.ui.dialogs.preferences_dialog import PreferencesDialog
from tests.caldav_server import RadicaleServer, fast_folder

USERS = {"ann": "pw-ann", "bob": "pw-bob", "cy": "pw-cy", "dana": "pw-dana"}


@pytest.fixture(scope="module")
def radicale() -> Iterator[RadicaleServer]:
    with tempfile.TemporaryDirectory(prefix="radicale-", dir=fast_folder()) as folder:
        server = RadicaleServer(Path(folder), USERS).start()
        yield server
        server.stop()


def _server_uids(url: str, user: str) -> set[str]:
    with DAVClient(url=url, username=user, password=USERS[user]) as client:
        calendars = client.get_principal().get_calendars()
        if not calendars:
            return set()
        return {str(obj.icalendar_component["UID"]) for obj in calendars[0].get_events()}


def _configure(settings: SettingsStore, url: str, user: str, password: str) -> None:
    prefs = settings.preferences
    prefs.calendar_sync_enabled = True
    prefs.calendar_sync_url = url
    prefs.calendar_sync_user = user
    credentials.set_password(url, user, password)


@pytest.fixture
def controllers() -> Iterator[list[CalendarSyncController]]:
    """Controllers made by a test, stopped at its end (no timer fires into a later test)."""
    made: list[CalendarSyncController] = []
    yield made
    for controller in made:
        controller.stop()


def _wait_idle(qtbot: object, controller: CalendarSyncController) -> None:
    qtbot.waitUntil(lambda: not controller.running and controller.last_outcome is not None,  # type: ignore[attr-defined]
                    timeout=20_000)  # fmt: skip


def test_syncs_on_start_and_after_a_change(
    qtbot: object,
    db: Database,
    settings: SettingsStore,
    radicale: RadicaleServer,
    controllers: list[CalendarSyncController],
    db_engine: str,
) -> None:
    # The server lives for the module: the PostgreSQL run uses its own (empty) account.
    user = "ann" if db_engine == "sqlite" else "dana"
    generate_demo(db, contacts=10, seed=2, today=date.today())
    _configure(settings, radicale.url, user, USERS[user])
    bus = Bus()
    controller = CalendarSyncController(db, settings, bus, debounce_ms=20)
    controllers.append(controller)
    status = CalendarSyncStatus(controller)
    controller.start()
    assert controller.running and status.text() == "Calendar: syncing…"
    _wait_idle(qtbot, controller)
    assert status.text() == "Calendar synced just now", controller.last_outcome
    reminders = ReminderService(db).collect(ReminderQuery())
    assert len(_server_uids(radicale.url, user)) == reminders.total
    # The calendar made on the first sync is remembered.
    assert settings.preferences.calendar_sync_calendar_url.startswith(radicale.url)
    assert settings.preferences.calendar_sync_calendar_name == "Networking Planner"

    followup = reminders.followups[0]
    FollowUpService(db).cancel(followup.id)
    controller.last_outcome = None
    bus.changed.emit(Changes.of(follow_ups=[followup.id]))
    _wait_idle(qtbot, controller)
    report = controller.last_outcome.report  # type: ignore[union-attr]
    assert (report.created, report.updated, report.deleted) == (0, 0, 1)
    assert f"{followup.uuid}@networking-planner" not in _server_uids(radicale.url, user)


def test_stopped_server_queues_changes_and_says_so(
    qtbot: object,
    db: Database,
    settings: SettingsStore,
    tmp_path: Path,
    controllers: list[CalendarSyncController],
) -> None:
    generate_demo(db, contacts=6, seed=3, today=date.today())
    folder = tempfile.TemporaryDirectory(prefix="radicale-", dir=fast_folder())
    server = RadicaleServer(Path(folder.name), USERS).start()
    try:
        _configure(settings, server.url, "bob", "pw-bob")
        bus = Bus()
        controller = CalendarSyncController(db, settings, bus, debounce_ms=20)
        controllers.append(controller)
        status = CalendarSyncStatus(controller)
        controller.start()
        _wait_idle(qtbot, controller)
        assert status.text() == "Calendar synced just now"
    finally:
        server.stop()
        folder.cleanup()

    followups = ReminderService(db).collect(ReminderQuery()).followups
    service = FollowUpService(db)
    service.reschedule(followups[0].id, followups[0].due_date + timedelta(days=1))[0]
    service.cancel(followups[1].id)[0]
    controller.last_outcome = None
    bus.changed.emit(Changes.of(follow_ups=[followups[0].id, followups[1].id]))
    _wait_idle(qtbot, controller)
    assert status.isVisible() or not status.isHidden()
    assert status.text() == "Calendar: 2 changes waiting (offline; retrying in 30 s)"
    assert "Could not reach" in status.toolTip()
    assert controller._retry.isActive()  # the back-off timer is armed
    # A long back-off shows the clock time of the next try, not a count that goes stale.
    controller.retry_in = 300
    controller._retry_at = datetime(2026, 12, 6, 21, 40, tzinfo=timezone.utc)
    controller._show_state()
    local = controller._retry_at.astimezone().strftime("%H:%M")
    assert status.text() == f"Calendar: 2 changes waiting (offline; next try at {local})"


def test_wrong_password_is_shown_in_the_status_bar(
    qtbot: object,
    db: Database,
    settings: SettingsStore,
    radicale: RadicaleServer,
    controllers: list[CalendarSyncController],
) -> None:
    _configure(settings, radicale.url, "cy", "not-it")
    controller = CalendarSyncController(db, settings, Bus(), debounce_ms=20)
    controllers.append(controller)
    status = CalendarSyncStatus(controller)
    controller.start()
    _wait_idle(qtbot, controller)
    assert status.text().endswith("(password needed)")
    assert "refused the user name or password" in status.toolTip()


def test_preferences_page_connects_lists_calendars_and_keeps_the_password_out_of_settings(
    qtbot: object, settings: SettingsStore, radicale: RadicaleServer,
    _memory_keyring: dict[tuple[str, str], str],
) -> None:  # fmt: skip
    dialog = PreferencesDialog(settings.preferences)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    page = dialog.findChild(CalendarSyncPage, "calendarSyncPage")
    assert page is not None
    page.url.setText(radicale.url)
    page.user.setText("ann")
    page.password.setText("wrong")
    page.connect_button.click()
    qtbot.waitUntil(lambda: page.connect_button.isEnabled(), timeout=20_000)  # type: ignore[attr-defined]
    assert "refused the user name or password" in page.message.text()

    page.password.setText("pw-ann")
    page.connect_button.click()
    qtbot.waitUntil(lambda: page.connect_button.isEnabled(), timeout=20_000)  # type: ignore[attr-defined]
    assert page.message.text().startswith("Connected:")
    names = [page.calendar.itemText(i) for i in range(page.calendar.count())]
    assert any("Networking Planner" in n for n in names)
    assert page.enabled.isChecked()

    dialog.accept()
    prefs = dialog.preferences()
    assert (prefs.calendar_sync_enabled, prefs.calendar_sync_url, prefs.calendar_sync_user) == (
        True, radicale.url, "ann")  # fmt: skip
    settings.preferences = prefs
    settings.save()
    assert "pw-ann" not in settings.path.read_text(encoding="utf-8")
    assert credentials.get_password(radicale.url, "ann") == "pw-ann"
    assert "pw-ann" in _memory_keyring.values()


def test_preferences_page_refuses_publishing_without_an_address(
    qtbot: object, settings: SettingsStore
) -> None:
    dialog = PreferencesDialog(settings.preferences)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    page = dialog.findChild(CalendarSyncPage, "calendarSyncPage")
    page.enabled.setChecked(True)
    dialog.accept()
    assert dialog.result() != PreferencesDialog.DialogCode.Accepted
    assert "server's address" in page.message.text()
