"""The Organisations tab: associations, communities and groups the user belongs to or is
considering, with their members, hosted events, touchpoints and reminders."""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QSignalBlocker,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    QUrl,
)
from PySide6.QtGui import QDesktopServices, QFocusEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.core.changes import Changes, Kind
from planner.core.errors import NotFoundError, ValidationError
from planner.core.organisations import (
    KINDS,
    MEMBERSHIP_STATUSES,
    MINE,
    MY_ROLES,
    RENEWAL_LEAD_DAYS,
    ContactOrganisationState,
    FreeTextLinks,
    MemberRecord,
    OrganisationRecord,
    OrganisationService,
    OrganisationSnapshot,
)
from planner.ui.context import TabContext
from planner.ui.dialogs import picker_dialog
from planner.ui.models.organisation_models import (
    HostedEventTableModel,
    IdRole,
    MemberTableModel,
    OrganisationTableModel,
    OrganisationTouchTableModel,
    RecordTableModel,
    ReminderTableModel,
    SortRole,
)
from planner.ui.screen_fit import let_shrink
from planner.ui.tabs.base import ChangeFollower
from planner.ui.undo import CallbackCommand
from planner.ui.widgets.optional_date_edit import OptionalDateEdit

log = logging.getLogger(__name__)

ANY = "__any__"
# Key in Preferences.ui_state for the splitter and filters (saved with the window state).
STATE_KEY = "organisations_tab"
FIELD_LABELS = {
    "name": "name",
    "kind": "kind",
    "website": "website",
    "my_role": "role",
    "membership_status": "membership status",
    "joined_on": "joined date",
    "renewal_on": "renewal date",
    "renewal_fee_cents": "renewal fee",
    "currency": "currency",
    "activity_goal": "activity goal",
    "activity_every_days": "activity interval",
    "notes": "notes",
}


