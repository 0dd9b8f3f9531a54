"""What every tab is built from: the open database, preferences, the bus and the undo stack."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QUndoStack

from planner.db.database import Database
from planner.settings import SettingsStore
from planner.ui.bus import Bus


@dataclass
class TabContext:
    db: Database
    settings: SettingsStore
    bus: Bus
    undo_stack: QUndoStack
