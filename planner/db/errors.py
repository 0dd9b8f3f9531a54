"""Errors raised when a database cannot be opened, each with a message fit for the user."""

from __future__ import annotations


class DatabaseOpenError(Exception):
    """The database was not opened and nothing in it was changed."""


class NotADatabaseError(DatabaseOpenError):
    pass


class DamagedDatabaseError(DatabaseOpenError):
    pass


class NewerDatabaseError(DatabaseOpenError):
    pass