class NotesEdit(QPlainTextEdit):
    """Plain text that saves when the user leaves it."""

    def __init__(self, on_leave: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_leave = on_leave
        self.setTabChangesFocus(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._on_leave()


def parse_fee(text: str) -> int | None:
    """ "120", "120.5" or "120,50" -> cents; empty -> None."""
    text = text.strip().replace(" ", "")
    if not text:
        return None
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation as exc:
        raise ValidationError(
            "renewal_fee_cents", "Enter the fee as a number, e.g. 120.00."
        ) from exc
    if value < 0:
        raise ValidationError("renewal_fee_cents", "The fee must be zero or more.")
    return int((value * 100).quantize(Decimal(1)))


def _table(name: str, accessible: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setSortingEnabled(True)
    # Unsorted until a header is clicked: the service's order (own organisations first,
    # newest touchpoints first) is the useful default.
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    # Fit columns to the first rows only: measuring every member of a big organisation took
    # about a second at 100,000 contacts.
    view.horizontalHeader().setResizeContentsPrecision(100)
    view.setWordWrap(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    return view


def _button(name: str, text: str, accessible: str, tip: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAccessibleName(accessible)
    if tip:
        button.setToolTip(tip)
    return button


def _proxy(model: RecordTableModel[Any], parent: QWidget) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SortRole)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy


# The old signal names used by the actions below, as kinds of Changes.
_KIND: dict[str, Kind] = {
    "organisations": "organisations",
    "contacts": "contacts",
    "followups": "follow_ups",
    "events": "events",
    "touchpoints": "touchpoints",
}


class OrganisationsTab(QWidget):
    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.service = OrganisationService(context.db)
        self._current: OrganisationRecord | None = None
        self._dirty = True
        self._build()
        self._restore_state()
        bus = context.bus
        # Activity elsewhere moves nudges inside the services; this tab only re-reads.
        self.follower = ChangeFollower(
            self,
            bus,
            lambda _changes: self.reload(),
            ("organisations", "contacts", "events", "touchpoints", "follow_ups"),
        )
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(120)
        self._search_timer.timeout.connect(self.reload)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.reload()

    # --- building -----------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("organisationSearch")
        self.search_edit.setAccessibleName("Search organisations")
        self.search_edit.setPlaceholderText("Search organisations (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        bar.addWidget(self.search_edit, 2)
        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("organisationKindFilter")
        self.kind_filter.setAccessibleName("Filter by kind")
        self.kind_filter.addItem("All kinds", ANY)
        for key, label in KINDS.items():
            self.kind_filter.addItem(label, key)
        bar.addWidget(self.kind_filter, 1)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("organisationStatusFilter")
        self.status_filter.setAccessibleName("Filter by membership status")
        self.status_filter.addItem("Any membership", ANY)
        for key, label in MEMBERSHIP_STATUSES.items():
            self.status_filter.addItem(label, key)
        bar.addWidget(self.status_filter, 1)
        self.role_filter = QComboBox()
        self.role_filter.setObjectName("organisationRoleFilter")
        self.role_filter.setAccessibleName("Filter by my role")
        self.role_filter.addItem("Any role", ANY)
        self.role_filter.addItem("Any of my roles", MINE)
        for key, label in MY_ROLES.items():
            self.role_filter.addItem(label, key)
        bar.addWidget(self.role_filter, 1)
        let_shrink(self.kind_filter, self.status_filter, self.role_filter)
        for combo in (self.kind_filter, self.status_filter, self.role_filter):
            combo.currentIndexChanged.connect(lambda _i: (self.reload(), self._save_state()))
        self.new_button = _button("newOrganisationButton", "&New", "New organisation",
                                  "Add an organisation or community (Ctrl+N)")  # fmt: skip
        self.new_button.clicked.connect(self.new_item)
        bar.addWidget(self.new_button)
        self.delete_button = _button("deleteOrganisationButton", "Delete", "Delete organisation",
                                     "Delete the selected organisation (Del)")  # fmt: skip
        self.delete_button.clicked.connect(self.delete_selected)
        bar.addWidget(self.delete_button)
        self.link_text_button = _button(
            "linkTypedOrganisationsButton",
            "Link typed names",
            "Link contacts' typed organisation names",
            "Turn organisation names typed on contacts into linked organisations",
        )
        self.link_text_button.clicked.connect(self._on_link_text_clicked)
        bar.addWidget(self.link_text_button)
        layout.addLayout(bar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("organisationsSplitter")
        self.model = OrganisationTableModel(self)
        self.proxy = _proxy(self.model, self)
        self.table = _table("organisationsTable", "Organisations")
        self.table.setModel(self.proxy)
        self.proxy.sort(-1)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(
            OrganisationTableModel.COL_NAME, QHeaderView.ResizeMode.Interactive
        )
        header.resizeSection(OrganisationTableModel.COL_NAME, 190)
        header.setStretchLastSection(False)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self._build_detail())
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([720, 480])
        self.splitter.splitterMoved.connect(lambda _pos, _index: self._save_state())
        layout.addWidget(self.splitter, 1)
        self.message = QLabel()
        self.message.setObjectName("organisationsMessage")
        self.message.setAccessibleName("Organisations messages")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.setTabOrder(self.search_edit, self.kind_filter)

    def _build_detail(self) -> QWidget:
        scroll = QScrollArea()
        scroll.setObjectName("organisationDetailScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        pane = QWidget()
        pane.setObjectName("organisationDetail")
        scroll.setWidget(pane)
        box = QVBoxLayout(pane)
        self.title = QLabel("No organisation selected")
        self.title.setObjectName("organisationTitle")
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        box.addWidget(self.title)

        self.form_widget = QWidget()
        form = QFormLayout(self.form_widget)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setContentsMargins(0, 0, 0, 0)
        self.name_edit = self._line("organisationName", "Name", "name")
        form.addRow("&Name:", self.name_edit)
        self.kind_combo = self._combo("organisationKind", "Kind", "kind", KINDS)
        form.addRow("&Kind:", self.kind_combo)
        self.website_edit = self._line("organisationWebsite", "Website", "website")
        self.website_edit.setPlaceholderText("https://…")
        website_row = QHBoxLayout()
        website_row.addWidget(self.website_edit, 1)
        self.open_website_button = _button(
            "openWebsiteButton", "Open", "Open the website", "Open the website in the browser"
        )
        self.open_website_button.clicked.connect(self._on_open_website_clicked)
        website_row.addWidget(self.open_website_button)
        website_label = QLabel("&Website:")
        website_label.setBuddy(self.website_edit)
        form.addRow(website_label, website_row)
        self.role_combo = self._combo("organisationMyRole", "My role", "my_role", MY_ROLES)
        form.addRow("My &role:", self.role_combo)
        self.status_combo = self._combo(
            "organisationStatus", "Membership status", "membership_status", MEMBERSHIP_STATUSES
        )
        form.addRow("&Membership:", self.status_combo)
        self.joined_edit = OptionalDateEdit("organisationJoined", "Joined on")
        self.joined_edit.date_changed.connect(lambda v: self._save("joined_on", v))
        form.addRow("&Joined:", self.joined_edit)
        self.renewal_edit = OptionalDateEdit("organisationRenewal", "Renewal date")
        self.renewal_edit.setToolTip(
            f"A reminder goes to the follow-up calendar {RENEWAL_LEAD_DAYS} days before."
        )
        self.renewal_edit.date_changed.connect(lambda v: self._save("renewal_on", v))
        form.addRow("Re&newal:", self.renewal_edit)
        fee_row = QHBoxLayout()
        self.fee_edit = QLineEdit()
        self.fee_edit.setObjectName("organisationFee")
        self.fee_edit.setAccessibleName("Renewal fee")
        self.fee_edit.setPlaceholderText("e.g. 120.00")
        self.fee_edit.editingFinished.connect(self._on_fee_edited)
        self.currency_edit = self._line("organisationCurrency", "Currency", "currency")
        self.currency_edit.setMaxLength(3)
        self.currency_edit.setPlaceholderText("EUR")
        self.currency_edit.setMaximumWidth(70)
        fee_row.addWidget(self.fee_edit, 1)
        fee_row.addWidget(self.currency_edit)
        fee_label = QLabel("Renewal &fee:")
        fee_label.setBuddy(self.fee_edit)
        form.addRow(fee_label, fee_row)
        self.goal_edit = self._line("organisationActivityGoal", "Activity goal", "activity_goal")
        self.goal_edit.setPlaceholderText("e.g. attend one meetup a month")
        form.addRow("&Activity goal:", self.goal_edit)
        self.every_spin = QSpinBox()
        self.every_spin.setObjectName("organisationActivityEvery")
        self.every_spin.setAccessibleName("Take part every so many days")
        self.every_spin.setRange(0, 3650)
        self.every_spin.setSpecialValueText("No nudge")
        self.every_spin.setSuffix(" days")
        self.every_spin.setToolTip(
            "A nudge goes to the follow-up calendar when nothing happened here for this long."
        )
        self.every_spin.editingFinished.connect(
            lambda: self._save("activity_every_days", self.every_spin.value() or None)
        )
        form.addRow("Take part &every:", self.every_spin)
        self.notes_edit = NotesEdit(lambda: self._save("notes", self.notes_edit.toPlainText()))
        self.notes_edit.setObjectName("organisationNotes")
        self.notes_edit.setAccessibleName("Notes")
        self.notes_edit.setFixedHeight(56)
        form.addRow("N&otes:", self.notes_edit)
        box.addWidget(self.form_widget)
        self.error_label = QLabel()
        self.error_label.setObjectName("organisationError")
        self.error_label.setAccessibleName("Problem with the last edit")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c0392b;")
        self.error_label.hide()
        box.addWidget(self.error_label)

        self.links = QTabWidget()
        self.links.setObjectName("organisationLinks")
        self.links.setDocumentMode(True)
        self.member_model = MemberTableModel(self)
        self.member_view, page = self._link_page(
            "organisationMembers", "Contacts", self.member_model,
            [("addMemberButton", "Add contacts…", self._on_add_members),
             ("removeMemberButton", "Remove", self._on_remove_member)],
        )  # fmt: skip
        self.member_view.activated.connect(lambda idx: self._open("contact", self.member_view, idx))
        # "Role there" is edited in place (double-click, F2); other cells open the contact.
        self.member_model.role_edited = self._on_member_role_edited
        self.member_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.links.addTab(page, "Contacts")
        self.event_model = HostedEventTableModel(self)
        self.event_view, page = self._link_page(
            "organisationEvents", "Hosted events", self.event_model,
            [("linkEventButton", "Link events…", self._on_link_events),
             ("unlinkEventButton", "Unlink", self._on_unlink_event)],
        )  # fmt: skip
        self.event_view.activated.connect(lambda idx: self._open("event", self.event_view, idx))
        self.links.addTab(page, "Events")
        self.touch_model = OrganisationTouchTableModel(self)
        self.touch_view, page = self._link_page(
            "organisationTouchpoints", "Touchpoints there", self.touch_model,
            [("linkTouchpointButton", "Link touchpoints…", self._on_link_touchpoints),
             ("unlinkTouchpointButton", "Unlink", self._on_unlink_touchpoint)],
        )  # fmt: skip
        self.links.addTab(page, "Touchpoints")
        self.reminder_model = ReminderTableModel(self)
        self.reminder_view, page = self._link_page(
            "organisationReminders", "Reminders in the calendar", self.reminder_model, []
        )
        self.reminder_view.activated.connect(
            lambda idx: self._open("followup", self.reminder_view, idx)
        )
        self.reminder_view.setToolTip("Shown in the Calendar tab and exported to iCalendar.")
        self.links.addTab(page, "Reminders")
        self.links.setMinimumHeight(170)
        box.addWidget(self.links, 1)
        self._set_detail_enabled(False)
        return scroll

    def _line(self, name: str, accessible: str, field: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.editingFinished.connect(lambda: self._save(field, edit.text()))
        return edit

    def _combo(self, name: str, accessible: str, field: str, labels: dict[str, str]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        for key, label in labels.items():
            combo.addItem(label, key)
        combo.activated.connect(lambda _i: self._save(field, combo.currentData()))
        return combo

    def _link_page(
        self,
        name: str,
        accessible: str,
        model: RecordTableModel[Any],
        buttons: list[tuple[str, str, Callable[[], None]]],
    ) -> tuple[QTableView, QWidget]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        view = _table(name, accessible)
        view.setModel(_proxy(model, view))
        view.model().sort(-1)
        layout.addWidget(view, 1)
        if buttons:
            row = QHBoxLayout()
            for obj, text, slot in buttons:
                button = _button(obj, text, text.rstrip("…"))
                button.clicked.connect(slot)
                row.addWidget(button)
                setattr(self, _attr(obj), button)
            row.addStretch(1)
            layout.addLayout(row)
        return view, page

    def _restore_state(self) -> None:
        state = self.context.settings.preferences.ui_state.get(STATE_KEY)
        if not isinstance(state, dict):
            return
        sizes = state.get("splitter")
        if isinstance(sizes, list) and len(sizes) == 2 and all(isinstance(x, int) for x in sizes):
            self.splitter.setSizes(sizes)
        for key, combo in self._filter_combos().items():
            index = combo.findData(state.get(key, ANY))
            with QSignalBlocker(combo):
                combo.setCurrentIndex(max(0, index))

    def _save_state(self) -> None:
        state: dict[str, object] = {"splitter": self.splitter.sizes()}
        state.update({key: combo.currentData() for key, combo in self._filter_combos().items()})
        self.context.settings.preferences.ui_state[STATE_KEY] = state

    def _filter_combos(self) -> dict[str, QComboBox]:
        return {"kind": self.kind_filter, "status": self.status_filter, "role": self.role_filter}

    # --- the main window's shortcuts -------------------------------------------------------

    def new_item(self) -> None:
        """Ctrl+N: add an organisation and put the cursor in its name."""
        names = {n.casefold() for _i, n in self.service.choices()}
        name, n = "New organisation", 2
        while name.casefold() in names:
            name, n = f"New organisation {n}", n + 1
        state: dict[str, Any] = {"id": None, "snapshot": None}

        def do() -> None:
            if state["snapshot"] is None:
                state["id"] = self.service.create(
                    name, kind="professional_association", my_role="considering"
                ).id
            else:
                self.service.restore(state["snapshot"])

        def undo() -> None:
            state["snapshot"] = self.service.delete(state["id"])

        self._push(f"Add {name}", do, undo, ("organisations", "followups"))
        self._clear_filters()
        self.select(state["id"])
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    def delete_selected(self) -> None:
        """Del: in a linked list, unlink the selected row; otherwise delete the selected
        organisation (contacts, events and touchpoints stay; undo restores it all)."""
        focus = QApplication.focusWidget()
        for view, unlink in (
            (self.member_view, self._on_remove_member),
            (self.event_view, self._on_unlink_event),
            (self.touch_view, self._on_unlink_touchpoint),
        ):
            if focus is view:
                unlink()
                return
        record = self._current
        if record is None:
            return
        state: dict[str, OrganisationSnapshot | None] = {"snapshot": None}

        def do() -> None:
            state["snapshot"] = self.service.delete(record.id)

        def undo() -> None:
            if state["snapshot"] is not None:
                self.service.restore(state["snapshot"])

        self._push(f"Delete {record.name}", do, undo,
                   ("organisations", "followups", "contacts", "events", "touchpoints"))  # fmt: skip
        self._show_message(f"Deleted “{record.name}”. Undo with Ctrl+Z.")

    def show_item(self, kind: str, item_id: int) -> None:
        """bus.open_requested("organisation", id) lands here (the main window switches tabs)."""
        if kind != "organisation":
            return
        if self.model.row_of_id(item_id) < 0:
            self._clear_filters()
        self.select(item_id)

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    # --- loading ------------------------------------------------------------------------

    def reload(self) -> None:
        """Refill the list (keeping the selection) and the detail pane."""
        self._dirty = False
        keep = self._current.id if self._current is not None else None
        rows = self.service.list_organisations(
            self.search_edit.text(),
            kind=self._filter_value(self.kind_filter),
            status=self._filter_value(self.status_filter),
            role=self._filter_value(self.role_filter),
        )
        self.table.selectionModel().blockSignals(True)
        self.model.set_rows(rows)
        self.table.selectionModel().blockSignals(False)
        if keep is not None and self.model.row_of_id(keep) >= 0:
            self.select(keep)
        elif self.proxy.rowCount():
            self.table.selectRow(0)
            self._on_table_current_changed(self.table.currentIndex(), QModelIndex())
        else:
            self._show_record(None)

    def select(self, organisation_id: int | None) -> None:
        if organisation_id is None:
            return
        row = self.model.row_of_id(organisation_id)
        if row < 0:
            self.reload()
            row = self.model.row_of_id(organisation_id)
            if row < 0:
                return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        self._load_detail(organisation_id)

    def _filter_value(self, combo: QComboBox) -> str | None:
        value = combo.currentData()
        return None if value == ANY else str(value)

    def _filtered(self) -> bool:
        return bool(self.search_edit.text().strip()) or any(
            combo.currentIndex() > 0
            for combo in (self.kind_filter, self.status_filter, self.role_filter)
        )

    def _clear_filters(self) -> None:
        for combo in (self.kind_filter, self.status_filter, self.role_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.reload()

    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self._show_record(None)
            return
        self._load_detail(int(self.proxy.data(current, IdRole)))

    def _load_detail(self, organisation_id: int) -> None:
        try:
            record = self.service.get(organisation_id)
        except NotFoundError:
            self._show_record(None)
            return
        self._show_record(record)

    def _show_record(self, record: OrganisationRecord | None) -> None:
        self._current = record
        self._set_detail_enabled(record is not None)
        self.error_label.hide()
        if record is None:
            if self.model.rowCount():
                self.title.setText("No organisation selected")
            elif self._filtered():
                self.title.setText("No organisation matches the search or filters.")
            else:
                self.title.setText("No organisations yet. Press Ctrl+N to add one.")
            for edit in (self.name_edit, self.website_edit, self.fee_edit, self.currency_edit,
                         self.goal_edit):  # fmt: skip
                edit.clear()
            for combo in (self.kind_combo, self.role_combo, self.status_combo):
                self._set_combo(combo, "")
            self.joined_edit.set_value(None)
            self.renewal_edit.set_value(None)
            self.every_spin.blockSignals(True)
            self.every_spin.setValue(0)
            self.every_spin.blockSignals(False)
            self.notes_edit.blockSignals(True)
            self.notes_edit.clear()
            self.notes_edit.blockSignals(False)
            for model in (self.member_model, self.event_model, self.touch_model,
                          self.reminder_model):  # fmt: skip
                model.set_rows([])
            self._update_link_titles()
            return
        self.title.setText(record.name)
        self._set_text(self.name_edit, record.name)
        self._set_combo(self.kind_combo, record.kind)
        self._set_text(self.website_edit, record.website)
        self.open_website_button.setEnabled(bool(record.website))
        self._set_combo(self.role_combo, record.my_role)
        self._set_combo(self.status_combo, record.membership_status)
        self.joined_edit.set_value(record.joined_on)
        self.renewal_edit.set_value(record.renewal_on)
        fee = record.renewal_fee_cents
        self._set_text(self.fee_edit, "" if fee is None else f"{fee / 100:.2f}")
        self._set_text(self.currency_edit, record.currency)
        self._set_text(self.goal_edit, record.activity_goal)
        self.every_spin.blockSignals(True)
        self.every_spin.setValue(record.activity_every_days or 0)
        self.every_spin.blockSignals(False)
        if self.notes_edit.toPlainText() != record.notes:
            self.notes_edit.blockSignals(True)
            self.notes_edit.setPlainText(record.notes)
            self.notes_edit.blockSignals(False)
        self.member_model.set_rows(self.service.members(record.id))
        self.event_model.set_rows(self.service.events(record.id))
        self.touch_model.set_rows(self.service.touchpoints(record.id))
        self.reminder_model.set_rows(self.service.reminders(record.id))
        for view in (self.member_view, self.event_view, self.touch_view, self.reminder_view):
            view.resizeColumnsToContents()
            view.horizontalHeader().setStretchLastSection(True)
        self._update_link_titles()

    def _update_link_titles(self) -> None:
        for i, (title, model) in enumerate(
            (("Contacts", self.member_model), ("Events", self.event_model),
             ("Touchpoints", self.touch_model), ("Reminders", self.reminder_model))
        ):  # fmt: skip
            self.links.setTabText(i, f"{title} ({model.rowCount()})")

    def _set_detail_enabled(self, enabled: bool) -> None:
        self.form_widget.setEnabled(enabled)
        self.links.setEnabled(enabled)
        self.delete_button.setEnabled(enabled)

    @staticmethod
    def _set_text(edit: QLineEdit, text: str) -> None:
        if edit.text() != text:
            edit.setText(text)
            edit.setCursorPosition(0)

    @staticmethod
    def _set_combo(combo: QComboBox, key: str) -> None:
        combo.blockSignals(True)
        combo.setCurrentIndex(max(0, combo.findData(key)))
        combo.blockSignals(False)

    # --- editing ------------------------------------------------------------------------

    def _save(self, field: str, value: Any) -> None:
        """Save one field as one undo step; a bad value is explained and put back."""
        record = self._current
        if record is None:
            return
        if field == "name":
            value = " ".join(str(value).split())
        old = getattr(record, field)
        if value == old:
            self.error_label.hide()
            return
        organisation_id = record.id
        try:
            self.service.update(organisation_id, **{field: value})
        except ValidationError as exc:
            self._show_record(record)
            self._show_error(exc.message)
            return
        except NotFoundError:
            self.reload()
            return
        self.error_label.hide()
        self._push(
            f"Edit {FIELD_LABELS.get(field, field)} of {record.name}",
            lambda: self.service.update(organisation_id, **{field: value}),
            lambda: self.service.update(organisation_id, **{field: old}),
            ("organisations", "followups"),
        )

    def _on_open_website_clicked(self) -> None:
        if self._current is not None and self._current.website:
            QDesktopServices.openUrl(QUrl(self._current.website))

    def _on_fee_edited(self) -> None:
        try:
            cents = parse_fee(self.fee_edit.text())
        except ValidationError as exc:
            if self._current is not None:
                self._show_record(self._current)
            self._show_error(exc.message)
            return
        self._save("renewal_fee_cents", cents)

    def _push(
        self,
        text: str,
        do: Callable[[], object],
        undo: Callable[[], object],
        signals: tuple[str, ...],
    ) -> None:
        """One undo step whose do/undo call services, then announce the change on the bus."""
        bus = self.context.bus

        def run(action: Callable[[], object]) -> Callable[[], None]:
            def wrapped() -> None:
                try:
                    action()
                except (ValidationError, NotFoundError) as exc:
                    log.warning("%s: %s", text, exc)
                    self._show_message(f"Could not {text.lower()}: {exc}")
                bus.changed.emit(Changes.all(*(_KIND[name] for name in signals)))

            return wrapped

        self.context.undo_stack.push(CallbackCommand(text, run(do), run(undo)))

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _show_message(self, message: str) -> None:
        self.message.setText(message)

    # --- links --------------------------------------------------------------------------

    def _selected_id(self, view: QTableView) -> int | None:
        index = view.currentIndex()
        if not index.isValid():
            return None
        return int(view.model().data(index.siblingAtColumn(0), IdRole))

    def _open(self, kind: str, view: QTableView, index: QModelIndex) -> None:
        if index.isValid():
            self.context.bus.open_requested.emit(
                kind, int(view.model().data(index.siblingAtColumn(0), IdRole))
            )

    def _on_add_members(self) -> None:
        record = self._current
        if record is None:
            return
        ids = picker_dialog.pick_items(self, f"Add contacts to {record.name}",
                                       self.service.search_contacts)  # fmt: skip
        if not ids:
            return
        states: list[ContactOrganisationState] = []

        def do() -> None:
            states[:] = self.service.link_contacts(record.id, ids)

        def undo() -> None:
            for state in states:
                self.service.restore_contact_state(state)

        self._push(f"Add {len(ids)} contact(s) to {record.name}", do, undo,
                   ("organisations", "contacts"))  # fmt: skip

    def _on_member_role_edited(self, member: MemberRecord, role: str) -> None:
        record = self._current
        if record is None:
            return
        states: list[ContactOrganisationState] = []

        def do() -> None:
            states[:] = [
                self.service.link_contact(
                    record.id, member.contact_id, role=role, primary=member.primary
                )
            ]

        def undo() -> None:
            for state in states:
                self.service.restore_contact_state(state)

        self._push(f"Change {member.name}'s role in {record.name}", do, undo,
                   ("organisations", "contacts"))  # fmt: skip

    def _on_remove_member(self) -> None:
        record = self._current
        contact_id = self._selected_id(self.member_view)
        if record is None or contact_id is None:
            return
        states: list[ContactOrganisationState] = []

        def do() -> None:
            states[:] = [self.service.unlink_contact(record.id, contact_id)]

        def undo() -> None:
            for state in states:
                self.service.restore_contact_state(state)

        self._push(f"Remove a contact from {record.name}", do, undo,
                   ("organisations", "contacts"))  # fmt: skip

    def _on_link_events(self) -> None:
        record = self._current
        if record is None:
            return
        ids = picker_dialog.pick_items(self, f"Events hosted by {record.name}",
                                       self.service.search_events)  # fmt: skip
        if ids:
            self._set_links(f"Link {len(ids)} event(s) to {record.name}", ids, record.id,
                            self.service.set_event_host, "events")  # fmt: skip

    def _on_unlink_event(self) -> None:
        event_id = self._selected_id(self.event_view)
        if self._current is not None and event_id is not None:
            self._set_links(f"Unlink an event from {self._current.name}", [event_id], None,
                            self.service.set_event_host, "events")  # fmt: skip

    def _on_link_touchpoints(self) -> None:
        record = self._current
        if record is None:
            return
        ids = picker_dialog.pick_items(
            self,
            f"Touchpoints at {record.name}",
            lambda text: self.service.search_member_touchpoints(record.id, text),
            hint="Touchpoints logged with its members. Add members first to see theirs.",
        )
        if ids:
            self._set_links(f"Link {len(ids)} touchpoint(s) to {record.name}", ids, record.id,
                            self.service.set_touchpoint_organisation, "touchpoints")  # fmt: skip

    def _on_unlink_touchpoint(self) -> None:
        touch_id = self._selected_id(self.touch_view)
        if self._current is None or touch_id is None:
            return
        row = self.touch_model.row_of_id(touch_id)
        if row >= 0 and not self.touch_model.row_at(row).direct:
            self._show_message(
                "That touchpoint is linked through a hosted event; unlink the event."
            )
            return
        self._set_links(f"Unlink a touchpoint from {self._current.name}", [touch_id], None,
                        self.service.set_touchpoint_organisation, "touchpoints")  # fmt: skip

    def _set_links(
        self,
        text: str,
        ids: list[int],
        organisation_id: int | None,
        setter: Callable[[int, int | None], int | None],
        signal: str,
    ) -> None:
        before: dict[int, int | None] = {}

        def do() -> None:
            before.clear()
            for item_id in ids:
                before[item_id] = setter(item_id, organisation_id)

        def undo() -> None:
            for item_id, previous in before.items():
                setter(item_id, previous)

        self._push(text, do, undo, ("organisations", "followups", signal))

    def _on_link_text_clicked(self) -> None:
        state: dict[str, FreeTextLinks] = {}

        def do() -> None:
            state["links"] = self.service.link_free_text()

        def undo() -> None:
            if "links" in state:
                self.service.unlink_free_text(state["links"])

        # A second or two for tens of thousands of imported contacts: show it is working.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._push("Link typed organisation names", do, undo, ("organisations", "contacts"))
        finally:
            QApplication.restoreOverrideCursor()
        links = state.get("links")
        count = links.count if links is not None else 0
        made = len(links.created) if links is not None else 0
        self._show_message(
            f"Linked {count} contact(s); {made} new organisation(s)." if count
            else "Every typed organisation name is already linked."
        )  # fmt: skip

    # --- other tabs' changes ---------------------------------------------------------------


def _attr(object_name: str) -> str:
    """addMemberButton -> add_member_button, so tests can reach each link button."""
    out = []
    for ch in object_name:
        if ch.isupper():
            out.append("_")
        out.append(ch.lower())
    return "".join(out)
