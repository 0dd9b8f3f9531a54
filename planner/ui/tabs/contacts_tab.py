"""The Contacts tab: find anyone instantly, edit them in place, log touchpoints, bulk edit."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.core.changes import Changes
from planner.core.contacts import ContactService, ContactTable
from planner.core.errors import ConflictError, NotFoundError, ValidationError
from planner.core.records import ContactRecord, LabeledValue, ReferralRecord, TouchpointRecord
from planner.core.referrals import ReferralService
from planner.core.touchpoints import TouchpointService
from planner.core.vocab import RELATIONSHIPS
from planner.db.errors import StorageError
from planner.ui.commands import Command, execute, execute_in_background
from planner.ui.commands.contacts import (
    CreateContact,
    DeleteContacts,
    EditContactFields,
    SetContactField,
    TagContacts,
)
from planner.ui.commands.referrals import AddReferral, DeleteReferral, EditReferral
from planner.ui.commands.touchpoints import DeleteTouchpoints, EditTouchpoint, LogTouchpoints
from planner.ui.context import TabContext
from planner.ui.dialogs.contact_dialog import NewContactDialog, NewContactDraft
from planner.ui.dialogs.referral_dialog import ReferralDialog
from planner.ui.dialogs.touchpoint_dialog import TouchpointDialog
from planner.ui.models.contact_table_model import (
    COL_CADENCE,
    COL_LAST,
    COL_NAME,
    COL_NEXT,
    COL_ORGANISATION,
    COL_RELATIONSHIP,
    COL_ROLE,
    COL_TAGS,
    ContactFilter,
    ContactTableModel,
    RowIndex,
    index_rows,
)
from planner.ui.screen_fit import let_shrink
from planner.ui.tabs.base import ChangeFollower
from planner.ui.tasks import run_task
from planner.ui.widgets.contact_detail import ContactDetail, times_text
from planner.ui.widgets.contact_organisations_widget import ContactOrganisationsWidget

log = logging.getLogger(__name__)

# Columns that keep their width (dates must stay readable) ...
FIXED_WIDTHS = {COL_RELATIONSHIP: 90, COL_LAST: 90, COL_NEXT: 105, COL_CADENCE: 80}
# ... and shares of what is left for the text columns.
TEXT_SHARES = {COL_NAME: 0.34, COL_ORGANISATION: 0.24, COL_ROLE: 0.22, COL_TAGS: 0.20}


class ContactsView(QTableView):
    """The list; on resize it shares the width so every column, dates first, stays in view."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_columns()

    def fit_columns(self) -> None:
        available = self.viewport().width() - sum(FIXED_WIDTHS.values())
        for column, width in FIXED_WIDTHS.items():
            self.setColumnWidth(column, width)
        for column, share in TEXT_SHARES.items():
            self.setColumnWidth(column, max(70, int(available * share)))


@contextmanager
def _busy() -> Iterator[None]:
    """A wait cursor while a bulk edit of thousands of contacts runs (a second or two)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def count_text(shown: int, total: int) -> str:
    """ "1,204 of 31,877", with the user's digit grouping."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        return f"{shown:,} of {total:,}"
    return f"{locale.toString(shown)} of {locale.toString(total)}"


# An edit touching more contacts than this reloads the whole list instead of those rows.
RELOAD_ALL_OVER = 5_000


@dataclass(frozen=True)
class _Loaded:
    """A load's result: the rows with their index, the tag names and the event choices."""

    table: ContactTable
    index: RowIndex
    tag_names: list[str]
    events: list[tuple[int, str, date | None]]


