"""The Calendar tab driven with qtbot on a real database: actions, undo, drops, lists."""

from __future__ import annotations

import warnings
from datetime import date, datetime, time, timedelta, timezone

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import func, select

from planner.core.changes import Changes
from planner.core.contact_rows import new_contact
from planner.core.followups import FollowUpDraft
from planner.db import models as m
from planner.db.database import Database
from planner.ui.context import TabContext
from planner.ui.dialogs.followup_dialog import FollowUpDialog
from planner.ui.models.agenda_model import FollowUpTableModel, LosingTouchTableModel
from planner.ui.tabs.calendar_tab import CalendarTab

TODAY = date.today()


def _contact(db: Database, name: str = "Ana Ruiz", cadence: int | None = 30) -> int:
    with db.session() as s:
        return new_contact(s, name, organisation="Globex", cadence_days=cadence).id


def _count(db: Database, model: type, *where: object) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


@pytest.fixture
def tab(qtbot: object, tab_context: TabContext) -> CalendarTab:
    widget = CalendarTab(tab_context)
    qtbot.addWidget(widget)  # type: ignore[attr-defined]
    widget.resize(1200, 780)
    widget.show()
    qtbot.waitUntil(lambda: not widget.data_pending())  # type: ignore[attr-defined]
    return widget


def _select_agenda(tab: CalendarTab, followup_id: int) -> None:
    row = tab.agenda_model.row_of(followup_id)
    assert row >= 0, "follow-up not in the agenda"
    tab.agenda_view.setFocus()
    tab.agenda_view.selectRow(row)


def test_models_pass_the_model_tester(qtmodeltester: object, tab: CalendarTab) -> None:
    cid = _contact(tab.context.db)
    tab.service.create(FollowUpDraft(cid, TODAY, purpose="x"))[0]
    tab.service.create(FollowUpDraft(None, TODAY, time(9), "UTC", purpose="renew membership"))[0]
    tab.refresh()
    assert tab.agenda_model.rowCount() == 2
    qtmodeltester.check(tab.agenda_model)  # type: ignore[attr-defined]
    qtmodeltester.check(tab.losing_model)  # type: ignore[attr-defined]


