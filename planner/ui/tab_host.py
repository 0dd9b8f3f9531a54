"""The main window's tabs, each built when first needed; says when the current one has data.

Start-up builds the current tab alone. The others are built when first shown, or one per
idle slice once the current tab has its data (so the notifier in Calendar runs without the
user opening that tab). A tab module is imported on a worker first: importing one takes
100-300 ms that would freeze the window. A tab with a `builder` (tabs.base.SlicedBuild) is
built in slices and goes in place when it is whole; until then its empty page shows. Tabs
read nothing until first shown (their ChangeFollower's first_load), so an idle build costs
no query at 100,000 contacts.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QSizePolicy, QTabWidget, QWidget

if TYPE_CHECKING:
    from planner.ui.context import TabContext

log = logging.getLogger(__name__)

TabFactory = Callable[..., QWidget]

# (object name, title, module, class) per tab, in tab order.
TABS = (
    ("overviewTab", "&Overview", "planner.ui.tabs.overview_tab", "OverviewTab"),
    ("contactsTab", "&Contacts", "planner.ui.tabs.contacts_tab", "ContactsTab"),
    ("calendarTab", "C&alendar", "planner.ui.tabs.calendar_tab", "CalendarTab"),
    # Alt+E belongs to the Edit menu.
    ("eventsTab", "E&vents", "planner.ui.tabs.events_tab", "EventsTab"),
    ("organisationsTab", "O&rganisations", "planner.ui.tabs.organisations_tab", "OrganisationsTab"),
)
# Time between two idle builds, so input still gets through between them.
IDLE_BUILD_MS = 150
_SHOWN, _IGNORED = QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored


def tab_factories() -> list[tuple[str, str, TabFactory]]:
    """(object name, title, factory) per tab; imports every tab module."""
    return [
        (name, title, getattr(importlib.import_module(module), cls))
        for name, title, module, cls in TABS
    ]


# Modules a tab imports lazily while it is built (imported on a worker beforehand).
BUILD_MODULES = {
    "overviewTab": ("planner.ui.widgets.chart_bar",),
}


def tab_modules(name: str | None) -> tuple[str, ...]:
    """The modules of the tab called `name` (the first tab's when there is none such)."""
    for tab_name, _title, module, _cls in TABS:
        if tab_name == name:
            return (module, *BUILD_MODULES.get(tab_name, ()))
    return (TABS[0][2], *BUILD_MODULES.get(TABS[0][0], ()))


class TabHost(QObject):
    """Builds the tabs of one `QTabWidget` lazily and watches the current one load."""

    # The current tab shows its data (tabs that read off the GUI thread say when they are
    # done through `data_pending()` and `load_finished`).
    data_ready = Signal()

    def __init__(self, tabs: QTabWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tabs = tabs
        self.context: TabContext | None = None
        # Tabs not built yet: object name -> (title, module, class).
        self._unbuilt: dict[str, tuple[str, str, str]] = {}
        # Tabs made but still building in slices: object name -> (title, tab).
        self._building: dict[str, tuple[str, QWidget]] = {}
        # Tabs whose modules a worker imports before they are built.
        self._importing: set[str] = set()
        # True once the current tab has its data: the others are built one by one.
        self._idle = False
        self._waiting_for: Any = None  # the current tab's load_finished, while waiting
        # Work that would compete with the first tab's read (the integrity check): run
        # once it has its data.
        self._after_data_ready: list[Callable[[], object]] = []
        self._idle_build = QTimer(self)
        self._idle_build.setSingleShot(True)
        self._idle_build.setInterval(IDLE_BUILD_MS)
        self._idle_build.timeout.connect(self._build_next_tab)
        tabs.currentChanged.connect(self._on_tabs_current_changed)

    @property
    def waiting(self) -> bool:
        """True while the current tab's first read runs."""
        return self._waiting_for is not None

    def has_unbuilt(self, name: str) -> bool:
        """True while the tab `name` is not made yet (a tab building in slices is made)."""
        return name in self._unbuilt

    def after_data_ready(self, work: Callable[[], object]) -> None:
        """Run `work` once the current tab has its data (at once if it has)."""
        if self._waiting_for is None:
            work()
        else:
            self._after_data_ready.append(work)

    def clear(self) -> None:
        """No tabs, nothing waiting, nothing built in idle time (another database opens)."""
        self.stop()
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            widget.deleteLater()

    def stop(self) -> None:
        """Nothing more is built or waited for (the window closes)."""
        self._stop_waiting()
        self._after_data_ready.clear()
        self._idle_build.stop()
        self._idle = False
        self._unbuilt.clear()
        self._importing.clear()
        for _title, tab in self._building.values():
            tab.deleteLater()
        self._building.clear()

    def populate(self, context: TabContext, current: str | None) -> None:
        """An empty page per tab; `current` (else the first) is built at once."""
        self.clear()
        self.context = context
        blocked = self.tabs.blockSignals(True)
        try:
            for name, title, module, cls in TABS:
                page = QWidget()
                page.setObjectName(name)
                self.tabs.addTab(page, title)
                self._unbuilt[name] = (title, module, cls)
                if name == current:
                    self.tabs.setCurrentIndex(self.tabs.count() - 1)
        finally:
            self.tabs.blockSignals(blocked)
        self._size_to_current()
        self.tab(self.tabs.currentWidget().objectName())

    def tab(self, name: str) -> QWidget | None:
        """The tab called `name`, built now (whole) if it was not yet; None without such a
        tab."""
        index = self._index_of(name)
        if index < 0:
            return None
        if name in self._unbuilt and self.context is not None:
            self._construct(name)
        if name in self._building:
            self._building[name][1].builder.finish()  # type: ignore[attr-defined]  # places it
        return self.tabs.widget(self._index_of(name))

    def _index_of(self, name: str) -> int:
        for index in range(self.tabs.count()):
            if self.tabs.widget(index).objectName() == name:
                return index
        return -1

    def _construct(self, name: str) -> None:
        """Make the tab; one with a `builder` still building goes in place when it is done."""
        assert self.context is not None
        title, module, cls = self._unbuilt.pop(name)
        factory: TabFactory = getattr(importlib.import_module(module), cls)
        tab = factory(self.context)
        tab.setObjectName(name)
        self._building[name] = (title, tab)
        builder = getattr(tab, "builder", None)
        if builder is not None and not builder.done:
            builder.finished.connect(lambda: self._place(name))
        else:
            self._place(name)

    def _place(self, name: str) -> None:
        """Swap the empty page for the built tab without signalling a tab change."""
        entry = self._building.pop(name, None)
        index = self._index_of(name)
        if entry is None or index < 0:
            return
        title, tab = entry
        page = self.tabs.widget(index)
        # Insert, show if it is the current one, then remove the page: removing the current
        # page first would show its neighbour for a moment (and start that tab's first read).
        was_current = self.tabs.currentIndex() == index
        blocked = self.tabs.blockSignals(True)
        try:
            self.tabs.insertTab(index, tab, title)
            if was_current:
                self.tabs.setCurrentIndex(index)
            self.tabs.removeTab(index + 1)
        finally:
            self.tabs.blockSignals(blocked)
        page.deleteLater()
        self._size_to_current()
        if was_current:
            from planner.ui.tabs.base import settle_layouts

            settle_layouts()  # the window's scroll area fits the tab before it paints
        if self._idle and self._unbuilt and not self._building:
            self._idle_build.start()

    def _size_to_current(self) -> None:
        """Only the current tab's minimum size counts (QTabWidget takes the largest of all):
        a big tab built in idle time must not give the window a scroll bar, nor move the
        tab the user is looking at."""
        current = self.tabs.currentIndex()
        for index in range(self.tabs.count()):
            policy = _SHOWN if index == current else _IGNORED
            self.tabs.widget(index).setSizePolicy(policy, policy)

    def _on_tabs_current_changed(self, index: int) -> None:
        from planner.ui.tabs.base import settle_layouts

        self._size_to_current()
        settle_layouts()  # the window fits the tab now shown before it paints
        widget = self.tabs.widget(index)
        name = widget.objectName() if widget is not None else ""
        if self._waiting_for is not None:
            # Switched away before the first tab had its data: wait for this one instead.
            self.tab(name)
            self._stop_waiting()
            self.watch_current_tab()
        elif name in self._unbuilt:
            self._build_soon(name)

    def _build_soon(self, name: str) -> None:
        """Build a tab without freezing the window: its modules imported on a worker, then
        the tab built in slices (see SlicedBuild); it goes in place when it is whole."""
        from planner.ui.tasks import run_task

        if name in self._importing:
            return
        modules = tab_modules(name)
        if all(m in sys.modules for m in modules):
            self._construct(name)
            return
        self._importing.add(name)

        def build(_modules: object) -> None:
            self._importing.discard(name)
            if name in self._unbuilt and self.context is not None:
                self._construct(name)

        def build_soon(_modules: object) -> None:
            # One turn of the event loop first: the task's result is a queued call, which Qt
            # runs before due timers and input, so making the tab right behind a paint froze
            # the window for both (Organisations painted, then the next idle tab: 40-55 ms).
            QTimer.singleShot(0, self, lambda: build(None))

        run_task(
            lambda: [importlib.import_module(m) for m in modules],
            build_soon,
            build_soon,  # on an error the GUI thread imports it again and reports it
            owner=self,
            name="import tab",
        )

    def _build_next_tab(self) -> None:
        """Build one more tab in idle time (the next one starts when it is in place)."""
        if self._unbuilt and not self._building and not self._importing:
            self._build_soon(next(iter(self._unbuilt)))

    def watch_current_tab(self) -> None:
        """Emit data_ready once the current tab shows its data; then build the others.
        A hidden window's tabs read nothing (they load when shown): nothing to wait for."""
        visible = self.tabs.window().isVisible()
        tab = self.tabs.currentWidget()
        pending = getattr(tab, "data_pending", None)
        finished = getattr(tab, "load_finished", None)
        if visible and callable(pending) and pending() and finished is not None:
            self._waiting_for = finished
            finished.connect(self._on_current_tab_loaded)
        else:
            self._on_current_tab_loaded()

    def _stop_waiting(self) -> None:
        finished, self._waiting_for = self._waiting_for, None
        if finished is not None:
            # RuntimeError: the tab is gone already.
            with contextlib.suppress(RuntimeError, TypeError):
                finished.disconnect(self._on_current_tab_loaded)

    def _on_current_tab_loaded(self) -> None:
        self._stop_waiting()
        self.data_ready.emit()
        after, self._after_data_ready = self._after_data_ready, []
        for work in after:
            work()
        self._idle = True
        if self._unbuilt:
            self._idle_build.start()

    def to_current(self, method: str) -> None:
        """Call `method` on the current tab, if it has one (Edit > New, Delete, Find)."""
        handler = getattr(self.tabs.currentWidget(), method, None)
        if callable(handler):
            handler()
