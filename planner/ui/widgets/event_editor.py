"""The editor for one event plan: details, goals, pitch and questions, people, and who was met.

Each edit is saved when made and pushed as one undo step; plan edits are undone by putting back
a snapshot of the plan, meeting people and follow-ups by taking out exactly the rows they made.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from PySide6.QtCore import Qt, QTimer, QTimeZone
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.core.changes import Changes, Kind
from planner.core.errors import NotFoundError, ValidationError
from planner.core.event_results import RESULT_WINDOW_DAYS, event_result
from planner.core.events import (
    AttendeeRecord,
    EventDetail,
    EventService,
    GoalRecord,
    days_until,
    format_cost,
    quick_add_defaults,
    time_zone_names,
)
from planner.core.pitches import PitchService, describe_length
from planner.core.questions import QuestionService
from planner.core.quick_add import parse_quick_add
from planner.core.vocab import EVENT_STATUSES, EVENT_TYPES, GOAL_KINDS, RELATIONSHIPS
from planner.ui.context import TabContext
from planner.ui.dates import apply_date_format, short_date
from planner.ui.undo import AppliedCommand
from planner.ui.widgets.elided_label import ElidedLabel
from planner.ui.widgets.event_common import (
    CommitTextEdit,
    format_when,
    from_qdatetime,
    to_qdatetime,
)

log = logging.getLogger(__name__)

CURRENCIES = ("EUR", "USD", "GBP", "CHF", "CAD", "AUD", "JPY", "SEK", "NOK", "DKK", "PLN", "INR")


def local_zone_name() -> str:
    """The system's IANA zone (Qt maps Windows zone names too), or UTC when unknown."""
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "ignore")
    return name if name in time_zone_names() else "UTC"


def _named(widget: Any, name: str, accessible: str) -> Any:
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


def _button(name: str, text: str, accessible: str) -> QPushButton:
    return _named(QPushButton(text), name, accessible)


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


def _page() -> tuple[QScrollArea, QVBoxLayout]:
    """A tab page that scrolls when the window is small."""
    inner = QWidget()
    layout = QVBoxLayout(inner)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    return area, layout


