"""Everything Qt: the main window, tabs, dialogs, widgets and item models."""
