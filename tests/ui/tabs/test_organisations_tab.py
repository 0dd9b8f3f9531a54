"""The Organisations tab driven like a user: create, edit, link, renew, delete, undo."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from sqlalchemy import select

from planner.core.changes import Changes
from planner.core.contact_rows import new_contact
from planner.core.organisation_links import OrganisationLinkService
from planner.core.organisation_queries import OrganisationQueries
from planner.core.organisations import OrganisationService
from planner.db import models as m
from planner.db.database import Database
from planner.ui.context import TabContext
from planner.ui.dialogs import picker_dialog
from planner.ui.models.organisation_models import (
    HostedEventTableModel,
    MemberTableModel,
    OrganisationTableModel,
    OrganisationTouchTableModel,
    ReminderTableModel,
)
from planner.ui.tabs.organisations_tab import OrganisationsTab, parse_fee


@pytest.fixture
def tab(qtbot: Any, tab_context: TabContext) -> OrganisationsTab:
    widget = OrganisationsTab(tab_context)
    qtbot.addWidget(widget)
    widget.resize(1200, 780)
    widget.show()
    qtbot.waitUntil(lambda: not widget.data_pending())  # type: ignore[attr-defined]
    return widget


def _contact(db: Database, name: str, organisation: str = "") -> int:
    with db.session() as s:
        return new_contact(s, name, organisation=organisation, link_organisation=False).id


def _event(db: Database, name: str, start: datetime, status: str = "registered") -> int:
    with db.session() as s:
        event = m.EventPlan(name=name, starts_local=start, status=status)
        s.add(event)
        s.flush()
        return event.id


def _open_followups(db: Database) -> list[m.FollowUp]:
    with db.session() as s:
        return list(
            s.scalars(
                select(m.FollowUp).where(
                    m.FollowUp.organisation_id.is_not(None), m.FollowUp.status == "open"
                )
            )
        )


def _names(tab: OrganisationsTab) -> list[str]:
    return [
        tab.model.data(tab.model.index(r, OrganisationTableModel.COL_NAME))
        for r in range(tab.model.rowCount())
    ]


def _type(qtbot: Any, widget: Any, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_models_pass_the_model_tester(qtmodeltester: Any, db: Database) -> None:
    service = OrganisationService(db)
    org = service.create("ACM", renewal_on=date(2027, 1, 1), activity_every_days=30)[0]
    cid = _contact(db, "Ana")
    OrganisationLinkService(service.db).link_contact(org.id, cid)
    event = _event(db, "Meetup", datetime(2026, 5, 1, 18))
    OrganisationLinkService(service.db).set_event_host(event, org.id)
    for model, rows in (
        (OrganisationTableModel(), OrganisationQueries(service.db).list_organisations()),
        (MemberTableModel(), OrganisationQueries(service.db).members(org.id)),
        (HostedEventTableModel(), OrganisationQueries(service.db).events(org.id)),
        (OrganisationTouchTableModel(), OrganisationQueries(service.db).touchpoints(org.id)),
        (ReminderTableModel(), OrganisationQueries(service.db).reminders(org.id)),
    ):
        model.set_rows(rows)
        assert model.rowCount() == len(rows)
        qtmodeltester.check(model)


def test_parse_fee() -> None:
    assert parse_fee("") is None
    assert parse_fee("120") == 12000
    assert parse_fee("120,50") == 12050
    assert parse_fee("1,200.5") == 120050


def test_create_rename_and_undo(qtbot: Any, tab: OrganisationsTab, tab_context: TabContext) -> None:
    assert "No organisations yet" in tab.title.text()
    with qtbot.waitSignal(tab_context.bus.changed):
        tab.new_item()
    assert _names(tab) == ["New organisation"]
    assert tab.name_edit.hasFocus()

    _type(qtbot, tab.name_edit, "Women in Data")
    assert _names(tab) == ["Women in Data"]
    assert tab.title.text() == "Women in Data"
    tab.kind_combo.setCurrentIndex(tab.kind_combo.findData("online_community"))
    tab.kind_combo.activated.emit(tab.kind_combo.currentIndex())
    assert tab.queries.list_organisations()[0].kind == "online_community"

    stack = tab_context.undo_stack
    stack.undo()
    assert tab.queries.list_organisations()[0].kind == "professional_association"
    stack.undo()
    assert _names(tab) == ["New organisation"]
    assert tab.name_edit.text() == "New organisation"
    stack.undo()
    assert _names(tab) == []
    stack.redo()
    stack.redo()
    assert _names(tab) == ["Women in Data"]


def test_bad_input_is_explained_and_changes_nothing(
    qtbot: Any, tab: OrganisationsTab, tab_context: TabContext
) -> None:
    tab.service.create("ACM", website="https://acm.example")
    tab.reload()
    steps = tab_context.undo_stack.count()
    _type(qtbot, tab.website_edit, "not a web address")
    assert tab.error_label.isVisible()
    assert "web address" in tab.error_label.text()
    assert tab.website_edit.text() == "https://acm.example"
    _type(qtbot, tab.fee_edit, "lots")
    assert "number" in tab.error_label.text()
    assert tab_context.undo_stack.count() == steps
    assert tab.queries.list_organisations()[0].name == "ACM"

    _type(qtbot, tab.fee_edit, "95.50")
    assert not tab.error_label.isVisible()
    assert tab.service.get(tab.queries.list_organisations()[0].id).renewal_fee_cents == 9550


def test_renewal_date_puts_a_reminder_in_the_calendar(
    qtbot: Any, tab: OrganisationsTab, tab_context: TabContext, db: Database
) -> None:
    tab.new_item()
    _type(qtbot, tab.name_edit, "IEEE")
    with qtbot.waitSignal(tab_context.bus.changed):
        qtbot.mouseClick(tab.renewal_edit.enabled_box, Qt.MouseButton.LeftButton)
    tab.renewal_edit.edit.setDate(QDate(2027, 3, 31))
    with qtbot.waitSignal(tab_context.bus.changed):
        tab.renewal_edit.edit.editingFinished.emit()
    [reminder] = _open_followups(db)
    assert reminder.due_date == date(2027, 3, 17)
    assert reminder.contact_id is None
    assert reminder.purpose == "Renew membership: IEEE"
    first_sequence = reminder.sequence
    assert tab.links.tabText(3) == "Reminders (1)"
    assert tab.reminder_model.rowCount() == 1

    tab.renewal_edit.edit.setDate(QDate(2027, 4, 30))
    tab.renewal_edit.edit.editingFinished.emit()
    [moved] = _open_followups(db)
    assert moved.id == reminder.id
    assert moved.due_date == date(2027, 4, 16)
    assert moved.sequence == first_sequence + 1

    tab_context.undo_stack.undo()
    [back] = _open_followups(db)
    assert back.due_date == date(2027, 3, 17)
    assert tab.renewal_edit.value() == date(2027, 3, 31)

    # The activity goal becomes a nudge beside it.
    tab.every_spin.setFocus()
    tab.every_spin.setValue(30)
    tab.every_spin.editingFinished.emit()
    assert len(_open_followups(db)) == 2
    assert tab.links.tabText(3) == "Reminders (2)"


def test_link_contacts_events_and_touchpoints(
    qtbot: Any,
    tab: OrganisationsTab,
    tab_context: TabContext,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    org = tab.service.create("Python Lisbon", kind="online_community", my_role="organiser")[0]
    ana = _contact(db, "Ana Ruiz", "Globex")
    bo = _contact(db, "Bo Brown")
    event = _event(db, "PyLx meetup", datetime(2026, 10, 1, 18))
    with db.session() as s:
        touch = m.Touchpoint(contact_id=ana, occurred_on=date(2026, 10, 2), channel="email",
                             kind="caught_up", note="Slides")  # fmt: skip
        s.add(touch)
        s.flush()
        touch_id = touch.id
    tab.reload()
    tab.select(org.id)

    searched: list[str] = []

    def fake_pick(_parent: Any, _title: str, search: Any, **_kw: Any) -> list[int]:
        found = search("")
        searched.append(", ".join(label for _i, label in found))
        return [i for i, _label in found]

    monkeypatch.setattr(picker_dialog, "pick_items", fake_pick)
    with qtbot.waitSignal(tab_context.bus.changed):
        qtbot.mouseClick(tab.add_member_button, Qt.MouseButton.LeftButton)
    assert "Ana Ruiz — Globex" in searched[-1]
    assert {r.name for r in tab.member_model.rows()} == {"Ana Ruiz", "Bo Brown"}
    assert tab.links.tabText(0) == "Contacts (2)"

    qtbot.mouseClick(tab.link_event_button, Qt.MouseButton.LeftButton)
    assert [e.id for e in tab.event_model.rows()] == [event]
    qtbot.mouseClick(tab.link_touchpoint_button, Qt.MouseButton.LeftButton)
    assert [t.id for t in tab.touch_model.rows()] == [touch_id]
    row = tab.queries.list_organisations()[0]
    assert (row.contacts, row.events, row.touchpoints) == (2, 1, 1)
    assert tab.model.data(tab.model.index(0, OrganisationTableModel.COL_CONTACTS)) == "2"

    # Remove one member, then undo everything step by step.
    tab.member_view.selectRow(0)
    removed = tab.member_model.row_at(tab.member_view.currentIndex().row())
    # Del in the contacts list removes the membership, not the organisation.
    tab.member_view.setFocus()
    tab.delete_selected()
    assert [r.name for r in tab.member_model.rows()] == [
        n for n in ("Ana Ruiz", "Bo Brown") if n != removed.name
    ]
    stack = tab_context.undo_stack
    stack.undo()
    assert len(tab.member_model.rows()) == 2
    stack.undo()
    stack.undo()
    assert tab.event_model.rows() == [] and tab.touch_model.rows() == []
    stack.undo()
    assert tab.member_model.rows() == []
    with db.session() as s:
        assert s.get(m.Contact, ana).organisation_id is None
        assert s.get(m.Contact, bo).organisation == ""

    opened: list[tuple[str, int]] = []
    tab_context.bus.open_requested.connect(lambda kind, i: opened.append((kind, i)))
    stack.redo()
    tab.member_view.activated.emit(tab.member_view.model().index(0, 0))
    assert opened and opened[0][0] == "contact"


def test_search_and_filters(qtbot: Any, tab: OrganisationsTab) -> None:
    service = tab.service
    service.create("Women in Data", kind="professional_association", membership_status="active",
                   my_role="member")  # fmt: skip
    service.create("Rust Discord", kind="online_community", my_role="considering")
    service.create("Globex", kind="company")
    tab.reload()
    assert _names(tab) == ["Rust Discord", "Women in Data", "Globex"]

    qtbot.keyClicks(tab.search_edit, "disc")
    qtbot.waitUntil(lambda: _names(tab) == ["Rust Discord"])
    qtbot.keyClicks(tab.search_edit, "zzz")
    qtbot.waitUntil(lambda: _names(tab) == [])
    assert "matches" in tab.title.text()
    assert tab.name_edit.text() == "" and not tab.form_widget.isEnabled()
    tab.search_edit.clear()
    qtbot.waitUntil(lambda: len(_names(tab)) == 3)
    tab.kind_filter.setCurrentIndex(tab.kind_filter.findData("company"))
    assert _names(tab) == ["Globex"]
    tab.kind_filter.setCurrentIndex(0)
    tab.status_filter.setCurrentIndex(tab.status_filter.findData("active"))
    assert _names(tab) == ["Women in Data"]
    tab.status_filter.setCurrentIndex(0)
    tab.role_filter.setCurrentIndex(tab.role_filter.findData("*"))
    assert _names(tab) == ["Rust Discord", "Women in Data"]

    tab.focus_search()
    assert tab.search_edit.hasFocus()


def test_delete_and_undo_keep_contacts(
    qtbot: Any, tab: OrganisationsTab, tab_context: TabContext, db: Database
) -> None:
    org = tab.service.create("Toastmasters", renewal_on=date(2027, 6, 1))[0]
    cid = _contact(db, "Ana")
    tab.links_service.link_contact(org.id, cid, role="VP Education")
    tab.reload()
    tab.select(org.id)
    with qtbot.waitSignal(tab_context.bus.changed):
        tab.delete_selected()
    assert _names(tab) == []
    assert "Undo" in tab.message.text()
    assert _open_followups(db) == []
    with db.session() as s:
        assert s.get(m.Contact, cid) is not None

    tab_context.undo_stack.undo()
    assert _names(tab) == ["Toastmasters"]
    assert [(r.name, r.role) for r in tab.member_model.rows()] == [("Ana", "VP Education")]
    assert len(_open_followups(db)) == 1


def test_link_typed_names_and_undo(
    tab: OrganisationsTab, tab_context: TabContext, db: Database
) -> None:
    for name, org in (("A", "Globex"), ("B", " GLOBEX"), ("C", "Hooli")):
        _contact(db, name, org)
    tab.link_text_button.click()
    assert sorted(_names(tab)) == ["Globex", "Hooli"]
    assert "Linked 3 contact(s)" in tab.message.text()
    tab_context.undo_stack.undo()
    assert _names(tab) == []


def test_activity_elsewhere_moves_the_nudge_in_the_service_the_tab_only_reads(
    tab: OrganisationsTab, tab_context: TabContext, db: Database
) -> None:
    from planner.core.events import EventService

    org = tab.service.create("Meetup", joined_on=date(2026, 1, 1), activity_every_days=30)[0]
    [nudge] = _open_followups(db)
    assert nudge.due_date == date(2026, 1, 31)
    event = _event(db, "March meetup", datetime(2026, 3, 1, 18), status="attended")
    with db.session() as s:
        s.get(m.EventPlan, event).organisation_id = org.id
    # Saving the event moves the nudge inside the service's transaction (CLI and undo too).
    EventService(db).update(event, status="registered")
    [moved] = _open_followups(db)
    assert moved.id == nudge.id and moved.due_date == date(2026, 3, 31)
    # The tab writes nothing when told about a change: it only reads.
    with db.session() as s:
        s.get(m.FollowUp, moved.id).due_date = date(2026, 5, 5)
    tab_context.bus.changed.emit(Changes.all("events"))
    assert _open_followups(db)[0].due_date == date(2026, 5, 5)


def test_logging_a_touchpoint_at_a_hosted_event_moves_the_nudge(db: Database) -> None:
    from planner.core.organisation_links import OrganisationLinkService
    from planner.core.organisations import OrganisationService
    from planner.core.touchpoints import TouchpointService

    service = OrganisationService(db)
    org = service.create("Meetup", joined_on=date(2026, 1, 1), activity_every_days=30)[0]
    event = _event(db, "Skipped meetup", datetime(2026, 2, 1, 18), status="skipped")
    OrganisationLinkService(service.db).set_event_host(event, org.id)
    from planner.core.contacts import ContactService

    cid = ContactService(db).create({"name": "Ana"})[0].id
    _, changes = TouchpointService(db).log(
        cid, date(2026, 2, 1), "in_person", "met", event_id=event
    )
    [nudge] = _open_followups(db)
    assert nudge.due_date == date(2026, 3, 3)
    assert nudge.id in changes.follow_ups and org.id in changes.organisations


def test_tab_is_registered_after_events() -> None:
    from planner.ui.main_window import tab_factories

    names = [name for name, _title, _factory in tab_factories()]
    assert names.index("organisationsTab") == names.index("eventsTab") + 1
    assert dict((n, f) for n, _t, f in tab_factories())["organisationsTab"] is OrganisationsTab


def test_in_the_main_window_shortcuts_and_open_requested(qtbot: Any, tmp_path: Any) -> None:
    from planner.paths import app_paths
    from planner.settings import SettingsStore
    from planner.ui.main_window import MainWindow

    paths = app_paths(tmp_path / "home")
    paths.create()
    window = MainWindow(paths, SettingsStore(paths.settings_file))
    qtbot.addWidget(window)
    assert window.open_database(paths.default_database)
    window.show()
    tab = window.tab("organisationsTab")
    assert isinstance(tab, OrganisationsTab)
    org = tab.service.create("ACM", my_role="member")[0]
    window.bus.changed.emit(Changes.all("organisations"))

    window.tabs.setCurrentIndex(0)
    window.bus.open_requested.emit("organisation", org.id)
    assert window.tabs.currentWidget() is tab
    assert tab.title.text() == "ACM"

    window.new_action.trigger()
    assert "New organisation" in _names(tab)
    window.undo_action.trigger()
    assert _names(tab) == ["ACM"]
    window.find_action.trigger()
    assert tab.search_edit.hasFocus() or not window.isActiveWindow()


def test_open_website_and_reminder(
    qtbot: Any, tab: OrganisationsTab, tab_context: TabContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QDesktopServices

    tab.service.create("ACM", website="acm.org", renewal_on=date(2027, 5, 1))
    tab.reload()
    urls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url.toString()))
    qtbot.mouseClick(tab.open_website_button, Qt.MouseButton.LeftButton)
    assert urls == ["https://acm.org"]

    opened: list[tuple[str, int]] = []
    tab_context.bus.open_requested.connect(lambda kind, i: opened.append((kind, i)))
    tab.reminder_view.activated.emit(tab.reminder_view.model().index(0, 0))
    assert opened == [("followup", tab.reminder_model.row_at(0).id)]


def test_filters_and_splitter_are_remembered(qtbot: Any, tab_context: TabContext) -> None:
    first = OrganisationsTab(tab_context)
    qtbot.addWidget(first)
    first.builder.finish()  # (built in slices: its detail pane and wiring come later)
    first.kind_filter.setCurrentIndex(first.kind_filter.findData("volunteer_group"))
    first.splitter.setSizes([500, 700])
    first.splitter.splitterMoved.emit(500, 1)
    saved = tab_context.settings.preferences.ui_state["organisations_tab"]
    assert saved["kind"] == "volunteer_group"

    second = OrganisationsTab(tab_context)
    qtbot.addWidget(second)
    second.builder.finish()
    assert second.kind_filter.currentData() == "volunteer_group"
    assert second.splitter.sizes() == saved["splitter"]


def test_the_detail_pane_fits_its_column_at_200_percent(qtbot: Any, tab: OrganisationsTab) -> None:
    """1366x768 at QT_SCALE_FACTOR=2 leaves the pane about 250 px: its combo boxes ("Professional
    association") made it scroll sideways, with the Open button and the title cut off."""
    from PySide6.QtWidgets import QScrollArea

    service = OrganisationService(tab.context.db)
    org, _changes = service.create(
        "Chartered Institute of Fintech",
        kind="professional_association",
        my_role="considering",
        website="https://cif.example",
    )
    tab.reload()
    qtbot.waitUntil(lambda: not tab.data_pending())  # type: ignore[attr-defined]
    tab.select(org.id)
    tab.resize(683, 340)
    qtbot.wait(30)
    scroll = tab.findChild(QScrollArea, "organisationDetailScroll")
    assert scroll.viewport().width() < 300  # the narrow case this is about
    assert scroll.horizontalScrollBar().maximum() == 0
    button = tab.open_website_button
    assert button.mapTo(scroll.viewport(), button.rect().topRight()).x() < scroll.viewport().width()
