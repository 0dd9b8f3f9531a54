"""The contact pane's organisations widget: memberships, main organisation, where we met."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from planner.core.changes import Changes
from planner.core.contact_rows import new_contact
from planner.core.organisation_links import OrganisationLinkService
from planner.core.organisation_queries import OrganisationQueries
from planner.core.organisations import OrganisationService
from planner.db import models as m
from planner.db.database import Database
from planner.ui.context import TabContext
from planner.ui.dialogs import picker_dialog
from planner.ui.widgets.contact_organisations_widget import (
    NEW_ORGANISATION,
    ContactOrganisationsWidget,
)


@pytest.fixture
def widget(qtbot: Any, tab_context: TabContext) -> ContactOrganisationsWidget:
    w = ContactOrganisationsWidget(tab_context)
    qtbot.addWidget(w)
    w.show()
    return w


def _contact(db: Database, name: str, organisation: str = "") -> int:
    with db.session() as s:
        return new_contact(s, name, organisation=organisation, link_organisation=False).id


def _picks(monkeypatch: pytest.MonkeyPatch, typed: str, choose: Any) -> list[list[str]]:
    """Patch the picker: type `typed`, then choose the id choose(results) returns."""
    seen: list[list[str]] = []

    def fake_pick(_parent: Any, _title: str, search: Any, **_kw: Any) -> list[int]:
        found = search(typed)
        seen.append([label for _i, label in found])
        return [choose(found)]

    monkeypatch.setattr(picker_dialog, "pick_items", fake_pick)
    return seen


def test_no_contact_means_disabled(widget: ContactOrganisationsWidget) -> None:
    assert not widget.isEnabled()
    assert widget.list.count() == 0


def test_add_existing_and_new_organisations_with_undo(
    qtbot: Any,
    widget: ContactOrganisationsWidget,
    tab_context: TabContext,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service = OrganisationService(db)
    acm = service.create("ACM", kind="professional_association")[0]
    cid = _contact(db, "Ana", "Globex")
    widget.set_contact(cid)
    assert widget.isEnabled() and widget.list.count() == 0

    seen = _picks(monkeypatch, "acm", lambda found: next(i for i, _ in found if i == acm.id))
    with qtbot.waitSignal(tab_context.bus.changed):
        qtbot.mouseClick(widget.add_button, Qt.MouseButton.LeftButton)
    assert seen[-1] == ["ACM"]
    assert [r.name for r in widget.memberships()] == ["ACM"]
    # The first organisation becomes the main one; the typed text stays "Globex".
    assert widget.memberships()[0].primary
    with db.session() as s:
        assert (s.get(m.Contact, cid).organisation, s.get(m.Contact, cid).organisation_id) == (
            "Globex",
            acm.id,
        )

    seen = _picks(monkeypatch, "Rust Discord", lambda found: NEW_ORGANISATION)
    qtbot.mouseClick(widget.add_button, Qt.MouseButton.LeftButton)
    assert seen[-1][0] == "New organisation “Rust Discord”"
    assert [r.name for r in widget.memberships()] == ["ACM", "Rust Discord"]

    stack = tab_context.undo_stack
    stack.undo()
    assert [r.name for r in widget.memberships()] == ["ACM"]
    assert OrganisationQueries(service.db).find_by_name("Rust Discord") is None
    stack.redo()
    assert [r.name for r in widget.memberships()] == ["ACM", "Rust Discord"]
    stack.undo()
    stack.undo()
    assert widget.memberships() == []
    with db.session() as s:
        assert s.get(m.Contact, cid).organisation_id is None


def test_make_main_role_remove_and_met_through(
    qtbot: Any,
    widget: ContactOrganisationsWidget,
    tab_context: TabContext,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service = OrganisationService(db)
    acm = service.create("ACM")[0]
    ieee = service.create("IEEE")[0]
    cid = _contact(db, "Ana")
    OrganisationLinkService(service.db).link_contact(acm.id, cid)
    OrganisationLinkService(service.db).link_contact(ieee.id, cid)
    widget.set_contact(cid)
    assert [(r.name, r.primary) for r in widget.memberships()] == [("ACM", True), ("IEEE", False)]

    widget.list.setCurrentRow(1)
    assert widget.primary_button.isEnabled()
    qtbot.mouseClick(widget.primary_button, Qt.MouseButton.LeftButton)
    assert [(r.name, r.primary) for r in widget.memberships()] == [("IEEE", True), ("ACM", False)]
    assert widget.list.item(0).text().startswith("★ IEEE")

    widget.list.setCurrentRow(1)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Chapter chair", True))
    qtbot.mouseClick(widget.role_button, Qt.MouseButton.LeftButton)
    assert widget.memberships()[1].role == "Chapter chair"
    assert "Chapter chair" in widget.list.item(1).text()

    index = widget.how_met_combo.findData(acm.id)
    widget.how_met_combo.setCurrentIndex(index)
    widget.how_met_combo.activated.emit(index)
    with db.session() as s:
        contact = s.get(m.Contact, cid)
        assert (contact.how_met_kind, contact.how_met_organisation_id) == ("organisation", acm.id)
    assert [x.met_here for x in OrganisationQueries(service.db).members(acm.id)] == [True]

    widget.list.setCurrentRow(1)
    qtbot.mouseClick(widget.remove_button, Qt.MouseButton.LeftButton)
    assert [r.name for r in widget.memberships()] == ["IEEE"]
    # Leaving ACM also clears "met through" ACM; undo brings both back.
    assert widget.how_met_combo.currentData() is None
    tab_context.undo_stack.undo()
    assert [r.name for r in widget.memberships()] == ["IEEE", "ACM"]
    assert widget.how_met_combo.currentData() == acm.id

    opened: list[tuple[str, int]] = []
    tab_context.bus.open_requested.connect(lambda kind, i: opened.append((kind, i)))
    widget.list.itemDoubleClicked.emit(widget.list.item(0))
    assert opened == [("organisation", ieee.id)]


def test_follows_changes_made_elsewhere(
    widget: ContactOrganisationsWidget, tab_context: TabContext, db: Database
) -> None:
    service = OrganisationService(db)
    cid = _contact(db, "Ana")
    widget.set_contact(cid)
    org = service.create("ACM")[0]
    OrganisationLinkService(service.db).link_contact(org.id, cid)
    tab_context.bus.changed.emit(Changes.all("organisations"))
    assert [r.name for r in widget.memberships()] == ["ACM"]
    widget.set_contact(None)
    assert not widget.isEnabled()


def test_picker_dialog_filters_through_the_search(qtbot: Any) -> None:
    items = [(1, "Women in Data"), (2, "Python Lisbon"), (3, "Product Guild")]
    dialog = picker_dialog.PickerDialog(
        "Pick", lambda text: [(i, n) for i, n in items if text.lower() in n.lower()]
    )
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 3
    qtbot.keyClicks(dialog.filter_edit, "p")
    qtbot.keyClick(dialog.filter_edit, Qt.Key.Key_Return)
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == [
        "Python Lisbon",
        "Product Guild",
    ]
    assert dialog.list.hasFocus() or not dialog.isVisible()
    dialog.list.item(1).setSelected(True)
    assert 3 in dialog.selected_ids()
