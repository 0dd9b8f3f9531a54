"""The plan for Alt keys (mnemonics): no key is used twice in anything visible together.

What is visible together is the menu bar, the main tabs and the current tab's own controls:
its buttons, check boxes, labels with a buddy, the titles of its inner tabs and the controls
of the inner page shown. Alt+key must reach exactly one of them, so:

- The menus (File F, Edit E, Help H) and the main tabs (Overview O, Contacts C, Calendar A,
  Events V, Organisations R) own their keys everywhere: `GLOBAL_KEYS`, never used in a tab.
- Inside a tab, buttons, filters and inner tab titles get keys first (Contacts: Due D,
  Never contacted N, Added today Y, New contact W, Log touchpoint T, Selected S, Team knows
  K, and in the contact pane Log touchpoint L, Schedule follow-up U, Profile P, Timeline I,
  Organisations G); form labels take what is left (Name M, Birthday B) or have none: Tab
  and the mouse still reach them. Two inner pages never show together, so they may reuse
  a key of each other, not one of their tab's.

tests/ui/test_main_window.py checks every tab and inner page against this with
`visible_alt_keys`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabWidget, QWidget

GLOBAL_KEYS = frozenset("fehocavr")


def alt_key(text: str) -> str | None:
    """The key after the lone "&" of a widget text ("&&" is a literal ampersand)."""
    plain = text.replace("&&", "")
    at = plain.find("&")
    return plain[at + 1].lower() if 0 <= at < len(plain) - 1 else None


def visible_alt_keys(page: QWidget) -> list[tuple[str, str]]:
    """(key, text) of every control in `page` that is shown when `page` is."""
    found: list[tuple[str, str]] = []
    for widget in page.findChildren(QWidget):
        if not widget.isVisibleTo(page):
            continue
        texts: list[str] = []
        labelled = isinstance(widget, QLabel) and widget.buddy() is not None
        if isinstance(widget, QAbstractButton) or labelled:
            texts.append(widget.text())  # type: ignore[attr-defined]
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QTabWidget):
            texts.extend(widget.tabText(i) for i in range(widget.count()))
        for text in texts:
            key = alt_key(text)
            if key is not None:
                found.append((key, text))
    return found
