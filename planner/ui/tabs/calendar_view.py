"""The Calendar tab's view: actions, toolbar, month grid, agenda, overdue and losing-touch
lists. Building only; `calendar_tab.CalendarTab` adds the behaviour (TagStudio's view +
controller split)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QStyle,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.core import scheduling
from planner.core.followups import SCOPES
from planner.ui.context import TabContext
from planner.ui.dialogs.followup_dialog import system_zone_name
from planner.ui.models.agenda_model import FollowUpTableModel, LosingTouchTableModel
from planner.ui.widgets.feedback_bar import FeedbackBar
from planner.ui.widgets.month_grid import MonthGrid
from planner.ui.widgets.row_list import select_rows


def _table(name: str, accessible: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    select_rows(view)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setHighlightSections(False)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return view


class CalendarTabView(QWidget):
    """The widgets of the Calendar tab; every slot they call lives in the controller."""

    def __init__(
        self,
        context: TabContext,
        parent: QWidget | None = None,
        later: list[Callable[[], object]] | None = None,
    ) -> None:
        """With a `later` list, the agenda and the side lists are built by the steps added
        to it (one turn of the event loop each, see SlicedBuild) instead of now."""
        super().__init__(parent)
        self.context = context
        self._build_actions()
        steps = self._build_ui()
        for step in steps if later is None else ():
            step()
        if later is not None:
            later.extend(steps)

    # Slots the actions call; the controller (CalendarTab) defines them.
    previous_month: Callable[[], object]
    next_month: Callable[[], object]
    go_today: Callable[[], object]
    new_item: Callable[..., object]
    edit_selected: Callable[[], object]
    complete_selected: Callable[[], object]
    snooze_selected: Callable[[str], object]
    reschedule_selected: Callable[[], object]
    delete_selected: Callable[[], object]
    export_selected: Callable[[], object]
    schedule_selected_losing: Callable[[], object]

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

    def _build_ui(self) -> list[Callable[[], object]]:
        """The toolbar and the month now; the steps that build the rest."""
        toolbar = self._build_toolbar()
        self.grid = MonthGrid(self.context.settings.preferences.first_day_of_week)
        left = QSplitter(Qt.Orientation.Vertical)
        left.setObjectName("calendarLeftSplitter")
        left.addWidget(self.grid)
        left.setChildrenCollapsible(False)

        main = QSplitter(Qt.Orientation.Horizontal)
        main.setObjectName("calendarSplitter")
        main.addWidget(left)
        main.setChildrenCollapsible(False)

        def agenda() -> None:
            left.addWidget(self._build_agenda())
            left.setStretchFactor(0, 3)
            left.setStretchFactor(1, 2)

        def side_lists() -> None:
            main.addWidget(self._build_side_lists())
            main.setStretchFactor(0, 3)
            main.setStretchFactor(1, 2)
            main.setSizes([700, 480])

        # What Complete, Snooze, Move, Cancel or Schedule just did, with Undo.
        self.feedback = FeedbackBar(self.context.undo_stack, "calendarFeedback")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 6)
        layout.addWidget(toolbar)
        layout.addWidget(self.feedback)
        layout.addWidget(main, 1)
        return [agenda, side_lists, self._add_context_menus]

    def _build_toolbar(self) -> QToolBar:
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
        return toolbar

    def _build_agenda(self) -> QWidget:
        """The agenda: the selected day or its week."""
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
        # Hidden until the first read says there is something to show (the tab is laid out
        # before it; shown then hidden, the labels left the panes sized for them).
        self.agenda_events.hide()
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
        self.agenda_empty.hide()

        agenda = QWidget()
        agenda_layout = QVBoxLayout(agenda)
        agenda_layout.setContentsMargins(0, 6, 0, 0)
        # Team mode: whose follow-ups the month, agenda and overdue list show (beside the
        # agenda's Day/Week, where it stays in view at any width).
        self.scope_label = QLabel("&Show:")
        self.scope_combo = QComboBox()
        self.scope_combo.setObjectName("followUpScope")
        self.scope_combo.setAccessibleName("Whose follow-ups to show")
        self.scope_combo.setToolTip(
            "My follow-ups: the ones you own. Team: every follow-up you may see "
            "(teammates' private ones never show)."
        )
        for key, text in SCOPES.items():
            self.scope_combo.addItem(text, key)
        self.scope_label.setBuddy(self.scope_combo)
        head = QHBoxLayout()
        head.addWidget(self.agenda_title, 1)
        self.scope_box = QWidget()
        scope_layout = QHBoxLayout(self.scope_box)
        scope_layout.setContentsMargins(0, 0, 8, 0)
        scope_layout.addWidget(self.scope_label)
        scope_layout.addWidget(self.scope_combo)
        head.addWidget(self.scope_box)
        head.addWidget(self.day_button)
        head.addWidget(self.week_button)
        agenda_layout.addLayout(head)
        agenda_layout.addWidget(self.agenda_events)
        agenda_layout.addWidget(self.agenda_view, 1)
        agenda_layout.addWidget(self.agenda_empty)
        return agenda

    def _build_side_lists(self) -> QSplitter:
        """Overdue and losing touch, beside the grid."""
        title_font = self.agenda_title.font()
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
        return right

    def _add_context_menus(self) -> None:
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
