"""The main window: opening databases, preferences, backups, window state, error handling."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QScrollArea

from planner.paths import app_paths
from planner.settings import SettingsStore
from planner.ui.dialogs.preferences_dialog import PreferencesDialog
from planner.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: object, tmp_path: Path) -> MainWindow:
    paths = app_paths(tmp_path / "home")
    paths.create()
    win = MainWindow(paths, SettingsStore(paths.settings_file))
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    assert win.open_database(paths.default_database)
    return win


def test_tabs_built_once_database_opens(window: MainWindow) -> None:
    names = [window.tabs.widget(i).objectName() for i in range(window.tabs.count())]
    assert {"contactsTab", "calendarTab", "eventsTab"} <= set(names)
    assert window.backup_action.isEnabled()
    assert window.db is not None and window.db.path is not None


def test_failed_open_keeps_current_database(
    window: MainWindow, tmp_path: Path, qtbot: object
) -> None:
    current = window.db
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_text("not a database")
    with qtbot.waitSignal(window.database_failed) as blocker:  # type: ignore[attr-defined]
        assert not window.open_database(bogus)
    assert "not a Networking Planner database" in blocker.args[0]
    assert window.db is current
    assert bogus.read_text() == "not a database"


def test_open_another_database_switches(window: MainWindow, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    assert window.open_database(other)
    assert window.db is not None and window.db.path == other.resolve()
    assert str(other.resolve()) in window.status_db.text()


def test_preferences_are_saved_and_reloaded(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake_exec(dialog: PreferencesDialog) -> int:
        dialog.cadence_spins["mentor"].setValue(21)
        dialog.cadence_spins["recruiter"].setValue(0)
        dialog.followup_days.setValue(5)
        dialog.lead_minutes.setValue(45)
        dialog.first_day.setCurrentIndex(6)
        dialog.phone_region.setText("gb")
        return PreferencesDialog.DialogCode.Accepted

    monkeypatch.setattr(PreferencesDialog, "exec", fake_exec)
    window.preferences_action.trigger()
    reloaded = SettingsStore(window.settings.path).preferences
    assert reloaded.cadence_for("mentor") == 21
    assert reloaded.cadence_for("recruiter") is None
    assert reloaded.followup_days_after_event == 5
    assert reloaded.reminder_lead_minutes == 45
    assert reloaded.first_day_of_week == 7
    assert reloaded.phone_region == "GB"


def test_cancelled_preferences_change_nothing(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake_exec(dialog: PreferencesDialog) -> int:
        dialog.followup_days.setValue(30)
        return PreferencesDialog.DialogCode.Rejected

    monkeypatch.setattr(PreferencesDialog, "exec", fake_exec)
    window.preferences_action.trigger()
    assert window.settings.preferences.followup_days_after_event == 3
    assert not window.settings.path.exists()


def test_back_up_now_writes_a_copy(window: MainWindow) -> None:
    assert window.db is not None and window.db.path is not None
    window.backup_action.trigger()
    copies = list((window.db.path.parent / "backups").glob("*.sqlite3"))
    assert len(copies) == 1
    assert "Backed up" in window.statusBar().currentMessage()


def test_window_geometry_and_tab_remembered(qtbot: object, tmp_path: Path) -> None:
    paths = app_paths(tmp_path / "home")
    paths.create()
    first = MainWindow(paths, SettingsStore(paths.settings_file))
    qtbot.addWidget(first)  # type: ignore[attr-defined]
    first.open_database(paths.default_database)
    first.resize(700, 500)
    first.tabs.setCurrentIndex(first.tabs.count() - 1)
    chosen = first.tabs.currentWidget().objectName()
    first.close()
    second = MainWindow(paths, SettingsStore(paths.settings_file))
    qtbot.addWidget(second)  # type: ignore[attr-defined]
    second.open_database(paths.default_database)
    assert (second.width(), second.height()) == (700, 500)
    assert second.tabs.currentWidget().objectName() == chosen


def test_uncaught_exception_is_logged_and_shown(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from planner.ui.error_hook import install_error_hook

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: shown.append(box.text()))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_error_hook(window.paths.log_file)
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError:
        with caplog.at_level(logging.ERROR):
            sys.excepthook(*sys.exc_info())
    assert shown and "boom in a slot" in shown[0]
    assert any("Uncaught exception" in r.message for r in caplog.records)
    assert window.isEnabled()


def test_an_exception_on_a_worker_thread_is_logged_without_a_dialog(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A widget made off the GUI thread aborts the app ("Cannot create a QWidget"): the
    smoke test died so when a worker's error came in while the app shut down."""
    import threading

    from planner.ui.error_hook import install_error_hook

    made: list[str] = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: made.append(box.text()))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_error_hook(window.paths.log_file)

    def fail_on_a_worker() -> None:
        try:
            raise RuntimeError("boom on a worker")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())

    with caplog.at_level(logging.ERROR):
        worker = threading.Thread(target=fail_on_a_worker)
        worker.start()
        worker.join()
    assert made == []
    assert any("Uncaught exception" in r.message for r in caplog.records)


