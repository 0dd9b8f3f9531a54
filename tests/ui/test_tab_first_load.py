"""Tabs the main window builds in idle time read nothing until first shown; the first read of
Organisations, Events and Calendar runs off the GUI thread; changes made before a tab's first
show are in it; a tab opened from the tab bar is built in slices and shown whole."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from planner.core.events import EventService
from planner.core.organisation_queries import OrganisationQueries
from planner.core.organisations import OrganisationService
from planner.paths import app_paths
from planner.settings import SettingsStore
from planner.ui.main_window import MainWindow


def _window(qtbot: Any, tmp_path: Path, tab: str = "overviewTab") -> MainWindow:
    paths = app_paths(tmp_path / "home")
    paths.create()
    settings = SettingsStore(paths.settings_file)
    settings.preferences.ui_state["main_window"] = {"tab": tab}
    win = MainWindow(paths, settings)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.data_ready, timeout=10_000):
        assert win.open_database(paths.default_database)
    return win


def _count_calls(monkeypatch: pytest.MonkeyPatch, owner: type, name: str) -> list[int]:
    """Thread ids of the calls of owner.name from now on."""
    threads: list[int] = []
    original = getattr(owner, name)

    def counted(self: object, *args: object, **kwargs: object) -> object:
        threads.append(threading.get_ident())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return threads


def _all_built(win: MainWindow) -> bool:
    return all(type(win.tabs.widget(i)) is not QWidget for i in range(win.tabs.count()))


def _switch(win: MainWindow, name: str) -> QWidget:
    tab = win.tab(name)
    assert tab is not None
    win.tabs.setCurrentWidget(tab)
    return tab


def _loaded(qtbot: Any, tab: QWidget) -> QWidget:
    qtbot.waitUntil(lambda: not tab.data_pending(), timeout=10_000)  # type: ignore[attr-defined]
    return tab


def _click_tab(qtbot: Any, win: MainWindow, name: str) -> QWidget:
    """Switch as the user does (the tab bar), then wait until the tab is in place and read."""
    index = next(i for i in range(win.tabs.count()) if win.tabs.widget(i).objectName() == name)
    win.tabs.setCurrentIndex(index)
    qtbot.waitUntil(lambda: type(win.tabs.currentWidget()) is not QWidget, timeout=10_000)
    return _loaded(qtbot, win.tabs.currentWidget())


def test_idle_built_tabs_read_on_first_show_and_see_earlier_changes(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = _count_calls(monkeypatch, OrganisationQueries, "list_organisations")
    events_listed = _count_calls(monkeypatch, EventService, "list")
    win = _window(qtbot, tmp_path)
    qtbot.waitUntil(lambda: _all_built(win), timeout=20_000)
    assert listed == [] and events_listed == []  # built hidden: nothing read
    # Changes made while the tabs were hidden (as another tab's command would) ...
    assert win.context is not None
    _org, changes = OrganisationService(win.context.db).create("Fintech Guild")
    win.bus.changed.emit(changes)
    event, changes = EventService(win.context.db, {}).create(
        "Product meetup", starts_local=datetime(2031, 5, 6, 18, 0)
    )
    win.bus.changed.emit(changes)
    assert listed == [] and events_listed == []
    # ... are shown by the first read, on the first show.
    organisations = _switch(win, "organisationsTab")
    qtbot.waitUntil(lambda: not organisations.data_pending(), timeout=10_000)  # type: ignore[attr-defined]
    assert len(listed) == 1
    assert [r.name for r in organisations.model.rows()] == ["Fintech Guild"]  # type: ignore[attr-defined]
    assert organisations.name_edit.text() == "Fintech Guild"  # type: ignore[attr-defined]
    events = _loaded(qtbot, _switch(win, "eventsTab"))
    assert len(events_listed) == 1
    assert events.model.row_of(event.id) == 0  # type: ignore[attr-defined]
    assert events.editor.event_id == event.id  # type: ignore[attr-defined]


def test_organisations_first_read_is_off_the_gui_thread(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = _count_calls(monkeypatch, OrganisationQueries, "list_organisations")
    detailed = _count_calls(monkeypatch, OrganisationQueries, "members")
    win = _window(qtbot, tmp_path)
    assert win.context is not None
    OrganisationService(win.context.db).create("Acme Alumni")
    tab = _switch(win, "organisationsTab")
    assert tab.data_pending()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not tab.data_pending(), timeout=10_000)  # type: ignore[attr-defined]
    gui = threading.get_ident()
    assert listed and all(thread != gui for thread in listed)
    assert detailed and all(thread != gui for thread in detailed)
    assert tab.name_edit.text() == "Acme Alumni"  # type: ignore[attr-defined]


def test_data_ready_waits_for_organisations_when_it_is_the_first_tab(
    qtbot: Any, tmp_path: Path
) -> None:
    win = _window(qtbot, tmp_path, "organisationsTab")
    tab = win.tabs.currentWidget()
    assert tab.objectName() == "organisationsTab"
    assert not tab.data_pending()  # type: ignore[attr-defined]


def test_a_reload_during_the_first_read_wins(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QApplication

    from planner.ui.tasks import wait_for_all

    win = _window(qtbot, tmp_path)
    assert win.context is not None
    OrganisationService(win.context.db).create("Beta Circle")
    gui = threading.get_ident()
    original = OrganisationQueries.list_organisations

    def stale_off_the_gui_thread(self: OrganisationQueries, *args: Any, **kwargs: Any) -> Any:
        rows = original(self, *args, **kwargs)
        return rows if threading.get_ident() == gui else []

    monkeypatch.setattr(OrganisationQueries, "list_organisations", stale_off_the_gui_thread)
    tab = _switch(win, "organisationsTab")
    assert tab.data_pending()  # type: ignore[attr-defined]
    tab.reload()  # type: ignore[attr-defined]  # a user action reads at once, on this thread
    assert not tab.data_pending()  # type: ignore[attr-defined]
    assert wait_for_all()
    QApplication.processEvents()  # the background read's answer arrives and is dropped
    assert [r.name for r in tab.model.rows()] == ["Beta Circle"]  # type: ignore[attr-defined]
    assert tab.name_edit.text() == "Beta Circle"  # type: ignore[attr-defined]


def test_events_first_show_reads_the_first_plan_once_and_fits_columns_to_a_sample(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = _window(qtbot, tmp_path)
    assert win.context is not None
    EventService(win.context.db, {}).create("Meetup", starts_local=datetime(2031, 5, 6, 18))
    details = _count_calls(monkeypatch, EventService, "detail")
    events = _loaded(qtbot, _switch(win, "eventsTab"))
    assert len(details) == 1  # selecting its row showed it; it is not read a second time
    # The columns are fitted to the rows' texts once, not by Qt measuring every cell per
    # layout (ResizeToContents asked data() ~9,000 times per layout at 100,000 contacts).
    from planner.ui.widgets.event_list import EventTableModel

    view = events.view  # type: ignore[attr-defined]
    header = view.horizontalHeader()
    when = EventTableModel.COL_WHEN
    assert header.sectionResizeMode(when) != header.ResizeMode.ResizeToContents
    text = events.model.texts(when, 1)[0]  # type: ignore[attr-defined]
    assert header.sectionSize(when) > view.fontMetrics().horizontalAdvance(text)


def test_events_and_calendar_first_reads_are_off_the_gui_thread(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.core.followups import FollowUpService

    listed = _count_calls(monkeypatch, EventService, "list")
    detailed = _count_calls(monkeypatch, EventService, "detail")
    counted = _count_calls(monkeypatch, FollowUpService, "day_counts")
    overdue = _count_calls(monkeypatch, FollowUpService, "overdue")
    win = _window(qtbot, tmp_path)
    assert win.context is not None
    event, _ = EventService(win.context.db, {}).create(
        "Fintech night", starts_local=datetime(2031, 5, 6, 18)
    )
    events = _click_tab(qtbot, win, "eventsTab")
    gui = threading.get_ident()
    assert listed and all(thread != gui for thread in listed)
    assert detailed and all(thread != gui for thread in detailed)
    # The tab is usable: the plan is listed, selected and in the editor.
    assert events.editor.event_id == event.id  # type: ignore[attr-defined]
    assert events.editor.name.text() == "Fintech night"  # type: ignore[attr-defined]
    assert events.view.currentIndex().row() == 0  # type: ignore[attr-defined]
    assert events.count_label.text() == "1 event"  # type: ignore[attr-defined]
    calendar = _click_tab(qtbot, win, "calendarTab")
    assert not calendar.edit_action.isEnabled()  # type: ignore[attr-defined]  # none selected
    assert counted and all(thread != gui for thread in counted)
    assert overdue and all(thread != gui for thread in overdue)
    assert calendar.month_label.text()  # type: ignore[attr-defined]


def test_a_tab_opened_from_the_tab_bar_is_built_in_slices_and_shown_whole(
    qtbot: Any, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QApplication

    from planner.ui.tabs.events_tab import EventsTab

    win = _window(qtbot, tmp_path)  # (idle builds start later, with Contacts)
    index = next(
        i for i in range(win.tabs.count()) if win.tabs.widget(i).objectName() == "eventsTab"
    )
    win.tabs.setCurrentIndex(index)
    assert type(win.tabs.currentWidget()) is QWidget  # its empty page, until it is whole
    made: list[EventsTab] = []
    qtbot.waitUntil(
        lambda: bool(
            made.extend(w for w in QApplication.topLevelWidgets() if isinstance(w, EventsTab))
            or made
        )
    )
    tab = made[0]
    # Not yet in place while its editor's pages are still being built, one per turn.
    assert not tab.builder.done and tab.isHidden()
    assert tab.editor.pages.count() < 5
    assert tab.count_label.text() == "Loading…"
    qtbot.waitUntil(lambda: win.tabs.currentWidget() is tab, timeout=10_000)
    assert tab.builder.done and tab.editor.pages.count() == 5
    assert tab.isVisible() and win.tabs.widget(index) is tab
    _loaded(qtbot, tab)
    # Usable: a new plan lands in the list and the editor.
    tab.new_item()
    assert tab.model.rowCount() == 1
    assert tab.editor.name.text() == "New event"


def test_changes_while_a_built_tab_is_hidden_are_read_on_show(qtbot: Any, tmp_path: Path) -> None:
    win = _window(qtbot, tmp_path)
    assert win.context is not None
    events = _click_tab(qtbot, win, "eventsTab")
    assert events.model.rowCount() == 0  # type: ignore[attr-defined]
    _click_tab(qtbot, win, "overviewTab")
    _record, changes = EventService(win.context.db, {}).create(
        "Board dinner", starts_local=datetime(2031, 6, 1, 19)
    )
    win.bus.changed.emit(changes)
    assert events.model.rowCount() == 0  # type: ignore[attr-defined]  # hidden: not yet
    _click_tab(qtbot, win, "eventsTab")
    assert events.model.rowCount() == 1  # type: ignore[attr-defined]


def test_showing_a_view_finishes_its_sliced_build_first(qtbot: Any) -> None:
    from planner.ui.bus import Bus
    from planner.ui.tabs.base import ChangeFollower, SlicedBuild

    view = QWidget()
    qtbot.addWidget(view)
    steps: list[str] = []
    loads: list[list[str]] = []
    ChangeFollower(view, Bus(), lambda _c: None, first_load=lambda: loads.append(list(steps)))
    builder = SlicedBuild(view, [lambda: steps.append("a"), lambda: steps.append("b")])
    assert steps == [] and not builder.done
    view.show()
    assert steps == ["a", "b"] and builder.done
    assert loads == [["a", "b"]]  # the first read found the view whole


def test_only_the_current_tab_sets_the_windows_minimum_size(qtbot: Any, tmp_path: Path) -> None:
    """A big tab built in idle time must not give the window a scroll bar (at 200 % on a
    1366x768 screen) nor move the tab being looked at; the tab shown sets the minimum."""
    from PySide6.QtWidgets import QStackedWidget

    win = _window(qtbot, tmp_path)
    qtbot.waitUntil(lambda: _all_built(win), timeout=20_000)
    stack = win.tabs.findChild(QStackedWidget)
    assert stack is not None
    sizes = []
    for index in range(win.tabs.count()):
        win.tabs.setCurrentIndex(index)
        page = win.tabs.widget(index)
        wanted = page.minimumSizeHint().expandedTo(page.minimumSize())
        assert stack.minimumSizeHint().height() == wanted.height(), page.objectName()
        sizes.append(wanted.height())
    assert len(set(sizes)) > 1  # (the tabs differ, so the largest would have shown)


def test_a_sliced_tab_shown_at_once_is_laid_out_as_one_built_whole(
    qtbot: Any, tab_context: Any
) -> None:
    """Showing a tab finishes its build before Qt lays it out: the panes its later steps add
    get the same room as in a tab built whole first."""
    from planner.ui.tabs.calendar_tab import CalendarTab

    tabs = []
    for finish_first in (True, False):
        tab = CalendarTab(tab_context)
        qtbot.addWidget(tab)
        if finish_first:
            tab.builder.finish()
        tab.resize(1200, 780)
        tab.show()
        _loaded(qtbot, tab)
        tabs.append(tab)
    whole, shown_at_once = tabs
    assert shown_at_once.grid.height() == whole.grid.height()
    assert shown_at_once.agenda_view.height() == whole.agenda_view.height()


def test_the_calendar_is_laid_out_when_its_first_read_lands(qtbot: Any, tab_context: Any) -> None:
    """The lists' scroll bars and columns are in place when the first read shows them, not
    a pass later (a paint between showed the columns jump)."""
    from datetime import date, timedelta

    from PySide6.QtWidgets import QApplication

    from planner.core.contact_rows import new_contact
    from planner.core.followups import FollowUpDraft
    from planner.ui.tabs.calendar_tab import CalendarTab

    with tab_context.db.session() as s:
        cid = new_contact(s, "Noor Haddad").id
    tab = CalendarTab(tab_context)
    for n in range(40):  # more overdue rows than the list shows
        tab.service.create(FollowUpDraft(cid, date.today() - timedelta(days=n + 1), purpose="x"))
    qtbot.addWidget(tab)
    tab.resize(1200, 780)
    at_load: list[tuple[bool, int]] = []

    def look() -> tuple[bool, int]:
        view = tab.overdue_view
        return view.verticalScrollBar().isVisible(), view.viewport().width()

    tab.load_finished.connect(lambda: at_load.append(look()))
    tab.show()
    _loaded(qtbot, tab)
    for _ in range(5):
        QApplication.processEvents()
    assert at_load == [look()]
    assert look()[0]  # (the case that moved: a scroll bar appearing)


def test_the_organisations_list_is_fitted_to_its_rows(qtbot: Any, tmp_path: Path) -> None:
    from planner.ui.models.organisation_models import OrganisationTableModel

    win = _window(qtbot, tmp_path)
    assert win.context is not None
    OrganisationService(win.context.db).create("Institute of Very Long Organisation Names")
    tab = _click_tab(qtbot, win, "organisationsTab")
    header = tab.table.horizontalHeader()  # type: ignore[attr-defined]
    kind = OrganisationTableModel.COL_KIND
    assert header.sectionResizeMode(kind) != header.ResizeMode.ResizeToContents
    text = tab.model.texts(kind, 1)[0]  # type: ignore[attr-defined]
    assert header.sectionSize(kind) > tab.table.fontMetrics().horizontalAdvance(text)  # type: ignore[attr-defined]
