"""A contact's organisations and communities, and where the user met them: a self-contained
part of the contact detail pane."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.core.errors import NotFoundError, ValidationError
from planner.core.organisation_links import OrganisationLinkService
from planner.core.organisation_queries import OrganisationQueries
from planner.core.organisation_records import KINDS, MembershipRecord
from planner.core.organisations import OrganisationService
from planner.core.text import fold
from planner.ui.commands import execute
from planner.ui.commands.base import Command
from planner.ui.commands.organisations import (
    JoinOrganisation,
    RemoveMember,
    SetHowMetOrganisation,
    SetMainOrganisation,
    SetMemberRole,
)
from planner.ui.context import TabContext
from planner.ui.dialogs import picker_dialog
from planner.ui.tabs.base import ChangeFollower

log = logging.getLogger(__name__)

# Picker id meaning "create an organisation with the typed name".
NEW_ORGANISATION = -1


class ContactOrganisationsWidget(QWidget):
    """Memberships (with the main organisation first) and the "met through" organisation.

    Every change is one undo step on the context's stack and sent on the bus.
    """

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactOrganisations")
        self.context = context
        self.service = OrganisationService(context.db)
        self.queries = OrganisationQueries(context.db)
        self.links = OrganisationLinkService(context.db)
        self._contact_id: int | None = None
        self._typed = ""

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Organisations and communities")
        title.setObjectName("contactOrganisationsTitle")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        self.list = QListWidget()
        self.list.setObjectName("contactMemberships")
        self.list.setAccessibleName("Organisations this contact belongs to")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemDoubleClicked.connect(self._on_list_item_double_clicked)
        self.list.currentRowChanged.connect(lambda _r: self._update_buttons())
        # A few rows are enough in the contact pane; it scrolls beyond that.
        self.list.setMinimumHeight(self.fontMetrics().height() * 3)
        self.list.setMaximumHeight(self.fontMetrics().height() * 8)
        layout.addWidget(self.list)

        row = QHBoxLayout()
        self.add_button = self._button(
            "addMembershipButton", "Add…", "Add an organisation", self._on_add_clicked
        )
        self.primary_button = self._button(
            "makePrimaryButton",
            "Make main",
            "Make it the contact's main organisation",
            self._on_primary_clicked,
        )
        self.role_button = self._button(
            "membershipRoleButton", "Role…", "Their role in the organisation", self._on_role_clicked
        )
        self.remove_button = self._button(
            "removeMembershipButton",
            "Remove",
            "Remove the organisation from this contact",
            self._on_remove_clicked,
        )
        for button in (self.add_button, self.primary_button, self.role_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        self.how_met_combo = QComboBox()
        self.how_met_combo.setObjectName("howMetOrganisation")
        self.how_met_combo.setAccessibleName("Met through organisation or community")
        self.how_met_combo.activated.connect(self._on_how_met_activated)
        label = QLabel("&Met through:")
        label.setBuddy(self.how_met_combo)
        form.addRow(label, self.how_met_combo)
        layout.addLayout(form)
        # Extra height goes below, so the widget reads top-down inside a taller pane.
        layout.addStretch(1)

        self.follower = ChangeFollower(
            self, context.bus, lambda _c: self.reload(), ("organisations", "contacts")
        )
        self.set_contact(None)

    def _button(
        self, name: str, text: str, accessible: str, slot: Callable[[], None]
    ) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        button.setToolTip(accessible)
        button.clicked.connect(slot)
        return button

    # --- public -------------------------------------------------------------------------

    def set_contact(self, contact_id: int | None) -> None:
        """Show this contact's organisations (None: an empty, disabled widget)."""
        self._contact_id = contact_id
        self.reload()

    def contact_id(self) -> int | None:
        return self._contact_id

    def memberships(self) -> list[MembershipRecord]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def reload(self) -> None:
        current = self._selected()
        keep = current.organisation_id if current is not None else None
        self.list.clear()
        with QSignalBlocker(self.how_met_combo):
            self.how_met_combo.clear()
            self.how_met_combo.addItem("— not through an organisation —", None)
        if self._contact_id is None:
            self.setEnabled(False)
            self._update_buttons()
            return
        try:
            memberships = self.queries.memberships(self._contact_id)
            state = self.links.contact_state(self._contact_id)
        except NotFoundError:
            self._contact_id = None
            self.setEnabled(False)
            return
        self.setEnabled(True)
        for record in memberships:
            text = record.name
            details = [KINDS.get(record.kind, record.kind)]
            if record.role:
                details.insert(0, record.role)
            text += f" — {', '.join(details)}"
            if record.primary:
                text = f"★ {text} (main)"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, record)
            item.setToolTip(text)
            self.list.addItem(item)
            if record.organisation_id == keep:
                self.list.setCurrentItem(item)
        with QSignalBlocker(self.how_met_combo):
            for oid, name in self.queries.choices():
                self.how_met_combo.addItem(name, oid)
            index = self.how_met_combo.findData(state.how_met_organisation_id)
            self.how_met_combo.setCurrentIndex(max(0, index))
        self._update_buttons()

    # --- actions ------------------------------------------------------------------------

    def _selected(self) -> MembershipRecord | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _update_buttons(self) -> None:
        selected = self._selected()
        has_contact = self._contact_id is not None
        self.add_button.setEnabled(has_contact)
        self.remove_button.setEnabled(selected is not None)
        self.role_button.setEnabled(selected is not None)
        self.primary_button.setEnabled(selected is not None and not selected.primary)

    def _search(self, text: str) -> list[tuple[int, str]]:
        self._typed = text.strip()
        needle = fold(text)
        mine = {r.organisation_id for r in self.memberships()}
        found = [
            (oid, name)
            for oid, name in self.queries.choices()
            if oid not in mine and all(w in fold(name) for w in needle.split())
        ][:300]
        exact = any(fold(name) == needle for _oid, name in found)
        if self._typed and not exact:
            found.insert(0, (NEW_ORGANISATION, f"New organisation “{self._typed}”"))
        return found

    def _on_add_clicked(self) -> None:
        contact_id = self._contact_id
        if contact_id is None:
            return
        ids = picker_dialog.pick_items(
            self,
            "Add an organisation or community",
            self._search,
            multi=False,
            hint="Type a name; pick it, or create it if it is new.",
        )
        if not ids:
            return
        chosen = None if ids[0] == NEW_ORGANISATION else ids[0]
        bus = self.context.bus
        self._run(JoinOrganisation(bus, self.service, self.links, contact_id, chosen, self._typed))

    def _on_remove_clicked(self) -> None:
        record = self._selected()
        contact_id = self._contact_id
        if record is not None and contact_id is not None:
            self._run(
                RemoveMember(
                    self.context.bus,
                    self.links,
                    record.organisation_id,
                    contact_id,
                    f"Remove {record.name} from a contact",
                )
            )

    def _on_primary_clicked(self) -> None:
        record = self._selected()
        contact_id = self._contact_id
        if record is not None and contact_id is not None:
            self._run(
                SetMainOrganisation(
                    self.context.bus,
                    self.links,
                    contact_id,
                    record.organisation_id,
                    f"Make {record.name} the main organisation",
                )
            )

    def _on_role_clicked(self) -> None:
        record = self._selected()
        contact_id = self._contact_id
        if record is None or contact_id is None:
            return
        role, ok = QInputDialog.getText(
            self, "Role in the organisation", f"Their role in {record.name}:", text=record.role
        )
        if not ok or role.strip() == record.role:
            return
        self._run(
            SetMemberRole(
                self.context.bus,
                self.links,
                record.organisation_id,
                contact_id,
                role,
                primary=record.primary,
                text=f"Change role in {record.name}",
            )
        )

    def _on_how_met_activated(self, index: int) -> None:
        contact_id = self._contact_id
        if contact_id is not None:
            organisation_id = self.how_met_combo.itemData(index)
            self._run(
                SetHowMetOrganisation(
                    self.context.bus, self.links, contact_id, organisation_id, "Change where we met"
                )
            )

    def _on_list_item_double_clicked(self, item: QListWidgetItem) -> None:
        record: MembershipRecord = item.data(Qt.ItemDataRole.UserRole)
        self.context.bus.open_requested.emit("organisation", record.organisation_id)

    def _run(self, command: Command) -> None:
        """One undo step; a refusal (the organisation was deleted meanwhile) is logged and
        the list re-read, nothing changed."""
        try:
            execute(self.context.undo_stack, command)
        except (ValidationError, NotFoundError) as exc:
            log.warning("%s: %s", command.text(), exc)
            self.reload()
