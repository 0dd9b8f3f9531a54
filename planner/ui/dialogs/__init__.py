"""Modal dialogs: each returns a data object and leaves the saving to its caller."""