class GoalRow(QFrame):
    """One goal: what it is, a progress bar, and (for goals we cannot count) a progress box."""

    def __init__(self, goal: GoalRecord, editor: EventEditor) -> None:
        super().__init__()
        self.goal = goal
        self.setObjectName(f"goalRow{goal.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self)
        title = QLabel(goal.label)
        title.setObjectName("goalLabel")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        title.setWordWrap(True)
        grid.addWidget(title, 0, 0, 1, 3)
        detail = goal.description
        if detail in (goal.label, GOAL_KINDS.get(goal.kind)):
            detail = ""
        how = "Counted from people marked met" if goal.computed else "Progress entered by you"
        sub = QLabel(" · ".join(p for p in (detail, how) if p))
        sub.setEnabled(False)
        sub.setWordWrap(True)
        grid.addWidget(sub, 1, 0, 1, 3)
        self.bar = _named(QProgressBar(), "goalProgress", f"Progress: {goal.label}")
        self.bar.setRange(0, goal.target)
        self.bar.setValue(min(goal.progress, goal.target))
        self.bar.setFormat(f"{goal.progress} of {goal.target}")
        grid.addWidget(self.bar, 2, 0)
        self.spin: QSpinBox | None = None
        if not goal.computed:
            self.spin = _named(QSpinBox(), "goalManualProgress", f"Progress so far: {goal.label}")
            self.spin.setRange(0, max(goal.target, goal.manual_progress) * 10)
            self.spin.setValue(goal.manual_progress)
            self.spin.setKeyboardTracking(False)
            self.spin.valueChanged.connect(lambda v: editor.set_goal_progress(goal.id, v))
            grid.addWidget(self.spin, 2, 1)
        buttons = QHBoxLayout()
        edit = _button("editGoalButton", "Edit…", f"Edit goal {goal.label}")
        remove = _button("removeGoalButton", "Remove", f"Remove goal {goal.label}")
        edit.clicked.connect(lambda: editor.edit_goal(goal))
        remove.clicked.connect(lambda: editor.remove_goal(goal))
        buttons.addWidget(edit)
        buttons.addWidget(remove)
        grid.addLayout(buttons, 2, 2)
        grid.setColumnStretch(0, 1)


class EventEditor(QWidget):
    """Shows one event; `show_event(None)` shows the empty state."""

    def __init__(
        self,
        context: TabContext,
        events: EventService,
        pitches: PitchService,
        questions: QuestionService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("eventEditor")
        self.context = context
        self.events = events
        self.pitches = pitches
        self.questions = questions
        self.event_id: int | None = None
        self.detail: EventDetail | None = None
        self._loading = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)
        self.empty = QLabel("Choose an event on the left, or press Ctrl+N to plan a new one.")
        self.empty.setObjectName("eventEmptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack.addWidget(self.empty)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 0, 0, 0)
        # The header is three one-line labels of fixed height: a long name or venue ends in
        # "…" (the whole text in the tooltip) and the message line is reserved even when
        # empty, so the tabs and fields below never move under the pointer.
        self.title = ElidedLabel()
        self.title.setObjectName("eventTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = ElidedLabel()
        self.subtitle.setObjectName("eventSubtitle")
        self.message = ElidedLabel()
        self.message.setObjectName("eventMessage")
        self.message.setAccessibleName("Message")
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.message)
        self.pages = QTabWidget()
        self.pages.setObjectName("eventPages")
        layout.addWidget(self.pages, 1)
        self.stack.addWidget(body)

        self._build_details()
        self._build_goals()
        self._build_prep()
        self._build_people()
        self._build_met()
        self.show_event(None)

    # --- plumbing ------------------------------------------------------------------------

    def _emitter(self, *kinds: Kind) -> Callable[[], None]:
        """What an undo step of this plan emits after each redo and undo."""
        event_id = self.event_id
        changed = Changes.of(events=[event_id] if event_id is not None else [])
        changed = changed | Changes.all(*kinds) if kinds else changed
        return lambda: self.context.bus.changed.emit(changed)

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)
        self.message.setStyleSheet("font-weight: bold;" if error else "")

    def _plan_edit(self, text: str, action: Callable[[], object]) -> bool:
        """Run one change to the plan as one undo step; a validation error changes nothing."""
        event_id = self.event_id
        if event_id is None:
            return False
        try:
            before = self.events.plan_snapshot(event_id)
            action()
            after = self.events.plan_snapshot(event_id)
        except ValidationError as exc:
            self.show_message(exc.message, error=True)
            self.reload()
            return False
        except NotFoundError as exc:
            self.show_message(str(exc), error=True)
            return False
        self.show_message("")
        self.context.undo_stack.push(
            AppliedCommand(
                text,
                lambda: self.events.restore_plan(after),
                lambda: self.events.restore_plan(before),
                after=self._emitter(),
            )
        )
        return True

    def _update(self, text: str, **changes: Any) -> None:
        if self.detail is None or self._loading:
            return
        current = self.detail.event
        if all(getattr(current, k) == v for k, v in changes.items()):
            return
        event_id = self.detail.event.id
        self._plan_edit(text, lambda: self.events.update(event_id, **changes))

    def delete_focused(self) -> bool:
        """Del inside the editor removes the focused list's item, never the whole event."""
        focus = self.focusWidget()
        handlers: dict[QWidget, Callable[[], None]] = {
            self.checklist: self._on_remove_check_item,
            self.people: self._on_remove_person,
            self.attendees: self._on_unmark,
            self.question_list: self._on_remove_question,
        }
        for widget, handler in handlers.items():
            if focus is widget or (focus is not None and widget.isAncestorOf(focus)):
                handler()
                return True
        return False

    # --- loading -------------------------------------------------------------------------

    def show_event(self, event_id: int | None) -> None:
        self._commit_open_edits()
        if event_id != self.event_id:
            self.quick_add.clear()
            self.met_note.clear()
        self.event_id = event_id
        self.show_message("")
        self.reload()

    def _commit_open_edits(self) -> None:
        """Save a multi-line box being typed in before the editor moves to another event."""
        if self.detail is None:
            return
        for box in (self.description, self.pitch_text, self.takeaways):
            if box.hasFocus():
                box.commit()

    def reload(self) -> None:
        detail = None
        if self.event_id is not None:
            try:
                detail = self.events.detail(self.event_id)
            except NotFoundError:
                self.event_id = None
        self.detail = detail
        if detail is None:
            self.stack.setCurrentWidget(self.empty)
            return
        self.stack.setCurrentIndex(1)
        self._loading = True
        try:
            self._load_header(detail)
            self._load_details(detail)
            self._load_goals(detail)
            self._load_prep(detail)
            self._load_people(detail)
            self._load_met(detail)
        finally:
            self._loading = False

    def _load_header(self, detail: EventDetail) -> None:
        e = detail.event
        self.title.setText(e.name)
        parts = [
            EVENT_TYPES.get(e.event_type, e.event_type),
            EVENT_STATUSES.get(e.status, e.status),
            format_when(e.starts_local, e.ends_local, e.time_zone, e.all_day),
        ]
        if e.venue:
            parts.append(e.venue)
        cost = format_cost(e.cost_cents, e.currency)
        if cost:
            parts.append(cost)
        self.subtitle.setText(" · ".join(parts))

    # --- details -------------------------------------------------------------------------

    def _build_details(self) -> None:
        area, layout = _page()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.name = _named(QLineEdit(), "eventName", "Event name")
        self.event_type = _named(QComboBox(), "eventType", "Event type")
        for key, label in EVENT_TYPES.items():
            self.event_type.addItem(label, key)
        self.status = _named(QComboBox(), "eventStatus", "Status")
        for key, label in EVENT_STATUSES.items():
            self.status.addItem(label, key)
        self.has_dates = _named(QCheckBox("Has a date"), "eventHasDates", "Event has a date")
        self.all_day = _named(QCheckBox("All day"), "eventAllDay", "All-day event")
        dates = QHBoxLayout()
        self.starts = _named(QDateTimeEdit(), "eventStarts", "Starts")
        self.ends = _named(QDateTimeEdit(), "eventEnds", "Ends")
        for edit in (self.starts, self.ends):
            edit.setCalendarPopup(True)
        dates.addWidget(self.has_dates)
        dates.addWidget(self.starts, 1)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.ends, 1)
        dates.addWidget(self.all_day)
        self.time_zone = _named(QComboBox(), "eventTimeZone", "Time zone")
        self.time_zone.setEditable(True)
        self.time_zone.addItems(sorted(time_zone_names()))
        self.time_zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.time_zone.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.venue = _named(QLineEdit(), "eventVenue", "Venue")
        self.venue.setPlaceholderText("Where it is held")
        self.url = _named(QLineEdit(), "eventUrl", "Web address")
        self.url.setPlaceholderText("https://… (online events, registration page)")
        cost_row = QHBoxLayout()
        self.cost = _named(QDoubleSpinBox(), "eventCost", "Cost")
        self.cost.setRange(-1, 1_000_000)
        self.cost.setDecimals(2)
        self.cost.setSpecialValueText("Not set")
        self.cost.setKeyboardTracking(False)
        self.currency = _named(QComboBox(), "eventCurrency", "Currency")
        self.currency.setEditable(True)
        self.currency.addItems(CURRENCIES)
        self.currency.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        cost_row.addWidget(self.cost, 1)
        cost_row.addWidget(self.currency)
        self.description = _named(CommitTextEdit(), "eventDescription", "Description")
        self.description.setPlaceholderText("What it is about, who goes, why it is worth it")
        self.description.setMinimumHeight(90)
        form.addRow("&Name:", self.name)
        form.addRow("&Type:", self.event_type)
        form.addRow("&Status:", self.status)
        when_label = QLabel("&When:")
        when_label.setBuddy(self.has_dates)
        form.addRow(when_label, dates)
        form.addRow("Time &zone:", self.time_zone)
        form.addRow("&Venue:", self.venue)
        form.addRow("&Link:", self.url)
        cost_label = QLabel("&Cost:")
        cost_label.setBuddy(self.cost)
        form.addRow(cost_label, cost_row)
        form.addRow("Descr&iption:", self.description)
        layout.addLayout(form)
        layout.addStretch(1)
        self.pages.addTab(area, "&Details")

        self.name.editingFinished.connect(
            lambda: self._update("Rename event", name=self.name.text())
        )
        self.event_type.activated.connect(
            lambda _i: self._update("Change event type", event_type=self.event_type.currentData())
        )
        self.status.activated.connect(lambda _i: self._on_status_activated())
        self.has_dates.toggled.connect(self._on_has_dates_toggled)
        self.all_day.toggled.connect(lambda v: self._update("Change all-day", all_day=bool(v)))
        self.starts.editingFinished.connect(self._on_starts_edited)
        self.ends.editingFinished.connect(
            lambda: self._update("Change end", ends_local=from_qdatetime(self.ends.dateTime()))
        )
        self.time_zone.activated.connect(lambda _i: self._on_zone_edited())
        self.time_zone.lineEdit().editingFinished.connect(self._on_zone_edited)
        self.venue.editingFinished.connect(
            lambda: self._update("Change venue", venue=self.venue.text().strip())
        )
        self.url.editingFinished.connect(lambda: self._update("Change link", url=self.url.text()))
        self.cost.valueChanged.connect(lambda _v: self._on_cost_edited())
        self.currency.activated.connect(lambda _i: self._on_cost_edited())
        self.currency.lineEdit().editingFinished.connect(self._on_cost_edited)
        self.description.committed.connect(
            lambda text: self._update("Edit description", description=text)
        )

    def _load_details(self, detail: EventDetail) -> None:
        e = detail.event
        if not self.name.hasFocus() or self.name.text() != e.name:
            self.name.setText(e.name)
        self.event_type.setCurrentIndex(max(0, self.event_type.findData(e.event_type)))
        self.status.setCurrentIndex(max(0, self.status.findData(e.status)))
        dated = e.starts_local is not None
        self.has_dates.setChecked(dated)
        self.all_day.setChecked(e.all_day)
        for edit in (self.starts, self.ends):
            apply_date_format(edit, with_time=not e.all_day)
            edit.setEnabled(dated)
        self.all_day.setEnabled(dated)
        if e.starts_local is not None:
            self.starts.setDateTime(to_qdatetime(e.starts_local))
        end = e.ends_local or e.starts_local
        if end is not None:
            self.ends.setDateTime(to_qdatetime(end))
        self.time_zone.setCurrentText(e.time_zone)
        self.venue.setText(e.venue)
        self.url.setText(e.url)
        self.cost.setValue(-1 if e.cost_cents is None else e.cost_cents / 100)
        self.currency.setCurrentText(e.currency)
        self.description.set_saved_text(e.description)

    def _on_has_dates_toggled(self, checked: bool) -> None:
        if self._loading or self.detail is None:
            return
        if checked:
            day = datetime.now().date() + timedelta(days=7)
            start = datetime.combine(day, datetime.min.time()).replace(hour=9)
            zone = self.detail.event.time_zone or local_zone_name()
            self._update(
                "Set event date",
                starts_local=start,
                ends_local=start + timedelta(hours=8),
                time_zone=zone,
            )
        else:
            self._update("Clear event date", starts_local=None, ends_local=None)

    def _on_starts_edited(self) -> None:
        if self.detail is None or self._loading:
            return
        e = self.detail.event
        start = from_qdatetime(self.starts.dateTime())
        if e.starts_local is None:
            return
        # Moving the start keeps the length of the event.
        length = (e.ends_local - e.starts_local) if e.ends_local else timedelta(hours=2)
        self._update("Change start", starts_local=start, ends_local=start + length)

    def _on_zone_edited(self) -> None:
        text = self.time_zone.currentText().strip()
        if self.detail is not None and text != self.detail.event.time_zone:
            self._update("Change time zone", time_zone=text)

    def _on_cost_edited(self) -> None:
        if self.detail is None or self._loading:
            return
        value = self.cost.value()
        cents = None if value < 0 else round(value * 100)
        self._update(
            "Change cost", cost_cents=cents, currency=self.currency.currentText().strip().upper()
        )

    # --- goals ---------------------------------------------------------------------------

    def _on_status_activated(self) -> None:
        status = self.status.currentData()
        self._update("Change event status", status=status)
        if status == "attended" and self.detail is not None:
            event = self.detail.event
            ahead = days_until(event)
            if ahead and event.starts_local is not None:
                when = short_date(event.starts_local.date())
                self.show_message(
                    f"This event is {_days(ahead)} away ({when}) but is marked attended. "
                    "Ctrl+Z puts the status back.",
                    error=True,
                )

    def _build_goals(self) -> None:
        area, layout = _page()
        top = QHBoxLayout()
        self.goal_summary = QLabel()
        self.goal_summary.setObjectName("goalSummary")
        self.add_goal_button = _button("addGoalButton", "&Add goal…", "Add goal")
        top.addWidget(self.goal_summary, 1)
        top.addWidget(self.add_goal_button)
        layout.addLayout(top)
        self.goal_rows = QVBoxLayout()
        layout.addLayout(self.goal_rows)
        layout.addStretch(1)
        self.pages.addTab(area, "&Goals")
        self.add_goal_button.clicked.connect(self.add_goal)

    def _load_goals(self, detail: EventDetail) -> None:
        focused = self.focusWidget()
        focused_goal = None
        if isinstance(focused, QSpinBox) and isinstance(focused.parentWidget(), GoalRow):
            focused_goal = focused.parentWidget().goal.id  # type: ignore[union-attr]
        while self.goal_rows.count():
            item = self.goal_rows.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        for goal in detail.goals:
            row = GoalRow(goal, self)
            self.goal_rows.addWidget(row)
            if goal.id == focused_goal and row.spin is not None:
                # Keep the keyboard in the progress box being changed.
                QTimer.singleShot(0, row.spin.setFocus)
        done = sum(1 for g in detail.goals if g.done)
        self.goal_summary.setText(
            f"{done} of {len(detail.goals)} goals reached"
            if detail.goals
            else "No goals yet. Measurable goals make an event worth the time."
        )

    def _goal_dialog(self, goal: GoalRecord | None = None) -> Any:
        from planner.ui.dialogs.event_goal_dialog import EventGoalDialog

        dialog = EventGoalDialog(self.context.db, goal, self)
        accepted = dialog.exec() == EventGoalDialog.DialogCode.Accepted
        dialog.deleteLater()
        return dialog.draft() if accepted else None

    def add_goal(self) -> None:
        if self.event_id is None:
            return
        draft = self._goal_dialog()
        if draft is None:
            return
        event_id = self.event_id
        self._plan_edit(
            "Add goal", lambda: self.events.add_goal(event_id, draft.kind, **draft.fields())
        )

    def edit_goal(self, goal: GoalRecord) -> None:
        draft = self._goal_dialog(goal)
        if draft is None:
            return
        self._plan_edit(
            "Edit goal",
            lambda: self.events.update_goal(goal.id, kind=draft.kind, **draft.fields()),
        )

    def remove_goal(self, goal: GoalRecord) -> None:
        self._plan_edit("Remove goal", lambda: self.events.remove_goal(goal.id))

    def set_goal_progress(self, goal_id: int, value: int) -> None:
        if self._loading:
            return
        self._plan_edit(
            "Update goal progress", lambda: self.events.set_goal_progress(goal_id, value)
        )

    # --- pitch and questions ---------------------------------------------------------------

    def _build_prep(self) -> None:
        area, layout = _page()
        pitch_box = QGroupBox("Elevator pitch")
        pitch_layout = QVBoxLayout(pitch_box)
        row = QHBoxLayout()
        self.pitch_choice = _named(QComboBox(), "eventPitchChoice", "Pitch from the library")
        self.pitch_library_button = _button(
            "pitchLibraryButton", "Pitch &library…", "Open the pitch library"
        )
        self.pitch_reset_button = _button(
            "pitchResetButton", "&Reset to library text", "Reset the pitch to the library text"
        )
        row.addWidget(QLabel("Based on:"))
        row.addWidget(self.pitch_choice, 1)
        row.addWidget(self.pitch_library_button)
        row.addWidget(self.pitch_reset_button)
        pitch_layout.addLayout(row)
        self.pitch_text = _named(CommitTextEdit(), "eventPitchText", "Pitch for this event")
        self.pitch_text.setPlaceholderText(
            "Who you are, what you do, what you are looking for — tailored to this crowd. "
            "Changes here stay with this event; the library copy is kept as it was."
        )
        self.pitch_text.setMinimumHeight(110)
        pitch_layout.addWidget(self.pitch_text)
        self.pitch_length = QLabel()
        self.pitch_length.setObjectName("eventPitchLength")
        pitch_layout.addWidget(self.pitch_length)
        layout.addWidget(pitch_box)

        q_box = QGroupBox("Questions to ask")
        q_layout = QVBoxLayout(q_box)
        self.question_list = _named(QListWidget(), "eventQuestionList", "Questions for this event")
        self.question_list.setWordWrap(True)
        self.question_list.setMinimumHeight(140)
        q_layout.addWidget(self.question_list)
        self.question_warning = QLabel()
        self.question_warning.setObjectName("eventQuestionWarning")
        self.question_warning.setWordWrap(True)
        q_layout.addWidget(self.question_warning)
        q_row = QHBoxLayout()
        self.choose_questions_button = _button(
            "chooseQuestionsButton", "Choose from the &bank…", "Choose questions from the bank"
        )
        self.remove_question_button = _button(
            "removeQuestionButton", "Remo&ve", "Remove the selected question from this event"
        )
        q_row.addWidget(self.choose_questions_button)
        q_row.addWidget(self.remove_question_button)
        q_row.addStretch(1)
        q_layout.addLayout(q_row)
        layout.addWidget(q_box, 1)
        self.pages.addTab(area, "&Pitch && questions")

        self.pitch_choice.activated.connect(lambda _i: self._on_pitch_chosen())
        self.pitch_library_button.clicked.connect(self.open_pitch_library)
        self.pitch_reset_button.clicked.connect(self._on_pitch_reset)
        self.pitch_text.textChanged.connect(self._update_pitch_length)
        self.pitch_text.committed.connect(
            lambda text: self._update("Tailor pitch", pitch_text=text)
        )
        self.choose_questions_button.clicked.connect(self.choose_questions)
        self.remove_question_button.clicked.connect(self._on_remove_question)

    def _update_pitch_length(self) -> None:
        self.pitch_length.setText(describe_length(self.pitch_text.toPlainText()))

    def _load_prep(self, detail: EventDetail) -> None:
        self.pitch_choice.clear()
        self.pitch_choice.addItem("No library pitch", None)
        for pitch in self.pitches.list():
            self.pitch_choice.addItem(pitch.title, pitch.id)
        self.pitch_choice.setCurrentIndex(max(0, self.pitch_choice.findData(detail.event.pitch_id)))
        self.pitch_reset_button.setEnabled(detail.event.pitch_id is not None)
        self.pitch_text.set_saved_text(detail.event.pitch_text)
        self._update_pitch_length()
        question_row = self.question_list.currentRow()
        self.question_list.clear()
        closed = 0
        for q in detail.questions:
            item = QListWidgetItem(("⚠ " if q.closed else "") + q.text)
            item.setData(Qt.ItemDataRole.UserRole, q.id)
            if q.closed:
                closed += 1
                item.setToolTip("A yes/no question; an open one keeps the conversation going.")
            self.question_list.addItem(item)
        self.question_list.setCurrentRow(min(question_row, self.question_list.count() - 1))
        if closed:
            self.question_warning.setText(
                f"{closed} of these can be answered with a yes or no. Rephrasing them to start "
                "with “What”, “How” or “Tell me about” tends to get people talking."
            )
        elif not detail.questions:
            self.question_warning.setText("No questions picked yet.")
        else:
            self.question_warning.setText("")

    def _on_pitch_chosen(self) -> None:
        if self.event_id is None or self.detail is None:
            return
        pitch_id = self.pitch_choice.currentData()
        if pitch_id == self.detail.event.pitch_id:
            return
        event_id = self.event_id
        self._plan_edit("Choose pitch", lambda: self.events.choose_pitch(event_id, pitch_id))

    def _on_pitch_reset(self) -> None:
        if self.event_id is None or self.detail is None or self.detail.event.pitch_id is None:
            return
        event_id, pitch_id = self.event_id, self.detail.event.pitch_id
        self._plan_edit("Reset pitch", lambda: self.events.choose_pitch(event_id, pitch_id))

    def open_pitch_library(self) -> None:
        from planner.ui.dialogs.pitch_library_dialog import PitchLibraryDialog

        current = self.detail.event.pitch_id if self.detail else None
        dialog = PitchLibraryDialog(self.pitches, self.context.undo_stack.push, current, self)
        accepted = dialog.exec() == PitchLibraryDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted and dialog.chosen_id is not None and self.event_id is not None:
            event_id, pitch_id = self.event_id, dialog.chosen_id
            self._plan_edit("Choose pitch", lambda: self.events.choose_pitch(event_id, pitch_id))
        else:
            self.reload()

    def choose_questions(self) -> None:
        from planner.ui.dialogs.question_bank_dialog import QuestionBankDialog

        if self.detail is None:
            return
        picked = [q.id for q in self.detail.questions]
        dialog = QuestionBankDialog(self.questions, picked, self.context.undo_stack.push, self)
        accepted = dialog.exec() == QuestionBankDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted:
            self.reload()
            return
        chosen = dialog.picked_ids()
        event_id = self.detail.event.id
        if chosen != picked:
            self._plan_edit("Choose questions", lambda: self.events.set_questions(event_id, chosen))
        else:
            self.reload()

    def _on_remove_question(self) -> None:
        item = self.question_list.currentItem()
        if item is None or self.detail is None:
            return
        qid = int(item.data(Qt.ItemDataRole.UserRole))
        rest = [q.id for q in self.detail.questions if q.id != qid]
        event_id = self.detail.event.id
        self._plan_edit("Remove question", lambda: self.events.set_questions(event_id, rest))

    # --- people to meet and checklist -------------------------------------------------------

    def _build_people(self) -> None:
        area, layout = _page()
        people_box = QGroupBox("People to meet")
        people_layout = QVBoxLayout(people_box)
        self.people = _named(QTableWidget(0, 4), "eventPeopleTable", "People to meet")
        self.people.setHorizontalHeaderLabels(["Name", "Organisation", "Reason", "Met"])
        self._table_defaults(self.people, stretch=2)
        people_layout.addWidget(self.people)
        row = QHBoxLayout()
        self.add_person_button = _button("addPersonButton", "&Add person…", "Add person to meet")
        self.remove_person_button = _button(
            "removePersonButton", "Remo&ve", "Remove the selected person"
        )
        self.person_met_button = _button(
            "personMetButton", "Mark as &met", "Mark the selected person as met"
        )
        for b in (self.add_person_button, self.remove_person_button, self.person_met_button):
            row.addWidget(b)
        row.addStretch(1)
        people_layout.addLayout(row)
        layout.addWidget(people_box, 1)

        check_box = QGroupBox("Preparation checklist")
        check_layout = QVBoxLayout(check_box)
        self.checklist_summary = QLabel()
        self.checklist_summary.setObjectName("checklistSummary")
        check_layout.addWidget(self.checklist_summary)
        self.checklist = _named(QListWidget(), "eventChecklist", "Preparation checklist")
        self.checklist.setMinimumHeight(160)
        self.checklist.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        check_layout.addWidget(self.checklist)
        row = QHBoxLayout()
        self.new_check_item = _named(QLineEdit(), "newChecklistItem", "New checklist item")
        self.new_check_item.setPlaceholderText("Add an item and press Enter")
        self.add_check_button = _button("addChecklistButton", "Add", "Add checklist item")
        self.remove_check_button = _button(
            "removeChecklistButton", "Remove", "Remove the selected checklist item"
        )
        row.addWidget(self.new_check_item, 1)
        row.addWidget(self.add_check_button)
        row.addWidget(self.remove_check_button)
        check_layout.addLayout(row)
        layout.addWidget(check_box, 1)
        self.pages.addTab(area, "Pe&ople && checklist")

        self.add_person_button.clicked.connect(self.add_person)
        self.remove_person_button.clicked.connect(self._on_remove_person)
        self.person_met_button.clicked.connect(self._on_person_met)
        self.people.itemChanged.connect(self._on_person_item_changed)
        self.checklist.itemChanged.connect(self._on_check_item_changed)
        self.new_check_item.returnPressed.connect(self._on_add_check_item)
        self.add_check_button.clicked.connect(self._on_add_check_item)
        self.remove_check_button.clicked.connect(self._on_remove_check_item)

    @staticmethod
    def _table_defaults(table: QTableWidget, stretch: int) -> None:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.setAlternatingRowColors(True)
        table.setMinimumHeight(140)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )

    @staticmethod
    def _cell(text: str, row_id: int | None = None, editable: bool = False) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        if row_id is not None:
            item.setData(Qt.ItemDataRole.UserRole, row_id)
        flags = item.flags()
        if editable:
            item.setFlags(flags | Qt.ItemFlag.ItemIsEditable)
        else:
            item.setFlags(flags & ~Qt.ItemFlag.ItemIsEditable)
        return item

    def _load_people(self, detail: EventDetail) -> None:
        self.people.blockSignals(True)
        self.people.setRowCount(len(detail.people))
        for r, p in enumerate(detail.people):
            self.people.setItem(r, 0, self._cell(p.contact_name, p.id))
            self.people.setItem(r, 1, self._cell(p.organisation))
            self.people.setItem(r, 2, self._cell(p.reason, p.id, editable=True))
            self.people.setItem(r, 3, self._cell("✓ Met" if p.met else ""))
        self.people.blockSignals(False)
        self.checklist.blockSignals(True)
        check_row = self.checklist.currentRow()
        self.checklist.clear()
        for c in detail.checklist:
            item = QListWidgetItem(c.text)
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            item.setFlags(
                item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable
            )
            item.setCheckState(Qt.CheckState.Checked if c.done else Qt.CheckState.Unchecked)
            self.checklist.addItem(item)
        self.checklist.setCurrentRow(min(check_row, self.checklist.count() - 1))
        self.checklist.blockSignals(False)
        done = sum(1 for c in detail.checklist if c.done)
        self.checklist_summary.setText(
            f"{done} of {len(detail.checklist)} done — tick items off, double-click to edit"
            if detail.checklist
            else "Nothing on the checklist."
        )

    def _selected_id(self, table: QTableWidget) -> int | None:
        row = table.currentRow()
        item = table.item(row, 0) if row >= 0 else None
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def add_person(self) -> None:
        from planner.ui.dialogs.event_contact_dialog import EventContactDialog

        if self.event_id is None:
            return
        dialog = EventContactDialog(
            self.context.db,
            title="Someone to meet",
            text_label="Reason",
            placeholder="Why you want to meet them",
            parent=self,
        )
        accepted = dialog.exec() == EventContactDialog.DialogCode.Accepted
        dialog.deleteLater()
        pick = dialog.pick() if accepted else None
        if pick is None:
            return
        event_id = self.event_id
        self._plan_edit(
            "Add person to meet",
            lambda: self.events.add_person(event_id, pick.contact_id, pick.text),
        )

    def _on_remove_person(self) -> None:
        person_id = self._selected_id(self.people)
        if person_id is not None:
            self._plan_edit("Remove person to meet", lambda: self.events.remove_person(person_id))

    def _on_person_met(self) -> None:
        person_id = self._selected_id(self.people)
        if person_id is None or self.detail is None:
            return
        person = next(p for p in self.detail.people if p.id == person_id)
        if person.met:
            self.show_message(f"{person.contact_name} is already marked as met.")
            return
        self.mark_met(contact_id=person.contact_id)

    def _on_person_item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() != 2:
            return
        person_id = int(item.data(Qt.ItemDataRole.UserRole))
        text = item.text()
        self._plan_edit("Edit reason", lambda: self.events.update_person(person_id, text))

    def _on_check_item_changed(self, item: QListWidgetItem) -> None:
        if self._loading or self.detail is None:
            return
        item_id = int(item.data(Qt.ItemDataRole.UserRole))
        saved = next((c for c in self.detail.checklist if c.id == item_id), None)
        if saved is None:
            return
        done = item.checkState() == Qt.CheckState.Checked
        text = item.text()
        if done != saved.done:
            label = "Tick" if done else "Untick"
            self._plan_edit(
                f"{label} “{saved.text}”",
                lambda: self.events.update_checklist_item(item_id, done=done),
            )
        elif text != saved.text:
            self._plan_edit(
                "Edit checklist item",
                lambda: self.events.update_checklist_item(item_id, text=text),
            )

    def _on_add_check_item(self) -> None:
        if self.event_id is None:
            return
        text = self.new_check_item.text()
        event_id = self.event_id
        if self._plan_edit(
            "Add checklist item", lambda: self.events.add_checklist_item(event_id, text)
        ):
            self.new_check_item.clear()

    def _on_remove_check_item(self) -> None:
        item = self.checklist.currentItem()
        if item is None:
            return
        item_id = int(item.data(Qt.ItemDataRole.UserRole))
        self._plan_edit("Remove checklist item", lambda: self.events.remove_checklist_item(item_id))

    # --- met and follow-ups -------------------------------------------------------------------

    def _build_met(self) -> None:
        area, layout = _page()
        add_box = QGroupBox("Who did you meet?")
        add_layout = QGridLayout(add_box)
        self.quick_add = _named(QLineEdit(), "quickAddField", "Quick-add a new contact")
        self.quick_add.setPlaceholderText("e.g. Ana Ruiz, Globex, Head of Data")
        self.quick_add.setToolTip(
            "One line: name, organisation, role (commas between). Creates the contact and "
            "logs that you met them at this event."
        )
        self.met_note = _named(QLineEdit(), "metNoteField", "Note about this person")
        self.met_note.setPlaceholderText("A note: what you talked about, what you promised")
        self.quick_add_button = _button("quickAddButton", "&Add new", "Add the new contact as met")
        self.existing_button = _button(
            "metExistingButton", "Add an &existing contact…", "Mark an existing contact as met"
        )
        # The preview line always keeps its height (empty or not) so that Note never moves
        # under the pointer while the name is typed; long previews end in "…".
        self.quick_preview = ElidedLabel()
        self.quick_preview.setObjectName("quickAddPreview")
        self.quick_preview.setEnabled(False)
        self.met_industry = _named(QLineEdit(), "metIndustryField", "Industry of the new person")
        self.met_industry.setPlaceholderText("e.g. Fintech")
        self.met_relationship = _named(
            QComboBox(), "metRelationshipField", "Relationship with the new person"
        )
        for key, label in RELATIONSHIPS.items():
            self.met_relationship.addItem(label, key)
        self.met_relationship.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.met_relationship.setMinimumContentsLength(10)
        # Reading order, which is also the tab order: name, note, industry, relationship,
        # then the buttons.
        rows = (
            ("&New person:", self.quick_add),
            ("N&ote:", self.met_note),
        )
        for r, (text, field) in enumerate(rows):
            label = QLabel(text)
            label.setBuddy(field)
            add_layout.addWidget(label, 2 * r, 0)
            add_layout.addWidget(field, 2 * r, 1, 1, 4)
        add_layout.addWidget(self.quick_preview, 1, 1, 1, 4)
        industry_label = QLabel("In&dustry:")
        industry_label.setBuddy(self.met_industry)
        relationship_label = QLabel("Relations&hip:")
        relationship_label.setBuddy(self.met_relationship)
        add_layout.addWidget(industry_label, 3, 0)
        add_layout.addWidget(self.met_industry, 3, 1)
        add_layout.addWidget(relationship_label, 3, 2)
        add_layout.addWidget(self.met_relationship, 3, 3)
        add_layout.addWidget(self.quick_add_button, 3, 4)
        existing_row = QHBoxLayout()
        existing_row.addWidget(self.existing_button)
        existing_row.addStretch(1)
        add_layout.addLayout(existing_row, 4, 0, 1, 5)
        add_layout.setColumnStretch(1, 1)
        chain = (
            self.quick_add,
            self.met_note,
            self.met_industry,
            self.met_relationship,
            self.quick_add_button,
            self.existing_button,
        )
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        layout.addWidget(add_box)

        met_box = QGroupBox("Met at this event")
        met_layout = QVBoxLayout(met_box)
        self.goal_line = QLabel()
        self.goal_line.setObjectName("metGoalLine")
        self.goal_line.setWordWrap(True)
        met_layout.addWidget(self.goal_line)
        # What the event returned (people met vs goal, follow-ups sent and answered within
        # two weeks, cost per new contact), once it has happened.
        self.results_line = QLabel()
        self.results_line.setObjectName("eventResultsLine")
        self.results_line.setAccessibleName("Event results")
        self.results_line.setWordWrap(True)
        met_layout.addWidget(self.results_line)
        self.attendees = _named(QTableWidget(0, 6), "eventAttendeesTable", "People met")
        self.attendees.setHorizontalHeaderLabels(
            ["Name", "Organisation", "Role", "New", "Note", "Follow-up"]
        )
        self._table_defaults(self.attendees, stretch=4)
        # Long names and organisations must not push Note and Follow-up out of sight.
        for col in (0, 1, 2):
            self.attendees.horizontalHeader().setSectionResizeMode(
                col, QHeaderView.ResizeMode.Interactive
            )
        met_layout.addWidget(self.attendees)
        row = QHBoxLayout()
        self.unmark_button = _button(
            "unmarkMetButton", "&Remove from met", "Remove the selected person from met"
        )
        self.open_contact_button = _button(
            "openMetContactButton", "Open &contact", "Open the selected contact"
        )
        self.followups_button = _button(
            "createFollowupsButton", "Create &follow-ups", "Create follow-ups for everyone met"
        )
        self.followups_hint = QLabel()
        self.followups_hint.setObjectName("followupsHint")
        row.addWidget(self.unmark_button)
        row.addWidget(self.open_contact_button)
        row.addStretch(1)
        row.addWidget(self.followups_hint)
        row.addWidget(self.followups_button)
        met_layout.addLayout(row)
        layout.addWidget(met_box, 2)

        take_box = QGroupBox("Takeaways")
        take_layout = QVBoxLayout(take_box)
        self.takeaways = _named(CommitTextEdit(), "eventTakeaways", "Takeaways")
        self.takeaways.setPlaceholderText("What you learnt, ideas to try, what to do differently")
        self.takeaways.setMinimumHeight(80)
        take_layout.addWidget(self.takeaways)
        layout.addWidget(take_box, 1)
        self.pages.addTab(area, "&Met && follow-ups")

        self.quick_add.textChanged.connect(self._on_quick_add_text)
        self.quick_add.returnPressed.connect(self._on_quick_add)
        self.met_note.returnPressed.connect(self._on_quick_add)
        self.met_industry.returnPressed.connect(self._on_quick_add)
        self.quick_add_button.clicked.connect(self._on_quick_add)
        self.existing_button.clicked.connect(self.add_existing_met)
        self.unmark_button.clicked.connect(self._on_unmark)
        self.open_contact_button.clicked.connect(self._on_open_contact)
        self.attendees.itemDoubleClicked.connect(
            lambda item: self._on_open_contact() if item.column() != 4 else None
        )
        self.attendees.itemChanged.connect(self._on_attendee_item_changed)
        self.followups_button.clicked.connect(self.create_followups)
        self.takeaways.committed.connect(
            lambda text: self._update("Edit takeaways", takeaways=text)
        )

    def _load_met(self, detail: EventDetail) -> None:
        self.attendees.blockSignals(True)
        self.attendees.setRowCount(len(detail.attendees))
        for r, a in enumerate(detail.attendees):
            self.attendees.setItem(r, 0, self._cell(a.contact_name, a.id))
            self.attendees.setItem(r, 1, self._cell(a.organisation))
            self.attendees.setItem(r, 2, self._cell(a.role))
            self.attendees.setItem(r, 3, self._cell("New" if a.is_new else ""))
            self.attendees.setItem(r, 4, self._cell(a.note, a.id, editable=True))
            self.attendees.setItem(r, 5, self._cell("✓" if a.has_followup else ""))
        self.attendees.blockSignals(False)
        widest = self.attendees.fontMetrics().horizontalAdvance("M") * 16
        for col in (0, 1, 2):
            self.attendees.resizeColumnToContents(col)
            self.attendees.setColumnWidth(col, min(self.attendees.columnWidth(col), widest))
        days = self.context.settings.preferences.followup_days_after_event
        self.followups_hint.setText(f"Due {days} day{'s' if days != 1 else ''} after the event")
        self.followups_button.setEnabled(bool(detail.attendees))
        self.takeaways.set_saved_text(detail.event.takeaways)
        if not self.quick_add.text() and not self.met_note.text():
            self._reset_quick_add_defaults(detail)  # the goals may have changed
        self.results_line.setText(self._results_text(detail))
        self.results_line.setVisible(bool(self.results_line.text()))
        goals = [f"{g.label}: {g.progress}/{g.target}" for g in detail.goals]
        self.goal_line.setText("Goals — " + "; ".join(goals) if goals else "")
        self.goal_line.setVisible(bool(goals))

    def _results_text(self, detail: EventDetail) -> str:
        event = detail.event
        if event.starts_local is None or days_until(event) > 0:
            return ""
        result = event_result(self.context.db, event.id)
        if result is None:
            return ""
        met = f"Met {result.met} ({result.new} new)"
        if result.goal:
            met += f" against a goal of {result.goal}"
        window = RESULT_WINDOW_DAYS
        parts = [
            met,
            f"follow-ups sent within {window} days: {result.sent} of {result.followups}",
            f"answered within {window} days: {result.answered} of {result.met}",
        ]
        per_new = result.cost_per_new_cents
        if per_new is not None and result.cost_cents:
            parts.append(f"{format_cost(per_new, result.currency)} per new contact")
        return "Results — " + " · ".join(parts)

    def _on_quick_add_text(self, text: str) -> None:
        fields = parse_quick_add(text)
        if not text.strip():
            self.quick_preview.setText("")
            return
        parts = [f"Name: {fields.name or '(missing)'}"]
        if fields.organisation:
            parts.append(f"Organisation: {fields.organisation}")
        if fields.role:
            parts.append(f"Role: {fields.role}")
        if fields.email:
            parts.append(f"E-mail: {fields.email}")
        if fields.industry:
            parts.append(f"Industry: {fields.industry}")
        if fields.relationship:
            parts.append(f"Relationship: {RELATIONSHIPS[fields.relationship]}")
        self.quick_preview.setText(" · ".join(parts))

    def _reset_quick_add_defaults(self, detail: EventDetail) -> None:
        """Industry and relationship start from the event's "meet new people" goal."""
        industry, relationship = quick_add_defaults(detail.goals)
        self.met_industry.setText(industry)
        self.met_relationship.setCurrentIndex(
            max(0, self.met_relationship.findData(relationship or "other"))
        )

    def _on_quick_add(self) -> None:
        if not self.quick_add.text().strip():
            self.quick_add.setFocus()
            return
        if self.mark_met(
            quick_add=self.quick_add.text(),
            note=self.met_note.text(),
            industry=self.met_industry.text(),
            relationship=str(self.met_relationship.currentData() or ""),
        ):
            self.quick_add.clear()
            self.met_note.clear()
            if self.detail is not None:
                self._reset_quick_add_defaults(self.detail)
            self.quick_add.setFocus()

    def add_existing_met(self) -> None:
        from planner.ui.dialogs.event_contact_dialog import EventContactDialog

        if self.event_id is None:
            return
        dialog = EventContactDialog(
            self.context.db,
            title="Who did you meet?",
            text_label="Note",
            placeholder="What you talked about",
            parent=self,
        )
        accepted = dialog.exec() == EventContactDialog.DialogCode.Accepted
        dialog.deleteLater()
        pick = dialog.pick() if accepted else None
        if pick is not None:
            self.mark_met(contact_id=pick.contact_id, note=pick.text)

    def mark_met(
        self,
        *,
        contact_id: int | None = None,
        quick_add: str = "",
        note: str = "",
        industry: str = "",
        relationship: str = "",
    ) -> bool:
        """One undo step: the attendee, the "met" touchpoint and any quick-added contact."""
        if self.event_id is None:
            return False
        try:
            result = self.events.mark_met(
                self.event_id,
                contact_id=contact_id,
                quick_add=quick_add,
                note=note,
                industry=industry,
                relationship=relationship,
            )
        except ValidationError as exc:
            self.show_message(exc.message, error=True)
            return False
        holder: dict[str, Any] = {}

        def undo() -> None:
            holder["rows"] = self.events.unmark_met(
                result.attendee_id, delete_contact=result.contact_created
            )

        name = self._contact_name(result.contact_id)
        text = f"Marked {name} as met" + (" (new contact added)" if result.contact_created else "")
        ahead = days_until(self.detail.event) if self.detail is not None else 0
        if ahead:
            text += f"; the event is {_days(ahead)} away, so the meeting is logged today"
        self.show_message(text + ".", error=bool(ahead))
        self.context.undo_stack.push(
            AppliedCommand(
                f"Mark {name} as met",
                lambda: self.events.restore(holder["rows"]),
                undo,
                after=self._emitter("contacts", "touchpoints"),
            )
        )
        return True

    def _contact_name(self, contact_id: int) -> str:
        for a in self.events.detail(self.event_id or 0).attendees:
            if a.contact_id == contact_id:
                return a.contact_name
        return "contact"

    def _selected_attendee(self) -> AttendeeRecord | None:
        attendee_id = self._selected_id(self.attendees)
        if attendee_id is None or self.detail is None:
            return None
        return next((a for a in self.detail.attendees if a.id == attendee_id), None)

    def _on_unmark(self) -> None:
        attendee = self._selected_attendee()
        if attendee is None:
            return
        holder: dict[str, Any] = {"rows": self.events.unmark_met(attendee.id)}
        self.context.undo_stack.push(
            AppliedCommand(
                f"Remove {attendee.contact_name} from met",
                lambda: holder.update(rows=self.events.unmark_met(attendee.id)),
                lambda: self.events.restore(holder["rows"]),
                after=self._emitter("contacts", "touchpoints"),
            )
        )

    def _on_open_contact(self) -> None:
        attendee = self._selected_attendee()
        if attendee is not None:
            self.context.bus.open_requested.emit("contact", attendee.contact_id)

    def _on_attendee_item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() != 4:
            return
        attendee_id = int(item.data(Qt.ItemDataRole.UserRole))
        before = self.events.attendee_note(attendee_id)
        after = item.text().strip()
        if before == after:
            return
        self.events.update_attendee_note(attendee_id, after)
        self.context.undo_stack.push(
            AppliedCommand(
                "Edit note",
                lambda: self.events.update_attendee_note(attendee_id, after),
                lambda: self.events.update_attendee_note(attendee_id, before),
                after=self._emitter("touchpoints"),
            )
        )

    def create_followups(self) -> None:
        """One follow-up per person met; running it again adds only people not yet covered."""
        if self.event_id is None:
            return
        days = self.context.settings.preferences.followup_days_after_event
        try:
            made = self.events.create_followups(self.event_id, days)
        except ValidationError as exc:
            self.show_message(exc.message, error=True)
            return
        if not made:
            self.show_message("Everyone met here already has a follow-up from this event.")
            return
        holder: dict[str, Any] = {"ids": [f.id for f in made]}

        def undo() -> None:
            holder["rows"] = self.events.remove_followups(holder["ids"])

        day = made[0].due_date
        due = short_date(day)
        count = len(made)
        self.show_message(f"Created {count} follow-up{'s' if count != 1 else ''}, due {due}.")
        self.context.undo_stack.push(
            AppliedCommand(
                f"Create {count} follow-up{'s' if count != 1 else ''}",
                lambda: self.events.restore(holder["rows"]),
                undo,
                after=self._emitter("follow_ups"),
            )
        )