def test_create_with_ctrl_n_dialog_and_undo(
    qtbot: object, tab: CalendarTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tab.context.db
    cid = _contact(db, "Zoë Achterberg")
    due = TODAY + timedelta(days=2)

    def fill(self: CalendarTab, dialog: FollowUpDialog) -> bool:
        dialog.contact_edit.setFocus()
        qtbot.keyClicks(dialog.contact_edit, "zoe")  # type: ignore[attr-defined]
        assert dialog.contact() is None  # two-way match needs a pick
        dialog._on_completer_activated("Zoë Achterberg — Globex")
        assert dialog.contact() is not None and dialog.contact().id == cid
        dialog.date_edit.setDate(dialog.date_edit.date().addDays(2))
        dialog.purpose_edit.setText("send the slides")
        dialog.channel_combo.setCurrentIndex(dialog.channel_combo.findData("email"))
        return True

    monkeypatch.setattr(CalendarTab, "_run_dialog", fill)
    with qtbot.waitSignal(tab.context.bus.changed):  # type: ignore[attr-defined]
        assert tab.new_item()
    with db.session() as s:
        fu = s.scalars(select(m.FollowUp)).one()
        assert (fu.contact_id, fu.due_date, fu.purpose, fu.channel) == (
            cid, due, "send the slides", "email",
        )  # fmt: skip
        uuid = fu.uuid
    # The grid moved to the new follow-up's day and the agenda shows it.
    assert tab.grid.selected_date == due
    qtbot.waitUntil(lambda: tab.agenda_model.rowCount() == 1)  # type: ignore[attr-defined]
    assert tab.agenda_model.item_at(0).contact_name == "Zoë Achterberg"

    tab.context.undo_stack.undo()
    assert _count(db, m.FollowUp) == 0
    qtbot.waitUntil(lambda: tab.agenda_model.rowCount() == 0)  # type: ignore[attr-defined]
    tab.context.undo_stack.redo()
    with db.session() as s:
        assert s.scalars(select(m.FollowUp.uuid)).one() == uuid


def test_followup_requested_opens_dialog_prefilled(
    tab: CalendarTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = _contact(tab.context.db, "Kwame Mensah")
    seen: list[object] = []

    def cancel(self: CalendarTab, dialog: FollowUpDialog) -> bool:
        seen.append(dialog.contact())
        seen.append(dialog.contact_edit.text())
        return False

    monkeypatch.setattr(CalendarTab, "_run_dialog", cancel)
    tab.context.bus.followup_requested.emit(cid)
    assert seen[0] is not None and seen[0].id == cid  # type: ignore[attr-defined]
    assert seen[1] == "Kwame Mensah — Globex"
    assert _count(tab.context.db, m.FollowUp) == 0


def test_complete_logs_touchpoint_schedules_next_and_undoes(
    qtbot: object, tab: CalendarTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CalendarTab, "ask_outcome", lambda self, dialog: True)
    db = tab.context.db
    cid = _contact(db, cadence=45)
    fu = tab.service.create(FollowUpDraft(cid, TODAY, channel="call", purpose="catch up"))[0]
    tab.refresh()
    _select_agenda(tab, fu.id)
    assert tab.complete_action.isEnabled()
    bus = tab.context.bus
    with qtbot.waitSignal(bus.changed) as blocker:  # type: ignore[attr-defined]
        tab.complete_action.trigger()
    assert blocker.args[0].touches("follow_ups", "touchpoints", "contacts")
    assert {"follow_ups", "touchpoints", "contacts"} <= blocker.args[0].kinds()
    assert tab.service.get(fu.id).status == "done"
    with db.session() as s:
        touch = s.scalars(select(m.Touchpoint)).one()
        assert (touch.contact_id, touch.channel, touch.note) == (cid, "call", "catch up")
        nxt = s.scalars(select(m.FollowUp).where(m.FollowUp.status == "open")).one()
        assert nxt.due_date == TODAY + timedelta(days=45) and nxt.origin == "cadence"
        assert s.get(m.Contact, cid).last_touch_on == TODAY  # type: ignore[union-attr]

    tab.context.undo_stack.undo()
    assert tab.service.get(fu.id).status == "open"
    assert _count(db, m.Touchpoint) == 0
    assert _count(db, m.FollowUp) == 1
    tab.context.undo_stack.redo()
    assert tab.service.get(fu.id).status == "done"
    assert _count(db, m.Touchpoint) == 1 and _count(db, m.FollowUp) == 2


def test_snooze_tomorrow_and_next_week_with_undo(qtbot: object, tab: CalendarTab) -> None:
    cid = _contact(tab.context.db)
    fu = tab.service.create(FollowUpDraft(cid, TODAY, time(9, 30), "Europe/London", purpose="x"))[0]
    tab.refresh()
    _select_agenda(tab, fu.id)
    tab.snooze_tomorrow_action.trigger()
    moved = tab.service.get(fu.id)
    assert moved.due_date == TODAY + timedelta(days=1) and moved.due_time == time(9, 30)
    assert moved.sequence == 1
    tab.context.undo_stack.undo()
    assert tab.service.get(fu.id).due_date == TODAY
    qtbot.waitUntil(lambda: tab.agenda_model.row_of(fu.id) >= 0)  # type: ignore[attr-defined]
    _select_agenda(tab, fu.id)
    tab.context.settings.preferences.first_day_of_week = 7
    tab.snooze_week_action.trigger()
    target = tab.service.get(fu.id).due_date
    assert target > TODAY and target.isoweekday() == 7 and (target - TODAY).days <= 7


def _drop(widget: QWidget, mime: QMimeData, point: QPoint) -> None:
    """What a real drag does: enter, move, drop (Qt ignores a drop without an enter)."""
    args = (Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(point, *args)
        QApplication.sendEvent(widget, enter)
        assert enter.isAccepted()
        move = QDragMoveEvent(point, *args)
        QApplication.sendEvent(widget, move)
        assert move.isAccepted()
        QApplication.sendEvent(widget, QDropEvent(QPointF(point), *args))


def test_drag_follow_up_onto_a_day_reschedules_and_undo(qtbot: object, tab: CalendarTab) -> None:
    cid = _contact(tab.context.db)
    fu = tab.service.create(
        FollowUpDraft(cid, TODAY, time(15, 0), "America/New_York", purpose="x")
    )[0]
    tab.refresh()
    row = tab.agenda_model.row_of(fu.id)
    mime = tab.agenda_model.mimeData([tab.agenda_model.index(row, 0)])
    assert Qt.ItemFlag.ItemIsDragEnabled in tab.agenda_model.flags(tab.agenda_model.index(row, 0))
    target = TODAY + timedelta(days=3)
    tab.grid.set_selected_date(TODAY)
    if (target.year, target.month) != (tab.grid.year, tab.grid.month):
        target = TODAY - timedelta(days=1) if TODAY.day > 1 else TODAY + timedelta(days=1)
    with qtbot.waitSignal(tab.grid.followups_dropped):  # type: ignore[attr-defined]
        _drop(tab.grid, mime, tab.grid.cell_rect(target).center())
    moved = tab.service.get(fu.id)
    assert moved.due_date == target and moved.due_time == time(15, 0)
    assert moved.time_zone == "America/New_York"
    tab.context.undo_stack.undo()
    assert tab.service.get(fu.id).due_date == TODAY


def test_cancel_with_delete_and_undo(tab: CalendarTab) -> None:
    cid = _contact(tab.context.db)
    fu = tab.service.create(FollowUpDraft(cid, TODAY, purpose="x"))[0]
    tab.refresh()
    _select_agenda(tab, fu.id)
    assert tab.delete_selected()
    assert tab.service.get(fu.id).status == "cancelled"
    tab.context.undo_stack.undo()
    assert tab.service.get(fu.id).status == "open"


def _lapse(db: Database, cid: int, days: int, cadence: int) -> None:
    with db.session() as s:
        c = s.get(m.Contact, cid)
        assert c is not None
        c.cadence_days = cadence
        c.next_touch_due = TODAY - timedelta(days=days)


def test_losing_touch_list_order_and_one_click_schedule(qtbot: object, tab: CalendarTab) -> None:
    db = tab.context.db
    a = _contact(db, "Aoife Murphy")
    b = _contact(db, "Björn Eriksen")
    c = _contact(db, "Chen Wei")
    _lapse(db, a, 10, 30)
    _lapse(db, b, 70, 90)
    _lapse(db, c, 10, 14)
    tab.refresh()
    names = [tab.losing_model.item_at(r).name for r in range(tab.losing_model.rowCount())]
    assert names == ["Björn Eriksen", "Chen Wei", "Aoife Murphy"]
    assert tab.losing_title.text() == "Losing touch (3)"
    rect = tab.losing_view.visualRect(tab.losing_model.index(0, LosingTouchTableModel.COL_SCHEDULE))
    qtbot.mouseClick(  # type: ignore[attr-defined]
        tab.losing_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    with db.session() as s:
        fu = s.scalars(select(m.FollowUp)).one()
        assert (fu.contact_id, fu.due_date, fu.origin) == (b, TODAY, "cadence")
    qtbot.waitUntil(lambda: tab.losing_model.rowCount() == 2)  # type: ignore[attr-defined]
    tab.context.undo_stack.undo()
    assert _count(db, m.FollowUp) == 0
    qtbot.waitUntil(lambda: tab.losing_model.rowCount() == 3)  # type: ignore[attr-defined]


def test_notification_fires_once_when_a_follow_up_becomes_due(
    qtbot: object, tab: CalendarTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = _contact(tab.context.db)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    zone = "UTC"
    soon = (now + timedelta(minutes=5)).replace(second=0)
    fu = tab.service.create(FollowUpDraft(cid, soon.date(), soon.time(), zone, purpose="call Ana"))[
        0
    ]
    assert fu.id not in tab.notifier.check(now)
    with qtbot.waitSignal(tab.notifier.notified) as blocker:  # type: ignore[attr-defined]
        fired = tab.notifier.check(soon + timedelta(seconds=1))
    assert fired == [fu.id] and blocker.args == [fu.id]
    assert tab.notifier.check(soon + timedelta(minutes=2)) == []
    with tab.context.db.session() as s:
        assert s.get(m.FollowUp, fu.id).notified_at is not None  # type: ignore[union-attr]
    # Clicking the notification opens that follow-up.
    opened: list[int] = []
    monkeypatch.setattr(CalendarTab, "open_followup", lambda self, i: opened.append(i))
    tab.notifier.open_requested.disconnect()
    tab.notifier.open_requested.connect(lambda i: tab.open_followup(i))
    tab.notifier._last_clicked_id = fu.id
    tab.notifier._on_tray_message_clicked()
    assert opened == [fu.id]


def test_month_grid_keyboard_and_first_day_of_week(qtbot: object, tab_context: TabContext) -> None:
    tab_context.settings.preferences.first_day_of_week = 7
    tab = CalendarTab(tab_context)
    qtbot.addWidget(tab)  # type: ignore[attr-defined]
    tab.show()  # a hidden tab refreshes when shown; this one follows changes at once
    qtbot.waitUntil(lambda: not tab.data_pending())  # type: ignore[attr-defined]
    start, _end = tab.grid.visible_range()
    assert start.isoweekday() == 7
    month_before = (tab.grid.year, tab.grid.month)
    tab.grid.setFocus()
    qtbot.keyClick(tab.grid, Qt.Key.Key_PageDown)  # type: ignore[attr-defined]
    assert (tab.grid.year, tab.grid.month) != month_before
    assert tab.month_label.text().endswith(str(tab.grid.year))
    qtbot.keyClick(tab.grid, Qt.Key.Key_Home)  # type: ignore[attr-defined]
    assert tab.grid.selected_date == date.today()
    qtbot.keyClick(tab.grid, Qt.Key.Key_Right)  # type: ignore[attr-defined]
    assert tab.grid.selected_date == date.today() + timedelta(days=1)
    qtbot.keyClick(tab.grid, Qt.Key.Key_Up)  # type: ignore[attr-defined]
    assert tab.grid.selected_date == date.today() - timedelta(days=6)
    tab_context.settings.preferences.first_day_of_week = 1
    tab_context.bus.changed.emit(Changes.all("settings"))
    assert tab.grid.visible_range()[0].isoweekday() == 1


def test_grid_counts_overdue_and_mouse(qtbot: object, tab: CalendarTab) -> None:
    cid = _contact(tab.context.db)
    yesterday = TODAY - timedelta(days=1)
    tab.service.create(FollowUpDraft(cid, yesterday, purpose="late"))[0]
    tab.service.create(FollowUpDraft(cid, TODAY, purpose="a"))[0]
    tab.service.create(FollowUpDraft(cid, TODAY, purpose="b"))[0]
    tab.context.bus.changed.emit(Changes.all("follow_ups"))  # as another tab would
    qtbot.waitUntil(lambda: tab.grid.counts().get(TODAY) is not None)  # type: ignore[attr-defined]
    assert tab.grid.counts()[TODAY].open == 2
    assert tab.overdue_model.rowCount() == 1 and tab.overdue_title.text() == "Overdue (1)"
    tab.grid.set_selected_date(yesterday)
    point = tab.grid.cell_rect(TODAY).center()
    qtbot.mouseClick(tab.grid, Qt.MouseButton.LeftButton, pos=point)  # type: ignore[attr-defined]
    assert tab.grid.selected_date == TODAY
    assert tab.grid.date_at(QPoint(5, 5)) is None  # the weekday header
    tab.set_week_mode(True)
    assert tab.agenda_model.rowCount() >= 2
    assert tab.agenda_title.text().startswith("Week of")


def test_follow_up_without_contact_shows_its_purpose(
    tab: CalendarTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CalendarTab, "ask_outcome", lambda self, dialog: True)
    fu = tab.service.create(FollowUpDraft(None, TODAY, purpose="Renew guild membership"))[0]
    tab.refresh()
    row = tab.agenda_model.row_of(fu.id)
    model = tab.agenda_model
    assert model.data(model.index(row, FollowUpTableModel.COL_CONTACT)) == "—"
    assert model.data(model.index(row, FollowUpTableModel.COL_PURPOSE)) == "Renew guild membership"
    _select_agenda(tab, fu.id)
    assert tab.complete_selected()
    assert tab.service.get(fu.id).status == "done"


def test_export_button_emits_selected_ids(qtbot: object, tab: CalendarTab) -> None:
    cid = _contact(tab.context.db)
    fu = tab.service.create(FollowUpDraft(cid, TODAY, purpose="x"))[0]
    tab.refresh()
    _select_agenda(tab, fu.id)
    button = tab.findChild(object, "exportToCalendarButton")
    assert button is not None
    with qtbot.waitSignal(tab.context.bus.export_reminders_requested) as blocker:  # type: ignore[attr-defined]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert blocker.args == [[fu.id]]


def test_edit_dialog_round_trip(tab: CalendarTab, monkeypatch: pytest.MonkeyPatch) -> None:
    cid = _contact(tab.context.db)
    fu = tab.service.create(FollowUpDraft(cid, TODAY, purpose="old"))[0]
    tab.refresh()

    def change(self: CalendarTab, dialog: FollowUpDialog) -> bool:
        assert dialog.contact() is not None and dialog.purpose_edit.text() == "old"
        dialog.purpose_edit.setText("new")
        dialog.timed_check.setChecked(True)
        dialog.zone_combo.setCurrentText("Asia/Singapore")
        assert dialog.problem() == ""
        return True

    monkeypatch.setattr(CalendarTab, "_run_dialog", change)
    assert tab.open_followup(fu.id)
    after = tab.service.get(fu.id)
    assert after.purpose == "new" and after.time_zone == "Asia/Singapore"
    assert after.due_time == time(9, 0) and after.sequence == 1
    tab.context.undo_stack.undo()
    assert tab.service.get(fu.id).purpose == "old"


def test_dialog_problems(qtbot: object, tab: CalendarTab) -> None:
    dialog = FollowUpDialog(tab.service.find_contacts)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert "no contact" in dialog.problem()
    dialog.contact_edit.setText("Nobody Known")
    assert "No contact matches" in dialog.problem()
    dialog.contact_edit.clear()
    dialog.purpose_edit.setText("renew membership")
    dialog.timed_check.setChecked(True)
    dialog.zone_combo.setCurrentText("Mars/Base")
    assert "time zone" in dialog.problem()
    dialog.accept()
    assert dialog.error_label.isVisibleTo(dialog)


def test_busy_day_loads_in_pages(qtbot: object, tab: CalendarTab) -> None:
    cid = _contact(tab.context.db)
    page = FollowUpTableModel.PAGE
    with tab.context.db.session() as s:
        s.add_all(
            m.FollowUp(contact_id=cid, due_date=TODAY, purpose=f"item {n}", status="open")
            for n in range(page + 25)
        )
    tab.refresh()
    model = tab.agenda_model
    assert model.rowCount() == page and model.canFetchMore()
    assert f"({page + 25:,} follow-ups)" in tab.agenda_title.text()
    model.fetchMore()
    assert model.rowCount() == page + 25 and not model.canFetchMore()
    assert len(set(model.ids())) == page + 25


def test_notification_click_brings_the_tab_forward(
    qtbot: object, tab_context: TabContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QLabel, QTabWidget

    tabs = QTabWidget()
    qtbot.addWidget(tabs)  # type: ignore[attr-defined]
    tabs.addTab(QLabel("contacts"), "Contacts")
    tab = CalendarTab(tab_context)
    tabs.addTab(tab, "Calendar")
    cid = _contact(tab_context.db)
    fu = tab.service.create(FollowUpDraft(cid, TODAY + timedelta(days=40), purpose="x"))[0]
    shown: list[bool] = []

    def look(self: CalendarTab, dialog: FollowUpDialog) -> bool:
        shown.append(dialog.purpose_edit.text() == "x")
        return False

    monkeypatch.setattr(CalendarTab, "_run_dialog", look)
    tab.notifier._last_clicked_id = fu.id
    tab.notifier._on_tray_message_clicked()
    assert tabs.currentWidget() is tab
    assert shown == [True]
    assert tab.grid.selected_date == fu.due_date
    assert tab.agenda_model.ids() == [fu.id]


def test_show_item_selects_the_follow_up(tab: CalendarTab) -> None:
    cid = _contact(tab.context.db)
    fu = tab.service.create(FollowUpDraft(cid, TODAY + timedelta(days=9), purpose="x"))[0]
    assert tab.show_item("followup", fu.id)
    assert tab.grid.selected_date == fu.due_date
    assert tab.selected_ids() == [fu.id]
    assert not tab.show_item("followup", 99999)
    assert not tab.show_item("contact", cid)


def test_keyboard_enter_schedules_from_losing_touch_and_edits_agenda(
    qtbot: object, tab: CalendarTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tab.context.db
    a = _contact(db, "Aoife Murphy")
    _lapse(db, a, 10, 30)
    tab.refresh()
    tab.losing_view.setFocus()
    tab.losing_view.selectRow(0)
    qtbot.keyClick(tab.losing_view, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    with db.session() as s:
        assert s.scalars(select(m.FollowUp.contact_id)).one() == a
    tab.refresh()
    opened: list[int] = []
    monkeypatch.setattr(CalendarTab, "open_followup", lambda self, i: opened.append(i) or True)
    _select_agenda(tab, tab.agenda_model.ids()[0])
    qtbot.keyClick(tab.agenda_view, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    assert opened == tab.agenda_model.ids()


def test_time_column_names_the_zone_only_when_it_differs(tab: CalendarTab) -> None:
    cid = _contact(tab.context.db)
    here = tab.service.create(FollowUpDraft(cid, TODAY, time(9, 30), "Europe/London"))[0]
    there = tab.service.create(FollowUpDraft(cid, TODAY, time(10, 0), "Asia/Tokyo"))[0]
    tab.agenda_model.local_zone_name = "Europe/London"
    tab.refresh()
    model = tab.agenda_model
    col = FollowUpTableModel.COL_TIME
    assert "London" not in model.data(model.index(model.row_of(here.id), col))
    assert model.data(model.index(model.row_of(there.id), col)).endswith("Asia/Tokyo")


def test_day_summary_in_words(tab: CalendarTab) -> None:
    cid = _contact(tab.context.db)
    yesterday = TODAY - timedelta(days=1)
    tab.service.create(FollowUpDraft(cid, yesterday, purpose="late"))[0]
    tab.refresh()
    tab.grid.set_selected_date(yesterday)  # its month's counts are loaded
    assert "1 open follow-up (overdue)" in tab.grid.day_summary(yesterday)
    assert "overdue" in tab.grid.accessibleDescription()
    assert tab.grid.day_summary(yesterday - timedelta(days=1)).endswith("nothing planned")


def test_snooze_to_a_picked_date_and_cancelled_pick(
    tab: CalendarTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = _contact(tab.context.db)
    fu = tab.service.create(FollowUpDraft(cid, TODAY, purpose="x"))[0]
    tab.refresh()
    _select_agenda(tab, fu.id)
    monkeypatch.setattr(CalendarTab, "pick_date", lambda self, initial: None)
    assert not tab.reschedule_selected()
    assert tab.context.undo_stack.count() == 0
    picked = TODAY + timedelta(days=12)
    monkeypatch.setattr(CalendarTab, "pick_date", lambda self, initial: picked)
    tab.reschedule_action.trigger()
    assert tab.service.get(fu.id).due_date == picked
    assert tab.context.undo_stack.undoText() == "Reschedule follow-up"


def test_grid_ignores_foreign_drops(tab: CalendarTab) -> None:
    from PySide6.QtWidgets import QApplication

    mime = QMimeData()
    mime.setText("not a follow-up")
    point = tab.grid.cell_rect(TODAY).center()
    args = (Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(point, *args)
        QApplication.sendEvent(tab.grid, enter)
    assert not enter.isAccepted()


def test_month_counts_are_read_once_per_month_until_something_changes(
    qtbot: object, tab: CalendarTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = _contact(tab.context.db)
    reads: list[tuple[date, date]] = []
    real = tab.service.day_counts

    def counting(start: date, end: date) -> object:
        reads.append((start, end))
        return real(start, end)

    monkeypatch.setattr(tab.service, "day_counts", counting)
    for _ in range(3):  # back and forth: the two months are read once each
        tab.next_month()
        tab.previous_month()
    assert len(reads) == 1 and len(set(reads)) == 1
    # A change (here or in another tab) reads the shown month again, with the new item.
    tab.service.create(FollowUpDraft(cid, TODAY, purpose="call"))[0]
    tab.context.bus.changed.emit(Changes.all("follow_ups"))
    qtbot.waitUntil(lambda: tab.grid.counts().get(TODAY) is not None)  # type: ignore[attr-defined]
    assert tab.grid.counts()[TODAY].open == 1
    assert len(reads) == 2
