"""Helpers for the reliability suite: old-schema files, child processes killed with SIGKILL at
chosen points, and checks that a file is sound and holds what it held."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[2]
POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and rlimits are POSIX")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Heavy loops (`nightly`) run only when asked for: `pytest -m nightly tests/reliability`."""
    if "nightly" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="heavy loop: run with `pytest -m nightly tests/reliability`")
    for item in items:
        if "nightly" in item.keywords:
            item.add_marker(skip)


def make_old_database(path: Path, contacts: int = 400, revision: str = "0001_initial") -> None:
    """A database at an old revision, with contacts (free-text organisations) and touches."""
    from planner.db.database import make_engine, migrate

    engine = make_engine(f"sqlite:///{path}")
    migrate(engine, path, target=revision)
    rows = [
        {"id": i, "uuid": f"uuid-{i}", "name": f"Person {i:05d}", "org": f"Org {i % 37}"}
        for i in range(1, contacts + 1)
    ]
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO contacts (id, uuid, created_at, updated_at, name, organisation,"
                " role, industry, relationship, how_met_kind, how_met_text, location,"
                " interests, notes, photo_type, search_text) VALUES (:id, :uuid,"
                " '2026-01-01 00:00:00', '2026-01-01 00:00:00', :name, :org, '', '',"
                " 'other', '', '', '', '', 'a note', '', '')"
            ),
            rows,
        )
        conn.execute(
            text(
                "INSERT INTO touchpoints (uuid, created_at, updated_at, contact_id, occurred_on,"
                " channel, kind, note) VALUES (:uuid, '2026-01-01 00:00:00',"
                " '2026-01-01 00:00:00', :id, '2026-01-02', 'call', 'caught_up', '')"
            ),
            [{"uuid": f"t-{r['id']}", "id": r["id"]} for r in rows],
        )
    engine.dispose()


def sound(path: Path) -> bool:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def scalar(path: Path, sql: str) -> object:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


# Runs `planner ARGS...` in a child that SIGKILLs itself at the Nth SQL statement sent by the
# engine made by FACTORY (a function of planner.db.database), or at os.replace when N < 0.
KILLER = r"""
import os, signal, sys
from sqlalchemy import event
import planner.db.database as d
factory_name, kill_at = sys.argv[1], int(sys.argv[2])
count = [0]
def die():
    os.kill(os.getpid(), signal.SIGKILL)
if kill_at < 0:
    real_replace = os.replace
    def replace(src, dst):
        count[0] += 1
        if count[0] == -kill_at:
            die()
        return real_replace(src, dst)
    os.replace = replace
else:
    original = getattr(d, factory_name)
    def patched(url, *a, **k):
        engine = original(url, *a, **k)
        if str(engine.url) != "sqlite://" or k.get("read_only_path") is not None:
            @event.listens_for(engine, "before_cursor_execute")
            def count_statement(*_args):
                count[0] += 1
                if count[0] == kill_at:
                    die()
        return engine
    setattr(d, factory_name, patched)
from planner.app import main
code = main(sys.argv[3:])
print("statements:", count[0], flush=True)
sys.exit(code)
"""


def run_killed(
    factory: str, kill_at: int, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-c", KILLER, factory, str(kill_at), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
    )


def run_planner(
    *args: str, timeout: float = 120, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.update(kwargs.pop("env", {}) or {})  # type: ignore[call-overload]
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
        **kwargs,  # type: ignore[arg-type]
    )


def debris(folder: Path) -> list[str]:
    """Temporary or partial files left anywhere under `folder`."""
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.name.endswith((".tmp", ".part", ".tmp-journal"))
        or ".tmp." in p.name
        or (p.is_file() and p.stat().st_size == 0 and p.suffix == ".sqlite3")
    )
