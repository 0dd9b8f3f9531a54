"""Backups of the SQLite file: written through SQLite's online backup API to a temporary name,
verified with a full integrity_check, then renamed, so a backup on disk is always a good one;
listing them (date, contact count) and restoring one.
"""

from __future__ import annotations

import logging
import os
import re
import shlex
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from planner.safefiles import (
    make_private_dir,
    make_private_file,
    remove_quietly,
    remove_stale_temps,
    temp_path_for,
)

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
_STAMP = re.compile(r"-(\d{8}-\d{6})(?:-\d{6})?-(.+)$")


class BackupError(Exception):
    """A backup could not be written or restored; nothing was left behind."""


def backups_dir_for(db_path: Path) -> Path:
    return db_path.parent / "backups"


def sqlite_uri(path: Path, *, read_only: bool = True, immutable: bool = False) -> str:
    """A `file:` URI for sqlite3.connect(uri=True); quoting keeps '?' and '#' in names safe."""
    params = "mode=ro" if read_only else "mode=rw"
    if immutable:
        params += "&immutable=1"
    return f"file:{quote(str(path))}?{params}"


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write; also works in a folder we may not write to."""
    folder_writable = os.access(path.parent, os.W_OK | os.X_OK)
    return sqlite3.connect(sqlite_uri(path, immutable=not folder_writable), uri=True)


def integrity_problems(path: Path, *, quick: bool = False, limit: int = 5) -> list[str]:
    """What SQLite's integrity_check (or quick_check) finds wrong; [] when the file is sound."""
    try:
        if path.stat().st_size == 0:
            return ["the file is empty"]
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return ["the file is not an SQLite database"]
        conn = connect_read_only(path)
        try:
            pragma = "quick_check" if quick else "integrity_check"
            rows = conn.execute(f"PRAGMA {pragma}({limit})").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if not _means_damage(exc):
            raise _access_error(path, exc) from exc
        return [str(exc)]
    except OSError as exc:
        raise _access_error(path, exc) from exc
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems


