"""The Contacts tab's widgets and layout (no behaviour: see contacts_tab.ContactsTab)."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.core.vocab import RELATIONSHIPS
from planner.ui.context import TabContext
from planner.ui.models.contact_columns import COL_KNOWN_BY, COL_NAME
from planner.ui.models.contact_table_model import ContactTableModel
from planner.ui.screen_fit import let_shrink
from planner.ui.tabs.contacts_columns import ContactsView
from planner.ui.widgets.elided_label import ElidedLabel
from planner.ui.widgets.row_list import select_rows

log = logging.getLogger(__name__)


def _named(widget: QWidget, name: str, accessible: str, tip: str = "") -> None:
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    if tip:
        widget.setToolTip(tip)


class ContactsTabView(QWidget):
    """Search and filters on top, the action buttons, then the list beside the detail pane,
    and the list's layout (sort, column widths) kept in the settings.

    The controller (ContactsTab) subclasses this, connects the widgets and puts the detail
    pane in the placeholder's place once it has built it with its services.
    """

    context: TabContext

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_filter_bar())
        layout.addLayout(self._build_set_filters())
        layout.addLayout(self._build_actions())
        self.model = ContactTableModel(self)
        self.view = self._build_list(self.model)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("contactsSplitter")
        self.splitter.addWidget(self.view)
        layout.addWidget(self.splitter, 1)
        # What the detail pane shows with no contact, standing in for it until the controller
        # builds it (when a contact is first shown: see ContactsTab.detail).
        self.detail_placeholder = QLabel("Select a contact, or press Ctrl+N to add one.")
        self.detail_placeholder.setObjectName("contactsDetailPlaceholder")
        self.detail_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail_placeholder.setWordWrap(True)
        self.place_detail(self.detail_placeholder)
        self.log_action = QAction("Log touchpoint…", self)
        self.log_action.setObjectName("logTouchAction")
        self.log_action.setShortcut(QKeySequence("Ctrl+L"))
        self.log_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.log_action)

    def _saved_sort(self) -> tuple[int, Qt.SortOrder]:
        """The sort the user chose last time (kept across restarts), or by name."""
        state = self.context.settings.preferences.ui_state.get("contacts_table", {})
        column = state.get("sort_column") if isinstance(state, dict) else None
        order = state.get("sort_order") if isinstance(state, dict) else None
        if not isinstance(column, int) or not 0 <= column < self.model.columnCount():
            return COL_NAME, Qt.SortOrder.AscendingOrder
        descending = order == "descending"
        return column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder

    def _saved_widths(self) -> list[int] | None:
        """The column widths the user chose last time (kept across restarts), if any."""
        state = self.context.settings.preferences.ui_state.get("contacts_table", {})
        widths = state.get("column_widths") if isinstance(state, dict) else None
        if (
            isinstance(widths, list)
            and len(widths) == self.model.columnCount()
            and all(isinstance(w, int) and 0 < w < 10_000 for w in widths)
        ):
            return widths
        return None

    def _on_header_sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        self._save_table_state(
            sort_column=column, sort_order="descending" if descending else "ascending"
        )

    def _on_view_widths_changed(self, widths: list[int]) -> None:
        self._save_table_state(column_widths=list(widths))

    def _save_table_state(self, **values: object) -> None:
        state = self.context.settings.preferences.ui_state.setdefault("contacts_table", {})
        if not isinstance(state, dict):
            return
        state.update(values)
        try:
            self.context.settings.save()
        except OSError:
            log.warning("Could not save the contacts list's layout", exc_info=True)

    def place_detail(self, detail: QWidget) -> None:
        """The detail pane goes right of the list, with two fifths of the width."""
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([760, 440])

    def _build_filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.search = QLineEdit()
        _named(self.search, "contactSearch", "Search contacts")
        self.search.setPlaceholderText(
            "Search name, organisation, role, e-mail, tags, notes (Ctrl+F)"
        )
        self.search.setClearButtonEnabled(True)
        clear_search = QAction("Clear search", self.search)
        clear_search.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        clear_search.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        clear_search.triggered.connect(lambda _c=False: self.search.clear())
        self.search.addAction(clear_search)
        bar.addWidget(self.search, 3)

        self.relationship_filter = QComboBox()
        _named(self.relationship_filter, "relationshipFilter", "Filter by relationship")
        self.relationship_filter.addItem("All relationships", "")
        for key, label in RELATIONSHIPS.items():
            self.relationship_filter.addItem(label, key)
        bar.addWidget(self.relationship_filter)

        self.tag_filter = QComboBox()
        _named(self.tag_filter, "tagFilter", "Filter by tag")
        bar.addWidget(self.tag_filter)
        let_shrink(self.relationship_filter, self.tag_filter, chars=10)
        self.intro_label = QLabel("Team &knows someone at")
        self.intro_filter = QComboBox()
        _named(
            self.intro_filter,
            "introFilter",
            "Who on the team knows someone at this organisation",
            "The contacts at an organisation, with the teammates who added them or logged "
            "touchpoints with them (Known by): ask them for a warm introduction",
        )
        self.intro_label.setBuddy(self.intro_filter)
        self.intro_filter.addItem("any organisation", None)
        self.intro_filter.setEnabled(False)
        let_shrink(self.intro_filter, chars=10)
        bar.addWidget(self.intro_label)
        bar.addWidget(self.intro_filter)
        return bar

    def _build_set_filters(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.due_filter = QCheckBox("&Due for a touch")
        _named(self.due_filter, "dueFilter", "Only contacts due for a touch")
        self.never_filter = QCheckBox("&Never contacted")
        _named(self.never_filter, "neverFilter", "Only contacts never contacted")
        self.added_today_filter = QCheckBox("Added toda&y")
        _named(
            self.added_today_filter,
            "addedTodayFilter",
            "Only contacts added today",
            "Only the contacts added or imported today, e.g. to tag everyone just imported",
        )
        for box in (self.due_filter, self.never_filter, self.added_today_filter):
            bar.addWidget(box)
        self.import_filter = QComboBox()
        _named(
            self.import_filter,
            "importFilter",
            "Only contacts from this import",
            "Only the contacts an import created or updated, e.g. to tag all of them",
        )
        self.import_filter.addItem("Any import", None)
        self.import_filter.setEnabled(False)
        let_shrink(self.import_filter, chars=20)
        # Room for "Imported in <file>, <date time>" when there is, no more.
        self.import_filter.setMaximumWidth(48 * self.fontMetrics().averageCharWidth())
        bar.addWidget(self.import_filter, 1)
        bar.addStretch(0)
        return bar

    def _build_actions(self) -> QHBoxLayout:
        actions = QHBoxLayout()
        self.new_button = QPushButton("Ne&w contact…")
        _named(self.new_button, "newContactButton", "New contact", "Add a contact (Ctrl+N)")
        self.log_button = QPushButton("Log &touchpoint…")
        _named(
            self.log_button,
            "logTouchListButton",
            "Log a touchpoint for the selected contacts",
            "Log a touchpoint with the selected contacts (Ctrl+L)",
        )
        self.bulk_button = QToolButton()
        _named(self.bulk_button, "bulkButton", "Bulk actions on the selected contacts")
        self.bulk_button.setText("&Selected")
        self.bulk_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.bulk_menu = QMenu(self.bulk_button)
        self.bulk_menu.setObjectName("bulkMenu")
        self.add_tag_action = self._menu_action("addTagAction", "Add tag…")
        self.remove_tag_action = self._menu_action("removeTagAction", "Remove tag…")
        self.set_relationship_action = self._menu_action(
            "setRelationshipAction", "Set relationship…"
        )
        self.set_cadence_action = self._menu_action("setCadenceAction", "Set cadence…")
        self.log_selected_action = self._menu_action(
            "logSelectedAction", "Log touchpoint with each…"
        )
        self.bulk_menu.addSeparator()
        self.export_selected_action = self._menu_action("exportSelectedAction", "Export selected…")
        self.export_shown_action = self._menu_action(
            "exportShownAction", "Export the list as shown…"
        )
        self.bulk_menu.addSeparator()
        self.bulk_delete_action = self._menu_action("bulkDeleteAction", "Delete…")
        self.bulk_button.setMenu(self.bulk_menu)
        self.delete_button = QPushButton("Delete…")
        _named(
            self.delete_button,
            "deleteContactButton",
            "Delete the selected contacts",
            "Delete the selected contacts (Del)",
        )
        self.count_label = QLabel()
        _named(self.count_label, "countLabel", "Contacts shown")
        for widget in (self.new_button, self.log_button, self.bulk_button, self.delete_button):
            actions.addWidget(widget)
        # What just happened; a long message ends in "…" (tooltip) rather than widen the tab.
        self.message = ElidedLabel()
        self.message.setObjectName("contactsMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        actions.addWidget(self.message, 1)
        actions.addSpacing(12)
        actions.addWidget(self.count_label)
        return actions

    def _menu_action(self, name: str, text: str) -> QAction:
        action = self.bulk_menu.addAction(text)
        action.setObjectName(name)
        return action

    def _build_list(self, model: ContactTableModel) -> ContactsView:
        view = ContactsView()
        _named(view, "contactsView", "Contacts")
        view.setModel(model)
        select_rows(view)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.setShowGrid(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        vertical = view.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        # Narrow columns elide their header too; the header's tooltip names it in full.
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setMinimumSectionSize(3 * self.fontMetrics().averageCharWidth() + 8)
        view.connect_header()
        view.show_column(COL_KNOWN_BY, False)  # shown with the warm-intro filter
        return view