def test_open_requested_switches_to_the_owning_tab(window: MainWindow) -> None:
    shown: list[tuple[str, int]] = []
    calendar = window.tab("calendarTab")
    calendar.show_item = lambda kind, item_id: shown.append((kind, item_id))  # type: ignore[attr-defined]
    window.tabs.setCurrentIndex(0)
    window.bus.open_requested.emit("followup", 42)
    assert window.tabs.currentWidget() is calendar
    assert shown == [("followup", 42)]


def test_window_keeps_painting_while_a_database_opens(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    import time

    from PySide6.QtCore import QTimer

    import planner.db.database as database

    real_open = database.open_database
    opened_in: list[bool] = []

    def slow_open(target: object, **kwargs: object) -> object:
        opened_in.append(threading.current_thread() is threading.main_thread())
        time.sleep(0.4)
        return real_open(target, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(database, "open_database", slow_open)
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    assert window.open_database(tmp_path / "slow.sqlite3")
    timer.stop()
    assert opened_in == [False]  # a pool thread (planner.ui.tasks), not the GUI thread
    assert len(ticks) >= 5
    assert window.db is not None and window.db.path == (tmp_path / "slow.sqlite3").resolve()
    assert window.open_db_action.isEnabled()


def test_open_failure_in_the_worker_is_reported(
    window: MainWindow, tmp_path: Path, qtbot: object
) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"\x00" * 4096)
    with qtbot.waitSignal(window.database_failed):  # type: ignore[attr-defined]
        assert not window.open_database(bogus)
    assert window.open_db_action.isEnabled()


def test_only_the_current_tab_is_built_at_start_the_rest_on_show_or_when_idle(
    window: MainWindow, qtbot: object
) -> None:
    from PySide6.QtWidgets import QWidget

    from planner.ui.tabs.events_tab import EventsTab
    from planner.ui.tabs.overview_tab import OverviewTab

    built = {type(window.tabs.widget(i)) for i in range(window.tabs.count())}
    assert OverviewTab in built and QWidget in built  # the others are empty pages so far
    assert window.findChild(EventsTab) is None
    # Showing a tab builds it, in its place, under its own name.
    index = next(
        i for i in range(window.tabs.count()) if window.tabs.widget(i).objectName() == "eventsTab"
    )
    window.tabs.setCurrentIndex(index)
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: isinstance(window.tabs.currentWidget(), EventsTab)  # built in slices
    )
    assert window.tabs.currentWidget().objectName() == "eventsTab"
    assert window.tab("eventsTab") is window.tabs.currentWidget()
    # Once the current tab has its data the rest are built in idle slices, one at a time.
    window.show()  # type: ignore[attr-defined]
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: all(type(window.tabs.widget(i)) is not QWidget for i in range(window.tabs.count())),
        timeout=20_000,
    )
    assert window.tab("nowhere") is None


