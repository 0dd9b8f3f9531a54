"""Errors the services raise; the UI shows their message where the user typed."""

from __future__ import annotations


class ValidationError(ValueError):
    """Input that breaks a rule. `field` names the form field, so the UI can point at it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class NotFoundError(LookupError):
    """The row was deleted meanwhile (another tab, an undo)."""
