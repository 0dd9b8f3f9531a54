"""Undo commands: one QUndoCommand class per user action (see `base.Command`)."""

from planner.ui.commands.base import Command, execute, execute_in_background

__all__ = ["Command", "execute", "execute_in_background"]