def _means_damage(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def _access_error(path: Path, exc: BaseException) -> Exception:
    """A file we could not read is not a damaged file: say what really happened."""
    from planner.db.errors import DatabaseOpenError, DiskFullError

    text = str(exc).lower()
    if "full" in text or "disk i/o" in text or "too large" in text:
        return DiskFullError(
            f"{path} could not be read or written: the disk is full or refused the access. "
            "Nothing was changed."
        )
    return DatabaseOpenError(f"{path} cannot be read ({exc}). It was left untouched.")


def _copy_verified(source: sqlite3.Connection, target: Path) -> None:
    """Copy `source` to a temporary file, check it fully, and rename it to `target`.

    The copy is switched to a plain rollback journal, so a backup is one self-contained file.
    Any failure (disk full, a damaged copy) removes the temporary file and raises BackupError.
    """
    tmp = temp_path_for(target)
    sidecars = [tmp.with_name(tmp.name + suffix) for suffix in ("-journal", "-wal", "-shm")]
    try:
        dest = sqlite3.connect(tmp)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
            problems = [row[0] for row in dest.execute("PRAGMA integrity_check(5)")]
        finally:
            dest.close()
        if problems != ["ok"]:
            raise BackupError(f"the copy failed its integrity check ({'; '.join(problems)})")
        if tmp.stat().st_size == 0:
            raise BackupError("the copy is empty")
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        make_private_file(tmp)
        os.replace(tmp, target)
    except BackupError:
        remove_quietly(tmp, *sidecars)
        raise
    except (OSError, sqlite3.Error) as exc:
        remove_quietly(tmp, *sidecars)
        raise BackupError(_plain_os_error(exc)) from exc
    except BaseException:
        remove_quietly(tmp, *sidecars)
        raise


def _plain_os_error(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    lowered = text.lower()
    if "full" in lowered or "too large" in lowered or "no space" in lowered:
        return "the disk is full"
    if "readonly" in lowered or "read-only" in lowered or "permission" in lowered:
        return "no permission to write in the backups folder"
    return text


def backup_name(db_path: Path, reason: str, when: datetime | None = None) -> str:
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    return f"{db_path.stem}-{stamp}-{reason}{db_path.suffix or '.sqlite3'}"


def backup_sqlite(db_path: Path, reason: str = "manual", dest_dir: Path | None = None) -> Path:
    """Write a verified copy of `db_path` into the backups folder beside it; return its path.

    Raises BackupError with a plain reason; a failed backup leaves no file behind.
    """
    folder = dest_dir or backups_dir_for(db_path)
    try:
        make_private_dir(folder)
    except OSError as exc:
        raise BackupError(_plain_os_error(exc)) from exc
    remove_stale_temps(folder)
    target = folder / backup_name(db_path, reason)
    try:
        source = connect_read_only(db_path)
    except sqlite3.Error as exc:
        raise BackupError(str(exc)) from exc
    try:
        _copy_verified(source, target)
    finally:
        source.close()
    log.info("Backed up the database to %s", target)
    return target


def upgrade_backup(db_path: Path, revision: str) -> tuple[Path, bool]:
    """The one backup taken before upgrading from `revision`: (path, reused).

    A good backup from the same revision that is newer than the database file is reused, so
    a retried upgrade (after a crash or a kill) does not write another full copy. The caller
    checkpoints the WAL first, so the main file's modification time covers every commit.
    """
    reason = f"before-upgrade-from-{revision}"
    folder = backups_dir_for(db_path)
    source_mtime = db_path.stat().st_mtime_ns
    suffix = db_path.suffix or ".sqlite3"
    if folder.is_dir():
        for candidate in sorted(folder.glob(f"{db_path.stem}-*-{reason}{suffix}"), reverse=True):
            try:
                newer = candidate.stat().st_mtime_ns > source_mtime
            except OSError:
                continue
            try:
                good = newer and not integrity_problems(candidate)
            except Exception:
                good = False
            if good:
                log.info("Reusing the upgrade backup %s", candidate)
                return candidate, True
    return backup_sqlite(db_path, reason=reason), False


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str
    contacts: int | None  # None when the file cannot be read
    revision: str | None
    size: int

    @property
    def readable(self) -> bool:
        return self.contacts is not None

    def describe(self) -> str:
        when = self.taken_at.strftime("%d %b %Y %H:%M")
        count = f"{self.contacts:,} contacts" if self.contacts is not None else "unreadable"
        return f"{self.path.name} ({when}, {count})"


def _inspect_backup(path: Path) -> BackupInfo | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    match = _STAMP.search(path.stem)
    if match:
        taken = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
        reason = match.group(2)
    else:
        taken = datetime.fromtimestamp(stat.st_mtime)
        reason = "copy"
    contacts: int | None = None
    revision: str | None = None
    if stat.st_size > 0:
        try:
            conn = connect_read_only(path)
            try:
                contacts = int(conn.execute("SELECT count(*) FROM contacts").fetchone()[0])
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
            finally:
                conn.close()
        except sqlite3.Error:
            contacts = None
    return BackupInfo(path, taken, reason, contacts, revision, stat.st_size)


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The backups of `db_path`, newest first, with their contact counts."""
    folder = backups_dir_for(db_path)
    if not folder.is_dir():
        return []
    suffix = db_path.suffix or ".sqlite3"
    found = []
    for path in folder.glob(f"{db_path.stem}-*{suffix}"):
        if path.name.startswith("."):
            continue
        info = _inspect_backup(path)
        if info is not None:
            found.append(info)
    found.sort(key=lambda info: (info.taken_at, info.path.name), reverse=True)
    return found


def newest_good_backup(db_path: Path) -> BackupInfo | None:
    """The newest backup that reads and passes quick_check (restoring checks it fully)."""
    for info in list_backups(db_path):
        try:
            if info.readable and info.revision and not integrity_problems(info.path, quick=True):
                return info
        except Exception:
            continue
    return None


def restore_advice(db_path: Path | None) -> str:
    """One sentence naming the newest good backup and how to restore it ('' when none)."""
    if db_path is None:
        return ""
    try:
        best = newest_good_backup(db_path)
    except Exception:  # advice is a courtesy: never let it hide the real error
        best = None
    if best is None:
        return ""
    return (
        f" The newest good backup is {best.path} ({best.taken_at:%d %b %Y %H:%M}, "
        f"{best.contacts:,} contacts). To restore it, use File > Restore from backup… in the "
        f'app, or run: planner --database "{db_path}" restore-backup "{best.path}"'
    )


def restore_backup(backup: Path, db_path: Path) -> Path | None:
    """Replace `db_path` by a verified copy of `backup`; return where the old file was kept.

    The current file (with its -wal/-shm) is renamed to `NAME.replaced-STAMP`, never deleted,
    so a restore can itself be undone by hand. No connection may be open on `db_path`.
    """
    problems = integrity_problems(backup)
    if problems:
        raise BackupError(f"{backup.name} is not a good backup ({'; '.join(problems[:2])})")
    conn = connect_read_only(backup)
    try:
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.Error:
            row = None
        if not row:
            raise BackupError(f"{backup.name} is not a Networking Planner backup")
        remove_stale_temps(db_path.parent, db_path.name)
        staged = temp_path_for(db_path)
        _copy_verified(conn, staged)
    finally:
        conn.close()
    kept: Path | None = None
    if db_path.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = db_path.with_name(f"{db_path.name}.replaced-{stamp}")
        try:
            for suffix in ("-wal", "-shm"):
                side = db_path.with_name(db_path.name + suffix)
                if side.exists():
                    os.replace(side, kept.with_name(kept.name + suffix))
            os.replace(db_path, kept)
        except OSError as exc:
            remove_quietly(staged)
            raise BackupError(_plain_os_error(exc)) from exc
    os.replace(staged, db_path)
    log.info("Restored %s from %s (old file kept as %s)", db_path, backup, kept)
    return kept


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
