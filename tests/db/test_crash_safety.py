"""A process killed mid-write leaves a sound file holding every committed row."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from planner.db.database import open_database

WRITER = """
import sys
from sqlalchemy import text
from planner.db.database import open_database
db = open_database(sys.argv[1])
i = 0
while True:
    with db.session() as s:
        s.execute(text("INSERT INTO tags (name) VALUES (:n)"), {"n": f"row-{i}"})
    print(i, flush=True)
    i += 1
"""


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_sigkill_mid_write_keeps_every_committed_row(db_path: Path) -> None:
    open_database(db_path).close()
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.stdout is not None
    committed = -1
    for line in proc.stdout:
        committed = int(line)
        if committed >= 300:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert committed >= 300
    db = open_database(db_path)
    db.close()
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        names = {row[0] for row in conn.execute("SELECT name FROM tags")}
    finally:
        conn.close()
    missing = [i for i in range(committed + 1) if f"row-{i}" not in names]
    assert missing == []
