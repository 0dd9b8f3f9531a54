"""kill -9 during a contacts import and during exports: the import is all or nothing, the
database stays sound, an older export file survives, and a killed export's temporary file is
removed by the next export."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from .conftest import POSIX_ONLY, debris, run_killed, run_planner, scalar, sound

pytestmark = POSIX_ONLY
ROWS = 300


def _csv(path: Path) -> Path:
    lines = ["First Name,Last Name,E-mail Address,Company"]
    lines += [f"Ada{i},Lovelace{i},ada{i}@example.org,Engines {i % 7}" for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _kill_import(tmp_path: Path, points: list[int]) -> dict[str, int]:
    home = tmp_path / "home"
    assert run_planner("--data-dir", str(home), "demo", "--contacts", "20").returncode == 0
    db = home / "data" / "planner.sqlite3"
    source = _csv(tmp_path / "people.csv")
    seen = {"killed": 0, "finished": 0}
    for point in points:
        result = run_killed(
            "make_engine", point, "--data-dir", str(home), "import-contacts", str(source)
        )
        killed = result.returncode == -signal.SIGKILL
        seen["killed" if killed else "finished"] += 1
        assert killed or result.returncode == 0, result.stderr
        assert sound(db)
        # One transaction: none of the rows, or all of them.
        assert scalar(db, "SELECT count(*) FROM contacts") in (20, 20 + ROWS)
    result = run_planner("--data-dir", str(home), "import-contacts", str(source))
    assert result.returncode == 0, result.stderr
    assert scalar(db, "SELECT count(*) FROM contacts") == 20 + ROWS
    assert debris(tmp_path) == []
    return seen


@pytest.mark.slow
def test_kills_during_an_import(tmp_path: Path) -> None:
    seen = _kill_import(tmp_path, [5, 9])
    assert seen["killed"] == 2


@pytest.mark.nightly
def test_kills_all_through_an_import(tmp_path: Path) -> None:
    seen = _kill_import(tmp_path, list(range(1, 12)))
    print(f"import kills: {seen}", file=sys.__stdout__)
    assert seen["killed"] >= 10


def _kill_export(tmp_path: Path, command: str, out: Path, points: list[int]) -> int:
    home = tmp_path / "home"
    if not (home / "data" / "planner.sqlite3").exists():
        assert run_planner("--data-dir", str(home), "demo", "--contacts", "50").returncode == 0
    out.write_text("older export\n")
    kills = 0
    for point in points:
        factory = "make_engine" if point > 0 else "os.replace"
        result = run_killed(factory, point, "--data-dir", str(home), command, str(out))
        assert result.returncode in (-signal.SIGKILL, 0), result.stderr
        kills += result.returncode == -signal.SIGKILL
        assert out.read_text() == "older export\n" or result.returncode == 0
        assert sound(home / "data" / "planner.sqlite3")
    result = run_planner("--data-dir", str(home), command, str(out))
    assert result.returncode == 0, result.stderr
    # A kill just before the rename left a temporary file: the next export removed it.
    assert debris(tmp_path) == []
    return kills


@pytest.mark.slow
def test_kills_during_exports(tmp_path: Path) -> None:
    assert _kill_export(tmp_path, "export-ics", tmp_path / "reminders.ics", [-1, 3]) == 2
    assert _kill_export(tmp_path, "export-contacts", tmp_path / "people.csv", [-1]) == 1


@pytest.mark.nightly
def test_kills_all_through_exports(tmp_path: Path) -> None:
    kills = _kill_export(tmp_path, "export-ics", tmp_path / "r.ics", [-1, *range(1, 10)])
    kills += _kill_export(tmp_path, "export-contacts", tmp_path / "p.vcf", [-1, *range(1, 6)])
    print(f"export kills survived: {kills} of 16", file=sys.__stdout__)
    assert kills >= 12
