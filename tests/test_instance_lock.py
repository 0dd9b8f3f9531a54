"""One writer per file: the lock follows the file's identity, not its name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from planner.instance_lock import InstanceLock


def test_hard_and_symbolic_links_share_one_lock(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    db.write_bytes(b"x")
    hard = tmp_path / "b.sqlite3"
    os.link(db, hard)
    soft = tmp_path / "c.sqlite3"
    soft.symlink_to(db)
    first = InstanceLock(db)
    assert first.acquire()
    try:
        assert not InstanceLock(hard).acquire()
        assert not InstanceLock(soft).acquire()
        # Another process sees the same lock.
        code = (
            "import sys; from pathlib import Path; from planner.instance_lock import InstanceLock;"
            f"sys.exit(0 if InstanceLock(Path({str(hard)!r})).acquire() else 3)"
        )
        assert subprocess.run([sys.executable, "-c", code]).returncode == 3
    finally:
        first.release()
    second = InstanceLock(hard)
    assert second.acquire()
    second.release()


def test_a_new_file_is_created_to_be_locked_and_removed_if_unused(tmp_path: Path) -> None:
    db = tmp_path / "new" / "planner.sqlite3"
    lock = InstanceLock(db)
    assert lock.acquire()
    assert db.exists() and db.stat().st_size == 0
    lock.release()
    assert not db.exists()


def test_a_lock_dies_with_its_process(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    db.write_bytes(b"x")
    code = (
        "import os; from pathlib import Path; from planner.instance_lock import InstanceLock;"
        f"assert InstanceLock(Path({str(db)!r})).acquire(); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    lock = InstanceLock(db)
    assert lock.acquire()
    lock.release()
