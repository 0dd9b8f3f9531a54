"""A Contacts tab shown on its own, with its first read done (for the tab and pane tests)."""

from __future__ import annotations

from typing import Any

from planner.ui.tabs.contacts_tab import ContactsTab


def shown_contacts_tab(
    qtbot: Any, context: Any, size: tuple[int, int] = (1200, 780)
) -> ContactsTab:
    widget = ContactsTab(context)
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: not widget.loading)
    return widget
