"""Completing a follow-up records what happened; every follow-up action says what it did,
with Undo."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from planner.core import scheduling
from planner.core.contact_rows import new_contact
from planner.core.followups import FollowUpDraft
from planner.db import models as m
from planner.ui.context import TabContext
from planner.ui.dates import short_date
from planner.ui.dialogs.complete_dialog import CompleteDialog
from planner.ui.tabs.calendar_tab import CalendarTab

TODAY = date.today()


@pytest.fixture
def tab(qtbot: Any, tab_context: TabContext) -> CalendarTab:
    widget = CalendarTab(tab_context)
    qtbot.addWidget(widget)
    widget.resize(1200, 780)
    widget.show()
    qtbot.waitUntil(lambda: not widget.data_pending())  # type: ignore[attr-defined]
    return widget


def _followup(tab: CalendarTab, cadence: int | None = 45, purpose: str = "Send the paper") -> int:
    with tab.context.db.session() as s:
        cid = new_contact(s, "Ana Ruiz", cadence_days=cadence).id
    fu = tab.service.create(FollowUpDraft(cid, TODAY, channel="email", purpose=purpose))[0]
    tab.refresh()
    tab.agenda_view.setFocus()
    tab.agenda_view.selectRow(tab.agenda_model.row_of(fu.id))
    return fu.id


def test_complete_asks_what_happened_and_enter_keeps_the_defaults(
    qtbot: Any, tab: CalendarTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    fid = _followup(tab)
    seen: dict[str, Any] = {}

    def press_enter(self: CalendarTab, dialog: CompleteDialog) -> bool:
        dialog.show()
        seen["next"] = dialog.next_label.text()
        seen["channel"] = dialog.channel.currentData()
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(CalendarTab, "ask_outcome", press_enter)
    assert tab.complete_selected()
    next_due = TODAY + timedelta(days=45)
    assert seen == {
        "next": f"Next keep-in-touch follow-up: {short_date(next_due)} (every 45 days)",
        "channel": "email",
    }
    with tab.context.db.session() as s:
        touch = s.scalars(select(m.Touchpoint)).one()
        assert (touch.kind, touch.channel, touch.note) == ("caught_up", "email", "Send the paper")
    assert tab.service.get(fid).status == "done"
    text = tab.feedback.text()
    assert text.startswith("Completed Ana Ruiz")
    assert f"Next follow-up: {short_date(next_due)}" in text
    assert tab.feedback.undo_button.isVisible()
    qtbot.mouseClick(tab.feedback.undo_button, Qt.MouseButton.LeftButton)
    assert tab.service.get(fid).status == "open"
    assert tab.feedback.text().startswith("Undone:")


def test_complete_records_kind_channel_and_note(
    tab: CalendarTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    _followup(tab)

    def fill(self: CalendarTab, dialog: CompleteDialog) -> bool:
        dialog.kind.setCurrentIndex(dialog.kind.findData("gave_value"))
        dialog.channel.setCurrentIndex(dialog.channel.findData("call"))
        dialog.note.setText("Sent her the fraud paper; she will intro me to Bo")
        return True

    monkeypatch.setattr(CalendarTab, "ask_outcome", fill)
    assert tab.complete_selected()
    with tab.context.db.session() as s:
        touch = s.scalars(select(m.Touchpoint)).one()
        assert (touch.kind, touch.channel, touch.note) == (
            "gave_value",
            "call",
            "Sent her the fraud paper; she will intro me to Bo",
        )
    assert "“gave value” by call" in tab.feedback.text()


def test_cancelling_the_outcome_step_changes_nothing(
    tab: CalendarTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    fid = _followup(tab)
    monkeypatch.setattr(CalendarTab, "ask_outcome", lambda self, dialog: False)
    assert not tab.complete_selected()
    assert tab.service.get(fid).status == "open"


def test_snooze_move_cancel_and_schedule_say_what_they_did(qtbot: Any, tab: CalendarTab) -> None:
    fid = _followup(tab, cadence=30)
    assert tab.snooze_selected(scheduling.SNOOZE_TOMORROW)
    tomorrow = tab.service.get(fid).due_date
    assert tab.feedback.text() == f"Snoozed 1 follow-up until {short_date(tomorrow)}."
    qtbot.mouseClick(tab.feedback.undo_button, Qt.MouseButton.LeftButton)
    assert tab.service.get(fid).due_date == TODAY
    day = TODAY + timedelta(days=10)
    assert tab.reschedule([fid], day)
    assert tab.feedback.text() == f"Moved 1 follow-up to {short_date(day)}."
    tab.grid.set_selected_date(day)
    tab.agenda_view.setFocus()
    tab.agenda_view.selectRow(tab.agenda_model.row_of(fid))
    assert tab.delete_selected()
    assert tab.feedback.text() == "Cancelled 1 follow-up."
    assert tab.feedback.undo_button.isVisible()
    tab.context.undo_stack.undo()  # undone elsewhere (Ctrl+Z): the bar's Undo goes away
    assert not tab.feedback.undo_button.isVisible()
    with tab.context.db.session() as s:
        cid = new_contact(s, "Bo Li", cadence_days=30).id
    assert tab.schedule_keep_in_touch([cid])
    assert tab.feedback.text().startswith("Scheduled a keep-in-touch follow-up with Bo Li")
