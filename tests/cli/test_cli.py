"""The command line: version, demo, smoke test, refusing bad files and a second instance."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from planner import __version__
from planner.app import main
from planner.db import models as m
from planner.db.database import open_database

ROOT = Path(__file__).resolve().parents[2]


def run_planner(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
    )


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_demo_is_deterministic_and_realistic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    for target in (first, second):
        assert (
            main(
                [
                    "--data-dir",
                    str(tmp_path),
                    "--database",
                    str(target),
                    "demo",
                    "--contacts",
                    "200",
                    "--seed",
                    "7",
                ]
            )
            == 0
        )
    assert "Added 200 contacts" in capsys.readouterr().out

    def snapshot(path: Path) -> tuple[list[tuple[str, str, str]], int, set[str]]:
        db = open_database(path)
        with db.session() as s:
            people = s.execute(
                select(m.Contact.name, m.Contact.organisation, m.Contact.relationship).order_by(
                    m.Contact.id
                )
            ).all()
            touches = s.scalar(select(func.count(m.Touchpoint.id)))
            statuses = set(s.scalars(select(m.EventPlan.status)))
        db.close()
        return [tuple(p) for p in people], int(touches or 0), statuses

    a, b = snapshot(first), snapshot(second)
    assert a == b
    people, touches, statuses = a
    assert len(people) == 200
    assert touches > 200
    assert len({p[2] for p in people}) >= 6
    assert "attended" in statuses


def test_demo_refuses_bad_count(tmp_path: Path) -> None:
    assert main(["--data-dir", str(tmp_path), "demo", "--contacts", "-5"]) == 2


def test_smoke_test_on_new_and_demo_database(tmp_path: Path) -> None:
    result = run_planner("--data-dir", str(tmp_path), "--smoke-test")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "planner.sqlite3").exists()
    assert (tmp_path / "logs" / "planner.log").exists()


def test_smoke_test_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(b"\x00\x01 not sqlite at all" * 100)
    before = bogus.read_bytes()
    result = run_planner("--data-dir", str(tmp_path), "--database", str(bogus), "--smoke-test")
    assert result.returncode == 5
    assert "not a Networking Planner database" in result.stderr
    assert bogus.read_bytes() == before


def test_second_instance_on_same_file_exits(tmp_path: Path, qapp: object) -> None:
    from planner.instance_lock import InstanceLock

    db_file = tmp_path / "shared.sqlite3"
    lock = InstanceLock(db_file)
    assert lock.acquire()
    try:
        result = run_planner(
            "--data-dir", str(tmp_path), "--database", str(db_file), "--smoke-test"
        )
    finally:
        lock.release()
    assert result.returncode == 3
    assert "already open" in result.stderr
    # The first holder created the file empty to lock it, and removed it again on release.
    assert not db_file.exists()
