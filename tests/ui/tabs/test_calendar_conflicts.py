"""A follow-up edited by a teammate meanwhile: the conflict dialog (Keep mine / Take theirs /
per field), a merge when the fields differ, and a refused save that reopens the dialog with
what was typed. Two database connections stand for two people (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QRadioButton

from planner.core.contact_rows import new_contact
from planner.core.followups import FollowUpDraft, FollowUpService
from planner.db.database import Database, open_database
from planner.db.errors import DatabaseBusyError
from planner.ui.context import TabContext
from planner.ui.dialogs.conflict_dialog import ConflictDialog
from planner.ui.dialogs.followup_dialog import FollowUpDialog
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


@pytest.fixture
def priya(db: Database, db_target: Any) -> Iterator[FollowUpService]:
    """A teammate's app on the same database."""
    other = open_database(db.url if db.path is None else db_target)
    other.user = "Priya"
    yield FollowUpService(other)
    other.close()


def _followup(tab: CalendarTab) -> tuple[int, int]:
    with tab.context.db.session() as s:
        cid = new_contact(s, "Ana Ruiz").id
    fu, _ = tab.service.create(FollowUpDraft(cid, TODAY, channel="email", purpose="slides"))
    tab.refresh()
    return cid, fu.id


def _editing(monkeypatch: pytest.MonkeyPatch, meanwhile: Any, purpose: str) -> list[int]:
    """The user opens the follow-up; the teammate saves while it is open; the user types."""
    calls: list[int] = []

    def run(self: CalendarTab, dialog: FollowUpDialog) -> bool:
        calls.append(1)
        if len(calls) == 1:
            meanwhile()
        dialog.purpose_edit.setText(purpose)
        return True

    monkeypatch.setattr(CalendarTab, "_run_dialog", run)
    return calls


@pytest.mark.parametrize(
    ("button", "purpose"),
    [
        ("conflictKeepMine", "slides and the paper"),
        ("conflictTakeTheirs", "slides (sent the deck)"),
    ],
)
def test_clashing_edit_shows_the_conflict_dialog(
    tab: CalendarTab,
    priya: FollowUpService,
    monkeypatch: pytest.MonkeyPatch,
    button: str,
    purpose: str,
) -> None:
    cid, fid = _followup(tab)

    def teammate() -> None:
        priya.update(
            fid, FollowUpDraft(cid, TODAY, channel="email", purpose="slides (sent the deck)")
        )

    _editing(monkeypatch, teammate, "slides and the paper")
    shown: list[tuple[str, str, str]] = []

    def answer(dialog: ConflictDialog) -> int:
        mine = dialog.findChild(QRadioButton, "conflictMine_purpose")
        theirs = dialog.findChild(QRadioButton, "conflictTheirs_purpose")
        headline = dialog.findChild(QLabel, "conflictHeadline").text()
        shown.append((headline, mine.text(), theirs.text()))
        dialog.findChild(QPushButton, button).click()
        return int(dialog.result())

    monkeypatch.setattr(ConflictDialog, "exec", answer)
    tab.open_followup(fid)
    assert shown == [
        (
            "<b>Priya changed this follow-up just now: purpose</b>",
            "slides and the paper",
            "slides (sent the deck)",
        )
    ]
    assert tab.service.get(fid).purpose == purpose
    assert "Priya changed this follow-up" in tab.feedback.text()


def test_different_fields_merge_without_asking(
    tab: CalendarTab, priya: FollowUpService, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid, fid = _followup(tab)
    moved = TODAY + timedelta(days=3)

    def teammate() -> None:
        priya.update(fid, FollowUpDraft(cid, moved, channel="call", purpose="slides"))

    _editing(monkeypatch, teammate, "slides and the paper")
    monkeypatch.setattr(ConflictDialog, "exec", lambda dialog: pytest.fail("no clash to ask"))
    assert tab.open_followup(fid)
    saved = tab.service.get(fid)
    assert (saved.due_date, saved.channel, saved.purpose) == (moved, "call", "slides and the paper")
    assert tab.feedback.text() == (
        "Priya changed this follow-up just now: due date, channel. Your change was added to theirs."
    )
    tab.context.undo_stack.undo()  # back to the teammate's version, not to the old copy
    assert (tab.service.get(fid).channel, tab.service.get(fid).purpose) == ("call", "slides")


def test_closing_the_conflict_dialog_keeps_theirs(
    tab: CalendarTab, priya: FollowUpService, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid, fid = _followup(tab)
    _editing(
        monkeypatch,
        lambda: priya.update(fid, FollowUpDraft(cid, TODAY, purpose="theirs")),
        "mine",
    )
    monkeypatch.setattr(ConflictDialog, "exec", lambda dialog: 0)
    assert not tab.open_followup(fid)
    assert tab.service.get(fid).purpose == "theirs"
    assert tab.context.undo_stack.count() == 0


@pytest.mark.parametrize("action", ["new", "edit"])
def test_a_refused_save_reopens_the_dialog_with_what_was_typed(
    tab: CalendarTab, monkeypatch: pytest.MonkeyPatch, action: str
) -> None:
    cid, fid = _followup(tab)
    method = "create" if action == "new" else "update"
    real = getattr(FollowUpService, method)
    refusals = ["Another program is writing to the database; nothing was saved."]

    def busy_once(self: FollowUpService, *args: Any, **kwargs: Any) -> Any:
        if refusals:
            raise DatabaseBusyError(refusals.pop())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(FollowUpService, method, busy_once)
    seen: list[tuple[str, bool, str]] = []

    def run(self: CalendarTab, dialog: FollowUpDialog) -> bool:
        error = dialog.error_label
        seen.append((dialog.purpose_edit.text(), not error.isHidden(), error.text()))
        if len(seen) == 1:
            dialog.purpose_edit.setText("Send the paper on graph layouts")
        return True

    monkeypatch.setattr(CalendarTab, "_run_dialog", run)
    assert tab.new_item(contact_id=cid) if action == "new" else tab.open_followup(fid)
    assert len(seen) == 2  # refused once, so the dialog came back
    typed, visible, reason = seen[1]
    assert typed == "Send the paper on graph layouts"
    assert visible and "Not saved: Another program is writing" in reason
    week = (TODAY - timedelta(days=1), TODAY + timedelta(days=7))  # a run across midnight
    purposes = {i.followup.purpose for i in tab.service.list_range(*week)}
    assert "Send the paper on graph layouts" in purposes
    assert tab.context.undo_stack.count() == 1
