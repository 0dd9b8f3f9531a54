"""`planner export-ics --mine / --team` on a team database: the user's own follow-ups, or
every one they may see; a teammate's private follow-ups are never written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import icalendar
import pytest

from planner.app import main
from planner.core.contact_rows import new_contact
from planner.core.followups import FollowUpDraft, FollowUpService
from planner.db.database import Database
from planner.paths import app_paths
from planner.settings import SettingsStore

DAY = date(2026, 3, 20)


def _export(tmp_path: Path, db_target: Path | str, *args: str) -> set[str]:
    out = tmp_path / "out.ics"
    code = main(
        ["--data-dir", str(tmp_path / "appdata"), "--database", str(db_target), "export-ics",
         str(out), "--include", "followups", *args]
    )  # fmt: skip
    assert code == 0
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    return {str(c["SUMMARY"]) for c in calendar.walk("VEVENT")}


def test_mine_and_team(db: Database, db_engine: str, db_target: Path | str, tmp_path: Path) -> None:
    if db_engine != "postgresql":
        pytest.skip("who 'me' is comes from the team identity, on a server database")
    with db.session() as s:
        cid = new_contact(s, "Zoë Achterberg").id
    svc = FollowUpService(db)
    db.user = "Priya"
    svc.create(FollowUpDraft(cid, DAY, purpose="Priya shared"))
    svc.create(FollowUpDraft(cid, DAY, purpose="Priya private", visibility="private"))
    db.user = "Ana"
    svc.create(FollowUpDraft(cid, DAY, purpose="Ana own"))
    settings = SettingsStore(app_paths(tmp_path / "appdata").settings_file)
    settings.preferences.user_name = "Ana"
    settings.save()

    team = _export(tmp_path, db_target)
    assert any("Priya shared" in s for s in team) and any("Ana own" in s for s in team)
    assert not any("Priya private" in s for s in team)
    assert _export(tmp_path, db_target, "--team") == team
    mine = _export(tmp_path, db_target, "--mine")
    assert len(mine) == 1 and "Ana own" in next(iter(mine))


def test_mine_and_team_exclude_each_other(
    db: Database, db_target: Path | str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--data-dir", str(tmp_path), "--database", str(db_target), "export-ics",
              str(tmp_path / "x.ics"), "--mine", "--team"])  # fmt: skip
    assert exit_.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
