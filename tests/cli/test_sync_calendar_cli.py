"""`planner sync-calendar` against a real Radicale server: counts, idempotence, exit codes."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from planner.app import main
from planner.core.contact_rows import new_contact
from planner.core.followups import FollowUpDraft, FollowUpService
from planner.db.database import Database
from planner.paths import app_paths
from planner.settings import SettingsStore
from tests.caldav_server import RadicaleServer, fast_folder, free_port

USERS = {"ann": "right-password", "bob": "other-password"}
DAY = date(2026, 3, 20)


@pytest.fixture(scope="module")
def radicale() -> Iterator[RadicaleServer]:
    with tempfile.TemporaryDirectory(prefix="radicale-", dir=fast_folder()) as folder:
        server = RadicaleServer(Path(folder), USERS).start()
        yield server
        server.stop()


def _run(tmp_path: Path, *args: str) -> int:
    return main(["--data-dir", str(tmp_path / "data"), *args])


def test_sync_prints_counts_and_is_idempotent(
    tmp_path: Path,
    radicale: RadicaleServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _run(tmp_path, "demo", "--contacts", "12", "--seed", "4") == 0
    monkeypatch.setenv("CAL_PASSWORD", "right-password")
    account = ["--url", radicale.url, "--user", "ann", "--password-env", "CAL_PASSWORD"]
    capsys.readouterr()

    assert _run(tmp_path, "sync-calendar", *account, "--dry-run") == 0
    dry = capsys.readouterr().out
    assert dry.startswith("Dry run, nothing changed: would be created ")

    assert _run(tmp_path, "sync-calendar", *account) == 0
    out = capsys.readouterr().out
    created = int(out.split("created ")[1].split(",")[0])
    assert created > 5
    assert f"would be created {created}," in dry
    assert "updated 0, deleted 0, unchanged 0" in out
    assert '"Networking Planner"' in out

    assert _run(tmp_path, "sync-calendar", *account) == 0
    again = capsys.readouterr().out
    assert f"created 0, updated 0, deleted 0, unchanged {created} " in again


def test_exit_codes_say_what_went_wrong(
    tmp_path: Path,
    radicale: RadicaleServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CAL_PASSWORD", "wrong")
    code = _run(
        tmp_path, "sync-calendar", "--url", radicale.url, "--user", "bob",
        "--password-env", "CAL_PASSWORD",
    )  # fmt: skip
    assert code == 3
    assert "refused the user name or password" in capsys.readouterr().err

    closed = f"http://127.0.0.1:{free_port()}/"
    code = _run(
        tmp_path, "sync-calendar", "--url", closed, "--user", "bob", "--password-env",
        "CAL_PASSWORD",
    )  # fmt: skip
    assert code == 4
    assert "Could not reach" in capsys.readouterr().err

    assert _run(tmp_path, "sync-calendar") == 2
    assert "no calendar server set" in capsys.readouterr().err

    code = _run(tmp_path, "sync-calendar", "--url", radicale.url, "--user", "bob")
    assert code == 2
    assert "no password saved" in capsys.readouterr().err

    code = _run(tmp_path, "sync-calendar", "--url", "ftp://example.com/", "--user", "b",
                "--password-env", "CAL_PASSWORD")  # fmt: skip
    assert code == 5
    assert "not a web address" in capsys.readouterr().err


def test_a_teammates_private_follow_up_is_never_published(
    db: Database,
    db_engine: str,
    db_target: Path | str,
    tmp_path: Path,
    radicale: RadicaleServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """sync-calendar opened the team database without saying who is asking, so it read as
    nobody in particular and would publish Priya's private follow-up to Ana's calendar."""
    if db_engine != "postgresql":
        pytest.skip("who is asking comes from the team identity, on a server database")
    with db.session() as s:
        cid = new_contact(s, "Zoë Achterberg").id
    followups = FollowUpService(db)
    db.user = "Priya"
    followups.create(FollowUpDraft(cid, DAY, purpose="Priya shared"))
    followups.create(FollowUpDraft(cid, DAY, purpose="Priya private", visibility="private"))
    db.user = "Ana"
    followups.create(FollowUpDraft(cid, DAY, purpose="Ana own"))
    settings = SettingsStore(app_paths(tmp_path / "data").settings_file)
    settings.preferences.user_name = "Ana"
    settings.save()
    monkeypatch.setenv("CAL_PASSWORD", "other-password")
    account = ["--url", radicale.url, "--user", "bob", "--password-env", "CAL_PASSWORD"]
    capsys.readouterr()
    assert _run(tmp_path, "--database", str(db_target), "sync-calendar", *account, "--dry-run") == 0
    assert "would be created 2," in capsys.readouterr().out
