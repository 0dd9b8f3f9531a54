"""Copies of the SQLite file made with SQLite's online backup API (safe while in use)."""

from __future__ import annotations

import shlex
import sqlite3
from datetime import datetime
from pathlib import Path


def backups_dir_for(db_path: Path) -> Path:
    return db_path.parent / "backups"


def backup_sqlite(db_path: Path, reason: str = "manual", dest_dir: Path | None = None) -> Path:
    """Write a consistent copy of `db_path` into the backups folder beside it; return its path."""
    folder = dest_dir or backups_dir_for(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{db_path.stem}-{stamp}-{reason}{db_path.suffix or '.sqlite3'}"
    source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def pg_dump_command(url: str) -> str:
    """The pg_dump command line that backs up the PostgreSQL database at `url` (no password:
    pg_dump asks for it, or reads ~/.pgpass / PGPASSWORD)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    parts = ["pg_dump", "--format=custom"]
    if parsed.host:
        parts.append(f"--host={parsed.host}")
    if parsed.port:
        parts.append(f"--port={parsed.port}")
    if parsed.username:
        parts.append(f"--username={parsed.username}")
    name = parsed.database or "planner"
    stamp = datetime.now().strftime("%Y%m%d")
    parts += [f"--file={name}-{stamp}.dump", name]
    return " ".join(shlex.quote(p) for p in parts)
