"""Double-clicking "Role there" in an organisation edits the role in place (undoable) instead
of jumping to Contacts; other cells still open the contact."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from planner.core.contact_rows import new_contact
from planner.core.organisation_links import OrganisationLinkService
from planner.core.organisation_queries import OrganisationQueries
from planner.core.organisations import OrganisationService
from planner.ui.context import TabContext
from planner.ui.models.organisation_models import MemberTableModel
from planner.ui.tabs.organisations_tab import OrganisationsTab


def test_role_there_is_edited_in_place(qtbot: Any, tab_context: TabContext) -> None:
    service = OrganisationService(tab_context.db)
    org = service.create("ACM")[0]
    with tab_context.db.session() as s:
        cid = new_contact(s, "Ana Ruiz", link_organisation=False).id
    OrganisationLinkService(service.db).link_contact(org.id, cid, role="Member")
    tab = OrganisationsTab(tab_context)
    qtbot.addWidget(tab)
    tab.resize(1200, 780)
    tab.show()
    qtbot.waitUntil(lambda: not tab.data_pending())  # type: ignore[attr-defined]
    tab.show_item("organisation", org.id)
    qtbot.waitUntil(lambda: tab.member_model.rowCount() == 1)
    opened: list[tuple[str, int]] = []
    tab_context.bus.open_requested.connect(lambda kind, i: opened.append((kind, i)))
    view = tab.member_view
    tab.links.setCurrentIndex(0)
    QApplication.processEvents()
    index = view.model().index(0, MemberTableModel.COL_ROLE)
    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    assert opened == []  # no jump to Contacts
    editor.selectAll()
    qtbot.keyClicks(editor, "Programme chair")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: OrganisationQueries(service.db).members(org.id)[0].role == "Programme chair"
    )
    tab_context.undo_stack.undo()
    assert OrganisationQueries(service.db).members(org.id)[0].role == "Member"
