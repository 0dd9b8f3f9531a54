"""Preferences: default cadences, follow-up timing, reminder lead time, week start, phone region."""

from __future__ import annotations

import copy

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from planner.core.vocab import RELATIONSHIPS
from planner.settings import NOTIFICATION_MODES, Preferences
from planner.ui.calendar_sync import CalendarSyncController
from planner.ui.dialogs.calendar_sync_page import CalendarSyncPage
from planner.ui.theme import THEME_LABELS, apply_theme

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class PreferencesDialog(QDialog):
    def __init__(
        self,
        preferences: Preferences,
        parent: QWidget | None = None,
        *,
        calendar_sync: CalendarSyncController | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")
        self._original = preferences
        # Why a typed calendar password could not go to the keyring ("" when it did).
        self.calendar_note = ""
        outer = QVBoxLayout(self)
        self.pages = QTabWidget()
        self.pages.setObjectName("preferencesPages")
        outer.addWidget(self.pages)
        general_page = QWidget()
        layout = QVBoxLayout(general_page)

        cadence_box = QGroupBox("Default keep-in-touch cadence for new contacts")
        cadence_form = QFormLayout(cadence_box)
        self.cadence_spins: dict[str, QSpinBox] = {}
        for key, label in RELATIONSHIPS.items():
            spin = QSpinBox()
            spin.setObjectName(f"cadence_{key}")
            spin.setAccessibleName(f"Cadence for {label}")
            spin.setRange(0, 3650)
            spin.setSpecialValueText("No cadence")
            spin.setSuffix(" days")
            spin.setValue(preferences.cadence_for(key) or 0)
            cadence_form.addRow(f"{label}:", spin)
            self.cadence_spins[key] = spin
        layout.addWidget(cadence_box)

        general = QGroupBox("Follow-ups and reminders")
        form = QFormLayout(general)
        self.followup_days = QSpinBox()
        self.followup_days.setObjectName("followupDaysAfterEvent")
        self.followup_days.setAccessibleName("Days after an event to follow up")
        self.followup_days.setRange(0, 60)
        self.followup_days.setSuffix(" days")
        self.followup_days.setValue(preferences.followup_days_after_event)
        form.addRow("Follow up after an event:", self.followup_days)

        self.lead_minutes = QSpinBox()
        self.lead_minutes.setObjectName("reminderLeadMinutes")
        self.lead_minutes.setAccessibleName("Default reminder lead time")
        self.lead_minutes.setRange(0, 7 * 24 * 60)
        self.lead_minutes.setSingleStep(5)
        self.lead_minutes.setSuffix(" minutes before")
        self.lead_minutes.setValue(preferences.reminder_lead_minutes)
        form.addRow("Default reminder:", self.lead_minutes)

        all_day_row = QWidget()
        all_day_layout = QHBoxLayout(all_day_row)
        all_day_layout.setContentsMargins(0, 0, 0, 0)
        self.all_day_time = QTimeEdit()
        self.all_day_time.setObjectName("allDayReminderTime")
        self.all_day_time.setAccessibleName("Time of day for all-day reminders")
        self.all_day_time.setDisplayFormat("HH:mm")
        offset = preferences.all_day_reminder_offset() % (24 * 60)
        self.all_day_time.setTime(QTime(offset // 60, offset % 60))
        self.all_day_when = QComboBox()
        self.all_day_when.setObjectName("allDayReminderDay")
        self.all_day_when.setAccessibleName("Day of all-day reminders")
        self.all_day_when.addItem("on the day", False)
        self.all_day_when.addItem("the day before", True)
        self.all_day_when.setCurrentIndex(1 if preferences.all_day_reminder_day_before else 0)
        all_day_layout.addWidget(self.all_day_time)
        all_day_layout.addWidget(self.all_day_when)
        all_day_layout.addStretch(1)
        all_day_label = QLabel("Remind all-&day items at:")
        all_day_label.setBuddy(self.all_day_time)
        all_day_label.setToolTip(
            "Follow-ups without a time, all-day events and birthdays: in the calendar export "
            "and the desktop notification"
        )
        form.addRow(all_day_label, all_day_row)

        self.notifications = QComboBox()
        self.notifications.setObjectName("notificationsMode")
        self.notifications.setAccessibleName("How due follow-ups are shown")
        for key, label in NOTIFICATION_MODES.items():
            self.notifications.addItem(label, key)
        self.notifications.setCurrentIndex(
            max(0, self.notifications.findData(preferences.notifications))
        )
        form.addRow("&Notifications:", self.notifications)

        self.first_day = QComboBox()
        self.first_day.setObjectName("firstDayOfWeek")
        self.first_day.setAccessibleName("First day of the week")
        self.first_day.addItems(WEEKDAYS)
        self.first_day.setCurrentIndex(max(0, min(6, preferences.first_day_of_week - 1)))
        form.addRow("First day of the week:", self.first_day)

        self.phone_region = QLineEdit(preferences.phone_region)
        self.phone_region.setObjectName("phoneRegion")
        self.phone_region.setAccessibleName("Default phone region")
        self.phone_region.setMaxLength(2)
        self.phone_region.setPlaceholderText("From the system locale")
        self.phone_region.setToolTip("Two-letter country code, e.g. GB, US, DE")
        form.addRow("Phone numbers without a country code are in:", self.phone_region)
        layout.addWidget(general)

        appearance = QGroupBox("Appearance")
        appearance_form = QFormLayout(appearance)
        self.theme = QComboBox()
        self.theme.setObjectName("themeCombo")
        self.theme.setAccessibleName("Theme")
        for key, label in THEME_LABELS.items():
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(preferences.theme)))
        self.theme.setToolTip("System follows the platform; Light and Dark apply everywhere")
        # Shown at once, so the choice can be judged before saving; Cancel goes back.
        self.theme.currentIndexChanged.connect(lambda _i: self._preview_theme())
        appearance_form.addRow("&Theme:", self.theme)
        layout.addWidget(appearance)

        layout.addStretch(1)
        self.pages.addTab(general_page, "&General")
        self.calendar_page = CalendarSyncPage(preferences, calendar_sync)
        self.pages.addTab(self.calendar_page, "Calendar &sync")

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

    def accept(self) -> None:
        if self.calendar_page.validate():
            self.pages.setCurrentWidget(self.calendar_page)
            return
        self.calendar_note = self.calendar_page.save_password()
        super().accept()

    def _preview_theme(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, str(self.theme.currentData()))

    def reject(self) -> None:
        if self.theme.currentData() != self._original.theme:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_theme(app, self._original.theme)
        super().reject()

    def preferences(self) -> Preferences:
        """The edited copy; the caller decides whether to save it."""
        prefs = copy.deepcopy(self._original)
        prefs.default_cadence = {
            key: (spin.value() or None) for key, spin in self.cadence_spins.items()
        }
        prefs.followup_days_after_event = self.followup_days.value()
        prefs.reminder_lead_minutes = self.lead_minutes.value()
        prefs.all_day_reminder_time = self.all_day_time.time().toString("HH:mm")
        prefs.all_day_reminder_day_before = bool(self.all_day_when.currentData())
        prefs.notifications = str(self.notifications.currentData())
        prefs.first_day_of_week = self.first_day.currentIndex() + 1
        prefs.phone_region = self.phone_region.text().strip().upper()
        self.calendar_page.apply(prefs)
        prefs.theme = str(self.theme.currentData())
        return prefs
