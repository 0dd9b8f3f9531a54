"""Appearance: the platform's own look ("system"), or Fusion with a light or a dark palette.

Many Linux desktops give Qt no dark palette at all, and a palette half-applied to a native
style clips and mis-colours widgets; Fusion paints every widget from the palette, so both
choices look whole everywhere. Applied live: no restart.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

# The platform's look, remembered before the first switch so "system" can go back to it.
_original: dict[str, object] = {}

THEME_LABELS = {"system": "System", "light": "Light", "dark": "Dark"}

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


def dark_palette() -> QPalette:
    """A dark palette with enough contrast for text, links, selections and disabled widgets."""
    palette = QPalette()
    colours = {
        Role.Window: "#2b2d30",
        Role.WindowText: "#e6e6e6",
        Role.Base: "#1e1f22",
        Role.AlternateBase: "#26282b",
        Role.ToolTipBase: "#3c3f41",
        Role.ToolTipText: "#e6e6e6",
        Role.PlaceholderText: "#8c8c8c",
        Role.Text: "#e6e6e6",
        Role.Button: "#3c3f41",
        Role.ButtonText: "#e6e6e6",
        Role.BrightText: "#ff6b6b",
        Role.Light: "#4a4d50",
        Role.Midlight: "#404346",
        Role.Mid: "#35373a",
        Role.Dark: "#1b1c1e",
        Role.Shadow: "#000000",
        Role.Highlight: "#2f65ca",
        Role.HighlightedText: "#ffffff",
        Role.Link: "#6ea8fe",
        Role.LinkVisited: "#b197fc",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(Group.Disabled, role, QColor("#7a7a7a"))
    palette.setColor(Group.Disabled, Role.Base, QColor("#26282b"))
    palette.setColor(Group.Disabled, Role.Button, QColor("#303235"))
    palette.setColor(Group.Disabled, Role.Highlight, QColor("#4a4d50"))
    return palette


def apply_theme(app: QApplication, theme: str) -> None:
    """Switch the whole application to `theme` ("system", "light" or "dark") now."""
    hints = app.styleHints()
    if theme not in ("light", "dark"):
        hints.unsetColorScheme()
        if _original:  # switched before: go back to the platform's look
            app.setStyle(QStyleFactory.create(str(_original["style"])))
            original = _original["palette"]
            app.setPalette(original if isinstance(original, QPalette) else QPalette())
        return
    if not _original:
        _original["style"] = app.style().name()
        _original["palette"] = QPalette(app.palette())
    if theme == "dark":
        hints.setColorScheme(Qt.ColorScheme.Dark)
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setPalette(dark_palette())
    else:
        hints.setColorScheme(Qt.ColorScheme.Light)
        style = QStyleFactory.create("Fusion")
        app.setStyle(style)
        app.setPalette(style.standardPalette())


def is_dark(app: QApplication) -> bool:
    """Whether the window background is dark (for colours we pick ourselves)."""
    return app.palette().color(Role.Window).lightness() < 128
