"""Series colours that stay readable on light and dark backgrounds (Okabe-Ito based).

Each colour has a light-theme and a dark-theme shade; the chart picks by the lightness of
its palette's window colour, so it follows the system theme and palette changes live.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

# name: (on a light background, on a dark background)
SERIES_COLORS: dict[str, tuple[str, str]] = {
    "blue": ("#0072B2", "#5AB4F0"),
    "orange": ("#E69F00", "#F5B942"),
    "green": ("#009E73", "#3DD6A3"),
    "amber": ("#E8A317", "#F2C14E"),
    "red": ("#C8382A", "#FF6F61"),
    "purple": ("#A8508A", "#E08CC4"),
    "grey": ("#9A9A9A", "#7C7F86"),
}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def series_color(name: str, palette: QPalette) -> QColor:
    light, dark = SERIES_COLORS.get(name, SERIES_COLORS["grey"])
    return QColor(dark if is_dark(palette) else light)
