"""Storage failures, each with a message fit for the user (no SQL, no data) and a CLI exit code.

The engine turns SQLite's errors into these (see database.py), so the CLI and the GUI show the
same plain words whatever layer the failure surfaced in.
"""

from __future__ import annotations


class StorageError(Exception):
    """A storage failure the user can understand; `str(exc)` is the whole message."""

    exit_code = 5

    @property
    def message(self) -> str:
        return str(self)


class DatabaseOpenError(StorageError):
    """The database was not opened and nothing in it was changed."""


class NotADatabaseError(DatabaseOpenError):
    pass


class DamagedDatabaseError(DatabaseOpenError):
    pass


class NewerDatabaseError(DatabaseOpenError):
    pass


class UpgradeFailedError(DatabaseOpenError):
    """A schema upgrade failed and was rolled back: the file is still at its old revision."""


class DatabaseBusyError(StorageError):
    """Another program kept the write lock longer than the busy timeout; nothing was changed."""

    exit_code = 6


class ReadOnlyDatabaseError(StorageError):
    """Writes are not possible now: a read-only file or folder, a damaged file, or a running
    integrity check (see `reason`)."""

    exit_code = 7

    def __init__(self, message: str, reason: str = "read_only") -> None:
        super().__init__(message)
        self.reason = reason


class DiskFullError(StorageError):
    """The disk is full or refused a write; the transaction was rolled back."""

    exit_code = 8


class ConcurrentEditError(Exception):
    """A row changed under a save (optimistic locking): the save was rolled back whole."""
