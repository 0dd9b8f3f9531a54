"""The Organisations tab's links (a part of its controller): members, hosted events and
touchpoints there, each change one named undo command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QTableView

from planner.core.organisation_links import OrganisationLinkService
from planner.core.organisation_queries import OrganisationQueries
from planner.core.organisation_records import MemberRecord, OrganisationRecord
from planner.ui.commands.base import Command
from planner.ui.commands.organisations import (
    AddMembers,
    LinkTypedOrganisations,
    RemoveMember,
    SetEventHosts,
    SetMemberRole,
    SetTouchpointOrganisations,
)
from planner.ui.context import TabContext
from planner.ui.dialogs import picker_dialog
from planner.ui.models.organisation_models import IdRole

if TYPE_CHECKING:
    from planner.ui.tabs.organisations_view import OrganisationsView

    _Base = OrganisationsView
else:
    _Base = object


class OrganisationLinks(_Base):
    """Mixed into OrganisationsTab, which provides the widgets, `_run` and `_current`."""

    context: TabContext
    queries: OrganisationQueries
    links_service: OrganisationLinkService
    _current: OrganisationRecord | None

    if TYPE_CHECKING:

        def _run(self, command: Command) -> bool: ...

        def _show_message(self, message: str) -> None: ...

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
        ids = picker_dialog.pick_items(
            self, f"Add contacts to {record.name}", self.queries.search_contacts
        )
        if ids:
            self._run(AddMembers(self.context.bus, self.links_service, record, ids))

    def _on_member_role_edited(self, member: MemberRecord, role: str) -> None:
        record = self._current
        if record is not None:
            self._run(
                SetMemberRole(
                    self.context.bus,
                    self.links_service,
                    record.id,
                    member.contact_id,
                    role,
                    primary=member.primary,
                    text=f"Change {member.name}'s role in {record.name}",
                )
            )

    def _on_remove_member(self) -> None:
        record = self._current
        contact_id = self._selected_id(self.member_view)
        if record is not None and contact_id is not None:
            self._run(
                RemoveMember(
                    self.context.bus,
                    self.links_service,
                    record.id,
                    contact_id,
                    f"Remove a contact from {record.name}",
                )
            )

    def _on_link_events(self) -> None:
        record = self._current
        if record is None:
            return
        ids = picker_dialog.pick_items(
            self, f"Events hosted by {record.name}", self.queries.search_events
        )
        if ids:
            self._run(
                SetEventHosts(
                    self.context.bus,
                    self.links_service,
                    ids,
                    record.id,
                    f"Link {len(ids)} event(s) to {record.name}",
                )
            )

    def _on_unlink_event(self) -> None:
        event_id = self._selected_id(self.event_view)
        if self._current is not None and event_id is not None:
            self._run(
                SetEventHosts(
                    self.context.bus,
                    self.links_service,
                    [event_id],
                    None,
                    f"Unlink an event from {self._current.name}",
                )
            )

    def _on_link_touchpoints(self) -> None:
        record = self._current
        if record is None:
            return
        ids = picker_dialog.pick_items(
            self,
            f"Touchpoints at {record.name}",
            lambda text: self.queries.search_member_touchpoints(record.id, text),
            hint="Touchpoints logged with its members. Add members first to see theirs.",
        )
        if ids:
            self._run(
                SetTouchpointOrganisations(
                    self.context.bus,
                    self.links_service,
                    ids,
                    record.id,
                    f"Link {len(ids)} touchpoint(s) to {record.name}",
                )
            )

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
        self._run(
            SetTouchpointOrganisations(
                self.context.bus,
                self.links_service,
                [touch_id],
                None,
                f"Unlink a touchpoint from {self._current.name}",
            )
        )

    def _on_link_text_clicked(self) -> None:
        command = LinkTypedOrganisations(self.context.bus, self.links_service)
        # A second or two for tens of thousands of imported contacts: show it is working.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            done = self._run(command)
        finally:
            QApplication.restoreOverrideCursor()
        if not done:
            return
        count, made = command.made.count, len(command.made.created)
        self._show_message(
            f"Linked {count} contact(s); {made} new organisation(s)."
            if count
            else "Every typed organisation name is already linked."
        )
