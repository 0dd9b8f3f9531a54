"""The Events tab: the list of event plans on the left, the plan being edited on the right.

Built in slices (the editor's pages one per turn of the event loop) and read on its first
show on a worker, so opening it at 100,000 contacts never freezes the window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSignalBlocker,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.core.changes import Changes
from planner.core.errors import NotFoundError
from planner.core.events import EventDetail, EventListRow, EventService
from planner.core.pitches import PitchService
from planner.core.questions import QuestionService
from planner.core.vocab import EVENT_STATUSES, EVENT_TYPES
from planner.ui.commands import execute
from planner.ui.commands.events import CreateEvent, DeleteEvent
from planner.ui.context import TabContext
from planner.ui.tabs.base import ChangeFollower, FirstRead, ShowsWhole, SlicedBuild, lay_out_now
from planner.ui.widgets.column_fit import fit_columns
from planner.ui.widgets.event_editor import EventEditor, local_zone_name
from planner.ui.widgets.event_list import EventTableModel
from planner.ui.widgets.row_list import select_rows


class EventsTab(ShowsWhole, QWidget):
    # After the first read, whether it worked or not (the main window waits for it).
    load_finished = Signal()

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.events = EventService(context.db, context.settings.preferences.default_cadence)
        self.pitches = PitchService(context.db)
        self.questions = QuestionService(context.db)
        later: list[Callable[[], object]] = []
        self._build(later)
        self._connect()
        self.first_read = FirstRead(self, "the events", lambda: self.load_finished.emit())
        self.follower = ChangeFollower(
            self, context.bus, self._on_changes, first_load=self._read_in_background
        )
        self.builder = SlicedBuild(self, later)  # after the follower (see SlicedBuild)

    # --- the first read -------------------------------------------------------------------

    def data_pending(self) -> bool:
        """True until the first read has been shown (load_finished follows)."""
        return not self.first_read.loaded

    def _filters(self) -> tuple[str, str, str]:
        return (
            self.search.text(),
            str(self.status_filter.currentData() or ""),
            str(self.type_filter.currentData() or ""),
        )

    def _read_in_background(self) -> None:
        """The list and the first plan's detail, read on a worker; a user action meanwhile
        reads at once and this answer is dropped."""
        if self.first_read.loaded:  # a user action has read already
            self._on_changes(Changes.all())
            return
        events, filters = self.events, self._filters()

        def fetch() -> tuple[list[EventListRow], EventDetail | None]:
            rows = events.list(*filters)
            try:
                return rows, events.detail(rows[0].id) if rows else None
            except NotFoundError:
                return rows, None

        def show(result: tuple[list[EventListRow], EventDetail | None]) -> None:
            rows, detail = result
            self._show_rows(rows)
            if detail is not None and self.model.row_of(detail.event.id) >= 0:
                with QSignalBlocker(self.view.selectionModel()):
                    self._select_row(self.model.row_of(detail.event.id))
                self.editor.show_detail(detail)
                self.delete_button.setEnabled(True)
            lay_out_now(self.view)

        def fail(exc: BaseException) -> None:
            self._status(f"The events could not be read: {exc}")

        self.first_read.start(fetch, show, fail)

    def _build(self, later: list[Callable[[], object]]) -> None:
        layout = QVBoxLayout(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("eventsSplitter")
        layout.addWidget(self.splitter)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setObjectName("eventSearch")
        self.search.setAccessibleName("Search events")
        self.search.setPlaceholderText("Search name, place, notes… (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        left_layout.addWidget(self.search)
        filters = QHBoxLayout()
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("eventStatusFilter")
        self.status_filter.setAccessibleName("Filter by status")
        self.status_filter.addItem("Any status", "")
        for key, label in EVENT_STATUSES.items():
            self.status_filter.addItem(label, key)
        self.type_filter = QComboBox()
        self.type_filter.setObjectName("eventTypeFilter")
        self.type_filter.setAccessibleName("Filter by type")
        self.type_filter.addItem("Any type", "")
        for key, label in EVENT_TYPES.items():
            self.type_filter.addItem(label, key)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.type_filter, 1)
        left_layout.addLayout(filters)

        self.model = EventTableModel(self)
        self.view = QTableView()
        self.view.setObjectName("eventTable")
        self.view.setAccessibleName("Event plans")
        self.view.setModel(self.model)
        select_rows(self.view)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        # The other columns are fitted to the first rows when rows arrive (_fit_columns).
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(EventTableModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        # In a narrow list (a small window, QT_SCALE_FACTOR=2) the name must not shrink to
        # "…": the type column (also in the editor's header) steps aside first.
        self.view.installEventFilter(self)
        left_layout.addWidget(self.view, 1)
        self.count_label = QLabel("Loading…")  # until the first read (on a worker) is in
        self.count_label.setObjectName("eventCount")
        buttons = QHBoxLayout()
        self.new_button = QPushButton("New event")
        self.new_button.setObjectName("newEventButton")
        self.new_button.setAccessibleName("New event")
        self.new_button.setToolTip("Plan a new event (Ctrl+N)")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName("deleteEventButton")
        self.delete_button.setAccessibleName("Delete the selected event")
        self.delete_button.setToolTip("Delete the selected event (Del); Ctrl+Z brings it back")
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        left_layout.addLayout(buttons)
        self.splitter.addWidget(left)

        # Its pages are built later, one slice each (SlicedBuild).
        self.editor = EventEditor(
            self.context, self.events, self.pitches, self.questions, later=later
        )
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([500, 700])

    def _connect(self) -> None:
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.status_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.type_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_changed)
        self.view.activated.connect(self._on_view_activated)
        self.new_button.clicked.connect(self.new_item)
        self.delete_button.clicked.connect(self.delete_selected)

    # --- list ----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.first_read.read_here()
        current = self.editor.event_id
        self._show_rows(self.events.list(*self._filters()))
        if current is not None and self.model.row_of(current) >= 0:
            self._select_row(self.model.row_of(current))
        self.delete_button.setEnabled(self.editor.event_id is not None)

    def _show_rows(self, rows: list[EventListRow]) -> None:
        self.model.set_rows(rows)
        total = len(rows)
        self.count_label.setText(f"{total} event{'s' if total != 1 else ''}")
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Fit When, Type, Status and Met to their header and the first rows' texts
        (ResizeToContents asked data() about 9,000 times per layout at 100,000 contacts)."""
        columns = range(EventTableModel.COL_WHEN, EventTableModel.COL_MET + 1)
        fit_columns(self.view, columns, self.model.texts)
        self._fit_name_column()

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        if self.view.currentIndex().row() != row:
            self.view.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self.view.scrollTo(index)

    def select_event(self, event_id: int) -> None:
        row = self.model.row_of(event_id)
        if row < 0:
            # Filtered out: clear the filters so the user sees what they asked for.
            self.search.clear()
            self.status_filter.setCurrentIndex(0)
            self.type_filter.setCurrentIndex(0)
            self.refresh()
            row = self.model.row_of(event_id)
        if row >= 0:
            self._select_row(row)
        if self.editor.event_id != event_id:  # selecting its row has shown it already
            self.editor.show_event(event_id)
        self.delete_button.setEnabled(True)

    def _on_view_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row())
        event_id = row.id if row is not None else None
        if event_id != self.editor.event_id:
            self.editor.show_event(event_id)
        self.delete_button.setEnabled(event_id is not None)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("settings"):
            self.events.default_cadence = self.context.settings.preferences.default_cadence
        if changes.touches("events"):
            self._on_bus_events_changed()
        elif changes.touches("contacts", "follow_ups", "touchpoints", "settings"):
            self.editor.reload()

    def _on_view_activated(self, _index: QModelIndex) -> None:
        """Enter on an event opens it for editing."""
        self.editor.pages.setCurrentIndex(0)
        self.editor.name.setFocus()

    def _on_bus_events_changed(self) -> None:
        self.refresh()
        self.editor.reload()
        if self.editor.event_id is None and self.model.rowCount():
            self._on_view_current_changed(self.view.currentIndex(), QModelIndex())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Resize:
            # After the view has laid out its viewport for the new size.
            QTimer.singleShot(0, self, self._fit_name_column)
        return super().eventFilter(watched, event)

    def _fit_name_column(self) -> None:
        """Hide the Type column while it would leave the event name under ~14 characters."""
        fm = self.view.fontMetrics()
        header = self.view.horizontalHeader()
        others = sum(
            header.sectionSize(c)
            for c in (EventTableModel.COL_WHEN, EventTableModel.COL_STATUS, EventTableModel.COL_MET)
        )
        type_width = max(
            header.sectionSizeHint(EventTableModel.COL_TYPE),
            fm.horizontalAdvance("Networking event") + 12,
        )
        room = self.view.viewport().width() - others - type_width
        self.view.setColumnHidden(EventTableModel.COL_TYPE, room < fm.horizontalAdvance("M" * 14))

    def show_item(self, kind: str, item_id: int) -> None:
        """The main window switched here for bus.open_requested("event", id)."""
        if kind == "event":
            self.select_event(item_id)

    def _status(self, text: str) -> None:
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 6000)

    # --- actions the main window calls ------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def new_item(self) -> None:
        """A new plan a week from now, in the local time zone, with the starter checklist."""
        start = datetime.combine(datetime.now().date() + timedelta(days=7), datetime.min.time())
        start = start.replace(hour=9)
        command = CreateEvent(
            self.context.bus,
            self.events,
            "New event",
            starts_local=start,
            ends_local=start + timedelta(hours=8),
            time_zone=local_zone_name(),
        )
        execute(self.context.undo_stack, command)
        record = command.record
        assert record is not None
        self.select_event(record.id)
        self.editor.pages.setCurrentIndex(0)
        self.editor.name.setFocus()
        self.editor.name.selectAll()

    def delete_selected(self) -> None:
        """Del: in the editor it removes the focused item; elsewhere it deletes the event."""
        focus = QApplication.focusWidget()
        if focus is not None and self.editor.isAncestorOf(focus):
            self.editor.delete_focused()
            return
        event_id = self.editor.event_id
        if event_id is None:
            return
        row = self.model.row_of(event_id)
        try:
            event = self.events.get(event_id)
            self.editor.show_event(None)
            execute(self.context.undo_stack, DeleteEvent(self.context.bus, self.events, event))
        except NotFoundError as exc:
            self._status(str(exc))
            self.refresh()
            return
        # Keep the keyboard user in the list, on the next event.
        if self.model.rowCount():
            nxt = self.model.row_at(min(max(row, 0), self.model.rowCount() - 1))
            if nxt is not None:
                self.select_event(nxt.id)
        self._status(f"Deleted “{event.name}”. Undo (Ctrl+Z) brings it back.")
