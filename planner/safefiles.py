"""Files written safely: private modes, and temporary files that never outlive a failure.

A temporary file is named `.NAME.PID-TOKEN.tmp` beside its target, so one that a killed process
left behind is recognisable (its PID is gone) and is removed by the next write to that folder.
No Qt and no database here: db/ and interop/ both use it.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
# A temporary file older than this is stale even when its PID looks alive (PIDs are reused).
STALE_AFTER_S = 24 * 3600
_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)-[0-9a-f]{8}\.tmp(?:-journal|-wal|-shm)?$")


def is_posix() -> bool:
    return os.name == "posix"


def make_private_dir(folder: Path) -> None:
    """Create `folder` (and parents) and make it 0700 on POSIX, whatever the umask."""
    folder.mkdir(parents=True, exist_ok=True)
    if is_posix():
        try:
            if folder.stat().st_mode & 0o777 != PRIVATE_DIR:
                folder.chmod(PRIVATE_DIR)
        except OSError:
            pass  # not ours (a shared folder): leave it


def make_private_file(path: Path) -> None:
    """Make an existing file 0600 on POSIX; a file we cannot change is left as it is."""
    if is_posix():
        try:
            if path.stat().st_mode & 0o777 != PRIVATE_FILE:
                path.chmod(PRIVATE_FILE)
        except OSError:
            pass


def temp_path_for(target: Path) -> Path:
    """A fresh temporary name beside `target` that says which process made it."""
    return target.with_name(f".{target.name}.{os.getpid()}-{os.urandom(4).hex()}.tmp")


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if not is_posix():
        return True  # Windows: rely on the age rule only
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def remove_stale_temps(folder: Path, name: str | None = None) -> list[Path]:
    """Delete temporary files in `folder` (for target `name`, or any) whose writer is gone."""
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMP.match(entry.name)
        if match is None or (name is not None and match.group("name") != name):
            continue
        try:
            age = now - entry.stat().st_mtime
        except OSError:
            continue
        if _pid_alive(int(match.group("pid"))) and age < STALE_AFTER_S:
            continue
        try:
            entry.unlink()
            removed.append(entry)
        except OSError:
            pass
    return removed


def remove_quietly(*paths: Path) -> None:
    for path in paths:
        with suppress(OSError):
            path.unlink(missing_ok=True)


@contextmanager
def atomic_writer(path: Path, mode: str = "wb", **open_args: object) -> Iterator[IO[Any]]:
    """Write to a temporary file beside `path`, then rename it over `path`.

    On any failure (disk full, a crash of the caller's code) the temporary file is removed and
    an older `path` is left as it was. The new file keeps the old one's mode, or gets the
    umask's default (the app runs with umask 077, so that is private).
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(21, "Is a folder, not a file", str(path))
    folder = path.parent
    if not folder.is_dir():
        raise FileNotFoundError(2, "The folder does not exist", str(folder))
    remove_stale_temps(folder, path.name)
    tmp = temp_path_for(path)
    try:
        with open(tmp, mode, **open_args) as handle:  # type: ignore[call-overload]
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        with suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        remove_quietly(tmp)
        raise


def write_atomically(path: Path, data: bytes) -> None:
    """`data` to `path` through a temporary file (see atomic_writer)."""
    with atomic_writer(Path(path), "wb") as handle:
        handle.write(data)