def test_data_ready_follows_the_current_tabs_first_read(qtbot: object, tmp_path: Path) -> None:
    paths = app_paths(tmp_path / "home")
    paths.create()
    settings = SettingsStore(paths.settings_file)
    settings.preferences.ui_state["main_window"] = {"tab": "contactsTab"}
    win = MainWindow(paths, settings)
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    win.show()
    with qtbot.waitSignal(win.data_ready, timeout=10_000):  # type: ignore[attr-defined]
        assert win.open_database(paths.default_database)
    contacts = win.tabs.currentWidget()
    assert contacts.objectName() == "contactsTab"
    assert not contacts.data_pending()


def test_follow_up_requested_before_the_calendar_was_built(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.ui.tabs.calendar_tab import CalendarTab

    asked: list[int] = []
    monkeypatch.setattr(
        CalendarTab, "_on_bus_followup_requested", lambda self, cid: asked.append(cid)
    )
    assert window.findChild(CalendarTab) is None
    window.bus.followup_requested.emit(7)
    assert asked == [7]  # once: built, then asked directly
    assert window.findChild(CalendarTab) is not None
    window.bus.followup_requested.emit(8)
    assert asked == [7, 8]


def test_team_database_backup_points_to_pg_dump(
    qtbot: object,
    tmp_path: Path,
    db_engine: str,
    db_target: Path | str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On PostgreSQL there is no file to copy: Back up now says how to run pg_dump instead."""
    if db_engine != "postgresql":
        pytest.skip("a team database is a PostgreSQL one")
    from PySide6.QtWidgets import QApplication

    paths = app_paths(tmp_path / "home")
    paths.create()
    win = MainWindow(paths, SettingsStore(paths.settings_file))
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    assert win.open_database(db_target)
    assert win.db is not None and win.db.path is None
    assert "postgresql+psycopg://" in win.status_db.text()
    shown: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box.informativeText())
        copy = next(b for b in box.buttons() if b.text() == "Copy command")
        monkeypatch.setattr(box, "clickedButton", lambda: copy)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    win.backup_action.trigger()
    assert len(shown) == 1 and "pg_dump --format=custom" in shown[0]
    assert QApplication.clipboard().text().startswith("pg_dump ")
    assert not (paths.data_dir / "backups").exists()


def test_menus_and_tabs_have_distinct_alt_keys(window: MainWindow) -> None:
    """Alt+E opened the Edit menu, never the Events tab: every Alt key names one place."""
    titles = [a.text() for a in window.menuBar().actions()]
    titles += [window.tabs.tabText(i) for i in range(window.tabs.count())]
    keys = [t[t.index("&") + 1].lower() for t in titles if "&" in t]
    assert len(keys) == len(titles)
    assert len(set(keys)) == len(keys), titles


def _duplicates(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    keys = [key for key, _text in pairs]
    return [(key, text) for key, text in pairs if keys.count(key) > 1]


def test_each_tab_s_controls_have_their_own_alt_keys(qtbot: object, window: MainWindow) -> None:
    """Alt+V meant both the Events tab and "Never contacted": the menus, the tabs and the
    current tab's controls (with each inner page in turn) never share an Alt key."""
    from PySide6.QtWidgets import QTabWidget

    from planner.core.contacts import ContactService
    from planner.core.events import EventService
    from planner.core.organisations import OrganisationService
    from planner.ui.mnemonics import GLOBAL_KEYS, alt_key, visible_alt_keys
    from planner.ui.tasks import wait_for_all

    assert window.db is not None
    items = {
        "contact": ContactService(window.db).create({"name": "Ana Ruiz"})[0].id,
        "event": EventService(window.db).create("Meetup")[0].id,
        "organisation": OrganisationService(window.db).create("Globex")[0].id,
    }
    titles = [a.text() for a in window.menuBar().actions()]
    titles += [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert {alt_key(t) for t in titles} == GLOBAL_KEYS
    window.resize(1366, 740)
    window.show()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        page = window.tabs.widget(index)
        qtbot.waitUntil(lambda page=page: not getattr(page, "loading", False))  # type: ignore[attr-defined]
        wait_for_all()
        for kind, item_id in items.items():
            if hasattr(page, "show_item"):
                page.show_item(kind, item_id)
        wait_for_all()
        inner = [t for t in page.findChildren(QTabWidget) if t.isVisibleTo(page)]
        states = [(t, i) for t in inner for i in range(t.count())] or [(None, 0)]
        for tabs, at in states:
            if tabs is not None:
                tabs.setCurrentIndex(at)
            assert page.isVisible()
            own = visible_alt_keys(page)
            where = f"{window.tabs.tabText(index)} / {tabs.tabText(at) if tabs else ''}"
            assert not [t for k, t in own if k in GLOBAL_KEYS], (where, own)
            assert not _duplicates(own), (where, _duplicates(own))


def test_the_window_fits_a_small_screen_on_every_tab(window: MainWindow, qtbot: object) -> None:
    """1366x768 at 200 % is 683x384 logical pixels: no tab may force the window past that
    (it would run off the screen, its right part out of reach); the tabs scroll instead."""
    window.show()  # type: ignore[attr-defined]
    names = [window.tabs.widget(i).objectName() for i in range(window.tabs.count())]
    for name in names:
        tab = window.tab(name)
        assert tab is not None
        window.tabs.setCurrentWidget(tab)
        window.resize(660, 360)
        qtbot.wait(10)  # type: ignore[attr-defined]
        hint = window.minimumSizeHint()
        assert hint.width() <= 683 and hint.height() <= 384, (name, hint)
        assert window.width() <= 683 and window.height() <= 384, (name, window.size())


def _small_screen_demo_window(qtbot: object, tmp_path: Path) -> MainWindow:
    """A window on demo data at 683x384, what 1366x768 at 200 % leaves."""
    from planner.core.demo import generate_demo
    from planner.db.database import open_database

    paths = app_paths(tmp_path / "home")
    paths.create()
    db = open_database(paths.default_database)
    generate_demo(db, contacts=300, seed=7)
    db.close()
    window = MainWindow(paths, SettingsStore(paths.settings_file))
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    assert window.open_database(paths.default_database)
    window.show()
    window.resize(683, 384)
    return window


def test_no_tab_scrolls_sideways_as_a_whole_on_a_small_screen(
    qtbot: object, tmp_path: Path
) -> None:
    """At 683x384 a tab may scroll down, and its own lists and pages may scroll sideways, but
    the tab as a whole fits the width: a second scroll bar under the page's own hid half of
    the Overview's header and its Export button."""
    window = _small_screen_demo_window(qtbot, tmp_path)
    scroll = window.findChild(QScrollArea, "tabsScroll")
    for i in range(window.tabs.count()):
        name = window.tabs.widget(i).objectName()
        tab = window.tab(name)
        window.tabs.setCurrentWidget(tab)
        qtbot.waitUntil(lambda t=tab: not t.data_pending())  # type: ignore[attr-defined]
        qtbot.wait(20)  # type: ignore[attr-defined]
        assert scroll.horizontalScrollBar().maximum() == 0, (name, tab.minimumSizeHint())


def test_a_contact_shown_on_a_small_screen_keeps_the_list_inside_the_window(
    qtbot: object, tmp_path: Path
) -> None:
    """The detail pane scrolls by itself: it made the Contacts tab taller than a 683x384
    window, and the list's last rows (a row scrolled into view, too) sat under its edge."""
    window = _small_screen_demo_window(qtbot, tmp_path)
    tab = window.tab("contactsTab")
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: not tab.data_pending())  # type: ignore[attr-defined]
    tab.view.setCurrentIndex(tab.model.index(0, 0))
    qtbot.waitUntil(lambda: tab._detail is not None and tab._detail.isVisible())  # type: ignore[attr-defined]
    qtbot.wait(20)  # type: ignore[attr-defined]
    scroll = window.findChild(QScrollArea, "tabsScroll")
    assert scroll.verticalScrollBar().maximum() == 0
    view = tab.view
    bottom = view.viewport().mapTo(window, view.viewport().rect().bottomLeft()).y()
    assert bottom < window.statusBar().mapTo(window, window.statusBar().rect().topLeft()).y()
