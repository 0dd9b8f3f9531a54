"""The CLI in a hostile environment: a held write lock, a read-only file and folder, a full
disk (RLIMIT_FSIZE), flipped bytes, a settings file of the wrong types, a loose umask. Each
gets a plain message and its documented exit code, never a traceback, and the file is intact."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import stat
import sys
from pathlib import Path

import pytest

from planner.app import main

from .conftest import POSIX_ONLY, debris, make_old_database, run_planner, scalar, sound

pytestmark = POSIX_ONLY


def _no_traceback(result: object) -> None:
    err = result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in err and "sqlalchemy" not in err.lower(), err


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 300-contact demo database, made once for the module (copy it before use)."""
    home = tmp_path_factory.mktemp("demo")
    result = run_planner("--data-dir", str(home), "demo", "--contacts", "300")
    assert result.returncode == 0, result.stderr
    path = home / "data" / "planner.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


def _copy(demo_db: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "planner.sqlite3"
    shutil.copyfile(demo_db, target)
    return target


# --- a held write lock -----------------------------------------------------------------------


def test_a_held_write_lock_gives_exit_6_and_changes_nothing(demo_db: Path, tmp_path: Path) -> None:
    path = _copy(demo_db, tmp_path / "data")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = run_planner(
            "--data-dir",
            str(tmp_path),
            "demo",
            "--contacts",
            "1",
            env={"PLANNER_BUSY_TIMEOUT": "0.3"},
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 6, result.stderr
    assert "busy" in result.stderr
    _no_traceback(result)
    assert scalar(path, "SELECT count(*) FROM contacts") == 300


# --- read-only file and folder ----------------------------------------------------------------


def _deny_writes_as_root(monkeypatch: pytest.MonkeyPatch, denied: set[Path]) -> None:
    """As root every file is writable; make os.access answer as it would for its owner."""
    real_access = os.access

    def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        if mode & os.W_OK and Path(str(path)).resolve() in denied:
            return False
        return real_access(path, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)


@pytest.mark.slow
def test_read_only_file_and_folder_read_but_never_write(
    demo_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = tmp_path / "home"
    ro_file = _copy(demo_db, tmp_path / "ro-file")
    ro_file.chmod(0o444)
    in_ro_dir = _copy(demo_db, tmp_path / "ro-folder")
    (tmp_path / "ro-folder").chmod(0o555)
    if os.geteuid() == 0:
        _deny_writes_as_root(monkeypatch, {ro_file.resolve(), (tmp_path / "ro-folder").resolve()})
    try:
        for path in (ro_file, in_ro_dir):
            before = path.read_bytes()
            out = tmp_path / f"{path.parent.name}.ics"
            base = ["--data-dir", str(home), "--database", str(path)]
            assert main([*base, "export-ics", str(out)]) == 0
            assert out.read_bytes().startswith(b"BEGIN:VCALENDAR")
            capsys.readouterr()
            assert main([*base, "demo", "--contacts", "1"]) == 7
            err = capsys.readouterr().err
            assert "read-only" in err and "already open" not in err
            assert "Traceback" not in err
            assert path.read_bytes() == before
    finally:
        (tmp_path / "ro-folder").chmod(0o755)


# --- disk full -------------------------------------------------------------------------------


def _limited(limit: int) -> object:
    def preexec() -> None:
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


@pytest.mark.slow
def test_disk_full_during_writes_upgrades_and_exports(demo_db: Path, tmp_path: Path) -> None:
    # A big write: the WAL cannot grow past the limit.
    path = _copy(demo_db, tmp_path / "data")
    limit = path.stat().st_size + 256 * 1024
    result = run_planner(
        "--data-dir", str(tmp_path), "demo", "--contacts", "3000", preexec_fn=_limited(limit)
    )
    assert result.returncode == 8, result.stderr
    assert "disk is full" in result.stderr
    _no_traceback(result)
    assert sound(path) and scalar(path, "SELECT count(*) FROM contacts") == 300

    # An upgrade whose backup does not fit: refused, no 0-byte or partial backup.
    old = tmp_path / "old" / "old.sqlite3"
    old.parent.mkdir()
    make_old_database(old, contacts=2000)
    sqlite3.connect(old).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    result = run_planner(
        "--data-dir",
        str(tmp_path),
        "--database",
        str(old),
        "export-ics",
        str(tmp_path / "r.ics"),
        preexec_fn=_limited(old.stat().st_size // 2),
    )
    assert result.returncode == 5, result.stderr
    assert "backup" in result.stderr and "full" in result.stderr
    _no_traceback(result)
    assert scalar(old, "SELECT version_num FROM alembic_version") == "0001_initial"
    assert sound(old)
    backups = old.parent / "backups"
    assert not backups.exists() or list(backups.iterdir()) == []
    assert debris(tmp_path) == []


def test_a_full_disk_during_an_export_leaves_the_old_file_and_no_debris(
    demo_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import errno

    import planner.safefiles as safefiles

    _copy(demo_db, tmp_path / "data")
    out = tmp_path / "contacts.csv"
    out.write_text("older export\n")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safefiles.os, "fsync", full)
    assert main(["--data-dir", str(tmp_path), "export-contacts", str(out)]) == 1
    assert main(["--data-dir", str(tmp_path), "export-ics", str(tmp_path / "r.ics")]) == 1
    err = capsys.readouterr().err
    assert "No space left" in err and "Traceback" not in err
    assert out.read_text() == "older export\n"
    assert not (tmp_path / "r.ics").exists()
    assert debris(tmp_path) == []


# --- flipped bytes ---------------------------------------------------------------------------


def _flip(path: Path, seed: int) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(seed)
    start = rng.randrange(len(data) // 4, 3 * len(data) // 4 - 16)
    for i in range(start, start + 16):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def _write_to_flipped(demo_db: Path, tmp_path: Path, seeds: range) -> dict[str, int]:
    """`demo --contacts 1` on each damaged copy: refused (file unchanged) or sound after."""
    outcome = {"refused": 0, "written_and_sound": 0}
    for seed in seeds:
        folder = tmp_path / f"seed{seed}"
        path = _copy(demo_db, folder)
        _flip(path, seed)
        before = path.read_bytes()
        code = main(["--data-dir", str(folder), "--database", str(path), "demo", "--contacts", "1"])
        if code == 0:
            assert sound(path), f"seed {seed}: written, and now fails integrity_check"
            outcome["written_and_sound"] += 1
        else:
            assert code == 5, f"seed {seed}: exit {code}"
            assert path.read_bytes() == before, f"seed {seed}: refused but changed"
            outcome["refused"] += 1
    return outcome


def test_flipped_bytes_are_refused_or_left_sound(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = _write_to_flipped(demo_db, tmp_path, range(3))
    assert sum(outcome.values()) == 3
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.nightly
def test_flipped_bytes_many_seeds(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = _write_to_flipped(demo_db, tmp_path, range(100, 140))
    print(f"flipped seeds: {outcome}", file=sys.__stdout__)
    assert sum(outcome.values()) == 40
    assert "Traceback" not in capsys.readouterr().err


# --- settings, permissions, bad dates ---------------------------------------------------------

WRONG_TYPES = {
    "default_cadence": [1, 2],
    "followup_days_after_event": "three",
    "reminder_lead_minutes": {"minutes": 30},
    "first_day_of_week": 99,
    "phone_region": 44,
    "ui_state": "maximised",
}


def test_settings_of_every_wrong_type_fall_back_to_defaults(tmp_path: Path) -> None:
    from planner.settings import Preferences, SettingsStore

    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text(json.dumps(WRONG_TYPES))
    assert SettingsStore(config / "settings.json").preferences == Preferences()
    (config / "settings.json").write_text(json.dumps({"default_cadence": {"mentor": "soon"}}))
    assert SettingsStore(config / "settings.json").preferences.cadence_for("mentor") == 60
    result = run_planner("--data-dir", str(tmp_path), "export-ics", str(tmp_path / "r.ics"))
    assert result.returncode == 0, result.stderr
    result = run_planner("--data-dir", str(tmp_path), "--smoke-test")
    assert result.returncode == 0, result.stderr
    _no_traceback(result)


def test_files_are_private_whatever_the_umask(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for folder in ("data", "logs", "config"):
        (home / folder).mkdir(parents=True, mode=0o755)
    loose = home / "logs" / "planner.log"
    loose.write_text("")
    loose.chmod(0o644)
    old_umask = os.umask(0o022)
    try:
        code = main(["--data-dir", str(home), "demo", "--contacts", "3"])
        assert code == 0
        code = main(["--data-dir", str(home), "export-ics", str(tmp_path / "r.ics")])
        assert code == 0
    finally:
        os.umask(old_umask)
    db = home / "data" / "planner.sqlite3"
    from planner.db.backup import backup_sqlite

    backup_sqlite(db)
    for folder in (home / "data", home / "logs", home / "config", home / "data" / "backups"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for file in [db, loose, *(home / "data" / "backups").iterdir()]:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file


def test_dates_beyond_the_calendar_are_refused_plainly(tmp_path: Path) -> None:
    result = run_planner(
        "--data-dir", str(tmp_path), "export-ics", str(tmp_path / "r.ics"), "--to", "9999-12-31"
    )
    assert result.returncode == 2
    assert "between the years" in result.stderr
    _no_traceback(result)
