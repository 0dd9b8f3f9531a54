"""The event editor's widgets and layout: the header, the Details, Goals and Pitch pages (the
people pages are in event_met_view). Behaviour lives in event_editor (the controller)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QSpinBox,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.core.events import GoalRecord, time_zone_names
from planner.core.vocab import EVENT_STATUSES, EVENT_TYPES, GOAL_KINDS
from planner.ui.widgets.checked_date_edit import CheckedDateTimeEdit
from planner.ui.widgets.contact_fields import error_label
from planner.ui.widgets.elided_label import ElidedLabel
from planner.ui.widgets.event_common import CURRENCIES, CommitTextEdit
from planner.ui.widgets.event_common import button as _button
from planner.ui.widgets.event_common import named as _named
from planner.ui.widgets.event_common import page as _page
from planner.ui.widgets.event_met_view import EventMetView
from planner.ui.widgets.range_row import RangeRow


class GoalRow(QFrame):
    """One goal: what it is, a progress bar, and (for goals we cannot count) a progress box."""

    def __init__(
        self,
        goal: GoalRecord,
        on_progress: Callable[[int, int], None],
        on_edit: Callable[[GoalRecord], None],
        on_remove: Callable[[GoalRecord], None],
    ) -> None:
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
            self.spin.valueChanged.connect(lambda v: on_progress(goal.id, v))
            grid.addWidget(self.spin, 2, 1)
        buttons = QHBoxLayout()
        edit = _button("editGoalButton", "Edit…", f"Edit goal {goal.label}")
        remove = _button("removeGoalButton", "Remove", f"Remove goal {goal.label}")
        edit.clicked.connect(lambda: on_edit(goal))
        remove.clicked.connect(lambda: on_remove(goal))
        buttons.addWidget(edit)
        buttons.addWidget(remove)
        grid.addLayout(buttons, 2, 2)
        grid.setColumnStretch(0, 1)


class EventEditorView(EventMetView, QWidget):
    """All the editor's widgets; the empty state and the plan are two pages of `stack`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eventEditor")

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

    def page_steps(self) -> list[Callable[[], object]]:
        """What builds the pages, in slices of about 10 ms (see EventEditor's `later`)."""
        return [
            self._build_details,
            self._fill_time_zones,
            self._build_goals,
            self._build_prep,
            self._build_people,
            self._build_met,
        ]

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)
        self.message.setStyleSheet("font-weight: bold;" if error else "")

    # --- details, goals, pitch and questions --------------------------------------------------

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
        # Checked: an impossible typed date is named under the row, never saved.
        self.starts = _named(CheckedDateTimeEdit(), "eventStarts", "Starts")
        self.ends = _named(CheckedDateTimeEdit(), "eventEnds", "Ends")
        # The switches on a row of their own, and the dates fold onto two lines when narrow:
        # in one row they made the page scroll sideways at 200 %.
        switches = QHBoxLayout()
        switches.addWidget(self.has_dates)
        switches.addWidget(self.all_day)
        switches.addStretch(1)
        self.dates = RangeRow(self.starts, self.ends)
        self.time_zone = _named(QComboBox(), "eventTimeZone", "Time zone")
        self.time_zone.setEditable(True)
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
        when = QVBoxLayout()
        when.setSpacing(2)
        when.addLayout(switches)
        when.addWidget(self.dates)
        self.dates_problem = error_label("eventDatesProblem")
        when.addWidget(self.dates_problem)
        form.addRow(when_label, when)
        form.addRow("Time &zone:", self.time_zone)
        form.addRow("Ven&ue:", self.venue)
        form.addRow("&Link:", self.url)
        cost_label = QLabel("Cost:")
        cost_label.setBuddy(self.cost)
        form.addRow(cost_label, cost_row)
        form.addRow("Descr&iption:", self.description)
        layout.addLayout(form)
        layout.addStretch(1)
        self.pages.addTab(area, "&Details")

    def _fill_time_zones(self) -> None:
        """The zone names (about 600; finding them reads the zone files, ~20 ms)."""
        self.time_zone.addItems(sorted(time_zone_names()))

    def _build_goals(self) -> None:
        area, layout = _page()
        top = QHBoxLayout()
        self.goal_summary = QLabel()
        self.goal_summary.setObjectName("goalSummary")
        self.add_goal_button = _button("addGoalButton", "Add goa&l…", "Add goal")
        top.addWidget(self.goal_summary, 1)
        top.addWidget(self.add_goal_button)
        layout.addLayout(top)
        self.goal_rows = QVBoxLayout()
        layout.addLayout(self.goal_rows)
        layout.addStretch(1)
        self.pages.addTab(area, "&Goals")

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
            "pitchResetButton", "Reset to library te&xt", "Reset the pitch to the library text"
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
            "removeQuestionButton", "Remove", "Remove the selected question from this event"
        )
        q_row.addWidget(self.choose_questions_button)
        q_row.addWidget(self.remove_question_button)
        q_row.addStretch(1)
        q_layout.addLayout(q_row)
        layout.addWidget(q_box, 1)
        self.pages.addTab(area, "&Pitch && questions")
