"""The Organisations tab's widgets and layout: the filter bar, the list, and the detail pane
with its form and linked lists. Behaviour lives in organisations_tab (the controller)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFocusEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from planner.core.organisation_records import (
    KINDS,
    MEMBERSHIP_STATUSES,
    MINE,
    MY_ROLES,
    RENEWAL_LEAD_DAYS,
    HostedEventRecord,
    MemberRecord,
    OrganisationRecord,
    OrganisationTouchRecord,
)
from planner.core.records import FollowUpRecord
from planner.ui.models.organisation_models import (
    HostedEventTableModel,
    MemberTableModel,
    OrganisationTableModel,
    OrganisationTouchTableModel,
    RecordTableModel,
    ReminderTableModel,
)
from planner.ui.screen_fit import let_shrink
from planner.ui.widgets import column_fit
from planner.ui.widgets.optional_date_edit import OptionalDateEdit
from planner.ui.widgets.row_list import select_rows
from planner.ui.widgets.sort_keeps_place import keep_current_row_in_view_on_sort

ANY = "__any__"


class NotesEdit(QPlainTextEdit):
    """Plain text that says when the user leaves it (to save then)."""

    left = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()


def _table(name: str, accessible: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    select_rows(view)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setSortingEnabled(True)
    # Unsorted until a header is clicked: the service's order (own organisations first,
    # newest touchpoints first) is the useful default.
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    keep_current_row_in_view_on_sort(view)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    # Fit columns to the first rows only: measuring every member of a big organisation took
    # about a second at 100,000 contacts.
    view.horizontalHeader().setResizeContentsPrecision(100)
    view.setWordWrap(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    return view


def fit_columns(view: QTableView, model: RecordTableModel[Any], skip: int = -1) -> None:
    """Fit the list's columns (but `skip`, and a stretched last one) to a sample of rows."""
    last = model.columnCount() - 1
    stretched = last if view.horizontalHeader().stretchLastSection() else -1
    columns = [
        c
        for c in range(model.columnCount())
        if c not in (skip, stretched) and not view.isColumnHidden(c)
    ]
    column_fit.fit_columns(view, columns, model.texts)


