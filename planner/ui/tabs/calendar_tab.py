"""The Calendar tab: month grid, agenda, overdue and losing-touch lists, follow-up actions."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QEvent, QItemSelectionModel, QLocale, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStyle,
    QTableView,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.core import scheduling
from planner.core.changes import Changes
from planner.core.errors import NotFoundError, ValidationError
from planner.core.followups import (
    DEFAULT_TOUCH_CHANNEL,
    AgendaItem,
    CalendarEvent,
    Completion,
    DayCount,
    FollowUpDraft,
    FollowUpService,
)
from planner.core.records import FollowUpRecord
from planner.core.vocab import CHANNELS, TOUCH_KINDS
from planner.ui.context import TabContext
from planner.ui.dates import short_date
from planner.ui.dialogs.complete_dialog import CompleteDialog
from planner.ui.dialogs.followup_dialog import FollowUpDialog, system_zone_name
from planner.ui.models.agenda_model import (
    FollowUpTableModel,
    LosingTouchTableModel,
    RowRole,
    locale_date,
    locale_time,
)
from planner.ui.notifier import FollowUpNotifier
from planner.ui.tabs.base import ChangeFollower
from planner.ui.undo import AppliedCommand
from planner.ui.widgets.feedback_bar import FeedbackBar
from planner.ui.widgets.month_grid import MonthGrid

log = logging.getLogger(__name__)

LOSING_COUNT_CAP = 1000
MAX_AGENDA_EVENTS = 3
# Grid ranges whose day counts are kept (about two years of paging back and forth).
COUNTS_CACHED = 24


def _event_when(event: CalendarEvent, start: date, end: date) -> str:
    """When an event falls on a day: "09:30", "all day", "day 2 of 3" (a week's agenda adds
    the date)."""
    shown = max(event.first_day, start)
    if event.days > 1:
        when = f"day {(shown - event.first_day).days + 1} of {event.days}"
        if shown == event.first_day and not event.all_day:
            when += f", from {locale_time(event.starts.time())}"
    elif event.all_day:
        when = "all day"
    else:
        when = locale_time(event.starts.time())
    return f"{locale_date(shown)} {when}" if start != end else when


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _local_zone() -> ZoneInfo | None:
    name = system_zone_name()
    return ZoneInfo(name) if name else None


def _table(name: str, accessible: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setHighlightSections(False)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return view


class CalendarTab(QWidget):
    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.service = FollowUpService(context.db, _local_zone())
        self._week_mode = False
        self._refresh_pending = False
        self._active_view: QTableView | None = None
        self._today = date.today()
        # Per-day counts per visible grid range (a month and its edges): one grouped query
        # per range until something changes (refresh), so paging through months is instant.
        self._counts_cache: dict[tuple[date, date], dict[date, DayCount]] = {}

        self._build_actions()
        self._build_ui()
        self._connect()

        self.notifier = FollowUpNotifier(
            self.service,
            all_day_offset=lambda: self.context.settings.preferences.all_day_reminder_offset(),
            mode=lambda: self.context.settings.preferences.notifications,
            parent=self,
        )
        self.notifier.in_window.connect(self.context.bus.reminder_due)
        self.notifier.open_requested.connect(self.open_followup)
        self.notifier.notified.connect(self._on_notifier_notified)

        self.refresh()
        self.notifier.start()

    # --- building -------------------------------------------------------------------

    def _action(
        self,
        name: str,
        text: str,
        slot: Callable[[], object],
        shortcut: str | None = None,
        icon: QStyle.StandardPixmap | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.setToolTip(tip or text.replace("&", "").rstrip("…"))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.prev_action = self._action(
            "previousMonthAction", "‹ Previous", self.previous_month, None, None,
            "Previous month (Page Up)",
        )  # fmt: skip
        self.today_action = self._action(
            "todayAction", "Today", self.go_today, "Ctrl+T", None, "Go to today (Home)"
        )
        self.next_action = self._action(
            "nextMonthAction", "Next ›", self.next_month, None, None,
            "Next month (Page Down)",
        )  # fmt: skip
        self.new_action = self._action(
            "newFollowUpAction", "New follow-up…", self.new_item, None, sp.SP_FileIcon,
            "New follow-up (Ctrl+N)",
        )  # fmt: skip
        self.edit_action = self._action(
            "editFollowUpAction", "Edit…", self.edit_selected, "Ctrl+E", None,
            "Edit the selected follow-up (Enter)",
        )  # fmt: skip
        self.complete_action = self._action(
            "completeFollowUpAction", "Complete", self.complete_selected, "Ctrl+D",
            sp.SP_DialogApplyButton,
            "Mark done and log a touchpoint; the next one is scheduled by cadence (Ctrl+D)",
        )  # fmt: skip
        self.snooze_tomorrow_action = self._action(
            "snoozeTomorrowAction", "Snooze until tomorrow",
            lambda: self.snooze_selected(scheduling.SNOOZE_TOMORROW), "Ctrl+Shift+T",
        )  # fmt: skip
        self.snooze_week_action = self._action(
            "snoozeNextWeekAction", "Snooze until next week",
            lambda: self.snooze_selected(scheduling.SNOOZE_NEXT_WEEK), "Ctrl+Shift+W",
        )  # fmt: skip
        self.reschedule_action = self._action(
            "rescheduleFollowUpAction", "Pick a date…", self.reschedule_selected, "Ctrl+R", None,
            "Move the selected follow-ups to another day (Ctrl+R)",
        )  # fmt: skip
        self.cancel_action = self._action(
            "cancelFollowUpAction", "Cancel follow-up", self.delete_selected, None,
            sp.SP_DialogCancelButton, "Cancel the selected follow-ups (Del)",
        )  # fmt: skip
        self.export_action = self._action(
            "exportToCalendarAction", "Export to calendar…", self.export_selected, None, None,
            "Export reminders as an iCalendar file (selected follow-ups pre-chosen)",
        )  # fmt: skip
        self.schedule_action = self._action(
            "scheduleLosingTouchAction", "Schedule", self.schedule_selected_losing, None, None,
            "Schedule a keep-in-touch follow-up today for the selected contacts (Enter)",
        )  # fmt: skip

    def _build_ui(self) -> None:
        toolbar = QToolBar("Calendar")
        toolbar.setObjectName("calendarToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.prev_action)
        toolbar.addAction(self.today_action)
        toolbar.addAction(self.next_action)
        self.month_label = QLabel()
        self.month_label.setObjectName("monthLabel")
        self.month_label.setAccessibleName("Month shown")
        font = self.month_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.month_label.setFont(font)
        self.month_label.setMinimumWidth(170)
        self.month_label.setContentsMargins(10, 0, 10, 0)
        toolbar.addWidget(self.month_label)
        toolbar.addSeparator()
        for action in (self.new_action, self.edit_action, self.complete_action):
            toolbar.addAction(action)
        self.snooze_menu = QMenu("Snooze", self)
        self.snooze_menu.setObjectName("snoozeMenu")
        self.snooze_menu.addAction(self.snooze_tomorrow_action)
        self.snooze_menu.addAction(self.snooze_week_action)
        self.snooze_menu.addAction(self.reschedule_action)
        self.snooze_button = QToolButton()
        self.snooze_button.setObjectName("snoozeButton")
        self.snooze_button.setAccessibleName("Snooze")
        self.snooze_button.setText("Snooze")
        self.snooze_button.setToolTip("Snooze or move the selected follow-ups")
        self.snooze_button.setMenu(self.snooze_menu)
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        toolbar.addWidget(self.snooze_button)
        toolbar.addAction(self.cancel_action)
        toolbar.addSeparator()
        toolbar.addAction(self.export_action)
        for action in toolbar.actions():
            button = toolbar.widgetForAction(action)
            if button is not None and action.objectName():
                button.setObjectName(action.objectName().replace("Action", "Button"))
                button.setAccessibleName(action.toolTip().split(" (")[0])

        self.grid = MonthGrid(self.context.settings.preferences.first_day_of_week)

        # Agenda: the selected day or its week.
        self.agenda_title = QLabel()
        self.agenda_title.setObjectName("agendaTitle")
        title_font = self.agenda_title.font()
        title_font.setBold(True)
        self.agenda_title.setFont(title_font)
        self.day_button = QPushButton()
        self.day_button.setObjectName("agendaDayButton")
        self.day_button.setAccessibleName("Show the selected day")
        self.day_button.setText("Day")
        self.week_button = QPushButton()
        self.week_button.setObjectName("agendaWeekButton")
        self.week_button.setAccessibleName("Show the selected week")
        self.week_button.setText("Week")
        self.range_group = QButtonGroup(self)
        for button in (self.day_button, self.week_button):
            button.setCheckable(True)
            self.range_group.addButton(button)
        self.day_button.setChecked(True)
        bold = self.day_button.font()
        bold.setBold(True)
        self.day_button.setFont(bold)
        self.agenda_events = QLabel()
        self.agenda_events.setObjectName("agendaEvents")
        self.agenda_events.setWordWrap(True)
        self.agenda_events.setTextFormat(Qt.TextFormat.RichText)
        self.agenda_model = FollowUpTableModel(self)
        self.agenda_model.local_zone_name = system_zone_name()
        self.agenda_view = _table("agendaView", "Agenda")
        self.agenda_view.setModel(self.agenda_model)
        self.agenda_view.setDragEnabled(True)
        self.agenda_view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.agenda_view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self._size_followup_columns(self.agenda_view)
        self.agenda_view.setColumnHidden(FollowUpTableModel.COL_DUE, True)
        self.agenda_empty = QLabel("Nothing due. Double-click a day or press Ctrl+N to add one.")
        self.agenda_empty.setObjectName("agendaEmpty")
        self.agenda_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.agenda_empty.setEnabled(False)

        agenda = QWidget()
        agenda_layout = QVBoxLayout(agenda)
        agenda_layout.setContentsMargins(0, 6, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.agenda_title, 1)
        head.addWidget(self.day_button)
        head.addWidget(self.week_button)
        agenda_layout.addLayout(head)
        agenda_layout.addWidget(self.agenda_events)
        agenda_layout.addWidget(self.agenda_view, 1)
        agenda_layout.addWidget(self.agenda_empty)

        left = QSplitter(Qt.Orientation.Vertical)
        left.setObjectName("calendarLeftSplitter")
        left.addWidget(self.grid)
        left.addWidget(agenda)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)
        left.setChildrenCollapsible(False)

        # Overdue and losing touch, beside the grid.
        self.overdue_title = QLabel()
        self.overdue_title.setObjectName("overdueTitle")
        self.overdue_title.setFont(title_font)
        self.overdue_model = FollowUpTableModel(self)
        self.overdue_model.local_zone_name = system_zone_name()
        self.overdue_view = _table("overdueView", "Overdue follow-ups")
        self.overdue_view.setModel(self.overdue_model)
        self.overdue_view.setDragEnabled(True)
        self.overdue_view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self._size_followup_columns(self.overdue_view)
        self.overdue_view.setColumnHidden(FollowUpTableModel.COL_STATUS, True)
        self.overdue_view.setColumnHidden(FollowUpTableModel.COL_CHANNEL, True)
        self.overdue_view.setColumnHidden(FollowUpTableModel.COL_TIME, True)

        self.losing_title = QLabel()
        self.losing_title.setObjectName("losingTouchTitle")
        self.losing_title.setFont(title_font)
        self.losing_title.setToolTip(
            "Contacts whose keep-in-touch cadence has lapsed and who have nothing scheduled, "
            "longest lapsed first"
        )
        self.losing_model = LosingTouchTableModel(self)
        self.losing_view = _table("losingTouchView", "Losing touch")
        self.losing_view.setModel(self.losing_model)
        header = self.losing_view.horizontalHeader()
        # Name and organisation share what is left, so neither collapses in a narrow window.
        for col in (LosingTouchTableModel.COL_NAME, LosingTouchTableModel.COL_ORGANISATION):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(LosingTouchTableModel.COL_LAST, 85)
        header.resizeSection(LosingTouchTableModel.COL_LAPSED, 80)
        header.resizeSection(LosingTouchTableModel.COL_SCHEDULE, 70)
        self.losing_view.setCursor(Qt.CursorShape.ArrowCursor)

        right = QSplitter(Qt.Orientation.Vertical)
        right.setObjectName("calendarRightSplitter")
        for title, view in (
            (self.overdue_title, self.overdue_view),
            (self.losing_title, self.losing_view),
        ):
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            box_layout.addWidget(title)
            box_layout.addWidget(view, 1)
            right.addWidget(box)
        right.setChildrenCollapsible(False)

        main = QSplitter(Qt.Orientation.Horizontal)
        main.setObjectName("calendarSplitter")
        main.addWidget(left)
        main.addWidget(right)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 2)
        main.setSizes([700, 480])
        main.setChildrenCollapsible(False)

        # What Complete, Snooze, Move, Cancel or Schedule just did, with Undo.
        self.feedback = FeedbackBar(self.context.undo_stack, "calendarFeedback")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 6)
        layout.addWidget(toolbar)
        layout.addWidget(self.feedback)
        layout.addWidget(main, 1)

        for view in (self.agenda_view, self.overdue_view):
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            for action in (
                self.edit_action,
                self.complete_action,
                self.snooze_tomorrow_action,
                self.snooze_week_action,
                self.reschedule_action,
                self.cancel_action,
                self.export_action,
            ):
                view.addAction(action)
        self.losing_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.losing_view.addAction(self.schedule_action)

    @staticmethod
    def _size_followup_columns(view: QTableView) -> None:
        header = view.horizontalHeader()
        cols = FollowUpTableModel
        header.resizeSection(cols.COL_DUE, 85)
        header.resizeSection(cols.COL_TIME, 175)
        header.resizeSection(cols.COL_CONTACT, 140)
        header.setSectionResizeMode(cols.COL_PURPOSE, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(cols.COL_CHANNEL, 80)
        header.resizeSection(cols.COL_STATUS, 75)

    def _connect(self) -> None:
        bus = self.context.bus
        self.follower = ChangeFollower(
            self, bus, self._on_changes, ("follow_ups", "contacts", "touchpoints", "events")
        )
        self.settings_follower = ChangeFollower(self, bus, self._on_settings_changed, ("settings",))
        bus.followup_requested.connect(self._on_bus_followup_requested)
        self.grid.month_changed.connect(self._on_grid_month_changed)
        self.grid.date_selected.connect(self._on_grid_date_selected)
        self.grid.date_activated.connect(self._on_grid_date_activated)
        self.grid.followups_dropped.connect(self._on_grid_followups_dropped)
        self.range_group.buttonToggled.connect(self._on_range_toggled)
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

    # --- loading --------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload everything shown (after changes here or in another tab)."""
        self._refresh_pending = False
        self._today = date.today()
        self.grid.set_today(self._today)
        self._counts_cache.clear()
        self._load_counts()
        self._load_agenda()
        self._load_side_lists()

    def _schedule_refresh(self) -> None:
        if not self._refresh_pending:
            self._refresh_pending = True
            QTimer.singleShot(0, self._run_pending_refresh)

    def _run_pending_refresh(self) -> None:
        if self._refresh_pending:
            self.refresh()

    def _load_counts(self) -> None:
        start, end = self.grid.visible_range()
        counts = self._counts_cache.get((start, end))
        if counts is None:
            if len(self._counts_cache) >= COUNTS_CACHED:
                self._counts_cache.clear()
            counts = self._counts_cache[(start, end)] = self.service.day_counts(start, end)
        self.grid.set_counts(counts)
        month = QLocale().standaloneMonthName(self.grid.month, QLocale.FormatType.LongFormat)
        self.month_label.setText(f"{month} {self.grid.year}")

    def agenda_range(self) -> tuple[date, date]:
        day = self.grid.selected_date
        if not self._week_mode:
            return day, day
        start = scheduling.week_start(day, self.grid.first_day_of_week)
        return start, start + timedelta(days=6)

    def _load_agenda(self) -> None:
        keep = set(self._selected_in(self.agenda_view))
        start, end = self.agenda_range()
        page = FollowUpTableModel.PAGE
        items = self.service.list_range(start, end, limit=page)

        def load(offset: int, count: int) -> list[AgendaItem]:
            return self.service.list_range(start, end, limit=count, offset=offset)

        self.agenda_model.set_items(items, self._today, load)
        if start == end:
            title = locale_date(start, long=True)
        else:
            title = f"Week of {locale_date(start)} – {locale_date(end)}"
        total = self._count_between(start, end) if len(items) >= page else len(items)
        if total:
            title += f"  ({total:,} follow-up{'s' if total != 1 else ''})"
        self.agenda_title.setText(title)
        events = self.service.events_on(start, end)
        if events:
            parts = []
            for event in events[:MAX_AGENDA_EVENTS]:
                parts.append(
                    f"<b>{escape(_event_when(event, start, end))}</b> {escape(event.name)}"
                )
            if len(events) > MAX_AGENDA_EVENTS:
                parts.append(f"and {len(events) - MAX_AGENDA_EVENTS} more")
            self.agenda_events.setText("Events: " + " · ".join(parts))
            self.agenda_events.show()
        else:
            self.agenda_events.hide()
        self.agenda_empty.setVisible(not items)
        self._reselect(self.agenda_view, self.agenda_model, keep)
        self._update_actions()

    def _count_between(self, start: date, end: date) -> int:
        """From the grid's per-day counts when they cover the range (no extra query)."""
        first, last = self.grid.visible_range()
        if first <= start and end <= last:
            counts = self.grid.counts()
            return sum(
                c.open + c.done
                for offset in range((end - start).days + 1)
                if (c := counts.get(start + timedelta(days=offset))) is not None
            )
        return self.service.count_range(start, end)

    def _load_side_lists(self) -> None:
        today = self._today
        keep = set(self._selected_in(self.overdue_view))
        page = FollowUpTableModel.PAGE
        overdue = self.service.overdue(today, page)
        total = self.service.overdue_count(today) if len(overdue) >= page else len(overdue)
        self.overdue_model.set_items(
            overdue, today, lambda offset, n: self.service.overdue(today, n, offset)
        )
        self.overdue_title.setText(f"Overdue ({total:,})")
        self._reselect(self.overdue_view, self.overdue_model, keep)
        page = LosingTouchTableModel.PAGE
        losing = self.service.losing_touch(today, page)
        total = (
            self.service.losing_touch_count(today, LOSING_COUNT_CAP)
            if len(losing) >= page
            else len(losing)
        )
        self.losing_model.set_items(
            losing, lambda offset, n: self.service.losing_touch(today, n, offset)
        )
        shown = f"{LOSING_COUNT_CAP:,}+" if total > LOSING_COUNT_CAP else f"{total:,}"
        self.losing_title.setText(f"Losing touch ({shown})")
        self._update_actions()

    @staticmethod
    def _reselect(view: QTableView, model: FollowUpTableModel, ids: set[int]) -> None:
        if not ids:
            return
        selection = view.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for followup_id in ids:
            row = model.row_of(followup_id)
            if row >= 0:
                selection.select(model.index(row, 0), flags)

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
        self._load_agenda()

    def _on_bus_followup_requested(self, contact_id: int) -> None:
        self.new_item(contact_id=contact_id)

    def show_item(self, kind: str, item_id: int) -> bool:
        """The main window calls this for bus.open_requested("followup", id): select it."""
        if kind != "followup":
            return False
        try:
            record = self.service.get(item_id)
        except NotFoundError:
            return False
        self.grid.set_selected_date(record.due_date)
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

    def _show_error(self, message: str) -> None:
        QMessageBox.warning(self, "Follow-ups", message)

    def _apply(
        self,
        text: str,
        do: Callable[[], object],
        undo: Callable[[], object],
        touches: bool = False,
        report: Callable[[], str] | None = None,
    ) -> bool:
        """Run `do` now; if it worked, push it as one undo step, emit what changed and say
        what happened (`report`) in the feedback bar, with Undo."""
        try:
            do()
        except (ValidationError, NotFoundError) as exc:
            self._show_error(str(exc))
            self._schedule_refresh()
            return False

        # Completing a follow-up logs a touchpoint and moves the contact's next touch.
        changed = Changes.all("follow_ups", *(("touchpoints", "contacts") if touches else ()))
        bus = self.context.bus

        def redo() -> None:
            try:
                do()
            finally:
                bus.changed.emit(changed)

        def back() -> None:
            try:
                undo()
            finally:
                bus.changed.emit(changed)

        self.context.undo_stack.push(AppliedCommand(text, redo, back, self._show_error))
        bus.changed.emit(changed)
        self.feedback.report(report() if report is not None else f"{text}.")
        return True

    # --- actions --------------------------------------------------------------------

    def _run_dialog(self, dialog: FollowUpDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def new_item(self, contact_id: int | None = None, due: date | None = None) -> bool:
        """Ctrl+N here, double-click on a day, or "Schedule follow-up" from a contact."""
        contact = self.service.contact(contact_id) if contact_id is not None else None
        dialog = FollowUpDialog(
            self.service.find_contacts,
            contact=contact,
            due=due or max(self.grid.selected_date, date.today()),
            parent=self,
        )
        if not self._run_dialog(dialog):
            return False
        return self.create_followup(dialog.draft())

    def create_followup(self, draft: FollowUpDraft) -> bool:
        state: dict[str, FollowUpRecord] = {}

        def do() -> None:
            saved = state.get("record")
            state["record"] = self.service.restore(saved) if saved else self.service.create(draft)

        def undo() -> None:
            self.service.delete(state["record"].id)

        if not self._apply("New follow-up", do, undo):
            return False
        self.grid.set_selected_date(draft.due_date)
        return True

    def edit_selected(self) -> bool:
        ids = self.selected_ids()
        return self.open_followup(ids[0]) if len(ids) == 1 else False

    def open_followup(self, followup_id: int) -> bool:
        """Show a follow-up's day and open it for editing (a notification click lands here)."""
        try:
            record = self.service.get(followup_id)
        except NotFoundError as exc:
            self._show_error(str(exc))
            return False
        self._bring_to_front()
        self.grid.set_selected_date(record.due_date)
        row = self.agenda_model.row_of(followup_id)
        if row >= 0:
            self.agenda_view.selectRow(row)
            self._active_view = self.agenda_view
        contact = self.service.contact(record.contact_id) if record.contact_id else None
        dialog = FollowUpDialog(
            self.service.find_contacts, record=record, contact=contact, parent=self
        )
        if not self._run_dialog(dialog):
            return False
        draft = dialog.draft()
        return self._apply(
            "Edit follow-up",
            lambda: self.service.update(followup_id, draft),
            lambda: self.service.restore(record),
        )

    def ask_outcome(self, dialog: CompleteDialog) -> bool:
        """Show the outcome step (tests patch this)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def complete_selected(self) -> bool:
        """Ask what happened (Enter keeps the defaults), log it and schedule the next touch."""
        ids = self._selected_open_ids()
        if not ids:
            return False
        today = date.today()
        first = self.service.get(ids[0])
        single = len(ids) == 1
        contact = self.service.contact(first.contact_id) if first.contact_id else None
        who = contact.name if contact is not None and single else ""
        dialog = CompleteDialog(
            f"Complete: {who or first.purpose or 'follow-up'}"
            if single
            else f"Complete {len(ids)} follow-ups",
            channel=first.channel or DEFAULT_TOUCH_CHANNEL,
            note=first.purpose if single else None,
            next_due=self.service.next_after_complete(first.id, today) if single else None,
            cadence_days=contact.cadence_days if contact is not None else None,
            parent=self,
        )
        accepted = self.ask_outcome(dialog)
        outcome = dialog.outcome()
        dialog.deleteLater()
        if not accepted:
            return False
        results: list[Completion] = []

        def do() -> None:
            results.clear()
            for followup_id in ids:
                results.append(
                    self.service.complete(
                        followup_id, today, outcome.kind, outcome.note, outcome.channel
                    )
                )

        def undo() -> None:
            for result in reversed(results):
                self.service.undo_complete(result)

        def report() -> str:
            logged = sum(1 for r in results if r.touchpoint_id is not None)
            text = f"Completed {who or _count(len(ids), 'follow-up')}"
            if logged:
                text += (
                    f"; logged “{TOUCH_KINDS[outcome.kind].lower()}” by "
                    f"{CHANNELS[outcome.channel].lower()}"
                )
            nexts = [r.next_followup.due_date for r in results if r.next_followup is not None]
            if len(nexts) == 1:
                text += f". Next follow-up: {short_date(nexts[0])}"
            elif nexts:
                text += f". {len(nexts)} next follow-ups scheduled by cadence"
            return text + "."

        label = "Complete follow-up" if single else f"Complete {len(ids)} follow-ups"
        return self._apply(label, do, undo, touches=True, report=report)

    def _restoring(
        self,
        text: str,
        ids: list[int],
        change: Callable[[int], object],
        report: Callable[[], str] | None = None,
    ) -> bool:
        """An action on open follow-ups whose undo puts each back as it was."""
        befores = [self.service.get(i) for i in ids]

        def do() -> None:
            for followup_id in ids:
                change(followup_id)

        def undo() -> None:
            for record in befores:
                self.service.restore(record)

        return self._apply(text, do, undo, report=report)

    def snooze_selected(self, kind: str) -> bool:
        ids = self._selected_open_ids()
        if not ids:
            return False
        first = self.context.settings.preferences.first_day_of_week
        today = date.today()
        label = scheduling.SNOOZE_CHOICES[kind].lower()
        moved: list[date] = []

        def snooze(followup_id: int) -> None:
            moved.append(self.service.snooze(followup_id, kind, today, first).due_date)

        return self._restoring(
            f"Snooze until {label}",
            ids,
            snooze,
            report=lambda: (
                f"Snoozed {_count(len(ids), 'follow-up')} until "
                f"{short_date(moved[-1]) if moved else label}."
            ),
        )

    def pick_date(self, initial: date) -> date | None:
        """A small modal date picker (tests patch this)."""
        dialog = QDialog(self)
        dialog.setObjectName("pickDateDialog")
        dialog.setWindowTitle("Move to day")
        calendar = QCalendarWidget(dialog)
        calendar.setObjectName("pickDateCalendar")
        calendar.setAccessibleName("Day to move to")
        calendar.setFirstDayOfWeek(
            Qt.DayOfWeek(self.context.settings.preferences.first_day_of_week)
        )
        calendar.setSelectedDate(QDate(initial.year, initial.month, initial.day))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        calendar.activated.connect(lambda _d: dialog.accept())
        layout = QVBoxLayout(dialog)
        layout.addWidget(calendar)
        layout.addWidget(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        picked = calendar.selectedDate()
        return date(picked.year(), picked.month(), picked.day())

    def reschedule_selected(self) -> bool:
        items = [i for i in self.selected_items() if i.followup.status == "open"]
        if not items:
            return False
        target = self.pick_date(date.today())  # the old due date is rarely where it goes
        if target is None:
            return False
        return self.reschedule(([i.id for i in items]), target)

    def reschedule(self, ids: list[int], day: date) -> bool:
        label = "Reschedule follow-up" if len(ids) == 1 else f"Reschedule {len(ids)} follow-ups"
        return self._restoring(
            label,
            ids,
            lambda i: self.service.reschedule(i, day),
            report=lambda: f"Moved {_count(len(ids), 'follow-up')} to {short_date(day)}.",
        )

    def _on_grid_followups_dropped(self, ids: list[int], day: date) -> None:
        self.reschedule(ids, day)

    def delete_selected(self) -> bool:
        """Del cancels the selected follow-ups (kept, so the calendar export can cancel too)."""
        ids = self._selected_open_ids()
        if not ids:
            return False
        label = "Cancel follow-up" if len(ids) == 1 else f"Cancel {len(ids)} follow-ups"
        return self._restoring(
            label,
            ids,
            self.service.cancel,
            report=lambda: f"Cancelled {_count(len(ids), 'follow-up')}.",
        )

    def export_selected(self) -> None:
        self.context.bus.export_reminders_requested.emit(self.selected_ids())

    # --- losing touch ---------------------------------------------------------------

    def _on_losing_clicked(self, index: QModelIndex) -> None:
        if index.column() == LosingTouchTableModel.COL_SCHEDULE:
            item = self.losing_model.item_at(index.row())
            if item is not None:
                self.schedule_keep_in_touch([item.contact_id])

    def schedule_selected_losing(self) -> bool:
        rows = sorted({i.row() for i in self.losing_view.selectionModel().selectedRows()})
        ids = [item.contact_id for r in rows if (item := self.losing_model.item_at(r))]
        return self.schedule_keep_in_touch(ids) if ids else False

    def schedule_keep_in_touch(self, contact_ids: list[int]) -> bool:
        """One click: a keep-in-touch follow-up due today for each contact."""
        today = date.today()
        created: dict[int, FollowUpRecord] = {}

        def do() -> None:
            for contact_id in contact_ids:
                saved = created.get(contact_id)
                created[contact_id] = (
                    self.service.restore(saved)
                    if saved
                    else self.service.schedule_keep_in_touch(contact_id, today)
                )

        def undo() -> None:
            for record in created.values():
                self.service.delete(record.id)

        text = (
            "Schedule keep-in-touch"
            if len(contact_ids) == 1
            else (f"Schedule keep-in-touch for {len(contact_ids)} contacts")
        )

        def report() -> str:
            names = [self.service.contact(c) for c in contact_ids[:1]]
            who = names[0].name if len(contact_ids) == 1 and names[0] else None
            whom = who or _count(len(contact_ids), "contact")
            return (
                f"Scheduled a keep-in-touch follow-up with {whom} for today ({short_date(today)})."
            )

        return self._apply(text, do, undo, report=report)
