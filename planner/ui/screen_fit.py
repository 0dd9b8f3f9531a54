"""Windows and dialogs open inside the screen's available area, whatever the scale factor.

A geometry saved at one scale (or on a bigger monitor) and the default size can both be
larger than a 1366x768 laptop or a 1600x1000 screen at 200 %; the status bar and dialog
buttons then sit off-screen. Everything here shrinks and moves windows to fit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication, QComboBox, QDialog

# The main window needs this module's geometry helpers before it shows; the dialog and event
# classes the rest uses are imported where used (each costs the window 0.3-1.5 ms to load).

DEFAULT_SIZE = QSize(1200, 780)
# Room for the window manager's title bar and frame, which Qt cannot measure before showing.
FRAME_ALLOWANCE = QSize(16, 40)


def _screen_of(widget: QWidget) -> QScreen | None:
    centre = widget.geometry().center()
    return QGuiApplication.screenAt(centre) or widget.screen() or QGuiApplication.primaryScreen()


def fitted(rect: QRect, available: QRect) -> QRect:
    """`rect` shrunk to fit `available` (less a frame allowance) and moved inside it."""
    room = available.size() - FRAME_ALLOWANCE
    width = max(200, min(rect.width(), room.width()))
    height = max(150, min(rect.height(), room.height()))
    left = min(
        max(rect.left(), available.left()), available.right() - width - FRAME_ALLOWANCE.width() + 1
    )
    top = min(
        max(rect.top(), available.top()),
        available.bottom() - height - FRAME_ALLOWANCE.height() + 1,
    )
    return QRect(max(left, available.left()), max(top, available.top()), width, height)


def centre_on_screen(widget: QWidget, size: QSize) -> None:
    """A first start: the default size, made to fit, in the middle of the primary screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        widget.resize(size)
        return
    available = screen.availableGeometry()
    rect = fitted(QRect(available.topLeft(), size), available)
    room = available.size() - FRAME_ALLOWANCE
    rect.moveTo(
        available.left() + max(0, (room.width() - rect.width()) // 2),
        available.top() + max(0, (room.height() - rect.height()) // 2),
    )
    widget.setGeometry(rect)


def fit_on_screen(widget: QWidget) -> None:
    """Shrink and move a top-level window so all of it is on its screen."""
    screen = _screen_of(widget)
    if screen is None:
        return
    available = screen.availableGeometry()
    current = widget.geometry()
    target = fitted(current, available)
    if target != current:
        widget.setGeometry(target)


class DialogFitter(QObject):
    """Application event filter: every dialog, when shown, fits its screen, is wide enough to
    show its title ("Set re…onship" was cut by the window manager), and Ctrl+Enter presses its
    OK button from anywhere inside it, a multi-line note included."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        from PySide6.QtCore import QEvent
        from PySide6.QtWidgets import QDialog

        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog) and watched.isWindow():
            _widen_for_title(watched)
            _add_submit_shortcut(watched)
            fit_on_screen(watched)
        return False


# Room beside the title for the window manager's icon and buttons.
TITLE_ALLOWANCE = 160


def _widen_for_title(dialog: QDialog) -> None:
    title = dialog.windowTitle()
    if not title:
        return
    wanted = dialog.fontMetrics().horizontalAdvance(title) + TITLE_ALLOWANCE
    if dialog.width() < wanted <= dialog.maximumWidth():
        dialog.resize(wanted, dialog.height())


def _add_submit_shortcut(dialog: QDialog) -> None:
    if dialog.property("planner_submit_shortcut"):
        return
    # Here, not at module level: the main window needs this module before it shows, and the
    # `Qt` namespace costs about 15 ms to load.
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence, QShortcut

    dialog.setProperty("planner_submit_shortcut", True)
    for sequence in ("Ctrl+Return", "Ctrl+Enter"):
        shortcut = QShortcut(QKeySequence(sequence), dialog)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(lambda d=dialog: _press_ok(d))


def _press_ok(dialog: QDialog) -> None:
    """Click the dialog's accepting button, so its own checks run as for a mouse click."""
    from PySide6.QtWidgets import QDialogButtonBox

    for box in dialog.findChildren(QDialogButtonBox):
        for button in box.buttons():
            if box.buttonRole(button) == QDialogButtonBox.ButtonRole.AcceptRole:
                if button.isEnabled():
                    button.click()
                return


def install_dialog_fitter(app: QApplication) -> DialogFitter:
    """Install the fitter once per application (calling again returns the same one)."""
    existing = getattr(app, "_planner_dialog_fitter", None)  # (findChild wraps every child)
    if isinstance(existing, DialogFitter):
        return existing
    from PySide6.QtCore import QEvent

    from planner.ui.app_events import app_event_filter

    fitter = DialogFitter(app)
    app._planner_dialog_fitter = fitter  # type: ignore[attr-defined]
    app_event_filter(app).add((QEvent.Type.Show,), fitter.eventFilter)
    return fitter


def let_shrink(*combos: QComboBox, chars: int = 8) -> None:
    """Filter combo boxes that may narrow (eliding their text) instead of widening the window
    past a small screen: by default a combo is as wide as its longest item."""
    from PySide6.QtWidgets import QComboBox

    for combo in combos:
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(chars)