def _button(name: str, text: str, accessible: str, tip: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAccessibleName(accessible)
    if tip:
        button.setToolTip(tip)
    return button


class OrganisationsView(QWidget):
    """Builds the widgets; `line_fields` and `combo_fields` map a record field to its editor."""

    def __init__(
        self, parent: QWidget | None = None, later: list[Callable[[], object]] | None = None
    ) -> None:
        """With a `later` list, the detail pane and its linked lists are built by steps
        added to it (one turn of the event loop each, see SlicedBuild) instead of now."""
        super().__init__(parent)
        self.line_fields: dict[str, QLineEdit] = {}
        self.combo_fields: dict[str, QComboBox] = {}
        self._build()
        steps = [self._build_detail_pane, self._build_links]
        for step in steps if later is None else ():
            step()
        if later is not None:
            later.extend(steps)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("organisationSearch")
        self.search_edit.setAccessibleName("Search organisations")
        self.search_edit.setPlaceholderText("Search organisations (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        bar.addWidget(self.search_edit, 1)
        # The filters get a row of their own (as on the Events tab): in one row with the
        # buttons the search box shrank to "S…" at 200 % and the tab outgrew a 1366-px screen.
        filters = QHBoxLayout()
        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("organisationKindFilter")
        self.kind_filter.setAccessibleName("Filter by kind")
        self.kind_filter.addItem("All kinds", ANY)
        for key, label in KINDS.items():
            self.kind_filter.addItem(label, key)
        filters.addWidget(self.kind_filter, 1)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("organisationStatusFilter")
        self.status_filter.setAccessibleName("Filter by membership status")
        self.status_filter.addItem("Any membership", ANY)
        for key, label in MEMBERSHIP_STATUSES.items():
            self.status_filter.addItem(label, key)
        filters.addWidget(self.status_filter, 1)
        self.role_filter = QComboBox()
        self.role_filter.setObjectName("organisationRoleFilter")
        self.role_filter.setAccessibleName("Filter by my role")
        self.role_filter.addItem("Any role", ANY)
        self.role_filter.addItem("Any of my roles", MINE)
        for key, label in MY_ROLES.items():
            self.role_filter.addItem(label, key)
        filters.addWidget(self.role_filter, 1)
        let_shrink(self.kind_filter, self.status_filter, self.role_filter)
        self.new_button = _button("newOrganisationButton", "&New", "New organisation",
                                  "Add an organisation or community (Ctrl+N)")  # fmt: skip
        bar.addWidget(self.new_button)
        self.delete_button = _button("deleteOrganisationButton", "Delete", "Delete organisation",
                                     "Delete the selected organisation (Del)")  # fmt: skip
        bar.addWidget(self.delete_button)
        self.link_text_button = _button(
            "linkTypedOrganisationsButton",
            "Link typed names",
            "Link contacts' typed organisation names",
            "Turn organisation names typed on contacts into linked organisations",
        )
        bar.addWidget(self.link_text_button)
        layout.addLayout(bar)
        layout.addLayout(filters)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("organisationsSplitter")
        self.model = OrganisationTableModel(self)
        self.table = _table("organisationsTable", "Organisations")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        # Fitted by fit_columns when rows arrive (not ResizeToContents: see there).
        header.resizeSection(OrganisationTableModel.COL_NAME, 190)
        header.setStretchLastSection(False)
        self.splitter.addWidget(self.table)
        layout.addWidget(self.splitter, 1)
        self.message = QLabel()
        self.message.setObjectName("organisationsMessage")
        self.message.setAccessibleName("Organisations messages")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.setTabOrder(self.search_edit, self.kind_filter)

    def _build_detail_pane(self) -> None:
        self.splitter.addWidget(self._build_detail())
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([720, 480])

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
        form.addRow("Na&me:", self.name_edit)
        self.kind_combo = self._combo("organisationKind", "Kind", "kind", KINDS)
        form.addRow("&Kind:", self.kind_combo)
        self.website_edit = self._line("organisationWebsite", "Website", "website")
        self.website_edit.setPlaceholderText("https://…")
        website_row = QHBoxLayout()
        website_row.addWidget(self.website_edit, 1)
        self.open_website_button = _button(
            "openWebsiteButton", "Open", "Open the website", "Open the website in the browser"
        )
        website_row.addWidget(self.open_website_button)
        website_label = QLabel("&Website:")
        website_label.setBuddy(self.website_edit)
        form.addRow(website_label, website_row)
        self.role_combo = self._combo("organisationMyRole", "My role", "my_role", MY_ROLES)
        form.addRow("M&y role:", self.role_combo)
        self.status_combo = self._combo(
            "organisationStatus", "Membership status", "membership_status", MEMBERSHIP_STATUSES
        )
        form.addRow("Mem&bership:", self.status_combo)
        # Narrowed with "…" rather than pushing the pane past its column (200 %, small screen).
        let_shrink(self.kind_combo, self.role_combo, self.status_combo)
        self.joined_edit = OptionalDateEdit("organisationJoined", "Joined on")
        form.addRow("&Joined:", self.joined_edit)
        self.renewal_edit = OptionalDateEdit("organisationRenewal", "Renewal date")
        self.renewal_edit.setToolTip(
            f"A reminder goes to the follow-up calendar {RENEWAL_LEAD_DAYS} days before."
        )
        form.addRow("Renewa&l:", self.renewal_edit)
        fee_row = QHBoxLayout()
        self.fee_edit = QLineEdit()
        self.fee_edit.setObjectName("organisationFee")
        self.fee_edit.setAccessibleName("Renewal fee")
        self.fee_edit.setPlaceholderText("e.g. 120.00")
        self.currency_edit = self._line("organisationCurrency", "Currency", "currency")
        self.currency_edit.setMaxLength(3)
        self.currency_edit.setPlaceholderText("EUR")
        self.currency_edit.setMaximumWidth(70)
        fee_row.addWidget(self.fee_edit, 1)
        fee_row.addWidget(self.currency_edit)
        fee_label = QLabel("Renewal fee:")
        fee_label.setBuddy(self.fee_edit)
        form.addRow(fee_label, fee_row)
        self.goal_edit = self._line("organisationActivityGoal", "Activity goal", "activity_goal")
        self.goal_edit.setPlaceholderText("e.g. attend one meetup a month")
        form.addRow("Act&ivity goal:", self.goal_edit)
        self.every_spin = QSpinBox()
        self.every_spin.setObjectName("organisationActivityEvery")
        self.every_spin.setAccessibleName("Take part every so many days")
        self.every_spin.setRange(0, 3650)
        self.every_spin.setSpecialValueText("No nudge")
        self.every_spin.setSuffix(" days")
        self.every_spin.setToolTip(
            "A nudge goes to the follow-up calendar when nothing happened here for this long."
        )
        form.addRow("Take &part every:", self.every_spin)
        self.notes_edit = NotesEdit()
        self.notes_edit.setObjectName("organisationNotes")
        self.notes_edit.setAccessibleName("Notes")
        self.notes_edit.setFixedHeight(56)
        form.addRow("No&tes:", self.notes_edit)
        box.addWidget(self.form_widget)
        self.error_label = QLabel()
        self.error_label.setObjectName("organisationError")
        self.error_label.setAccessibleName("Problem with the last edit")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c0392b;")
        self.error_label.hide()
        box.addWidget(self.error_label)
        self._detail_box = box
        return scroll

    def _build_links(self) -> None:
        """The detail pane's linked contacts, events, touchpoints and reminders."""
        self.links = QTabWidget()
        self.links.setObjectName("organisationLinks")
        self.links.setDocumentMode(True)
        self.member_model = MemberTableModel(self)
        self.member_view, page = self._link_page(
            "organisationMembers",
            "Contacts",
            self.member_model,
            [("addMemberButton", "Add contacts…"), ("removeMemberButton", "Remove")],
        )
        # "Role there" is edited in place (double-click, F2); other cells open the contact.
        self.member_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.links.addTab(page, "Contacts")
        self.event_model = HostedEventTableModel(self)
        self.event_view, page = self._link_page(
            "organisationEvents",
            "Hosted events",
            self.event_model,
            [("linkEventButton", "Link events…"), ("unlinkEventButton", "Unlink")],
        )
        self.links.addTab(page, "Events")
        self.touch_model = OrganisationTouchTableModel(self)
        self.touch_view, page = self._link_page(
            "organisationTouchpoints",
            "Touchpoints there",
            self.touch_model,
            [("linkTouchpointButton", "Link touchpoints…"), ("unlinkTouchpointButton", "Unlink")],
        )
        self.links.addTab(page, "Touchpoints")
        self.reminder_model = ReminderTableModel(self)
        self.reminder_view, page = self._link_page(
            "organisationReminders", "Reminders in the calendar", self.reminder_model, []
        )
        self.reminder_view.setToolTip("Shown in the Calendar tab and exported to iCalendar.")
        self.links.addTab(page, "Reminders")
        self.links.setMinimumHeight(170)
        self._detail_box.addWidget(self.links, 1)
        self._set_detail_enabled(False)

    def _line(self, name: str, accessible: str, field: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        self.line_fields[field] = edit
        return edit

    def _combo(self, name: str, accessible: str, field: str, labels: dict[str, str]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        for key, label in labels.items():
            combo.addItem(label, key)
        self.combo_fields[field] = combo
        return combo

    def _link_page(
        self,
        name: str,
        accessible: str,
        model: RecordTableModel[Any],
        buttons: list[tuple[str, str]],
    ) -> tuple[QTableView, QWidget]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        view = _table(name, accessible)
        view.setModel(model)
        layout.addWidget(view, 1)
        if buttons:
            row = QHBoxLayout()
            for obj, text in buttons:
                button = _button(obj, text, text.rstrip("…"))
                row.addWidget(button)
                setattr(self, _attr(obj), button)
            row.addStretch(1)
            layout.addLayout(row)
        return view, page

    # --- showing a record ----------------------------------------------------------------

    def fill_form(self, record: OrganisationRecord | None, empty: str = "") -> None:
        """Show a record's fields (or, for None, the empty state saying `empty`)."""
        self._set_detail_enabled(record is not None)
        self.error_label.hide()
        self.title.setText(record.name if record is not None else empty)
        fee = record.renewal_fee_cents if record is not None else None
        texts = {
            self.name_edit: record.name if record else "",
            self.website_edit: record.website if record else "",
            self.fee_edit: "" if fee is None else f"{fee / 100:.2f}",
            self.currency_edit: record.currency if record else "",
            self.goal_edit: record.activity_goal if record else "",
        }
        for edit, text in texts.items():
            if edit.text() != text:
                edit.setText(text)
                edit.setCursorPosition(0)
        for combo, key in (
            (self.kind_combo, record.kind if record else ""),
            (self.role_combo, record.my_role if record else ""),
            (self.status_combo, record.membership_status if record else ""),
        ):
            with QSignalBlocker(combo):
                combo.setCurrentIndex(max(0, combo.findData(key)))
        self.open_website_button.setEnabled(bool(record and record.website))
        self.joined_edit.set_value(record.joined_on if record else None)
        self.renewal_edit.set_value(record.renewal_on if record else None)
        with QSignalBlocker(self.every_spin):
            self.every_spin.setValue((record.activity_every_days or 0) if record else 0)
        notes = record.notes if record else ""
        if self.notes_edit.toPlainText() != notes:
            with QSignalBlocker(self.notes_edit):
                self.notes_edit.setPlainText(notes)

    def fill_links(
        self,
        members: list[MemberRecord],
        events: list[HostedEventRecord],
        touches: list[OrganisationTouchRecord],
        reminders: list[FollowUpRecord],
    ) -> None:
        self.member_model.set_rows(members)
        self.event_model.set_rows(events)
        self.touch_model.set_rows(touches)
        self.reminder_model.set_rows(reminders)
        for view, model in (
            (self.member_view, self.member_model),
            (self.event_view, self.event_model),
            (self.touch_view, self.touch_model),
            (self.reminder_view, self.reminder_model),
        ):
            fit_columns(view, model)
        for i, (title, model) in enumerate(
            (
                ("Contacts", self.member_model),
                ("Events", self.event_model),
                ("Touchpoints", self.touch_model),
                ("Reminders", self.reminder_model),
            )
        ):
            self.links.setTabText(i, f"{title} ({model.rowCount()})")

    def _set_detail_enabled(self, enabled: bool) -> None:
        self.form_widget.setEnabled(enabled)
        self.links.setEnabled(enabled)
        self.delete_button.setEnabled(enabled)


def _attr(object_name: str) -> str:
    """addMemberButton -> add_member_button, so tests can reach each link button."""
    out = []
    for ch in object_name:
        if ch.isupper():
            out.append("_")
        out.append(ch.lower())
    return "".join(out)
