"""The contact page's open follow-ups: date and title, with Complete and Snooze.

Both reuse the calendar's commands (one undo step each) and the calendar's Complete dialog;
the list is filled from the detail pane's one read and refreshes through the bus.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.core import scheduling
from planner.core.errors import NotFoundError, ValidationError
from planner.core.followups import DEFAULT_TOUCH_CHANNEL, FollowUpService
from planner.core.records import ContactRecord, FollowUpRecord
from planner.db.errors import StorageError
from planner.ui.commands.base import Command, execute
from planner.ui.commands.followups import CompleteFollowUp, SnoozeFollowUp
from planner.ui.context import TabContext
from planner.ui.dates import short_date
from planner.ui.dialogs.complete_dialog import CompleteDialog
from planner.ui.models.contact_table_model import OVERDUE
from planner.ui.widgets.contact_fields import error_label, show_error

FollowUpRole = Qt.ItemDataRole.UserRole + 1
# Rows shown without scrolling; more scroll (the pane must leave room for the tabs below).
VISIBLE_ROWS = 3


def followup_title(record: FollowUpRecord) -> str:
    return record.purpose.strip() or "Follow-up"


class FollowUpsPane(QWidget):
    """Hidden when the person has no open follow-up; the first one is selected."""

    def __init__(
        self, service: FollowUpService, context: TabContext | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("contactFollowUps")
        self.service = service
        self.context = context
        self.contact: ContactRecord | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(2)
        self.title = QLabel("<b>Open follow-ups</b>")
        self.title.setObjectName("contactFollowUpsTitle")
        layout.addWidget(self.title)
        row = QHBoxLayout()
        self.list = QListWidget()
        self.list.setObjectName("contactFollowUpsList")
        self.list.setAccessibleName("Open follow-ups")
        # Long titles are elided (the tooltip has them whole): a horizontal scroll bar would
        # take the height of a row.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.itemDoubleClicked.connect(lambda _item: self.complete_selected())
        row.addWidget(self.list, 1)
        buttons = QVBoxLayout()
        self.complete_button = QPushButton("Complete…")
        self.complete_button.setObjectName("contactFollowUpComplete")
        self.complete_button.setAccessibleName("Complete follow-up")
        self.complete_button.setToolTip("Log what happened and schedule the next by cadence")
        self.complete_button.clicked.connect(lambda _c=False: self.complete_selected())
        self.snooze_menu = QMenu("Snooze", self)
        self.snooze_menu.setObjectName("contactFollowUpSnoozeMenu")
        for kind, label in scheduling.SNOOZE_CHOICES.items():
            action = self.snooze_menu.addAction(f"Until {label.lower()}")
            action.setObjectName(f"contactSnooze_{kind}")
            action.triggered.connect(lambda _c=False, k=kind: self.snooze_selected(k))
        self.snooze_button = QToolButton()
        self.snooze_button.setObjectName("contactFollowUpSnooze")
        self.snooze_button.setAccessibleName("Snooze follow-up")
        self.snooze_button.setText("Snooze")
        self.snooze_button.setToolTip("Move the selected follow-up to tomorrow or next week")
        self.snooze_button.setMenu(self.snooze_menu)
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.snooze_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # One width for both, so they read as a column of actions.
        self.snooze_button.setSizePolicy(self.complete_button.sizePolicy())
        buttons.addWidget(self.complete_button)
        buttons.addWidget(self.snooze_button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        layout.addLayout(row)
        self.error = error_label("contactFollowUpsError")
        layout.addWidget(self.error)
        self.hide()

    def set_followups(self, contact: ContactRecord, records: tuple[FollowUpRecord, ...]) -> None:
        keep = self.selected()
        if self.contact is None or self.contact.id != contact.id:
            keep = None
            show_error(self.error, "")
        self.contact = contact
        self.list.clear()
        today = date.today()
        overdue = QBrush(OVERDUE)  # the contacts list's colour for an overdue date
        for record in records:
            when = short_date(record.due_date)
            if record.due_time is not None:
                when += f" {record.due_time.strftime('%H:%M')}"
            late = record.due_date < today
            text = f"{when} — {followup_title(record)}" + (" (overdue)" if late else "")
            item = QListWidgetItem(text)
            item.setData(FollowUpRole, record)
            item.setToolTip("\n".join(t for t in (text, record.notes) if t))
            if late:
                item.setForeground(overdue)
            self.list.addItem(item)
            if keep is not None and record.id == keep.id:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        rows = min(max(self.list.count(), 1), VISIBLE_ROWS)
        row_height = max(self.list.sizeHintForRow(0), self.list.fontMetrics().height() + 4)
        self.list.setFixedHeight(rows * row_height + 2 * self.list.frameWidth() + 2)
        self.title.setText(f"<b>Open follow-ups ({len(records)})</b>")
        self.setVisible(bool(records) and self.context is not None)

    def selected(self) -> FollowUpRecord | None:
        item = self.list.currentItem()
        record = item.data(FollowUpRole) if item is not None else None
        return record if isinstance(record, FollowUpRecord) else None

    def _run(self, command: Command) -> bool:
        if self.context is None:
            return False
        try:
            execute(self.context.undo_stack, command)
        except (ValidationError, NotFoundError, StorageError) as exc:
            show_error(self.error, str(exc))
            return False
        show_error(self.error, "")
        return True

    def ask_outcome(self, dialog: CompleteDialog) -> bool:
        """Show the outcome step (tests patch this)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def complete_selected(self) -> bool:
        """Ask what happened (Enter keeps the defaults), log it, schedule the next touch."""
        record = self.selected()
        if record is None or self.context is None:
            return False
        today = date.today()
        contact = self.contact
        dialog = CompleteDialog(
            f"Complete: {contact.name if contact else followup_title(record)}",
            channel=record.channel or DEFAULT_TOUCH_CHANNEL,
            note=record.purpose,
            next_due=self.service.next_after_complete(record.id, today),
            cadence_days=contact.cadence_days if contact else None,
            parent=self,
        )
        accepted = self.ask_outcome(dialog)
        outcome = dialog.outcome()
        dialog.deleteLater()
        if not accepted:
            return False
        command = CompleteFollowUp(
            self.context.bus, self.service, [record.id], today,
            outcome.kind, outcome.note, outcome.channel,
        )  # fmt: skip
        return self._run(command)

    def snooze_selected(self, kind: str) -> bool:
        record = self.selected()
        if record is None or self.context is None:
            return False
        label = scheduling.SNOOZE_CHOICES[kind].lower()
        first_day = self.context.settings.preferences.first_day_of_week
        return self._run(
            SnoozeFollowUp(
                self.context.bus, self.service, [record], kind, label, date.today(), first_day
            )
        )
