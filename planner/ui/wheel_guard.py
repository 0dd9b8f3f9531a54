"""The mouse wheel scrolls forms; it never edits a combo box, spin box or date it passes over.

Installed once on the application (in its one event filter, planner.ui.app_events). A value
widget reacts to the wheel only while it has the keyboard focus; otherwise the wheel goes to
the scroll area around it, so scrolling a long contact form cannot silently change "How we
met" or a birthday month (and save it).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QSlider,
    QWidget,
)

GUARDED = (QComboBox, QAbstractSpinBox, QSlider)


def _guarded(widget: QObject) -> bool:
    return isinstance(widget, GUARDED)


def _calm_focus_policy(widget: QWidget) -> None:
    """Wheel focus would hand the widget the focus (and so the wheel) as the pointer passes."""
    if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class WheelGuard(QObject):
    """Application event filter: see the module docstring."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, GUARDED):
            _calm_focus_policy(watched)
            return False
        if kind != QEvent.Type.Wheel or not _guarded(watched):
            return False
        widget = watched
        assert isinstance(widget, QWidget)
        if widget.hasFocus():
            return False
        wheel = event
        assert isinstance(wheel, QWheelEvent)
        area = _scroll_area_around(widget)
        if area is not None:
            # Hand the wheel to the form's scroll area ourselves: this works for synthetic
            # events too, which Qt does not propagate to parents.
            viewport = area.viewport()
            global_pos = wheel.globalPosition()
            local = viewport.mapFromGlobal(global_pos.toPoint())
            forwarded = QWheelEvent(
                local.toPointF(),
                global_pos,
                wheel.pixelDelta(),
                wheel.angleDelta(),
                wheel.buttons(),
                wheel.modifiers(),
                wheel.phase(),
                wheel.inverted(),
            )
            QApplication.sendEvent(viewport, forwarded)
            event.accept()
            return True
        # No scroll area: let Qt pass the wheel on to the parents untouched.
        event.ignore()
        return True


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and not _guarded(parent):
            return parent
        parent = parent.parentWidget()
    return None


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Install the guard once per application (calling again returns the same one)."""
    existing = getattr(app, "_planner_wheel_guard", None)  # (findChild wraps every child)
    if isinstance(existing, WheelGuard):
        return existing
    from planner.ui.app_events import app_event_filter

    guard = WheelGuard(app)
    app._planner_wheel_guard = guard  # type: ignore[attr-defined]
    app_event_filter(app).add((QEvent.Type.Polish, QEvent.Type.Wheel), guard.eventFilter)
    calm_existing(app)
    return guard


def calm_existing(app: QApplication) -> None:
    """The widgets made before the guard: found by type in C++ (allWidgets() wrapped every
    widget of the window in Python, 6-9 ms, while the user may already be working in it)."""
    for top in app.topLevelWidgets():
        for kind in GUARDED:
            if isinstance(top, kind):
                _calm_focus_policy(top)
            for widget in top.findChildren(kind):
                _calm_focus_policy(widget)
