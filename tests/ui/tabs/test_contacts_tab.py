"""The Contacts tab driven with qtbot on a real temporary database."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QMessageBox, QRadioButton

from planner.core.changes import Changes
from planner.core.contacts import ContactService
from planner.core.records import LabeledValue
from planner.db import models as m
from planner.db.database import open_database
from planner.ui.dialogs.contact_dialog import NewContactDialog
from planner.ui.dialogs.touchpoint_dialog import TouchpointDialog
from planner.ui.models.contact_columns import COL_LAST, COL_NAME, COL_NEXT
from planner.ui.tabs.contacts_tab import ContactsTab
from planner.ui.tasks import wait_for_all
from tests.ui.contacts_tab_helper import shown_contacts_tab


@pytest.fixture
def people(db: Any) -> dict[str, int]:
    svc = ContactService(db)
    ids = {
        "zoe": svc.create(
            {
                "name": "Zoë Achterberg",
                "organisation": "Globex",
                "relationship": "mentor",
                "emails": [LabeledValue("work", "zoe@globex.example")],
                "tags": ["fintech"],
                "cadence_days": 30,
            }
        )[0].id,
        "ben": svc.create(
            {"name": "Ben Okafor", "organisation": "Initech", "relationship": "peer"}
        )[0].id,
        "ana": svc.create(
            {
                "name": "Ana García",
                "organisation": "Hooli",
                "relationship": "peer",
                "notes": "Runs the design meetup",
                "tags": ["design"],
            }
        )[0].id,
    }
    return ids


@pytest.fixture
def tab(qtbot: Any, tab_context: Any, people: dict[str, int]) -> ContactsTab:
    return shown_contacts_tab(qtbot, tab_context)


def settle(qtbot: Any, tab: ContactsTab) -> None:
    """The detail pane re-reads off the GUI thread after an edit: wait for that read."""
    qtbot.waitUntil(lambda: not tab.detail.reading)


def visible_names(tab: ContactsTab) -> list[str]:
    model = tab.model
    return [model.index(r, COL_NAME).data() for r in range(model.rowCount())]


def select_ids(tab: ContactsTab, ids: list[int]) -> None:
    selection = tab.view.selectionModel()
    selection.clearSelection()
    selection.setCurrentIndex(
        tab.model.index(tab.model.row_of(ids[0]), 0), QItemSelectionModel.SelectionFlag.NoUpdate
    )
    for cid in ids:
        row = tab.model.row_of(cid)
        selection.select(
            tab.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def test_search_is_accent_insensitive_and_counts(
    qtbot: Any, qtmodeltester: Any, tab: ContactsTab
) -> None:
    assert tab.count_label.text() == "3 of 3"
    assert visible_names(tab) == ["Ana García", "Ben Okafor", "Zoë Achterberg"]
    tab.focus_search()
    qtbot.keyClicks(tab.search, "zoe")
    assert visible_names(tab) == ["Zoë Achterberg"]
    assert tab.count_label.text() == "1 of 3"
    tab.search.clear()
    qtbot.keyClicks(tab.search, "MEETUP")  # notes
    assert visible_names(tab) == ["Ana García"]
    tab.search.clear()
    qtbot.keyClicks(tab.search, "globex.example")  # e-mail
    assert visible_names(tab) == ["Zoë Achterberg"]
    qtbot.keyClick(tab.search, Qt.Key.Key_Backspace)
    assert visible_names(tab) == ["Zoë Achterberg"]
    qtmodeltester.check(tab.model)
    tab.activateWindow()
    tab.search.setFocus()
    qtbot.waitUntil(tab.search.hasFocus)
    qtbot.keyClick(tab.search, Qt.Key.Key_Escape)
    assert tab.search.text() == ""
    assert tab.count_label.text() == "3 of 3"
    qtmodeltester.check(tab.model)


def test_filters_combine_with_search(qtbot: Any, tab: ContactsTab, people: dict[str, int]) -> None:
    tab.relationship_filter.setCurrentIndex(tab.relationship_filter.findData("peer"))
    assert visible_names(tab) == ["Ana García", "Ben Okafor"]
    qtbot.keyClicks(tab.search, "hooli")
    assert visible_names(tab) == ["Ana García"]
    tab.search.clear()
    tab.relationship_filter.setCurrentIndex(0)
    tab.tag_filter.setCurrentIndex(tab.tag_filter.findData("fintech"))
    assert visible_names(tab) == ["Zoë Achterberg"]
    tab.tag_filter.setCurrentIndex(0)
    tab.never_filter.setChecked(True)
    assert len(visible_names(tab)) == 3
    tab.touchpoints.log(people["ben"], date.today(), "call", "caught_up")
    tab.reload()
    assert visible_names(tab) == ["Ana García", "Zoë Achterberg"]
    tab.never_filter.setChecked(False)
    tab.due_filter.setChecked(True)
    assert visible_names(tab) == []  # Zoë is due in 30 days, the others have no cadence


def test_sort_dates_with_empty_last(tab: ContactsTab, people: dict[str, int]) -> None:
    tab.touchpoints.log(people["ben"], date.today() - timedelta(days=5), "call", "met")
    tab.touchpoints.log(people["zoe"], date.today() - timedelta(days=50), "call", "met")
    tab.reload()
    tab.view.sortByColumn(COL_LAST, Qt.SortOrder.AscendingOrder)
    assert visible_names(tab) == ["Zoë Achterberg", "Ben Okafor", "Ana García"]
    tab.view.sortByColumn(COL_LAST, Qt.SortOrder.DescendingOrder)
    assert visible_names(tab) == ["Ben Okafor", "Zoë Achterberg", "Ana García"]
    tab.view.sortByColumn(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert visible_names(tab) == ["Zoë Achterberg", "Ben Okafor", "Ana García"]


def test_bulk_tag_is_one_undo_step_run_off_the_gui_thread(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tab: ContactsTab, people: dict[str, int]
) -> None:
    select_ids(tab, [people["ben"], people["ana"]])
    assert tab.selected_ids() == [people["ana"], people["ben"]]
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("vip", True))
    stack = tab.context.undo_stack
    before = stack.count()
    with qtbot.waitSignal(tab.context.bus.changed):
        tab.add_tag_action.trigger()
    assert stack.count() == before + 1
    assert "vip" in tab.model.contact(people["ben"]).tags
    assert "vip" in tab.model.contact(people["ana"]).tags
    assert "vip" not in tab.model.contact(people["zoe"]).tags
    assert tab.tag_filter.findData("vip") > 0
    qtbot_search = tab.search
    qtbot_search.setText("vip")
    assert len(visible_names(tab)) == 2
    qtbot_search.clear()
    with qtbot.waitSignal(tab.context.bus.changed):
        stack.undo()
    assert "vip" not in tab.model.contact(people["ben"]).tags
    assert "vip" not in ContactService(tab.context.db).get(people["ana"]).tags
    with qtbot.waitSignal(tab.context.bus.changed):
        stack.redo()
    assert "vip" in ContactService(tab.context.db).get(people["ana"]).tags


def test_bulk_relationship_cadence_and_delete(
    monkeypatch: pytest.MonkeyPatch, tab: ContactsTab, people: dict[str, int]
) -> None:
    stack = tab.context.undo_stack
    select_ids(tab, [people["ben"], people["ana"]])
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Client", True))
    tab.set_relationship_action.trigger()
    assert tab.model.contact(people["ben"]).relationship == "client"
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (14, True))
    tab.set_cadence_action.trigger()
    assert tab.model.contact(people["ana"]).next_touch_due == date.today() + timedelta(days=14)
    asked: list[str] = []

    def question(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(args[2])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    tab.bulk_delete_action.trigger()
    assert "2 contacts" in asked[0] and "Ana García" in asked[0]
    assert visible_names(tab) == ["Zoë Achterberg"]
    assert stack.count() == 3
    stack.undo()
    assert tab.model.total_count() == 3
    stack.undo()
    assert tab.model.contact(people["ana"]).cadence_days == 90  # the peer default again
    stack.undo()
    assert tab.model.contact(people["ben"]).relationship == "peer"


def test_delete_names_the_contact_and_undo(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tab: ContactsTab, people: dict[str, int]
) -> None:
    tab.select_contact(people["zoe"])
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.Cancel]

    def question(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(args[2])
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    tab.delete_selected()
    assert "Zoë Achterberg" in asked[0]
    assert tab.model.total_count() == 3  # cancelled: nothing deleted
    answer[0] = QMessageBox.StandardButton.Yes
    tab.delete_selected()
    assert tab.model.total_count() == 2
    settle(qtbot, tab)
    assert tab.detail.contact_id() is None
    tab.context.undo_stack.undo()
    assert tab.model.contact(people["zoe"]) is not None
    assert ContactService(tab.context.db).get(people["zoe"]).tags == ("fintech",)


def test_bad_email_shows_message_and_keeps_last_good_value(
    qtbot: Any, tab: ContactsTab, people: dict[str, int]
) -> None:
    tab.select_contact(people["zoe"])
    detail = tab.detail
    assert detail.contact_id() == people["zoe"]
    edit = detail.emails.value_edits()[0]
    edit.selectAll()
    qtbot.keyClicks(edit, "zoe@@globex")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert detail.emails.error.isVisible()
    assert "not a valid e-mail" in detail.emails.error.text()
    assert ContactService(tab.context.db).get(people["zoe"]).emails[0].value == (
        "zoe@globex.example"
    )
    assert tab.context.undo_stack.count() == 0
    edit.selectAll()
    qtbot.keyClicks(edit, "zoe@hooli.example")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert not detail.emails.error.isVisible()
    assert ContactService(tab.context.db).get(people["zoe"]).emails[0].value == (
        "zoe@hooli.example"
    )
    tab.context.undo_stack.undo()
    assert ContactService(tab.context.db).get(people["zoe"]).emails[0].value == (
        "zoe@globex.example"
    )
    settle(qtbot, tab)
    assert detail.emails.value_edits()[0].text() == "zoe@globex.example"


def test_phone_is_formatted_and_birthday_checked(
    qtbot: Any, tab: ContactsTab, people: dict[str, int]
) -> None:
    tab.context.settings.preferences.phone_region = "GB"
    tab.select_contact(people["ben"])
    detail = tab.detail
    qtbot.mouseClick(detail.phones.add_button, Qt.MouseButton.LeftButton)
    edit = detail.phones.value_edits()[0]
    qtbot.keyClicks(edit, "020 7946 0000")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert ContactService(tab.context.db).get(people["ben"]).phones[0].value == "+44 20 7946 0000"
    assert detail.phones.value_edits()[0].text() == "+44 20 7946 0000"
    detail.birthday.month.setCurrentIndex(2)  # February
    detail.birthday.month.activated.emit(2)
    assert "both the day and the month" in detail.errors["birthday"].text()
    detail.birthday.day.setValue(30)
    assert "no day 30" in detail.errors["birthday"].text()
    assert ContactService(tab.context.db).get(people["ben"]).birthday_month is None
    detail.birthday.day.setValue(29)
    saved = ContactService(tab.context.db).get(people["ben"])
    assert (saved.birthday_month, saved.birthday_day, saved.birthday_year) == (2, 29, None)
    assert not detail.errors["birthday"].isVisible()


def test_log_touchpoint_moves_next_due_and_undo(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tab: ContactsTab, people: dict[str, int]
) -> None:
    zoe = people["zoe"]
    tab.select_contact(zoe)
    assert tab.model.contact(zoe).next_touch_due == date.today() + timedelta(days=30)
    day = date.today() - timedelta(days=3)

    def fake_exec(dialog: TouchpointDialog) -> int:
        dialog.date_edit.setDate(day)
        dialog.kind.setCurrentIndex(dialog.kind.findData("gave_value"))
        dialog.note.setPlainText("Sent the article")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(TouchpointDialog, "exec", fake_exec)
    tab.activateWindow()
    tab.view.setFocus()
    with qtbot.waitSignal(tab.context.bus.changed):
        tab.log_action.trigger()  # Ctrl+L
    assert tab.log_action.shortcut().toString() == "Ctrl+L"
    row = tab.model.contact(zoe)
    assert row.last_touch_on == day
    assert row.next_touch_due == day + timedelta(days=30)
    settle(qtbot, tab)
    assert tab.detail.touch_model.rowCount() == 1
    assert "gave value once" in tab.detail.balance.text()
    tab.context.undo_stack.undo()
    assert tab.model.contact(zoe).next_touch_due == date.today() + timedelta(days=30)
    settle(qtbot, tab)
    assert tab.detail.touch_model.rowCount() == 0
    tab.context.undo_stack.redo()
    assert tab.model.contact(zoe).last_touch_on == day


def test_edit_and_delete_touchpoint(
    monkeypatch: pytest.MonkeyPatch, tab: ContactsTab, people: dict[str, int]
) -> None:
    ben = people["ben"]
    for days in (10, 3, 20):
        tab.touchpoints.log(ben, date.today() - timedelta(days=days), "email", "caught_up")
    tab.select_contact(ben)
    model = tab.detail.touch_model
    assert [model.record(r).occurred_on for r in range(3)] == sorted(
        (date.today() - timedelta(days=d) for d in (10, 3, 20)), reverse=True
    )
    record = model.record(0)
    tab.delete_touchpoint(record)
    assert tab.model.contact(ben).last_touch_on == date.today() - timedelta(days=10)
    tab.context.undo_stack.undo()
    assert tab.model.contact(ben).last_touch_on == date.today() - timedelta(days=3)

    def fake_exec(dialog: TouchpointDialog) -> int:
        dialog.note.setPlainText("edited")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(TouchpointDialog, "exec", fake_exec)
    tab.edit_touchpoint(model.record(0))
    assert tab.touchpoints.get(record.id).note == "edited"
    tab.context.undo_stack.undo()
    assert tab.touchpoints.get(record.id).note == ""


def test_new_contact_warns_about_duplicates(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tab: ContactsTab
) -> None:
    dialog = NewContactDialog(tab._find_duplicates)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "Someone New")
    qtbot.keyClicks(dialog.email, "ZOE@globex.example")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.duplicates.isHidden()
    assert "Zoë Achterberg" in dialog.duplicates.text()
    assert dialog.result() != QDialog.DialogCode.Accepted
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted

    def fake_exec(dlg: NewContactDialog) -> int:
        dlg.name.setText("Chen Wei")
        dlg.organisation.setText("Umbrella")
        dlg.relationship.setCurrentIndex(dlg.relationship.findData("mentor"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(NewContactDialog, "exec", fake_exec)
    tab.search.setText("nobody matches this")
    tab.new_item()
    assert tab.search.text() == ""
    assert tab.detail.record is not None and tab.detail.record.name == "Chen Wei"
    assert tab.detail.record.cadence_days == 60  # the mentor default
    assert tab.model.total_count() == 4
    tab.context.undo_stack.undo()
    assert tab.model.total_count() == 3
    tab.context.undo_stack.redo()
    assert "Chen Wei" in visible_names(tab)


def test_detail_edits_survive_reopening(
    qtbot: Any, tab: ContactsTab, tab_context: Any, people: dict[str, int], db_target: Any
) -> None:
    tab.select_contact(people["ana"])
    role = tab.detail.line_edits["role"]
    qtbot.keyClicks(role, "Design Lead")
    qtbot.keyClick(role, Qt.Key.Key_Return)
    tab.detail.notes.setPlainText("Met at the design meetup; loves typography")
    tab.detail.notes.editing_finished.emit()
    tags = tab.detail.tags
    tags.setText("design, typography")
    qtbot.keyClick(tags, Qt.Key.Key_Return)
    assert tab.context.undo_stack.count() == 3
    tab_context.db.close()
    reopened = open_database(db_target)
    try:
        again = ContactService(reopened).get(people["ana"])
    finally:
        reopened.close()
    assert again.role == "Design Lead"
    assert again.notes.startswith("Met at the design meetup")
    assert again.tags == ("design", "typography")


def test_how_we_met_event_referrer_and_followup(
    qtbot: Any, tab: ContactsTab, people: dict[str, int]
) -> None:
    db = tab.context.db
    with db.session() as s:
        event = m.EventPlan(name="FinTech Forum 2026", starts_local=None)
        s.add(event)
        s.flush()
        s.add(m.EventAttendee(event_id=event.id, contact_id=people["ben"], note="great chat"))
        event_id = event.id
    tab.context.bus.changed.emit(Changes.all("events"))
    tab.select_contact(people["ben"])
    detail = tab.detail
    assert "FinTech Forum 2026" in detail.met_at.item(0).text()
    index = detail.how_met_event.findData(event_id)
    assert index > 0
    detail.how_met_event.setCurrentIndex(index)
    detail.how_met_event.activated.emit(index)
    assert ContactService(db).get(people["ben"]).how_met_event_id == event_id
    picker = detail.referred_by
    qtbot.keyClicks(picker.edit, "zoe")
    assert picker.completer.model().rowCount() == 1
    picker.completer.activated[str].emit(picker.completer.model().index(0, 0).data())
    assert ContactService(db).get(people["ben"]).referred_by_id == people["zoe"]
    with qtbot.waitSignal(tab.context.bus.followup_requested) as blocker:
        qtbot.mouseClick(detail.followup_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [people["ben"]]


def test_other_tabs_changes_refresh_the_list(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tab: ContactsTab, people: dict[str, int]
) -> None:
    reloads: list[int] = []
    original = tab.start_loading
    monkeypatch.setattr(tab, "start_loading", lambda: (reloads.append(1), original()))
    ContactService(tab.context.db).create({"name": "Dmitri Petrov"})
    tab.context.bus.changed.emit(Changes.all("contacts"))
    tab.context.bus.changed.emit(Changes.all("touchpoints"))
    assert tab._reload_pending  # one reload queued, read on a worker thread
    qtbot.waitUntil(lambda: "Dmitri Petrov" in visible_names(tab))
    assert not tab.loading
    assert tab.count_label.text() == "4 of 4"
    assert reloads == [1]  # two signals, one reload
    # Our own changes are not reloaded from scratch.
    tab.select_contact(people["ben"])
    tab.save_fields(people["ben"], {"role": "CTO"})
    QApplication.processEvents()  # a queued reload would run here
    assert not tab._reload_pending
    assert reloads == [1]
    assert tab.model.contact(people["ben"]).role == "CTO"


def test_next_due_column_shows_overdue(tab: ContactsTab, people: dict[str, int]) -> None:
    with tab.context.db.session() as s:
        s.get(m.Contact, people["zoe"]).next_touch_due = date.today() - timedelta(days=1)
    tab.reload()
    row = tab.model.row_of(people["zoe"])
    assert tab.model.index(row, COL_NEXT).data(Qt.ItemDataRole.ForegroundRole) is not None


def test_referral_add_edit_delete_with_undo(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tab: ContactsTab, people: dict[str, int]
) -> None:
    from planner.ui.dialogs.referral_dialog import ReferralDialog

    tab.select_contact(people["zoe"])

    def add_exec(dialog: ReferralDialog) -> int:
        dialog.direction.setCurrentIndex(dialog.direction.findData("i_asked"))
        dialog.other.set_contact(people["ana"], "Ana García")
        dialog.note.setPlainText("Intro to Ana's design team")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ReferralDialog, "exec", add_exec)
    tab.detail.referral_button.click()
    model = tab.detail.referral_model
    settle(qtbot, tab)
    assert model.rowCount() == 1
    assert model.index(0, model.COL_WHO).data() == "Ana García"
    assert model.index(0, model.COL_STATUS).data() == "Asked"
    record = model.record(0)

    def edit_exec(dialog: ReferralDialog) -> int:
        assert dialog.other.contact_id == people["ana"]
        dialog.status.setCurrentIndex(dialog.status.findData("outcome"))
        dialog.outcome.setText("Got an interview")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ReferralDialog, "exec", edit_exec)
    tab.edit_referral(record)
    settle(qtbot, tab)
    assert model.index(0, model.COL_STATUS).data() == "Outcome"
    assert "Got an interview" in model.index(0, model.COL_NOTE).data()
    tab.context.undo_stack.undo()
    settle(qtbot, tab)
    assert model.index(0, model.COL_STATUS).data() == "Asked"
    tab.delete_referral(model.record(0))
    settle(qtbot, tab)
    assert model.rowCount() == 0
    tab.context.undo_stack.undo()
    settle(qtbot, tab)
    assert model.rowCount() == 1
    # Seen from Ana's side too.
    tab.select_contact(people["ana"])
    assert model.index(0, model.COL_WHO).data() == "Via Zoë Achterberg"


def test_ctrl_l_key_opens_the_log_dialog(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tab: ContactsTab, people: dict[str, int]
) -> None:
    opened: list[str] = []

    def fake_exec(dialog: TouchpointDialog) -> int:
        opened.append(dialog.windowTitle())
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(TouchpointDialog, "exec", fake_exec)
    tab.select_contact(people["ben"])
    tab.activateWindow()
    tab.view.setFocus()
    qtbot.waitUntil(tab.view.hasFocus)
    qtbot.keyClick(tab.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert opened == ["Log a touchpoint with Ben Okafor"]
    assert tab.context.undo_stack.count() == 0  # cancelled: nothing logged


def test_field_edit_undo_redo_updates_list_and_detail(
    qtbot: Any, tab: ContactsTab, people: dict[str, int]
) -> None:
    tab.select_contact(people["ben"])
    org = tab.detail.line_edits["organisation"]
    org.selectAll()
    qtbot.keyClicks(org, "Umbrella")
    qtbot.keyClick(org, Qt.Key.Key_Return)
    assert tab.model.contact(people["ben"]).organisation == "Umbrella"
    assert "umbrella" in tab.model.contact(people["ben"]).search_text
    name = tab.detail.line_edits["name"]
    name.clear()
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert "needs a name" in tab.detail.errors["name"].text()
    assert tab.model.contact(people["ben"]).name == "Ben Okafor"
    tab.detail.cadence.setValue(21)
    assert tab.model.contact(people["ben"]).next_touch_due == date.today() + timedelta(days=21)
    stack = tab.context.undo_stack
    assert stack.count() == 2
    stack.undo()
    settle(qtbot, tab)
    assert tab.detail.cadence.value() == 90
    stack.undo()
    settle(qtbot, tab)
    assert org.text() == "Initech"
    assert tab.model.contact(people["ben"]).organisation == "Initech"
    stack.redo()
    settle(qtbot, tab)
    assert org.text() == "Umbrella"


def test_show_item_clears_filters_and_selects(tab: ContactsTab, people: dict[str, int]) -> None:
    tab.search.setText("ben")
    tab.show_item("contact", people["zoe"])
    assert tab.search.text() == ""
    assert tab.detail.contact_id() == people["zoe"]
    assert tab.selected_ids() == [people["zoe"]]
    tab.show_item("event", people["ben"])  # not ours: nothing changes
    assert tab.detail.contact_id() == people["zoe"]


def test_relationship_change_moves_a_default_cadence(
    tab: ContactsTab, people: dict[str, int]
) -> None:
    tab.select_contact(people["ben"])  # a peer with the peer default (90 days)
    combo = tab.detail.relationship
    index = combo.findData("mentee")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    saved = ContactService(tab.context.db).get(people["ben"])
    assert (saved.relationship, saved.cadence_days) == ("mentee", 30)
    assert tab.detail.cadence.value() == 30
    tab.context.undo_stack.undo()  # one step undoes both
    saved = ContactService(tab.context.db).get(people["ben"])
    assert (saved.relationship, saved.cadence_days) == ("peer", 90)
    tab.select_contact(people["zoe"])  # a custom cadence (30, mentor default 60) stays
    combo.setCurrentIndex(combo.findData("sponsor"))
    combo.activated.emit(combo.findData("sponsor"))
    assert ContactService(tab.context.db).get(people["zoe"]).cadence_days == 30


def test_first_load_runs_off_the_gui_thread(qtbot: Any, tab_context: Any, people: Any) -> None:
    widget = ContactsTab(tab_context)
    qtbot.addWidget(widget)
    assert widget.loading
    assert widget.model.total_count() == 0
    with qtbot.waitSignal(widget.load_finished):
        pass
    assert widget.model.total_count() == 3
    assert widget.count_label.text() == "3 of 3"


def test_asking_more_than_giving_is_pointed_out(
    monkeypatch: pytest.MonkeyPatch, tab: ContactsTab, people: dict[str, int]
) -> None:
    def fake_exec(dialog: TouchpointDialog) -> int:
        dialog.kind.setCurrentIndex(dialog.kind.findData("asked"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(TouchpointDialog, "exec", fake_exec)
    tab.select_contact(people["ana"])
    tab.log_touchpoint()
    assert wait_for_all()  # the write runs off the GUI thread
    assert "asked once, gave value never" in tab.message.text()


def test_detail_shows_organisations_and_editing_the_text_links_it(
    qtbot: Any, tab: ContactsTab, people: dict[str, int]
) -> None:
    from planner.core.organisation_queries import OrganisationQueries
    from planner.core.organisations import OrganisationService

    tab.select_contact(people["zoe"])
    pane = tab.organisations_pane
    assert tab.detail.tabs.indexOf(pane) >= 0
    tab.detail.tabs.setCurrentWidget(pane)  # hidden panes refresh when shown
    qtbot.waitUntil(lambda: pane.list.count() == 1)
    assert "Globex" in pane.list.item(0).text()

    ContactService(tab.context.db).update(people["zoe"], {"organisation": "Umbrella Health"})
    tab.context.bus.changed.emit(Changes.all("contacts"))
    qtbot.waitUntil(
        lambda: any("Umbrella Health" in pane.list.item(i).text() for i in range(pane.list.count()))
    )
    orgs = OrganisationService(tab.context.db)
    umbrella = OrganisationQueries(orgs.db).find_by_name("umbrella health")
    assert umbrella is not None
    assert [member.contact_id for member in OrganisationQueries(orgs.db).members(umbrella.id)] == [
        people["zoe"]
    ]

    tab.select_contact(people["ben"])
    qtbot.waitUntil(lambda: pane.list.count() == 1 and "Initech" in pane.list.item(0).text())


def test_export_selected_and_the_list_as_shown(
    qtbot: Any, tab: ContactsTab, people: dict[str, int], tmp_path: Any, monkeypatch: Any
) -> None:
    import vobject
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "out.vcf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "vCard 3.0 (*.vcf)")
    )

    def exported_names() -> list[str]:
        text = target.read_text(encoding="utf-8")
        return sorted(card.fn.value for card in vobject.readComponents(text))

    tab.relationship_filter.setCurrentIndex(tab.relationship_filter.findData("peer"))
    assert visible_names(tab) == ["Ana García", "Ben Okafor"]
    select_ids(tab, [people["ben"]])
    tab.export_shown_action.trigger()
    assert exported_names() == ["Ana García", "Ben Okafor"]
    tab.export_selected_action.trigger()
    assert exported_names() == ["Ben Okafor"]


def _teammate_edits(tab: ContactsTab, contact_id: int, changes: dict[str, Any]) -> None:
    """Priya saves from her own app: another connection, another user."""
    db = tab.context.db
    other = open_database(db.path or db.url)
    other.user = "Priya"
    try:
        ContactService(other).update(contact_id, changes)
    finally:
        other.close()


def test_teammates_change_to_another_field_is_merged_not_lost(
    qtbot: Any, tab: ContactsTab, people: dict[str, int]
) -> None:
    tab.select_contact(people["ana"])
    _teammate_edits(tab, people["ana"], {"notes": "Moved to Lisbon"})
    role = tab.detail.line_edits["role"]
    qtbot.keyClicks(role, "Design Lead")
    qtbot.keyClick(role, Qt.Key.Key_Return)
    saved = ContactService(tab.context.db).get(people["ana"])
    assert (saved.role, saved.notes) == ("Design Lead", "Moved to Lisbon")
    assert tab.detail.notes.toPlainText() == "Moved to Lisbon"  # their change is shown
    assert "Priya changed this contact just now: notes" in tab.message.text()


@pytest.mark.parametrize(
    ("decision", "role"),
    [("conflictKeepMine", "Design Lead"), ("conflictTakeTheirs", "Art Director")],
)
def test_clashing_edit_asks_keep_mine_or_take_theirs(
    qtbot: Any,
    tab: ContactsTab,
    people: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
    decision: str,
    role: str,
) -> None:
    from PySide6.QtWidgets import QLabel, QPushButton

    from planner.ui.dialogs.conflict_dialog import ConflictDialog

    tab.select_contact(people["ana"])
    _teammate_edits(tab, people["ana"], {"role": "Art Director", "notes": "Moved to Lisbon"})
    shown: list[str] = []

    def answer(dialog: ConflictDialog) -> int:
        shown.append(dialog.findChild(QLabel, "conflictHeadline").text())
        dialog.findChild(QPushButton, decision).click()
        return int(dialog.result())

    monkeypatch.setattr(ConflictDialog, "exec", answer)
    edit = tab.detail.line_edits["role"]
    qtbot.keyClicks(edit, "Design Lead")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert shown == ["<b>Priya changed this contact just now: role, notes</b>"]
    saved = ContactService(tab.context.db).get(people["ana"])
    assert (saved.role, saved.notes) == (role, "Moved to Lisbon")
    assert edit.text() == role


def test_merge_per_field(qtbot: Any, tab: ContactsTab, people: dict[str, int]) -> None:
    from planner.core.conflicts import find_conflict
    from planner.ui.dialogs.conflict_dialog import ConflictDialog

    svc = ContactService(tab.context.db)
    seen = svc.get(people["zoe"])
    _teammate_edits(tab, people["zoe"], {"role": "CTO", "location": "Utrecht"})
    current = svc.get(people["zoe"])
    mine = {"role": "VP Engineering", "location": "Amsterdam", "interests": "sailing"}
    dialog = ConflictDialog(find_conflict(seen, current, mine), "contact")
    qtbot.addWidget(dialog)
    assert set(dialog.mine_buttons) == {"role", "location"}
    dialog.findChild(QRadioButton, "conflictTheirs_location").setChecked(True)
    dialog.merge_button.click()
    assert dialog.choice() == {"role": "VP Engineering", "interests": "sailing"}


def test_a_touchpoint_the_database_refused_reopens_with_the_note_and_the_reason(
    monkeypatch: pytest.MonkeyPatch, tab: ContactsTab, people: dict[str, int]
) -> None:
    from planner.core.touchpoints import TouchpointService
    from planner.db.errors import DatabaseBusyError

    real_log_many = TouchpointService.log_many
    refusals = ["Another program is writing to the database; nothing was saved."]

    def busy_once(self: TouchpointService, *args: Any, **kwargs: Any) -> Any:
        if refusals:
            raise DatabaseBusyError(refusals.pop())
        return real_log_many(self, *args, **kwargs)

    monkeypatch.setattr(TouchpointService, "log_many", busy_once)
    seen: list[tuple[str, bool, str]] = []

    def fake_exec(dialog: TouchpointDialog) -> int:
        problem = dialog.save_problem
        seen.append((dialog.note.toPlainText(), not problem.isHidden(), problem.text()))
        if len(seen) == 1:
            dialog.note.setPlainText("Promised her the paper on graph layouts")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(TouchpointDialog, "exec", fake_exec)
    tab.select_contact(people["ana"])
    tab.log_touchpoint()
    assert wait_for_all()  # the write (and the retry) run off the GUI thread
    assert len(seen) == 2  # refused once, so the dialog came back
    note, visible, reason = seen[1]
    assert note == "Promised her the paper on graph layouts"
    assert visible and "Another program is writing" in reason
    logged = TouchpointService(tab.context.db).timeline(people["ana"])
    assert [t.note for t in logged] == ["Promised her the paper on graph layouts"]
