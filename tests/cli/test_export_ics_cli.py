"""`planner export-ics`: writes the file, says how many items, fails clearly on bad input."""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import icalendar
import pytest
import vobject

from planner.app import main
from planner.cli.export_ics import UsageError, parse_date
from planner.db.database import Database
from planner.settings import SettingsStore
from tests.interop.ics_data import add_contact, add_event, add_followup


def run(tmp_path: Path, db_target: Path | str, *args: str) -> int:
    return main(["--data-dir", str(tmp_path / "appdata"), "--database", str(db_target), *args])


@pytest.fixture
def filled(db: Database) -> Database:
    cid, _ = add_contact(db, "Zoë Achterberg", birthday_month=7, birthday_day=14)
    add_followup(db, cid, date(2026, 3, 20))
    add_followup(db, cid, date(2026, 3, 29), time(9, 0), "Europe/London")
    add_followup(db, cid, date(2026, 6, 1))
    add_event(db, "FinTech Forum", datetime(2026, 4, 2, 9, 30), time_zone="Europe/Berlin")
    return db


def test_exports_everything_and_says_how_many(
    filled: Database, db_target: Path | str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reminders.ics"
    assert run(tmp_path, db_target, "export-ics", str(out)) == 0
    printed = capsys.readouterr().out
    assert "Wrote 5 items" in printed
    assert "3 open follow-ups, 1 event plan and 1 birthday" in printed
    data = out.read_bytes()
    cal = icalendar.Calendar.from_ical(data)
    assert len(cal.walk("VEVENT")) == 5
    assert len(list(vobject.readOne(data.decode()).vevent_list)) == 5
    starts = {e.decoded("DTSTART") for e in cal.walk("VEVENT")}
    assert datetime(2026, 3, 29, 8, 0, tzinfo=timezone.utc) in starts
    # The default lead time comes from the preferences (30 minutes); all-day items ring at
    # the preferred time of day (09:00).
    triggers = {a.decoded("TRIGGER") for a in cal.walk("VALARM")}
    assert triggers == {timedelta(minutes=-30), timedelta(hours=9)}


def test_range_include_alarm_and_tasks(
    filled: Database, db_target: Path | str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "march.ics"
    code = run(
        tmp_path,
        db_target,
        "export-ics",
        str(out),
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--include",
        "followups",
        "--alarm-minutes",
        "15",
        "--tasks",
    )
    assert code == 0
    assert "Wrote 2 items" in capsys.readouterr().out
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    assert cal.walk("VEVENT") == []
    assert len(cal.walk("VTODO")) == 2
    triggers = {a.decoded("TRIGGER") for a in cal.walk("VALARM")}
    assert triggers == {timedelta(minutes=-15), timedelta(hours=9)}

    assert run(tmp_path, db_target, "export-ics", str(out), "--no-alarm") == 0
    assert b"VALARM" not in out.read_bytes()


def test_preference_lead_time_is_used(
    filled: Database, db_target: Path | str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = SettingsStore(tmp_path / "appdata" / "config" / "settings.json")
    store.preferences.reminder_lead_minutes = 90
    store.save()
    out = tmp_path / "r.ics"
    assert run(tmp_path, db_target, "export-ics", str(out)) == 0
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    triggers = {a.decoded("TRIGGER") for a in cal.walk("VALARM")}
    assert triggers == {timedelta(minutes=-90), timedelta(hours=9)}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-02-30"], "--from: '2026-02-30' is not a date"),
        (["--to", "next tuesday"], "--to: 'next tuesday' is not a date"),
        (["--from", "2026-05-02", "--to", "2026-05-01"], "end date is before the start"),
        (["--include", "followups,tasks"], "--include: tasks"),
        (["--alarm-minutes", "soon"], "not a whole number"),
        (["--alarm-minutes", "-5"], "--alarm-minutes"),
    ],
)
def test_bad_arguments_fail_clearly(
    filled: Database,
    db_target: Path | str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    out = tmp_path / "x.ics"
    assert run(tmp_path, db_target, "export-ics", str(out), *args) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""
    assert not out.exists()


def test_unwritable_path_fails_and_keeps_the_old_file(
    filled: Database, db_target: Path | str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, db_target, "export-ics", str(tmp_path)) == 1
    assert "is a folder" in capsys.readouterr().err
    if os.name == "posix" and os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        old = locked / "x.ics"
        old.write_text("old")
        locked.chmod(0o500)
        try:
            assert run(tmp_path, db_target, "export-ics", str(old)) == 1
            assert "cannot write" in capsys.readouterr().err
            assert old.read_text() == "old"
        finally:
            locked.chmod(0o700)


def test_missing_folder_message(
    filled: Database, db_target: Path | str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, db_target, "export-ics", str(tmp_path / "nope" / "x.ics")) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "does not exist" in err


def test_relative_dates() -> None:
    today = date(2026, 3, 29)
    assert parse_date("today", "--from", today) == today
    assert parse_date("+30", "--to", today) == date(2026, 4, 28)
    assert parse_date("-7", "--from", today) == date(2026, 3, 22)
    assert parse_date("2026-12-31", "--to", today) == date(2026, 12, 31)
    with pytest.raises(UsageError):
        parse_date("31/12/2026", "--to", today)