class ContactsTab(QWidget):
    # Emitted when a (re)load has put the rows in the list.
    load_finished = Signal()

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.contacts = ContactService(context.db, lambda: context.settings.preferences)
        self.touchpoints = TouchpointService(context.db)
        self.referrals = ReferralService(context.db)
        self._dirty = False
        self._reload_pending = False
        self._generation = 0
        # True while a worker thread reads the contacts (see start_loading).
        self.loading = False
        self._build()
        self._connect_bus()
        self.start_loading()

    # --- building ---------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("contactSearch")
        self.search.setAccessibleName("Search contacts")
        self.search.setPlaceholderText(
            "Search name, organisation, role, e-mail, tags, notes (Ctrl+F)"
        )
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_filter_changed)
        clear_search = QAction("Clear search", self.search)
        clear_search.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        clear_search.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        clear_search.triggered.connect(lambda _c=False: self.search.clear())
        self.search.addAction(clear_search)
        bar.addWidget(self.search, 3)

        self.relationship_filter = QComboBox()
        self.relationship_filter.setObjectName("relationshipFilter")
        self.relationship_filter.setAccessibleName("Filter by relationship")
        self.relationship_filter.addItem("All relationships", "")
        for key, label in RELATIONSHIPS.items():
            self.relationship_filter.addItem(label, key)
        self.relationship_filter.currentIndexChanged.connect(self._on_filter_changed)
        bar.addWidget(self.relationship_filter)

        self.tag_filter = QComboBox()
        self.tag_filter.setObjectName("tagFilter")
        self.tag_filter.setAccessibleName("Filter by tag")
        self.tag_filter.currentIndexChanged.connect(self._on_filter_changed)
        bar.addWidget(self.tag_filter)
        let_shrink(self.relationship_filter, self.tag_filter)

        self.due_filter = QCheckBox("&Due for a touch")
        self.due_filter.setObjectName("dueFilter")
        self.due_filter.setAccessibleName("Only contacts due for a touch")
        self.due_filter.toggled.connect(self._on_filter_changed)
        self.never_filter = QCheckBox("Ne&ver contacted")
        self.never_filter.setObjectName("neverFilter")
        self.never_filter.setAccessibleName("Only contacts never contacted")
        self.never_filter.toggled.connect(self._on_filter_changed)
        bar.addWidget(self.due_filter)
        bar.addWidget(self.never_filter)
        self.added_today_filter = QCheckBox("Added today")
        self.added_today_filter.setObjectName("addedTodayFilter")
        self.added_today_filter.setAccessibleName("Only contacts added today")
        self.added_today_filter.setToolTip(
            "Only the contacts added or imported today, e.g. to tag everyone just imported"
        )
        self.added_today_filter.toggled.connect(self._on_filter_changed)
        bar.addWidget(self.added_today_filter)
        layout.addLayout(bar)

        actions = QHBoxLayout()
        self.new_button = QPushButton("&New contact…")
        self.new_button.setObjectName("newContactButton")
        self.new_button.setAccessibleName("New contact")
        self.new_button.setToolTip("Add a contact (Ctrl+N)")
        self.new_button.clicked.connect(self.new_item)
        self.log_button = QPushButton("Log &touchpoint…")
        self.log_button.setObjectName("logTouchListButton")
        self.log_button.setAccessibleName("Log a touchpoint for the selected contacts")
        self.log_button.setToolTip("Log a touchpoint with the selected contacts (Ctrl+L)")
        # clicked(bool) would land in log_touchpoint's ids: drop the argument.
        self.log_button.clicked.connect(lambda _c=False: self.log_touchpoint())
        self.bulk_button = QToolButton()
        self.bulk_button.setObjectName("bulkButton")
        self.bulk_button.setAccessibleName("Bulk actions on the selected contacts")
        self.bulk_button.setText("&Selected")
        self.bulk_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.bulk_menu = QMenu(self.bulk_button)
        self.bulk_menu.setObjectName("bulkMenu")
        self.add_tag_action = self._menu_action("addTagAction", "Add tag…", self.bulk_add_tag)
        self.remove_tag_action = self._menu_action(
            "removeTagAction", "Remove tag…", self.bulk_remove_tag
        )
        self.set_relationship_action = self._menu_action(
            "setRelationshipAction", "Set relationship…", self.bulk_set_relationship
        )
        self.set_cadence_action = self._menu_action(
            "setCadenceAction", "Set cadence…", self.bulk_set_cadence
        )
        self.log_selected_action = self._menu_action(
            "logSelectedAction", "Log touchpoint with each…", self.log_touchpoint
        )
        self.bulk_menu.addSeparator()
        self.export_selected_action = self._menu_action(
            "exportSelectedAction", "Export selected…", self.export_selected
        )
        self.export_shown_action = self._menu_action(
            "exportShownAction", "Export the list as shown…", self.export_shown
        )
        self.bulk_menu.addSeparator()
        self.bulk_delete_action = self._menu_action(
            "bulkDeleteAction", "Delete…", self.delete_selected
        )
        self.bulk_button.setMenu(self.bulk_menu)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setObjectName("deleteContactButton")
        self.delete_button.setAccessibleName("Delete the selected contacts")
        self.delete_button.setToolTip("Delete the selected contacts (Del)")
        self.delete_button.clicked.connect(self.delete_selected)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.count_label.setAccessibleName("Contacts shown")
        for widget in (self.new_button, self.log_button, self.bulk_button, self.delete_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        self.message = QLabel()
        self.message.setObjectName("contactsMessage")
        actions.addWidget(self.message)
        actions.addSpacing(12)
        actions.addWidget(self.count_label)
        layout.addLayout(actions)

        self.model = ContactTableModel(self)
        self.view = ContactsView()
        self.view.setObjectName("contactsView")
        self.view.setAccessibleName("Contacts")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setShowGrid(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        vertical = self.view.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(50)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSortIndicator(*self._saved_sort())
        self.view.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        # After a reload or a delete the selection can shrink without selectionChanged.
        for signal in (self.model.modelReset, self.model.rowsRemoved, self.model.layoutChanged):
            signal.connect(self._update_buttons)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.view.activated.connect(self._on_view_activated)

        self.detail = ContactDetail(
            self.contacts,
            self.touchpoints,
            self.referrals,
            self.save_fields,
            self._search_for_picker,
            self._name_of,
        )
        self.detail.log_touch_requested.connect(self._on_detail_log_touch)
        self.detail.edit_touch_requested.connect(self.edit_touchpoint)
        self.detail.delete_touch_requested.connect(self.delete_touchpoint)
        self.detail.add_referral_requested.connect(self.add_referral)
        self.detail.edit_referral_requested.connect(self.edit_referral)
        self.detail.delete_referral_requested.connect(self.delete_referral)
        self.detail.followup_requested.connect(self.context.bus.followup_requested)
        # Memberships and "met through" live in the Organisations feature's own widget.
        self.organisations_pane = ContactOrganisationsWidget(self.context)
        self.organisations_pane.layout().setContentsMargins(8, 8, 8, 8)
        self.detail.tabs.addTab(self.organisations_pane, "Or&ganisations")
        self.detail.contact_shown.connect(self.organisations_pane.set_contact)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("contactsSplitter")
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([760, 440])
        layout.addWidget(self.splitter, 1)

        self.log_action = QAction("Log touchpoint…", self)
        self.log_action.setObjectName("logTouchAction")
        self.log_action.setShortcut(QKeySequence("Ctrl+L"))
        self.log_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.log_action.triggered.connect(lambda _c=False: self.log_touchpoint())
        self.addAction(self.log_action)
        self._update_buttons()

    def _menu_action(self, name: str, text: str, slot: Callable[[], object]) -> QAction:
        action = self.bulk_menu.addAction(text)
        action.setObjectName(name)
        action.triggered.connect(lambda _c=False: slot())
        return action

    def _connect_bus(self) -> None:
        bus = self.context.bus
        self.follower = ChangeFollower(
            self, bus, self._on_changes, ("contacts", "touchpoints", "referrals", "events")
        )
        self.detail.follow(bus)

    # --- loading ----------------------------------------------------------------------

    def start_loading(self) -> None:
        """Load every contact on a worker thread: with 100,000 the window stays responsive."""
        self._generation += 1
        self.loading = True
        self._dirty = False
        if self.model.total_count() == 0:
            self.count_label.setText("Loading contacts…")
        generation = self._generation
        run_task(
            self._read_everything,
            lambda rows: self._on_rows_loaded(generation, rows),
            lambda exc: self._on_rows_loaded(generation, exc),
            owner=self,
            name="load contacts",
        )

    def _read_everything(self) -> _Loaded:
        """On the worker: the rows and everything derived from them or read beside them,
        so the GUI thread only swaps them in (100,000 contacts)."""
        data = self.contacts.table_data()
        return _Loaded(
            data,
            index_rows(data.rows),
            self.contacts.tag_names(),
            self.contacts.event_choices(),
        )

    def _on_rows_loaded(self, generation: int, rows: object) -> None:
        if generation != self._generation:
            return  # a newer load (or a synchronous reload) superseded this one
        self.loading = False
        if isinstance(rows, BaseException):
            self._say(f"Could not load the contacts: {rows}")
            self._update_count()
        else:
            self._apply_rows(rows)  # type: ignore[arg-type]
        self.load_finished.emit()
        if self._dirty:
            # Something changed while the rows were read: read them again.
            self.start_loading()

    def reload(self) -> None:
        """Load every contact now (one query) and keep the current contact shown."""
        self._generation += 1
        self.loading = False
        self._dirty = False
        self._apply_rows(self.contacts.table_data())
        self.load_finished.emit()

    def _apply_rows(self, data: ContactTable | _Loaded) -> None:
        current = self.detail.contact_id()
        if isinstance(data, _Loaded):
            self.model.set_rows(data.table.rows, data.table.tags, data.index)
            self._reload_tags(data.tag_names)
            self.detail.set_events(data.events)
        else:
            self.model.set_rows(data.rows, data.tags)
            self._reload_tags()
            self.detail.set_events(self.contacts.event_choices())
        self._update_count()
        if current is not None:
            self.select_contact(current)
            self.detail.refresh()

    def _reload_tags(self, tags: list[str] | None = None) -> None:
        chosen = self.tag_filter.currentData() or ""
        if tags is None:
            tags = self.contacts.tag_names()
        self.tag_filter.blockSignals(True)
        try:
            self.tag_filter.clear()
            self.tag_filter.addItem("All tags", "")
            for tag in tags:
                self.tag_filter.addItem(tag, tag)
            self.tag_filter.setCurrentIndex(max(0, self.tag_filter.findData(chosen)))
        finally:
            self.tag_filter.blockSignals(False)
        self.detail.tags.set_known_tags(tags)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty and not self._reload_pending:
            self._reload_pending = True
            QTimer.singleShot(0, self._reload_if_dirty)

    # --- tab interface ----------------------------------------------------------------

    def data_pending(self) -> bool:
        """True while the rows are read (load_finished follows)."""
        return self.loading

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def show_item(self, kind: str, item_id: int) -> None:
        """Select and show a contact (bus.open_requested("contact", id) from other tabs)."""
        if kind != "contact":
            return
        if self._dirty:
            self.reload()
        if self.model.contact(item_id) is None:
            self._say("That contact no longer exists.")
            return
        if self.model.row_of(item_id) < 0:
            self.clear_filters()
        self.select_contact(item_id)
        self.detail.show_contact(item_id)

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        ids = [self.model.contact_id(row) for row in rows]
        return [cid for cid in ids if cid is not None]

    def _target_ids(self) -> list[int]:
        """The selection, or else the contact in the detail pane."""
        ids = self.selected_ids()
        if not ids and self.detail.contact_id() is not None:
            ids = [self.detail.contact_id()]  # type: ignore[list-item]
        return ids

    def select_contact(self, contact_id: int) -> bool:
        row = self.model.row_of(contact_id)
        if row < 0:
            return False
        index = self.model.index(row, COL_NAME)
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)
        return True

    # --- filtering --------------------------------------------------------------------

    def current_filter(self) -> ContactFilter:
        return ContactFilter(
            text=self.search.text(),
            relationship=self.relationship_filter.currentData() or "",
            tag=self.tag_filter.currentData() or "",
            due=self.due_filter.isChecked(),
            never_contacted=self.never_filter.isChecked(),
            only_ids=self._added_today() if self.added_today_filter.isChecked() else None,
        )

    def _on_filter_changed(self, *_args: object) -> None:
        self.model.set_filter(self.current_filter())
        self._update_count()
        self._update_buttons()
        # A new filter is a new list: start at its top, not where the old one was scrolled.
        self.view.scrollToTop()
        current = self.detail.contact_id()
        if current is not None:
            row = self.model.row_of(current)
            if row >= 0:
                self.view.selectionModel().setCurrentIndex(
                    self.model.index(row, COL_NAME),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
            else:
                # The filter hid the contact shown: do not keep editing someone not listed.
                self.detail.show_contact(None)

    def _added_today(self) -> frozenset[int]:
        """Ids of the contacts added since local midnight (read when the filter is applied)."""
        midnight = datetime.combine(date.today(), time(0)).astimezone().astimezone(timezone.utc)
        return self.contacts.ids_added_since(midnight)

    def clear_filters(self) -> None:
        for widget in (self.search, self.relationship_filter, self.tag_filter):
            widget.blockSignals(True)
        self.search.clear()
        self.relationship_filter.setCurrentIndex(0)
        self.tag_filter.setCurrentIndex(0)
        for widget in (self.search, self.relationship_filter, self.tag_filter):
            widget.blockSignals(False)
        for box in (self.due_filter, self.never_filter, self.added_today_filter):
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)
        self._on_filter_changed()

    def _update_count(self) -> None:
        self.count_label.setText(count_text(self.model.rowCount(), self.model.total_count()))

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        cid = self.model.contact_id(current.row()) if current.isValid() else None
        if cid is not None and cid != self.detail.contact_id():
            self.detail.show_contact(cid)

    def _on_selection_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _saved_sort(self) -> tuple[int, Qt.SortOrder]:
        """The sort the user chose last time (kept across restarts), or by name."""
        state = self.context.settings.preferences.ui_state.get("contacts_table", {})
        column = state.get("sort_column") if isinstance(state, dict) else None
        order = state.get("sort_order") if isinstance(state, dict) else None
        if not isinstance(column, int) or not 0 <= column < self.model.columnCount():
            return COL_NAME, Qt.SortOrder.AscendingOrder
        descending = order == "descending"
        return column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder

    def _on_header_sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        state = self.context.settings.preferences.ui_state.setdefault("contacts_table", {})
        if not isinstance(state, dict):
            return
        state["sort_column"] = column
        state["sort_order"] = "descending" if order == Qt.SortOrder.DescendingOrder else "ascending"
        try:
            self.context.settings.save()
        except OSError:
            log.warning("Could not save the contacts sort order", exc_info=True)

    def _update_buttons(self, *_args: object) -> None:
        count = len(self.view.selectionModel().selectedRows())
        self.bulk_button.setEnabled(count > 0)
        self.delete_button.setEnabled(count > 0)
        self.bulk_button.setText(f"&Selected ({count:,})" if count else "&Selected")

    def _on_view_activated(self, _index: QModelIndex) -> None:
        self.detail.tabs.setCurrentIndex(0)
        self.detail.line_edits["name"].setFocus()

    def _search_for_picker(self, text: str) -> list[tuple[int, str]]:
        return [
            (row.id, f"{row.name} ({row.organisation})" if row.organisation else row.name)
            for row in self.model.search(text)
        ]

    def _name_of(self, contact_id: int) -> str:
        row = self.model.contact(contact_id)
        if row is not None:
            return row.name
        return self.contacts.names([contact_id]).get(contact_id, "(deleted contact)")

    # --- refresh after changes --------------------------------------------------------

    def _say(self, text: str) -> None:
        self.message.setText(text)

    def _on_changes(self, changes: Changes) -> None:
        """Re-read the rows an edit touched (everything when it touched very many)."""
        if changes.all_of("contacts") or len(changes.contacts) > RELOAD_ALL_OVER:
            self._dirty = True
            if not self._reload_pending:
                # One reload for a burst of changes (an import, then its touchpoints).
                self._reload_pending = True
                QTimer.singleShot(0, self._reload_if_dirty)
            return
        if changes.contacts:
            self._refresh_rows(changes.contacts)
        if changes.touches("events"):
            self.detail.set_events(self.contacts.event_choices())

    def _refresh_rows(self, ids: Collection[int]) -> None:
        if self.loading:
            self._dirty = True  # the rows being read may predate this change
        rows = self.contacts.rows(ids)
        found = {row.id for row in rows}
        self.model.remove_ids([cid for cid in ids if cid not in found])
        self.model.update_rows(rows)
        self._update_count()
        known = {self.tag_filter.itemData(i) for i in range(self.tag_filter.count())}
        if any(tag not in known for row in rows for tag in row.tags):
            self._reload_tags()  # a new tag: offer it in the filter

    def _reload_if_dirty(self) -> None:
        self._reload_pending = False
        if self._dirty and not self.loading:
            self.start_loading()

    def _run(self, command: Command, title: str) -> bool:
        """Carry out one user action as one undo step; a refusal is shown, nothing changes."""
        try:
            execute(self.context.undo_stack, command)
        except (ValidationError, NotFoundError) as exc:
            QMessageBox.warning(self, title, str(exc))
            return False
        return True

    # --- editing one contact ----------------------------------------------------------

    def save_fields(
        self, contact_id: int, changes: dict[str, Any], seen: ContactRecord | None = None
    ) -> ContactRecord:
        """Save an edit from the detail pane as one undo step; raises ValidationError.

        `seen` is the copy the user edited: if a teammate changed the contact since, their
        change is kept (a merge when the fields differ, the conflict dialog when they clash).
        """
        self._say("")
        command = EditContactFields(self.context.bus, self.contacts, contact_id, changes, seen)
        try:
            execute(self.context.undo_stack, command)
        except ConflictError as conflict:
            if seen is None:
                raise
            return self._resolve_conflict(contact_id, seen, changes, conflict.current)
        assert command.record is not None
        return command.record

    def _resolve_conflict(
        self,
        contact_id: int,
        seen: ContactRecord,
        changes: dict[str, Any],
        current: ContactRecord,
    ) -> ContactRecord:
        """Save `changes` on top of a teammate's newer version; returns the record now.

        Different fields merge by themselves (nothing is lost, the message line says so); the
        same field changed on both sides asks: keep mine, take theirs, or choose per field.
        What is saved is one undo step, as any edit.
        """
        from planner.core.conflicts import describe, find_conflict
        from planner.ui.dialogs.conflict_dialog import ConflictDialog

        for _attempt in range(3):
            conflict = find_conflict(seen, current, changes)
            wanted = dict(changes)
            if conflict.clashing:
                dialog = ConflictDialog(conflict, "contact", self)
                accepted = dialog.exec() == QDialog.DialogCode.Accepted
                wanted = dialog.choice() if accepted else {}
                dialog.deleteLater()
            else:
                self._say(f"{describe(conflict)}. Your change was added to theirs.")
            if not wanted:
                self.context.bus.changed.emit(Changes.of(contacts=[contact_id]))
                return current
            command = EditContactFields(
                self.context.bus, self.contacts, contact_id, wanted, current
            )
            try:
                execute(self.context.undo_stack, command)
            except ConflictError as again:
                seen, current = current, again.current
                continue
            assert command.record is not None
            return command.record
        raise ValidationError("", "This contact keeps changing under you; try again in a moment.")

    def new_item(self) -> None:
        dialog = NewContactDialog(self._find_duplicates, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.create_contact(dialog.draft())

    def _find_duplicates(self, draft: NewContactDraft) -> list[Any]:
        return self.contacts.find_duplicates(
            draft.name, draft.organisation, [draft.email] if draft.email else []
        )

    def create_contact(self, draft: NewContactDraft) -> ContactRecord:
        fields: dict[str, Any] = {
            "name": draft.name,
            "organisation": draft.organisation,
            "role": draft.role,
            "relationship": draft.relationship,
        }
        if draft.email:
            fields["emails"] = [LabeledValue("work", draft.email)]
        command = CreateContact(self.context.bus, self.contacts, fields)
        execute(self.context.undo_stack, command)
        record = command.record
        assert record is not None
        if self.model.row_of(record.id) < 0:
            self.clear_filters()
        self.select_contact(record.id)
        self.detail.show_contact(record.id)
        self._say(f"Added {record.name}.")
        return record

    def delete_selected(self) -> None:
        ids = self._target_ids()
        if not ids:
            return
        names = self.contacts.names(ids)
        if len(ids) == 1:
            question = (
                f"Delete {names.get(ids[0], 'this contact')}?\n\n"
                "Their touchpoints, referrals and follow-ups go too. You can undo this."
            )
        else:
            sample = ", ".join(names[i] for i in ids[:3] if i in names)
            more = f" and {len(ids) - 3:,} more" if len(ids) > 3 else ""
            question = (
                f"Delete {len(ids):,} contacts ({sample}{more})?\n\n"
                "Their touchpoints, referrals and follow-ups go too. You can undo this."
            )
        answer = QMessageBox.question(
            self,
            "Delete contacts" if len(ids) > 1 else "Delete contact",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        what = names.get(ids[0], "contact") if len(ids) == 1 else f"{len(ids):,} contacts"
        with _busy():
            if not self._run(DeleteContacts(self.context.bus, self.contacts, ids, what), "Delete"):
                return
        self._say(f"Deleted {what}. Ctrl+Z brings it back.")

    # --- touchpoints ------------------------------------------------------------------

    def _on_detail_log_touch(self) -> None:
        cid = self.detail.contact_id()
        if cid is not None:
            self.log_touchpoint([cid])

    def log_touchpoint(self, ids: Sequence[int] | None = None) -> None:
        """Log one touchpoint for each target contact (the selection), as one undo step."""
        targets = list(ids) if ids is not None else self._target_ids()
        if not targets:
            self._say("Select a contact to log a touchpoint.")
            return
        who = self._name_of(targets[0]) if len(targets) == 1 else f"{len(targets):,} contacts"
        dialog = TouchpointDialog(who, parent=self)
        while True:  # a save the database refused reopens the dialog with what was typed
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            draft = dialog.draft()
            command = LogTouchpoints(
                self.context.bus,
                self.touchpoints,
                targets,
                draft.occurred_on,
                draft.channel,
                draft.kind,
                draft.note,
                who=who,
            )
            try:
                execute(self.context.undo_stack, command)
            except (ValidationError, NotFoundError) as exc:
                QMessageBox.warning(self, "Log touchpoint", str(exc))
                return
            except StorageError as exc:
                dialog.show_save_problem(str(exc))
                continue
            break
        message = f"Logged a touchpoint with {who}."
        if draft.kind == "asked" and len(targets) == 1:
            balance = self.touchpoints.balance(targets[0])
            if balance.asked > balance.gave:
                # Workflow 3: see when you ask someone more often than you give.
                message += (
                    f" Last 12 months with them: asked {times_text(balance.asked)}, "
                    f"gave value {times_text(balance.gave)}."
                )
        self._say(message)

    def edit_touchpoint(self, record: TouchpointRecord) -> None:
        dialog = TouchpointDialog(self._name_of(record.contact_id), record, self)
        while True:  # a save the database refused reopens the dialog with what was typed
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            draft = dialog.draft()
            values = {
                "occurred_on": draft.occurred_on,
                "channel": draft.channel,
                "kind": draft.kind,
                "note": draft.note,
            }
            command = EditTouchpoint(self.context.bus, self.touchpoints, record, values)
            try:
                execute(self.context.undo_stack, command)
            except (ValidationError, NotFoundError) as exc:
                QMessageBox.warning(self, "Edit touchpoint", str(exc))
            except StorageError as exc:
                dialog.show_save_problem(str(exc))
                continue
            return

    def delete_touchpoint(self, record: TouchpointRecord) -> None:
        command = DeleteTouchpoints(self.context.bus, self.touchpoints, [record.id])
        try:
            execute(self.context.undo_stack, command)
        except NotFoundError as exc:
            self._say(str(exc))
            return
        self._say("Touchpoint deleted. Ctrl+Z brings it back.")

    # --- referrals --------------------------------------------------------------------

    def _referral_dialog(self, record: ReferralRecord | None) -> ReferralDialog:
        who = self._name_of(self.detail.contact_id() or 0)
        return ReferralDialog(who, self._search_for_picker, self._name_of, record, self)

    def add_referral(self) -> None:
        cid = self.detail.contact_id()
        if cid is None:
            return
        dialog = self._referral_dialog(None)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        d = dialog.draft()
        values = {
            "direction": d.direction,
            "occurred_on": d.occurred_on,
            "status": d.status,
            "other_contact_id": d.other_contact_id,
            "outcome": d.outcome,
            "note": d.note,
        }
        self._run(AddReferral(self.context.bus, self.referrals, cid, values), "Referral")

    def edit_referral(self, record: ReferralRecord) -> None:
        dialog = self._referral_dialog(record)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        d = dialog.draft()
        new = {
            "direction": d.direction,
            "status": d.status,
            "occurred_on": d.occurred_on,
            "other_contact_id": d.other_contact_id,
            "outcome": d.outcome,
            "note": d.note,
        }
        self._run(EditReferral(self.context.bus, self.referrals, record, new), "Referral")

    def delete_referral(self, record: ReferralRecord) -> None:
        self._run(DeleteReferral(self.context.bus, self.referrals, record), "Referral")

    # --- export -----------------------------------------------------------------------

    def export_selected(self) -> None:
        from planner.ui.dialogs.import_dialog import run_export

        ids = self.selected_ids()
        if ids:
            run_export(self.context, self, ids)

    def export_shown(self) -> None:
        """The filtered list (search and filters applied), as vCard or CSV."""
        from planner.ui.dialogs.import_dialog import run_export

        ids = self.model.visible_ids()
        if ids:
            run_export(self.context, self, ids)

    # --- bulk actions -----------------------------------------------------------------

    def bulk_add_tag(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        tag, ok = QInputDialog.getItem(
            self, "Add tag", f"Tag for {len(ids):,} contacts:", self.contacts.tag_names(), 0, True
        )
        tag = " ".join(str(tag).split())
        if not ok or not tag:
            return
        command = TagContacts(self.context.bus, self.contacts, ids, tag)
        self._say(f"Tagging {len(ids):,} contacts “{tag}”…")
        execute_in_background(
            self.context.undo_stack,
            command,
            lambda _c: self._say(f"Tagged {len(command.changed or []):,} contacts “{tag}”."),
            lambda exc: self._say(f"Could not tag the contacts: {exc}"),
        )

    def bulk_remove_tag(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        present = sorted(
            {t for cid in ids if (row := self.model.contact(cid)) for t in row.tags},
            key=str.casefold,
        )
        if not present:
            self._say("None of the selected contacts has a tag.")
            return
        tag, ok = QInputDialog.getItem(
            self, "Remove tag", f"Remove from {len(ids):,} contacts:", present, 0, False
        )
        if not ok or not tag:
            return
        command = TagContacts(self.context.bus, self.contacts, ids, tag, remove=True)
        self._say(f"Removing “{tag}” from {len(ids):,} contacts…")
        execute_in_background(
            self.context.undo_stack,
            command,
            lambda _c: self._say(f"Removed “{tag}” from {len(command.changed or []):,} contacts."),
            lambda exc: self._say(f"Could not remove the tag: {exc}"),
        )

    def _bulk_set(self, key: str, value: Any, text: str) -> None:
        ids = self.selected_ids()
        command = SetContactField(self.context.bus, self.contacts, ids, key, value, text)
        with _busy():
            if not self._run(command, text):
                return
        self._say(text + ".")

    def bulk_set_relationship(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        labels = list(RELATIONSHIPS.values())
        label, ok = QInputDialog.getItem(
            self, "Set relationship", f"Relationship for {len(ids):,} contacts:", labels, 0, False
        )
        if not ok or label not in labels:
            return
        key = list(RELATIONSHIPS)[labels.index(label)]
        self._bulk_set("relationship", key, f"Set {len(ids):,} contacts to {label}")

    def bulk_set_cadence(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        days, ok = QInputDialog.getInt(
            self,
            "Set cadence",
            f"Keep in touch with {len(ids):,} contacts every N days (0 = no cadence):",
            30,
            0,
            3650,
        )
        if not ok:
            return
        what = f"every {days} days" if days else "no cadence"
        self._bulk_set("cadence_days", days or None, f"Set {len(ids):,} contacts to {what}")
