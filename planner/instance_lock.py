"""One writer per database file: an OS lock keyed on the file's identity (device + inode).

A hard link, a symlink or another spelling of the path reaches the same lock, and the lock
dies with its process (flock / msvcrt.locking), so a crash leaves nothing stale. The lock
files live in one private folder per user in the temporary directory, named by identity, so
they work for a database in a read-only folder too. No Qt: the CLI uses it as well.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from planner.safefiles import make_private_dir


def lock_dir() -> Path:
    uid = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return Path(tempfile.gettempdir()) / f"networking-planner-locks-{uid}"


def file_identity(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_dev:x}-{stat.st_ino:x}"


class InstanceLock:
    """Held by the window (or `planner restore-backup`) that may write to one database file.

    acquire() creates the database file (empty, private) when it does not exist yet, so that it
    has an identity; release() removes such a file again if nothing was written to it.
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.path: Path | None = None
        # The (device, inode) the lock was taken on; the path may point elsewhere later.
        self.identity = ""
        self._fd: int | None = None
        self._created = False

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        """True when this process now holds the file; False when another one does."""
        if self._fd is not None:
            return True
        if not self.db_path.exists():
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.db_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
            self._created = True
        folder = lock_dir()
        make_private_dir(folder)
        self.identity = file_identity(self.db_path)
        self.path = folder / f"{self.identity}.lock"
        fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
        if not _try_lock(fd):
            os.close(fd)
            self._forget_created()
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n{self.db_path}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None
        self._forget_created()

    def _forget_created(self) -> None:
        if self._created:
            self._created = False
            try:
                if self.db_path.stat().st_size == 0:
                    self.db_path.unlink()
            except OSError:
                pass

    def keep_created(self) -> None:
        """The file this lock created is now a real database: never remove it."""
        self._created = False


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
