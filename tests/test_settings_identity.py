"""Settings that must survive a restart: the team identity and the calendar server."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.settings import SettingsStore


def test_team_identity_and_calendar_sync_survive_a_restart(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "settings.json")
    prefs = store.preferences
    prefs.user_name, prefs.user_email = "Priya Sharma", "priya@example.org"
    prefs.team_database_url = "postgresql+psycopg://team@db.example.org/networking"
    prefs.calendar_sync_enabled = True
    prefs.calendar_sync_url = "https://dav.example.org/"
    prefs.calendar_sync_user = "priya"
    prefs.calendar_sync_calendar_url = "https://dav.example.org/priya/networking/"
    prefs.calendar_sync_calendar_name = "Networking"
    store.save()
    again = SettingsStore(tmp_path / "settings.json").preferences
    assert (again.user_name, again.user_email) == ("Priya Sharma", "priya@example.org")
    assert again.team_database_url == prefs.team_database_url
    assert again.calendar_sync_enabled and again.calendar_sync_user == "priya"
    assert again.calendar_sync_calendar_url == prefs.calendar_sync_calendar_url
    assert again.calendar_sync_calendar_name == "Networking"
    assert again.calendar_sync_url == "https://dav.example.org/"


def test_the_author_is_the_team_name_else_the_account_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGNAME", "pshar")
    prefs = SettingsStore(tmp_path / "settings.json").preferences
    assert prefs.author_name() == "pshar"
    prefs.user_name = "Priya Sharma"
    assert prefs.author_name() == "Priya Sharma"
