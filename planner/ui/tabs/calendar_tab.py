"""The Calendar tab's controller: loading the month, agenda and side lists, selection,
navigation and the change rule. Widgets are built in `calendar_view`; the follow-up actions
(new, edit, complete, snooze, move, cancel, schedule) are in `calendar_actions`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QPushButton, QTableView, QTabWidget, QWidget

from planner.core import scheduling
from planner.core.changes import Changes
from planner.core.errors import NotFoundError
from planner.core.followups import (
    MINE,
    SCOPES,
    TEAM,
    AgendaItem,
    DayCount,
    FollowUpService,
)
from planner.ui.context import TabContext
from planner.ui.dialogs.followup_dialog import system_zone_name
from planner.ui.models.agenda_model import (
    FollowUpTableModel,
    RowRole,
)
from planner.ui.notifier import FollowUpNotifier
from planner.ui.tabs.base import ChangeFollower, FirstRead, ShowsWhole, SlicedBuild
from planner.ui.tabs.calendar_actions import FollowUpActions
from planner.ui.tabs.calendar_loading import CalendarLoading
from planner.ui.tabs.calendar_view import CalendarTabView

log = logging.getLogger(__name__)

STATE_KEY = "calendar"


def _saved_scope(context: TabContext) -> str:
    """The My follow-ups / Team choice from the last session (Team by default)."""
    state = context.settings.preferences.ui_state.get(STATE_KEY)
    scope = state.get("scope") if isinstance(state, dict) else None
    return scope if scope in SCOPES else TEAM


def _local_zone() -> ZoneInfo | None:
    name = system_zone_name()
    return ZoneInfo(name) if name else None


class CalendarTab(ShowsWhole, FollowUpActions, CalendarLoading, CalendarTabView):
    """The month and the lists are read on a worker when the tab is first shown; the
    reminders start at once all the same."""

    # After the first read, whether it worked or not (the main window waits for it).
    load_finished = Signal()

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        self.service = FollowUpService(context.db, _local_zone(), scope=_saved_scope(context))
        self._week_mode = False
        self._refresh_pending = False
        self._active_view: QTableView | None = None
        self._today = date.today()
        # Per-day counts per visible grid range (a month and its edges): one grouped query
        # per range until something changes (refresh), so paging through months is instant.
        self._counts_cache: dict[tuple[date, date], dict[date, DayCount]] = {}
        self.first_read = FirstRead(self, "the calendar", lambda: self.load_finished.emit())
        later: list[Callable[[], object]] = []
        super().__init__(context, parent, later)
        # Another tab's "New follow-up" comes here even while the tab is being built.
        context.bus.followup_requested.connect(self._on_bus_followup_requested)

        # Reminders pop up for the user's own follow-ups, whatever the calendar shows.
        self.notifier = FollowUpNotifier(
            FollowUpService(context.db, self.service.local_zone, scope=MINE),
            all_day_offset=lambda: self.context.settings.preferences.all_day_reminder_offset(),
            mode=lambda: self.context.settings.preferences.notifications,
            parent=self,
        )
        self.notifier.in_window.connect(self.context.bus.reminder_due)
        self.notifier.open_requested.connect(self.open_followup)
        self.notifier.notified.connect(self._on_notifier_notified)

        self.notifier.start()
        self.follower = ChangeFollower(
            self,
            context.bus,
            self._on_changes,
            ("follow_ups", "contacts", "touchpoints", "events"),
            first_load=self._read_in_background,
        )
        self.settings_follower = ChangeFollower(
            self, context.bus, self._on_settings_changed, ("settings",)
        )
        later += [self._show_scope, self._connect]
        self.builder = SlicedBuild(self, later)  # after the followers (see SlicedBuild)

    def _connect(self) -> None:
        self.grid.month_changed.connect(self._on_grid_month_changed)
        self.grid.date_selected.connect(self._on_grid_date_selected)
        self.grid.date_activated.connect(self._on_grid_date_activated)
        self.grid.followups_dropped.connect(self._on_grid_followups_dropped)
        self.range_group.buttonToggled.connect(self._on_range_toggled)
        self.scope_combo.currentIndexChanged.connect(self._on_scope_changed)
        for view in (self.agenda_view, self.overdue_view):
            view.doubleClicked.connect(self._on_followup_double_clicked)
            view.selectionModel().selectionChanged.connect(
                lambda *_a, v=view: self._on_selection_changed(v)
            )
            view.installEventFilter(self)
        self.losing_view.clicked.connect(self._on_losing_clicked)
        self.losing_view.installEventFilter(self)
        self.losing_view.selectionModel().selectionChanged.connect(
            lambda *_a: self._update_actions()
        )
        self._update_actions()  # nothing selected yet: Edit, Complete... are off until then

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if event.type() == QEvent.Type.FocusIn and watched in (
            self.agenda_view,
            self.overdue_view,
        ):
            self._active_view = watched
            self._update_actions()
        elif event.type() == QEvent.Type.KeyPress and event.key() in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        ):
            if watched in (self.agenda_view, self.overdue_view):
                self.edit_selected()
                return True
            if watched is self.losing_view:
                self.schedule_selected_losing()
                return True
        return super().eventFilter(watched, event)

    # --- selection ------------------------------------------------------------------

    def _selected_in(self, view: QTableView) -> list[int]:
        model = view.model()
        rows = sorted({i.row() for i in view.selectionModel().selectedRows()})
        items = [model.item_at(r) for r in rows]  # type: ignore[attr-defined]
        return [i.id for i in items if i is not None]

    def _current_view(self) -> QTableView:
        if self._active_view is not None and self._selected_in(self._active_view):
            return self._active_view
        for view in (self.agenda_view, self.overdue_view):
            if self._selected_in(view):
                return view
        return self.agenda_view

    def selected_items(self) -> list[AgendaItem]:
        view = self._current_view()
        model = view.model()
        rows = sorted({i.row() for i in view.selectionModel().selectedRows()})
        items = [model.item_at(r) for r in rows]  # type: ignore[attr-defined]
        return [i for i in items if i is not None]

    def selected_ids(self) -> list[int]:
        return [i.id for i in self.selected_items()]

    def _selected_open_ids(self) -> list[int]:
        return [i.id for i in self.selected_items() if i.followup.status == "open"]

    def _on_followup_double_clicked(self, index: QModelIndex) -> None:
        item = index.model().data(index, RowRole) if index.isValid() else None
        if isinstance(item, AgendaItem):
            self.open_followup(item.id)

    def _on_selection_changed(self, view: QTableView) -> None:
        if self._selected_in(view):
            self._active_view = view
        self._update_actions()

    def _update_actions(self) -> None:
        items = self.selected_items()
        has_open = any(i.followup.status == "open" for i in items)
        self.edit_action.setEnabled(len(items) == 1)
        for action in (
            self.complete_action,
            self.snooze_tomorrow_action,
            self.snooze_week_action,
            self.reschedule_action,
            self.cancel_action,
        ):
            action.setEnabled(has_open)
        self.snooze_button.setEnabled(has_open)
        self.schedule_action.setEnabled(bool(self.losing_view.selectionModel().selectedRows()))

    # --- whose follow-ups ------------------------------------------------------------

    def _show_scope(self) -> None:
        """The My follow-ups / Team box, shown on a team database (where there is a "me")."""
        team_mode = bool(self.service.me())
        self.scope_box.setVisible(team_mode)
        index = self.scope_combo.findData(self.service.scope)
        blocked = self.scope_combo.blockSignals(True)
        self.scope_combo.setCurrentIndex(max(0, index))
        self.scope_combo.blockSignals(blocked)

    def set_scope(self, scope: str) -> None:
        """Show my follow-ups or the team's; the choice is kept across restarts."""
        self.scope_combo.setCurrentIndex(max(0, self.scope_combo.findData(scope)))

    def _on_scope_changed(self, _index: int) -> None:
        scope = str(self.scope_combo.currentData() or TEAM)
        if scope == self.service.scope:
            return
        self.service.scope = scope
        state = self.context.settings.preferences.ui_state.setdefault(STATE_KEY, {})
        if isinstance(state, dict):
            state["scope"] = scope
        try:
            self.context.settings.save()
        except OSError:
            log.exception("Could not save the calendar's choice")
        self.refresh()

    # --- navigation -----------------------------------------------------------------

    def previous_month(self) -> None:
        self.grid.set_selected_date(scheduling.add_months(self.grid.selected_date, -1))

    def next_month(self) -> None:
        self.grid.set_selected_date(scheduling.add_months(self.grid.selected_date, 1))

    def go_today(self) -> None:
        self.grid.set_selected_date(date.today())

    def set_week_mode(self, week: bool) -> None:
        (self.week_button if week else self.day_button).setChecked(True)

    def _on_range_toggled(self, button: QPushButton, checked: bool) -> None:
        # Bold marks the chosen range: some dark palettes barely show a checked button.
        font = button.font()
        font.setBold(checked)
        button.setFont(font)
        if checked:
            self._week_mode = button is self.week_button
            self.agenda_view.setColumnHidden(FollowUpTableModel.COL_DUE, not self._week_mode)
            self._load_agenda()

    def _on_grid_month_changed(self, _year: int, _month: int) -> None:
        self._load_counts()

    def _on_grid_date_selected(self, _day: date) -> None:
        self._load_agenda()

    def _on_grid_date_activated(self, day: date) -> None:
        self.new_item(due=day)

    # --- bus ------------------------------------------------------------------------

    def _on_changes(self, _changes: Changes) -> None:
        self._schedule_refresh()

    def _on_settings_changed(self, _changes: Changes) -> None:
        self.grid.set_first_day_of_week(self.context.settings.preferences.first_day_of_week)
        if self.first_read.loaded:
            self._load_agenda()
        elif self.follower.loaded:  # the first read is on its way, maybe with the old week
            self._schedule_refresh()

    def _on_bus_followup_requested(self, contact_id: int) -> None:
        self.builder.finish()
        self.new_item(contact_id=contact_id)

    def show_item(self, kind: str, item_id: int) -> bool:
        """The main window calls this for bus.open_requested("followup", id): select it."""
        if kind != "followup":
            return False
        try:
            record = self.service.get(item_id)
        except NotFoundError:
            return False
        self.show_day(record.due_date)
        row = self.agenda_model.row_of(item_id)
        if row >= 0:
            self.agenda_view.selectRow(row)
            self.agenda_view.scrollTo(self.agenda_model.index(row, 0))
            self.agenda_view.setFocus()
            self._active_view = self.agenda_view
        return row >= 0

    def _bring_to_front(self) -> None:
        """Show this tab in the main window (a notification click comes from outside)."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QTabWidget):
            parent = parent.parentWidget()
        if isinstance(parent, QTabWidget):
            parent.setCurrentWidget(self)
        window = self.window()
        if window.isMinimized():
            window.showNormal()
        window.raise_()
        window.activateWindow()

    def _on_notifier_notified(self, followup_id: int) -> None:
        log.info("Follow-up %s fell due", followup_id)
