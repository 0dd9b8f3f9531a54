"""The main window's tabs, each built when first needed; says when the current one has data.

Start-up builds the current tab alone. The others are built when first shown, or one per
idle slice once the current tab has its data (so the notifier in Calendar runs without the
user opening that tab). A tab module is imported on a worker first: importing one takes
100-300 ms that would freeze the window. A tab class with `LOADS_ON_SHOW` is built with
`load_on_show=True`: it reads nothing until it is first shown (an idle build at 100,000
contacts would otherwise freeze the window for the Organisations and Events queries).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QTabWidget, QWidget

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
        self._unbuilt.clear()

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
        self.tab(self.tabs.currentWidget().objectName())

    def tab(self, name: str) -> QWidget | None:
        """The tab called `name`, built now if it was not yet; None without such a tab."""
        for index in range(self.tabs.count()):
            widget = self.tabs.widget(index)
            if widget.objectName() != name:
                continue
            spec = self._unbuilt.pop(name, None)
            if spec is None or self.context is None:
                return widget
            title, module, cls = spec
            factory: TabFactory = getattr(importlib.import_module(module), cls)
            if getattr(factory, "LOADS_ON_SHOW", False):
                tab = factory(self.context, load_on_show=True)
            else:
                tab = factory(self.context)
            tab.setObjectName(name)
            # Swap the empty page for the tab without signalling a tab change.
            current = self.tabs.currentIndex()
            blocked = self.tabs.blockSignals(True)
            try:
                self.tabs.removeTab(index)
                self.tabs.insertTab(index, tab, title)
                self.tabs.setCurrentIndex(current)
            finally:
                self.tabs.blockSignals(blocked)
            widget.deleteLater()
            return tab
        return None

    def _on_tabs_current_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is not None and widget.objectName() in self._unbuilt:
            self.tab(widget.objectName())
        if self._waiting_for is not None:
            # Switched away before the first tab had its data: wait for this one instead.
            self._stop_waiting()
            self.watch_current_tab()

    def _build_next_tab(self) -> None:
        """Build one more tab: its module imported on a worker, its widgets on this thread."""
        from planner.ui.tasks import run_task

        if not self._unbuilt:
            return
        name = next(iter(self._unbuilt))
        module = self._unbuilt[name][1]

        def build(_module: object) -> None:
            self.tab(name)
            if self._unbuilt:
                self._idle_build.start()

        modules = (module, *BUILD_MODULES.get(name, ()))
        run_task(
            lambda: [importlib.import_module(m) for m in modules],
            build,
            lambda _exc: build(None),  # the GUI thread imports it again and reports it
            owner=self,
            name="import tab",
        )

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
        if self._unbuilt:
            self._idle_build.start()

    def to_current(self, method: str) -> None:
        """Call `method` on the current tab, if it has one (Edit > New, Delete, Find)."""
        handler = getattr(self.tabs.currentWidget(), method, None)
        if callable(handler):
            handler()
