"""kill -9 during a schema upgrade, at several points: the file keeps its old revision and its
data, a retry finishes the upgrade, and there is exactly one pre-upgrade backup."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from planner.db.database import head_revision, open_database

from .conftest import POSIX_ONLY, debris, make_old_database, run_killed, scalar, sound

pytestmark = POSIX_ONLY
CONTACTS = 400


def _upgrade_backups(folder: Path) -> list[Path]:
    return sorted((folder / "backups").glob("*before-upgrade-from-0001_initial*"))


def _kill_during_upgrade(tmp_path: Path, points: list[int]) -> dict[int, str]:
    """Kill `planner export-ics` at each point in turn on one old file; return what each saw."""
    path = tmp_path / "old.sqlite3"
    make_old_database(path, CONTACTS)
    seen: dict[int, str] = {}
    for point in points:
        factory = "_migration_engine" if point > 0 else "os.replace"
        result = run_killed(
            factory,
            point,
            "--data-dir",
            str(tmp_path / "home"),
            "--database",
            str(path),
            "export-ics",
            str(tmp_path / "out.ics"),
        )
        seen[point] = "killed" if result.returncode == -signal.SIGKILL else "finished"
        assert result.returncode in (-signal.SIGKILL, 0), result.stderr
        if seen[point] == "killed":
            # The old revision and every row are still there, and the file is sound.
            assert scalar(path, "SELECT version_num FROM alembic_version") == "0001_initial"
            assert scalar(path, "SELECT count(*) FROM contacts") == CONTACTS
            assert sound(path)
            assert len(_upgrade_backups(tmp_path)) <= 1
    db = open_database(path)
    try:
        assert db.integrity_checked
    finally:
        db.close()
    assert scalar(path, "SELECT version_num FROM alembic_version") == head_revision()
    assert scalar(path, "SELECT count(*) FROM contacts") == CONTACTS
    assert scalar(path, "SELECT count(*) FROM organisations") == 37
    assert sound(path)
    backups = _upgrade_backups(tmp_path)
    assert len(backups) == 1, backups
    assert scalar(backups[0], "SELECT version_num FROM alembic_version") == "0001_initial"
    assert scalar(backups[0], "SELECT count(*) FROM contacts") == CONTACTS
    # A kill before the backup's rename leaves a temporary file; the next backup removes it.
    assert debris(tmp_path) == []
    return seen


@pytest.mark.slow
def test_kills_during_upgrade_keep_the_old_revision(tmp_path: Path) -> None:
    # -1: just before the backup is renamed into place; then statements early, in the data
    # migration of 0002, and the last ones before COMMIT.
    seen = _kill_during_upgrade(tmp_path, [-1, 2, 14, 30])
    assert set(seen.values()) == {"killed"}


@pytest.mark.nightly
def test_kill_at_every_statement_of_the_upgrade(tmp_path: Path) -> None:
    seen = _kill_during_upgrade(tmp_path, [-1, *range(1, 37)])
    print(f"upgrade kills survived: {len(seen)}", file=sys.__stdout__)
    assert set(seen.values()) == {"killed"}
