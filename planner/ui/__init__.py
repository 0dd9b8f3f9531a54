"""Everything Qt: the main window, tabs, dialogs, widgets and item models."""

from __future__ import annotations

import PySide6.QtCore  # noqa: F401  (loads the import check replaced below)

from planner.ui import pyside_import_check

# Before any other module of the GUI is imported, so that none of them is read by the slow check.
pyside_import_check.install()
