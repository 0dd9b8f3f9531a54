"""`planner restore-backup`: list backups, restore the newest, refuse while a window holds it."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.app import main
from planner.db.backup import backup_sqlite
from planner.instance_lock import InstanceLock
from tests.reliability.conftest import scalar


def test_list_and_restore_the_newest_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = ["--data-dir", str(tmp_path)]
    assert main([*home, "demo", "--contacts", "5"]) == 0
    db = tmp_path / "data" / "planner.sqlite3"
    backup = backup_sqlite(db)
    assert main([*home, "demo", "--contacts", "5", "--seed", "2"]) == 0
    assert scalar(db, "SELECT count(*) FROM contacts") == 10
    capsys.readouterr()
    assert main([*home, "restore-backup"]) == 0
    listing = capsys.readouterr().out
    assert backup.name in listing and "5 contacts" in listing
    holder = InstanceLock(db)
    assert holder.acquire()
    try:
        assert main([*home, "restore-backup", "newest"]) == 3
        assert "open in a Networking Planner window" in capsys.readouterr().err
    finally:
        holder.release()
    assert main([*home, "restore-backup", "newest"]) == 0
    assert scalar(db, "SELECT count(*) FROM contacts") == 5
    assert list(db.parent.glob("planner.sqlite3.replaced-*"))
