"""A referral save the database refuses reopens the dialog with what was typed and why, as
the touchpoint dialog does; the second OK saves it (one undo step)."""

from __future__ import annotations

from typing import Any

import pytest

from planner.core.contacts import ContactService
from planner.core.referrals import ReferralService
from planner.db.errors import DatabaseBusyError
from planner.ui.dialogs.referral_dialog import ReferralDialog
from planner.ui.tabs.contacts_tab import ContactsTab


def test_refused_referral_save_reopens_with_the_typed_values(
    qtbot: Any, tab_context: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = ContactService(tab_context.db).create({"name": "Ana Ruiz"})[0].id
    tab = ContactsTab(tab_context)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: not tab.loading)
    tab.select_contact(ana)
    real_add = ReferralService.create
    calls: list[str] = []

    def busy_once(self: ReferralService, *args: Any, **kwargs: Any) -> Any:
        if not calls:
            calls.append("refused")
            raise DatabaseBusyError("The database is busy (another program is writing).")
        calls.append("saved")
        return real_add(self, *args, **kwargs)

    shown: list[tuple[str, str, str]] = []

    def fake_exec(dialog: ReferralDialog) -> int:
        if not shown:
            dialog.outcome.setText("Got an interview")
            dialog.note.setPlainText("Intro to Globex's CTO")
            dialog.status.setCurrentIndex(dialog.status.findData("outcome"))
        shown.append((dialog.outcome.text(), dialog.note.toPlainText(), dialog.save_problem.text()))
        return ReferralDialog.DialogCode.Accepted

    monkeypatch.setattr(ReferralService, "create", busy_once)
    monkeypatch.setattr(ReferralDialog, "exec", fake_exec)
    tab.add_referral()
    assert calls == ["refused", "saved"]
    assert shown == [
        ("Got an interview", "Intro to Globex's CTO", ""),
        (
            "Got an interview",
            "Intro to Globex's CTO",
            "Not saved: The database is busy (another program is writing).",
        ),
    ]
    saved = ReferralService(tab_context.db).for_contact(ana)
    assert [(r.outcome, r.note) for r in saved] == [("Got an interview", "Intro to Globex's CTO")]
    assert tab_context.undo_stack.count() == 1
