"""The CalDAV password goes to the keyring, never to settings.json; without one, memory only."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from planner import credentials
from planner.settings import SettingsStore


def test_password_is_kept_in_the_keyring_not_in_settings(
    _memory_keyring: dict[tuple[str, str], str], settings: SettingsStore
) -> None:
    saved = credentials.set_password("https://cal.example/", "ann", "s3cret!")
    assert saved.in_keyring and saved.message == ""
    assert credentials.get_password("https://cal.example/", "ann") == "s3cret!"
    assert "s3cret!" in _memory_keyring.values()

    settings.preferences.calendar_sync_url = "https://cal.example/"
    settings.preferences.calendar_sync_user = "ann"
    settings.save()
    assert "s3cret!" not in settings.path.read_text(encoding="utf-8")
    assert json.loads(settings.path.read_text())["calendar_sync_user"] == "ann"

    credentials.delete_password("https://cal.example/", "ann")
    assert credentials.get_password("https://cal.example/", "ann") is None


def test_without_a_keyring_the_password_lasts_this_run_and_says_why(tmp_path: Path) -> None:
    keyring.set_keyring(fail.Keyring())
    saved = credentials.set_password("https://cal.example/", "ann", "pw")
    assert not saved.in_keyring
    assert "No system keyring is available" in saved.message
    assert "--password-env" in saved.message
    assert credentials.get_password("https://cal.example/", "ann") == "pw"
    credentials._session.clear()  # the app quits
    assert credentials.get_password("https://cal.example/", "ann") is None


def test_a_broken_keyring_reads_as_no_password(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")

    monkeypatch.setattr(keyring, "get_password", broken)
    assert credentials.get_password("https://cal.example/", "ann") is None
