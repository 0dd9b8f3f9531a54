"""Team mode in the Calendar tab: the "My follow-ups / Team" box for the month grid, agenda
and overdue list (kept across restarts), owner and visibility in the follow-up dialog, and the
export dialog starting from the same choice. A teammate's private follow-ups never show."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from planner.core.contact_rows import new_contact
from planner.core.followups import MINE, TEAM, FollowUpDraft, FollowUpService
from planner.db.database import Database
from planner.settings import SettingsStore
from planner.ui.context import TabContext
from planner.ui.dialogs.export_ics_dialog import ExportIcsDialog
from planner.ui.dialogs.followup_dialog import FollowUpDialog
from planner.ui.tabs.calendar_tab import CalendarTab

TODAY = date.today()


@pytest.fixture
def team(db: Database) -> dict[str, int]:
    with db.session() as s:
        cid = new_contact(s, "Zoë Achterberg").id
    svc = FollowUpService(db)
    db.user = "Priya"
    made = {
        "priya": svc.create(FollowUpDraft(cid, TODAY, purpose="Priya's call"))[0].id,
        "secret": svc.create(
            FollowUpDraft(cid, TODAY, purpose="Priya's secret", visibility="private")
        )[0].id,
        "late": svc.create(FollowUpDraft(cid, TODAY - timedelta(days=3), purpose="late"))[0].id,
    }
    db.user = "Ana"
    made["ana"] = svc.create(FollowUpDraft(cid, TODAY, purpose="Ana's call"))[0].id
    made["contact"] = cid
    return made


def _tab(qtbot: Any, context: TabContext) -> CalendarTab:
    tab = CalendarTab(context)
    qtbot.addWidget(tab)
    tab.resize(1366, 740)
    tab.show()
    qtbot.waitUntil(lambda: not tab.data_pending())  # type: ignore[attr-defined]
    return tab


def _agenda(tab: CalendarTab) -> set[str]:
    model = tab.agenda_model
    return {model.item_at(r).followup.purpose for r in range(model.rowCount())}


def test_my_follow_ups_or_the_team_kept_across_restarts(
    qtbot: Any, tab_context: TabContext, team: dict[str, int]
) -> None:
    tab = _tab(qtbot, tab_context)
    assert tab.scope_combo.isVisible() and tab.scope_combo.currentData() == TEAM
    assert _agenda(tab) == {"Priya's call", "Ana's call"}  # never Priya's private one
    assert tab.grid.counts()[TODAY].open == 2
    assert tab.overdue_title.text() == "Overdue (1)"

    tab.scope_combo.setCurrentIndex(tab.scope_combo.findData(MINE))
    assert _agenda(tab) == {"Ana's call"}
    assert tab.grid.counts()[TODAY].open == 1
    assert tab.overdue_title.text() == "Overdue (0)"
    state = tab_context.settings.preferences.ui_state["calendar"]
    assert state == {"scope": MINE}

    tab.close()
    # The next start reads the settings file again.
    reread = SettingsStore(tab_context.settings.path)
    assert reread.preferences.ui_state["calendar"] == {"scope": MINE}
    restarted = TabContext(tab_context.db, reread, tab_context.bus, tab_context.undo_stack)
    again = _tab(qtbot, restarted)
    assert again.scope_combo.currentData() == MINE and _agenda(again) == {"Ana's call"}
    again.set_scope(TEAM)
    assert _agenda(again) == {"Priya's call", "Ana's call"}


def test_single_user_file_has_no_scope_box(qtbot: Any, tab_context: TabContext) -> None:
    tab_context.db.user = ""
    tab = _tab(qtbot, tab_context)
    assert not tab.scope_combo.isVisible()


def test_follow_up_dialog_sets_owner_and_visibility(
    qtbot: Any, tab_context: TabContext, team: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = _tab(qtbot, tab_context)
    shown: list[tuple[str, str, list[str]]] = []

    def fill(self: CalendarTab, dialog: FollowUpDialog) -> bool:
        names = [dialog.owner_combo.itemData(i) for i in range(dialog.owner_combo.count())]
        shown.append((dialog.owner() or "", dialog.visibility() or "", names))
        dialog.purpose_edit.setText("Ask Priya to introduce me")
        dialog.owner_combo.setCurrentIndex(dialog.owner_combo.findData("Priya"))
        dialog.visibility_combo.setCurrentIndex(dialog.visibility_combo.findData("private"))
        return True

    monkeypatch.setattr(CalendarTab, "_run_dialog", fill)
    assert tab.new_item(contact_id=team["contact"])
    assert shown == [("Ana", "shared", ["Ana", "Priya"])]  # default: me, shared
    [saved] = [
        i.followup
        for i in tab.service.list_range(TODAY, TODAY + timedelta(days=7))
        if i.followup.purpose == "Ask Priya to introduce me"
    ]
    assert (saved.owner, saved.visibility, saved.created_by) == ("Priya", "private", "Ana")
    tab.set_scope(MINE)  # given to Priya: no longer mine
    assert "Ask Priya to introduce me" not in _agenda(tab)


def test_export_dialog_starts_from_the_calendar_choice(
    qtbot: Any, tab_context: TabContext, team: dict[str, int]
) -> None:
    tab_context.settings.preferences.ui_state["calendar"] = {"scope": MINE}
    dialog = ExportIcsDialog(tab_context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.summary_label.text() != "Counting…", timeout=5000)
    assert dialog.whose_row.isVisible() and dialog.mine_radio.isChecked()
    dialog.birthdays_check.setChecked(False)
    dialog.events_check.setChecked(False)
    qtbot.waitUntil(lambda: dialog.previewed() is not None, timeout=5000)
    reminders = dialog.previewed()
    assert reminders is not None
    assert {r.purpose for r in reminders.followups} == {"Ana's call"}
    dialog.team_radio.setChecked(True)
    qtbot.waitUntil(lambda: dialog.previewed() is not None, timeout=5000)
    reminders = dialog.previewed()
    assert reminders is not None
    assert {r.purpose for r in reminders.followups} == {"Ana's call", "Priya's call", "late"}
    assert dialog.query().mine_only is False
    dialog.done(0)
