"""The Contacts tab's controller: find anyone instantly, edit them in place, log
touchpoints, bulk edit. The widgets are in contacts_view, the edit actions in
contacts_actions; this module loads the rows, filters, selects and follows changes."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QPaintEvent, QShowEvent
from PySide6.QtWidgets import QWidget

from planner.core.changes import Changes
from planner.core.contacts import ContactService, ContactTable
from planner.core.import_batches import ImportBatchService
from planner.core.photos import PhotoService
from planner.core.referrals import ReferralService
from planner.core.warm_intros import WarmIntroService
from planner.ui.context import TabContext
from planner.ui.models.contact_columns import COL_NAME
from planner.ui.models.contact_photos import ContactPhotoCache
from planner.ui.models.contact_rows import ContactFilter
from planner.ui.tabs.base import ChangeFollower
from planner.ui.tabs.contacts_actions import ContactActions
from planner.ui.tabs.contacts_filters import (
    RECENT_IMPORTS,
    SetChoice,
    both_filters,
    count_text,
    fill_imports,
    read_set,
)
from planner.ui.tabs.contacts_intros import WarmIntroFilter, fill_organisations
from planner.ui.tabs.contacts_load import Loaded, read_list
from planner.ui.tabs.contacts_pane import DetailPaneHost
from planner.ui.tabs.contacts_view import ContactsTabView, ContactsView
from planner.ui.tasks import run_task
from planner.ui.widgets.sort_keeps_place import keep_current_row_in_view_on_sort

if TYPE_CHECKING:
    from planner.core.touchpoints import TouchpointService
    from planner.ui.widgets.contact_detail import ContactDetail

__all__ = ["ContactsTab", "ContactsView", "count_text"]

# An edit touching more contacts than this reloads the whole list instead of those rows.
RELOAD_ALL_OVER = 5_000
# A tab shown but not painted by then (a minimised window) starts reading anyway.
FIRST_PAINT_WAIT_MS = 200


class ContactsTab(DetailPaneHost, ContactActions, WarmIntroFilter, ContactsTabView):
    # Emitted when a (re)load has put the rows in the list.
    load_finished = Signal()
    # The warm-intro filter has put its answer in the list (contacts_intros).
    intros_applied = Signal()

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.contacts = ContactService(context.db, lambda: context.settings.preferences)
        self._touchpoints: TouchpointService | None = None
        self.referrals = ReferralService(context.db)
        self.imports = ImportBatchService(context.db)
        # Photo thumbnails in the name column, read a screenful at a time.
        self.photos = ContactPhotoCache(self.model, PhotoService(context.db).photos, context.bus)
        # What the set filters (added today, imported in) let through; None: all.
        self._only_ids: frozenset[int] | None = None
        self._dirty = False
        self._reload_pending = False
        self._generation = 0
        # The events last put in the how-we-met list (refilled only when they change).
        self._events_shown: list[tuple[int, str, date | None]] | None = None
        # True while a worker thread reads the contacts (see start_loading).
        self.loading = False
        # The contact to select again once a search has found all its rows (after a filter
        # change; after a reload, which keeps it shown even if the filter now hides it).
        self._keep_current: int | None = None
        self._reselect: int | None = None
        # The detail pane, built when first needed (see `detail`); until then its
        # placeholder, and the tag names it will offer.
        self._detail: ContactDetail | None = None
        self._tag_names: list[str] = []
        self._init_intros(WarmIntroService(context.db))
        self._restore_sort()
        self._connect_widgets()
        self._connect_bus()
        # The first read starts once the tab has painted, or at once when it was built
        # hidden: its workers take the GIL from this thread in bursts, and the first paint
        # (every widget polished, through Python event filters) would wait for them.
        self.loading = True
        self.count_label.setText("Loading contacts…")
        self._first_load = QTimer(self)
        self._first_load.setSingleShot(True)
        self._first_load.timeout.connect(self._start_first_load)
        QTimer.singleShot(0, self._on_built)

    @property
    def touchpoints(self) -> TouchpointService:
        """Made when first used: its module pulls in the organisations' rules, which the
        list does not need to show up."""
        if self._touchpoints is None:
            from planner.core.touchpoints import TouchpointService

            self._touchpoints = TouchpointService(self.context.db)
        return self._touchpoints

    # --- wiring -----------------------------------------------------------------------

    def _connect_widgets(self) -> None:
        self.search.textChanged.connect(self._on_filter_changed)
        for combo in (self.relationship_filter, self.tag_filter):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        for box in (self.due_filter, self.never_filter):
            box.toggled.connect(self._on_filter_changed)
        self.added_today_filter.toggled.connect(self._on_set_filter_changed)
        self.import_filter.currentIndexChanged.connect(self._on_set_filter_changed)
        self.new_button.clicked.connect(self.new_item)
        # clicked(bool) would land in log_touchpoint's ids: drop the argument.
        self.log_button.clicked.connect(lambda _c=False: self.log_touchpoint())
        self.log_action.triggered.connect(lambda _c=False: self.log_touchpoint())
        self.delete_button.clicked.connect(self.delete_selected)
        for action, slot in (
            (self.add_tag_action, self.bulk_add_tag),
            (self.remove_tag_action, self.bulk_remove_tag),
            (self.set_relationship_action, self.bulk_set_relationship),
            (self.set_cadence_action, self.bulk_set_cadence),
            (self.log_selected_action, self.log_touchpoint),
            (self.export_selected_action, self.export_selected),
            (self.export_shown_action, self.export_shown),
            (self.bulk_delete_action, self.delete_selected),
        ):
            action.triggered.connect(lambda _c=False, slot=slot: slot())
        self.view.set_user_widths(self._saved_widths())
        self.view.widths_changed.connect(self._on_view_widths_changed)
        self.model.search_finished.connect(self._on_model_search_finished)
        # After a reload or a delete the selection can shrink without selectionChanged.
        for signal in (self.model.modelReset, self.model.rowsRemoved, self.model.layoutChanged):
            signal.connect(self._update_buttons)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.view.activated.connect(self._on_view_activated)
        self._update_buttons()

    def _restore_sort(self) -> None:
        """The sort the user chose last time, before the first load (which sorts by it)."""
        header = self.view.horizontalHeader()
        header.setSortIndicator(*self._saved_sort())
        self.view.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        keep_current_row_in_view_on_sort(self.view)

    def _connect_bus(self) -> None:
        bus = self.context.bus
        self.follower = ChangeFollower(
            self, bus, self._on_changes, ("contacts", "touchpoints", "referrals", "events")
        )

    # --- loading ----------------------------------------------------------------------

    def _on_built(self) -> None:
        if self._first_load.isActive() or self._generation:
            return  # started already (a reload), or waiting for the first paint
        if self._paints_soon():
            # Shown: the first paint starts the read (paintEvent); this is for a window
            # that shows but never paints (minimised).
            self._first_load.start(FIRST_PAINT_WAIT_MS)
        else:
            self._start_first_load()

    def _paints_soon(self) -> bool:
        """Shown, or about to be: a widget put into a window that is already shown (as a
        main window's central widget) is shown by a queued call, which may come after this
        one. Only a tab hidden on purpose (another tab's page) or in no shown window reads
        at once."""
        if self.isVisible():
            return True
        hidden_on_purpose = self.isHidden() and self.testAttribute(
            Qt.WidgetAttribute.WA_WState_ExplicitShowHide
        )
        return self.window().isVisible() and not hidden_on_purpose

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._generation and self._first_load.remainingTime() != 0:
            self._first_load.start(0)  # after this paint, in the next turn of the loop

    def _start_first_load(self) -> None:
        if not self._generation:
            self.start_loading()

    def start_loading(self) -> None:
        """Load every contact off the GUI thread (contacts_load): with 100,000 the window
        stays responsive."""
        self._first_load.stop()
        self._generation += 1
        self.loading = True
        self._dirty = False
        if self.model.total_count() == 0:
            self.count_label.setText("Loading contacts…")
        generation = self._generation
        choice = self._set_choice()
        team = not self.intro_filter.isHidden()
        header = self.view.horizontalHeader()
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        sort = (header.sortIndicatorSection(), descending)
        contacts, imports, intros = self.contacts, self.imports, self.intros
        run_task(
            lambda: read_list(contacts, imports, intros, choice, team, sort),
            lambda loaded: self._on_rows_loaded(generation, loaded),
            lambda exc: self._on_rows_loaded(generation, exc),
            owner=self,
            name="load contacts",
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
        self._first_load.stop()
        self._generation += 1
        self.loading = False
        self._dirty = False
        self._apply_rows(self.contacts.table_data())
        self.load_finished.emit()

    def _apply_rows(self, data: ContactTable | Loaded) -> None:
        current = self._shown_id()
        if isinstance(data, Loaded):
            fill_imports(self.import_filter, data.imports)
            fill_organisations(self.intro_filter, data.organisations)
            if data.choice == self._set_choice():
                self._only_ids = data.only_ids
            else:  # the import chosen was undone meanwhile
                self._only_ids = read_set(self.contacts, self.imports, self._set_choice())
            self.model.set_rows(data.table.rows, data.table.tags, data.index)
            self._reload_tags(data.tag_names)
            events = data.events
        else:
            fill_imports(self.import_filter, self.imports.recent(RECENT_IMPORTS))
            fill_organisations(self.intro_filter, self.intros.organisations())
            self._only_ids = read_set(self.contacts, self.imports, self._set_choice())
            self.model.set_rows(data.rows, data.tags)
            self._reload_tags()
            events = self.contacts.event_choices()
        self._show_events(events)
        # A new import, or new contacts today, change what the set filters let through.
        self.model.set_filter(self.current_filter())
        if self._intro_ids is not None:
            self.refresh_intros()  # teammates may know more people there now
        self._update_count()
        if current is not None:
            if self.model.searching():
                self._reselect = current  # once the search has found all the rows
            else:
                self.select_contact(current)
            self.detail.refresh_in_background()

    def _show_events(self, events: list[tuple[int, str, date | None]]) -> None:
        if events != self._events_shown:  # refilling the how-we-met list costs tens of ms
            self._events_shown = events
            if self._detail is not None:
                self._detail.set_events(events)

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
        self._tag_names = tags
        if self._detail is not None:
            self._detail.tags.set_known_tags(tags)

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
        shown = self._shown_id()
        if not ids and shown is not None:
            ids = [shown]
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
            only_ids=both_filters(self._only_ids, self._intro_ids),
        )

    def _set_choice(self) -> SetChoice:
        return SetChoice(self.added_today_filter.isChecked(), self.import_filter.currentData())

    def _on_set_filter_changed(self, *_args: object) -> None:
        """Read which contacts the set filters let through now, then filter."""
        self._only_ids = read_set(self.contacts, self.imports, self._set_choice())
        self._on_filter_changed()

    def _on_filter_changed(self, *_args: object) -> None:
        self.model.set_filter(self.current_filter())
        self._update_count()
        self._update_buttons()
        # A new filter is a new list: start at its top, not where the old one was scrolled.
        self.view.scrollToTop()
        self._keep_current = self._shown_id()
        self._select_kept()

    def _select_kept(self) -> None:
        """Select the contact shown in the detail pane in the new list, or stop showing it
        when the filter hid it (not to keep editing someone not listed); while the search
        is still appending rows, decide when it has found them all."""
        current = self._keep_current
        if current is None or current != self._shown_id():
            return
        row = self.model.row_of(current, finish=False)
        if row >= 0:
            self.view.selectionModel().setCurrentIndex(
                self.model.index(row, COL_NAME),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        elif not self.model.searching():
            self.detail.show_contact(None)
        else:
            return
        self._keep_current = None

    def _on_model_search_finished(self) -> None:
        self._update_count()
        self._select_kept()
        reselect, self._reselect = self._reselect, None
        if reselect is not None and reselect == self._shown_id():
            self.select_contact(reselect)

    def clear_filters(self) -> None:
        combos = (self.relationship_filter, self.tag_filter, self.import_filter)
        for widget in (self.search, *combos):
            widget.blockSignals(True)
        self.search.clear()
        for combo in combos:
            combo.setCurrentIndex(0)
        for widget in (self.search, *combos):
            widget.blockSignals(False)
        for box in (self.due_filter, self.never_filter, self.added_today_filter):
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)
        self._only_ids = None
        self.clear_intro_filter()
        self._on_filter_changed()

    def _update_count(self) -> None:
        if self.model.searching():
            self.count_label.setText("Searching…")
        else:
            self.count_label.setText(count_text(self.model.rowCount(), self.model.total_count()))

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        cid = self.model.contact_id(current.row()) if current.isValid() else None
        if cid is not None and cid != self._shown_id():
            self.detail.show_contact(cid)

    def _on_selection_changed(self, *_args: object) -> None:
        self._update_buttons()

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
        if self._intro_ids is not None and changes.touches("contacts", "touchpoints"):
            self.refresh_intros()
        if changes.touches("events"):
            self._show_events(self.contacts.event_choices())

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
