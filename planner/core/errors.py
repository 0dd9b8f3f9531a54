"""Errors the services raise; the UI shows their message where the user typed."""

from __future__ import annotations

from typing import Any


class ValidationError(ValueError):
    """Input that breaks a rule. `field` names the form field, so the UI can point at it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class NotFoundError(LookupError):
    """The row was deleted meanwhile (another tab, an undo)."""


class ConflictError(Exception):
    """A save based on an out-of-date copy: someone else changed the record since it was read.

    `current` is the record as it is now (theirs); nothing of the save was written. The UI
    compares it with the copy the user edited to say what changed and offer a merge.
    """

    def __init__(self, current: Any) -> None:
        who = getattr(current, "updated_by", "") or "Someone else"
        super().__init__(f"{who} changed this meanwhile; nothing was saved.")
        self.current = current
