"""The Organisations tab's behaviour (the controller): loading the list and the detail
pane, saving each edit as one named undo command, and the links to contacts, events and
touchpoints. The widgets are built in organisations_view."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSignalBlocker, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from planner.core.errors import ConflictError, NotFoundError, ValidationError
from planner.core.organisation_links import OrganisationLinkService
from planner.core.organisation_queries import OrganisationQueries
from planner.core.organisation_records import EDITABLE, OrganisationRecord, OrganisationSummary
from planner.core.organisations import OrganisationService
from planner.ui.commands import execute
from planner.ui.commands.base import Command
from planner.ui.commands.organisations import (
    CreateOrganisation,
    DeleteOrganisation,
    EditOrganisation,
)
from planner.ui.context import TabContext
from planner.ui.dialogs.event_conflicts import save_over_theirs
from planner.ui.models.organisation_models import IdRole
from planner.ui.tabs.base import ChangeFollower, FirstRead, ShowsWhole, SlicedBuild, lay_out_now
from planner.ui.tabs.organisations_links import OrganisationLinks
from planner.ui.tabs.organisations_view import ANY, OrganisationsView, fit_columns

# Key in Preferences.ui_state for the splitter and filters (saved with the window state).
STATE_KEY = "organisations_tab"


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


# What one organisation's detail pane shows: (record, members, events, touchpoints, reminders).
Detail = tuple[OrganisationRecord, list[Any], list[Any], list[Any], list[Any]]


class OrganisationsTab(ShowsWhole, OrganisationLinks, OrganisationsView):
    """The first read waits for the first show and runs off the GUI thread (the list's counts
    and the first organisation's links take 300-500 ms at 100,000 contacts)."""

    # After the first read, whether it worked or not (the main window waits for it).
    load_finished = Signal()

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        self.context = context
        self.service = OrganisationService(context.db)
        self.queries = OrganisationQueries(context.db)
        self.links_service = OrganisationLinkService(context.db)
        self._current: OrganisationRecord | None = None
        self.first_read = FirstRead(self, "the organisations", lambda: self.load_finished.emit())
        later: list[Callable[[], object]] = []
        super().__init__(parent, later)
        # Activity elsewhere moves nudges inside the services; this tab only re-reads.
        self.follower = ChangeFollower(
            self,
            context.bus,
            lambda _changes: self._refresh(),
            ("organisations", "contacts", "events", "touchpoints", "follow_ups"),
            first_load=self._refresh,
        )
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(120)
        self._search_timer.timeout.connect(self.reload)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        later += [self._connect, self._restore_state, lambda: self.title.setText("Loading…")]
        self.builder = SlicedBuild(self, later)  # after the follower (see SlicedBuild)

    def _connect(self) -> None:
        for combo in (self.kind_filter, self.status_filter, self.role_filter):
            combo.currentIndexChanged.connect(lambda _i: (self.reload(), self._save_state()))
        self.new_button.clicked.connect(self.new_item)
        self.delete_button.clicked.connect(self.delete_selected)
        self.link_text_button.clicked.connect(self._on_link_text_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.splitter.splitterMoved.connect(lambda _pos, _index: self._save_state())
        self.open_website_button.clicked.connect(self._on_open_website_clicked)
        for field, edit in self.line_fields.items():
            edit.editingFinished.connect(lambda f=field, e=edit: self._save(f, e.text()))
        for field, combo in self.combo_fields.items():
            combo.activated.connect(lambda _i, f=field, c=combo: self._save(f, c.currentData()))
        self.joined_edit.date_changed.connect(lambda v: self._save("joined_on", v))
        self.renewal_edit.date_changed.connect(lambda v: self._save("renewal_on", v))
        self.fee_edit.editingFinished.connect(self._on_fee_edited)
        self.every_spin.editingFinished.connect(
            lambda: self._save("activity_every_days", self.every_spin.value() or None)
        )
        self.notes_edit.left.connect(lambda: self._save("notes", self.notes_edit.toPlainText()))
        self.member_view.activated.connect(lambda idx: self._open("contact", self.member_view, idx))
        self.member_model.role_edited = self._on_member_role_edited
        self.event_view.activated.connect(lambda idx: self._open("event", self.event_view, idx))
        self.reminder_view.activated.connect(
            lambda idx: self._open("followup", self.reminder_view, idx)
        )
        self.add_member_button.clicked.connect(self._on_add_members)
        self.remove_member_button.clicked.connect(self._on_remove_member)
        self.link_event_button.clicked.connect(self._on_link_events)
        self.unlink_event_button.clicked.connect(self._on_unlink_event)
        self.link_touchpoint_button.clicked.connect(self._on_link_touchpoints)
        self.unlink_touchpoint_button.clicked.connect(self._on_unlink_touchpoint)

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
        names = {n.casefold() for _i, n in self.queries.choices()}
        name, n = "New organisation", 2
        while name.casefold() in names:
            name, n = f"New organisation {n}", n + 1
        command = CreateOrganisation(
            self.context.bus,
            self.service,
            name,
            kind="professional_association",
            my_role="considering",
        )
        if not self._run(command):
            return
        assert command.record is not None
        self._clear_filters()
        self.select(command.record.id)
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
        if record is not None and self._run(
            DeleteOrganisation(self.context.bus, self.service, record)
        ):
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

    def data_pending(self) -> bool:
        """True until the first read has been shown (load_finished follows)."""
        return not self.first_read.loaded

    def _list_reader(self) -> Callable[[], list[OrganisationSummary]]:
        """The list's read with the filters as they are now (callable on any thread)."""
        queries, search = self.queries, self.search_edit.text()
        kind, status, role = (
            self._filter_value(c) for c in (self.kind_filter, self.status_filter, self.role_filter)
        )
        return lambda: queries.list_organisations(search, kind=kind, status=status, role=role)

    def _refresh(self) -> None:
        """Read again: at once once something is shown, else (again) in the background."""
        if self.first_read.loaded:
            self.reload()
        else:
            self._read_in_background()

    def _read_in_background(self) -> None:
        """The first read: the list on a worker, then the first organisation's detail on a
        worker; the window keeps responding. Any user action meanwhile reads at once."""

        def listed(rows: list[OrganisationSummary]) -> bool:
            self._show_rows(rows)
            if not self.model.rowCount():
                self._show_record(None)
                return True
            self.table.selectionModel().blockSignals(True)
            self.table.selectRow(0)
            self.table.selectionModel().blockSignals(False)
            chosen = int(self.model.data(self.model.index(0, 0), IdRole))
            self.first_read.follow(lambda: self._read_detail(chosen), detailed, fail)
            return False

        def detailed(detail: Detail | None) -> None:
            self._show_detail(detail)
            lay_out_now(self.table, self.member_view, self.event_view, self.touch_view)

        def fail(exc: BaseException) -> None:
            self._show_message(f"The organisations could not be read: {exc}")

        self.first_read.start(self._list_reader(), listed, fail)

    def reload(self) -> None:
        """Refill the list (keeping the selection) and the detail pane."""
        self.first_read.read_here()
        keep = self._current.id if self._current is not None else None
        self._show_rows(self._list_reader()())
        if keep is not None and self.model.row_of_id(keep) >= 0:
            self.select(keep)
        elif self.model.rowCount():
            before = self.table.currentIndex()
            self.table.selectRow(0)
            if self.table.currentIndex() == before:  # no current-row signal read it
                self._on_table_current_changed(self.table.currentIndex(), QModelIndex())
        else:
            self._show_record(None)

    def _show_rows(self, rows: list[OrganisationSummary]) -> None:
        self.table.selectionModel().blockSignals(True)
        self.model.set_rows(rows)
        self.table.selectionModel().blockSignals(False)
        fit_columns(self.table, self.model, skip=self.model.COL_NAME)

    def select(self, organisation_id: int | None) -> None:
        if organisation_id is None:
            return
        row = self.model.row_of_id(organisation_id)
        if row < 0:
            self.reload()
            row = self.model.row_of_id(organisation_id)
            if row < 0:
                return
        index = self.model.index(row, 0)
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
        self._load_detail(int(self.model.data(current, IdRole)))

    def _load_detail(self, organisation_id: int) -> None:
        self.first_read.read_here()
        self._show_detail(self._read_detail(organisation_id))

    def _read_detail(self, organisation_id: int) -> Detail | None:
        """The record and its links (None when it is gone); callable on any thread."""
        try:
            record = self.service.get(organisation_id)
        except NotFoundError:
            return None
        return self._with_links(record)

    def _with_links(self, record: OrganisationRecord) -> Detail:
        """`record` and what links to it (callable on any thread)."""
        queries = self.queries
        return (
            record,
            queries.members(record.id),
            queries.events(record.id),
            queries.touchpoints(record.id),
            queries.reminders(record.id),
        )

    def _show_detail(self, detail: Detail | None) -> None:
        if detail is None:
            self._show_record(None)
            return
        self._current = detail[0]
        self.fill_form(detail[0])
        self.fill_links(*detail[1:])

    def _show_record(self, record: OrganisationRecord | None) -> None:
        self._current = record
        if record is None:
            if self.model.rowCount():
                empty = "No organisation selected"
            elif self._filtered():
                empty = "No organisation matches the search or filters."
            else:
                empty = "No organisations yet. Press Ctrl+N to add one."
            self.fill_form(None, empty)
            self.fill_links([], [], [], [])
            return
        self._show_detail(self._with_links(record))

    # --- editing ------------------------------------------------------------------------

    def _run(self, command: Command) -> bool:
        """Carry out one user action as one undo step; a refusal is said, nothing changes."""
        try:
            execute(self.context.undo_stack, command)
        except ValidationError as exc:
            self._show_error(exc.message or str(exc))
            return False
        except NotFoundError as exc:
            self._show_message(str(exc))
            self.reload()
            return False
        return True

    def _save(self, field: str, value: Any) -> None:
        """Save one field as one undo step; a bad value is explained and put back; a
        teammate's newer save is kept and this edit goes on top of it (team databases)."""
        record = self._current
        if record is None:
            return
        if field == "name":
            value = " ".join(str(value).split())
        if value == getattr(record, field):
            self.error_label.hide()
            return
        try:
            saved = self._save_values(record, {field: value})
        except ConflictError as conflict:
            try:
                saved = save_over_theirs(
                    self,
                    "organisation",
                    EDITABLE,
                    record,
                    {field: value},
                    conflict.current,
                    self._save_values,
                    self._show_message,
                )
            except ValidationError as exc:
                self._show_record(self.service.get(record.id))
                self._show_error(exc.message or str(exc))
                return
        except ValidationError as exc:
            self._show_record(record)
            self._show_error(exc.message or str(exc))
            return
        except NotFoundError:
            self.reload()
            return
        self.error_label.hide()
        self._show_record(saved)

    def _save_values(self, seen: OrganisationRecord, values: dict[str, Any]) -> OrganisationRecord:
        """One undo step expecting `seen`'s version; raises ConflictError if it moved on."""
        command = EditOrganisation(self.context.bus, self.service, seen, values)
        execute(self.context.undo_stack, command)
        assert command.record is not None
        return command.record

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

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _show_message(self, message: str) -> None:
        self.message.setText(message)
