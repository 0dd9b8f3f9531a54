"""File > Export reminders…: choose what goes into an .ics file, then write it off the UI thread."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QStandardPaths, QTimer
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from planner.core.errors import ValidationError
from planner.core.followups import MINE
from planner.core.reminders import (
    BIRTHDAYS,
    EVENTS,
    FOLLOWUPS,
    KINDS,
    ReminderQuery,
    ReminderService,
    ReminderSet,
)
from planner.core.visibility import viewer
from planner.interop.ics import GOOGLE_IMPORT_LIMIT_BYTES, IcsOptions, render
from planner.ui.context import TabContext
from planner.ui.dialogs.export_ics_run import (
    ExportIcsRequest,
    IcsExportRun,
    human_size,
    reason_of,
)
from planner.ui.dialogs.export_ics_view import MAX_ALARM_MINUTES, ExportIcsDialogView
from planner.ui.tasks import Task, run_task

__all__ = ["ExportIcsDialog", "ExportIcsRequest", "IcsExportRun", "export_reminders"]

log = logging.getLogger(__name__)

STATE_KEY = "export_ics"
CALENDAR_STATE_KEY = "calendar"  # the Calendar tab's choices (its My follow-ups / Team)
DEFAULT_FILE_NAME = "networking-reminders.ics"
DEFAULT_RANGE_DAYS = 90
RANGE_ALL = "all"
RANGE_DATES = "range"
RANGE_SELECTED = "selected"


@dataclass(frozen=True)
class _Preview:
    generation: int
    reminders: ReminderSet
    size: int


class ExportIcsDialog(ExportIcsDialogView):
    """Include, range or selection, reminder lead time, events or tasks, file; shows the count.

    The widgets come from ExportIcsDialogView; this class reads and keeps the choices,
    counts what they select off the GUI thread, and checks them before accepting.
    """

    def __init__(
        self,
        context: TabContext,
        selected_ids: Sequence[int] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.selected_ids = tuple(dict.fromkeys(int(i) for i in selected_ids))
        self._generation = 0
        self._preview: _Preview | None = None
        self._preview_task: Task[_Preview] | None = None
        self._in_selection_mode = False
        self._held: dict[str, bool] = {}
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self._start_preview)
        count = ReminderService(context.db).open_followup_count(self.selected_ids)
        self.selected_radio.setText(self._selected_text(count))
        self.selected_radio.setEnabled(count > 0)
        self._team_mode = bool(viewer(context.db))
        self.whose_row.setVisible(self._team_mode)
        self._restore_state()
        self._connect()
        self._update_enabled()
        self._schedule_preview()
        # Word-wrapped help text: settle the width first, then take the height it needs.
        self.resize(640, self.layout().totalHeightForWidth(640))

    @staticmethod
    def _selected_text(count: int) -> str:
        if count == 0:
            return "Selected items (select follow-ups in the Calendar tab first)"
        noun = "follow-up" if count == 1 else "follow-ups"
        return f"Only the {count:,} selected open {noun}"

    def _connect(self) -> None:
        for check in (
            self.followups_check,
            self.events_check,
            self.birthdays_check,
            self.alarm_check,
        ):
            check.toggled.connect(self._on_choice_changed)
        for radio in (
            self.all_radio,
            self.range_radio,
            self.selected_radio,
            self.events_radio,
            self.tasks_radio,
            self.mine_radio,
        ):
            radio.toggled.connect(self._on_choice_changed)
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(self._on_choice_changed)
            edit.problem_changed.connect(self._on_choice_changed)
        self.alarm_spin.valueChanged.connect(self._on_choice_changed)
        self.path_edit.textChanged.connect(self._update_enabled)
        self.path_edit.editingFinished.connect(self._on_path_edited)
        self.browse_button.clicked.connect(self._on_browse_clicked)
        self.buttons.accepted.connect(self._on_export_clicked)
        self.buttons.rejected.connect(self.reject)

    # --- state ------------------------------------------------------------------------

    def _state(self) -> dict[str, Any]:
        state = self.context.settings.preferences.ui_state.get(STATE_KEY)
        return state if isinstance(state, dict) else {}

    def _restore_state(self) -> None:
        state = self._state()
        prefs = self.context.settings.preferences
        include = state.get("include", list(KINDS))
        include = include if isinstance(include, list) else list(KINDS)
        self.followups_check.setChecked(FOLLOWUPS in include)
        self.events_check.setChecked(EVENTS in include)
        self.birthdays_check.setChecked(BIRTHDAYS in include)
        today = QDate.currentDate()
        from_days = _int(state.get("from_days"), 0)
        to_days = _int(state.get("to_days"), DEFAULT_RANGE_DAYS)
        self.from_edit.setDate(today.addDays(from_days))
        self.to_edit.setDate(today.addDays(max(from_days, to_days)))
        if self.selected_radio.isEnabled():
            self.selected_radio.setChecked(True)
        elif state.get("range") == RANGE_DATES:
            self.range_radio.setChecked(True)
        else:
            self.all_radio.setChecked(True)
        self.alarm_check.setChecked(bool(state.get("alarm", True)))
        minutes = _int(state.get("alarm_minutes"), prefs.reminder_lead_minutes)
        self.alarm_spin.setValue(max(0, min(MAX_ALARM_MINUTES, minutes)))
        (self.tasks_radio if state.get("tasks") else self.events_radio).setChecked(True)
        path = state.get("path")
        if not isinstance(path, str) or not path:
            folder = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            )
            path = str(Path(folder or Path.home()) / DEFAULT_FILE_NAME)
        self.path_edit.setText(path)
        self.open_after_check.setChecked(bool(state.get("open_after", False)))
        # Whose follow-ups: as the Calendar shows them (My follow-ups / Team).
        calendar = self.context.settings.preferences.ui_state.get(CALENDAR_STATE_KEY)
        scope = calendar.get("scope") if isinstance(calendar, dict) else None
        (self.mine_radio if scope == MINE else self.team_radio).setChecked(True)

    def _save_state(self) -> None:
        today = QDate.currentDate()
        mode = self._range_mode()
        include = self._include()
        for kind, check in ((EVENTS, self.events_check), (BIRTHDAYS, self.birthdays_check)):
            if self._held.get(check.objectName(), False) and self._in_selection_mode:
                include.add(kind)
        self.context.settings.preferences.ui_state[STATE_KEY] = {
            "include": sorted(include),
            # A selection belongs to one moment; next time starts from the range or everything.
            "range": RANGE_DATES if mode == RANGE_DATES else RANGE_ALL,
            "from_days": today.daysTo(self.from_edit.date()),
            "to_days": today.daysTo(self.to_edit.date()),
            "alarm": self.alarm_check.isChecked(),
            "alarm_minutes": self.alarm_spin.value(),
            "tasks": self.tasks_radio.isChecked(),
            "path": self.path_edit.text().strip(),
            "open_after": self.open_after_check.isChecked(),
        }
        try:
            self.context.settings.save()
        except OSError:
            log.exception("Could not save the export choices")

    # --- choices ----------------------------------------------------------------------

    def _range_mode(self) -> str:
        if self.selected_radio.isChecked():
            return RANGE_SELECTED
        if self.range_radio.isChecked():
            return RANGE_DATES
        return RANGE_ALL

    def _include(self) -> set[str]:
        checks = (
            (FOLLOWUPS, self.followups_check),
            (EVENTS, self.events_check),
            (BIRTHDAYS, self.birthdays_check),
        )
        return {kind for kind, check in checks if check.isChecked()}

    def query(self) -> ReminderQuery:
        """The items chosen; raises ValidationError for a range that ends before it starts."""
        mode = self._range_mode()
        mine = self._team_mode and self.mine_radio.isChecked()
        if mode == RANGE_SELECTED:
            # A selection is follow-ups only: events and birthdays would not be "selected".
            include = {FOLLOWUPS} if self.followups_check.isChecked() else set()
            return ReminderQuery(
                include=frozenset(include), followup_ids=self.selected_ids, mine_only=mine
            )
        start = end = None
        if mode == RANGE_DATES:
            start = _to_date(self.from_edit.date())
            end = _to_date(self.to_edit.date())
        return ReminderQuery(
            start=start, end=end, include=frozenset(self._include()), mine_only=mine
        )

    def options(self) -> IcsOptions:
        return IcsOptions(
            alarm_minutes=self.alarm_spin.value() if self.alarm_check.isChecked() else None,
            tasks=self.tasks_radio.isChecked(),
            all_day_alarm_offset=self.context.settings.preferences.all_day_reminder_offset(),
        )

    def path(self) -> Path:
        text = self.path_edit.text().strip()
        path = Path(text).expanduser()
        if text and path.suffix.lower() != ".ics":
            path = path.with_name(path.name + ".ics")
        return path

    def request(self) -> ExportIcsRequest:
        return ExportIcsRequest(
            path=self.path(),
            query=self.query(),
            options=self.options(),
            open_after=self.open_after_check.isChecked(),
        )

    def _sync_selection_mode(self) -> None:
        """A selection holds follow-ups only: show events and birthdays off while it is chosen,
        and give them back their earlier state when the user leaves it."""
        selected = self.selected_radio.isChecked()
        if selected == self._in_selection_mode:
            return
        self._in_selection_mode = selected
        tip = "A selection holds follow-ups only." if selected else ""
        for check in (self.events_check, self.birthdays_check):
            check.blockSignals(True)
            if selected:
                self._held[check.objectName()] = check.isChecked()
                check.setChecked(False)
            else:
                check.setChecked(self._held.get(check.objectName(), check.isChecked()))
            check.blockSignals(False)
            check.setEnabled(not selected)
            check.setToolTip(tip)

    def range_problem(self) -> str:
        """What is wrong with the typed date range ("" when nothing, or no range is used)."""
        if not self.range_radio.isChecked():
            return ""
        if self.from_edit.problem():
            return f"First day: {self.from_edit.problem()}"
        if self.to_edit.problem():
            return f"Last day: {self.to_edit.problem()}"
        if self.to_edit.date() < self.from_edit.date():
            return "The last day is before the first day."
        return ""

    def _update_enabled(self) -> None:
        self._sync_selection_mode()
        self.whose_row.setEnabled(self.followups_check.isChecked())
        ranged = self.range_radio.isChecked()
        self.from_edit.setEnabled(ranged)
        self.to_edit.setEnabled(ranged)
        problem = self.range_problem()
        if problem != self.range_error.text() or bool(problem) != self.range_error.isVisible():
            self.range_error.setText(problem)
            self.range_error.setVisible(bool(problem))
            self._fit_height()
        self.alarm_spin.setEnabled(self.alarm_check.isChecked())
        count = self._preview.reminders.total if self._preview is not None else 0
        ready = bool(self.path_edit.text().strip()) and count > 0 and not problem
        self.export_button.setEnabled(ready)

    def _on_choice_changed(self, *_args: object) -> None:
        self._update_enabled()
        self._schedule_preview()

    # --- preview ----------------------------------------------------------------------

    def _schedule_preview(self) -> None:
        self._generation += 1
        self._preview = None
        self.summary_label.setText("Counting…")
        self._update_enabled()
        self._debounce.start()

    def _start_preview(self) -> None:
        if self.range_problem():
            self._show_summary_error("Nothing counted: correct the date range above.")
            return
        try:
            query = self.query()
        except ValidationError as exc:
            self._show_summary_error(exc.message)
            return
        if not query.include:
            self._show_summary_error("Choose at least one kind of item to include.")
            return
        generation = self._generation
        options = self.options()
        db = self.context.db

        def work() -> _Preview:
            reminders = ReminderService(db).collect(query)
            return _Preview(generation, reminders, len(render(reminders, options)))

        if self._preview_task is not None:
            self._preview_task.cancel()  # its count is out of date already
        self._preview_task = run_task(
            work,
            self._on_preview_finished,
            lambda exc: self._show_summary_error(reason_of(exc)),
            owner=self,
            name="count calendar export",
        )

    def _on_preview_finished(self, preview: _Preview) -> None:
        if preview.generation != self._generation:
            return  # the choices changed meanwhile; a newer preview is on its way
        self._preview = preview
        total = preview.reminders.total
        if total == 0:
            self.summary_label.setText("Nothing to export with these choices.")
        else:
            noun = "item" if total == 1 else "items"
            self.summary_label.setText(
                f"Will write {total:,} {noun}: {preview.reminders.describe()} "
                f"(about {human_size(preview.size)})."
            )
        self.warning_widget.setVisible(preview.size > GOOGLE_IMPORT_LIMIT_BYTES)
        self._update_enabled()
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow to show a warning or an error that just appeared, instead of squashing text."""
        layout = self.layout()
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _show_summary_error(self, message: str) -> None:
        self._preview = None
        self.summary_label.setText(message)
        self.warning_widget.setVisible(False)
        self._update_enabled()

    def preview_ready(self) -> bool:
        """True once the count for the current choices is shown (tests wait on it)."""
        return self._preview is not None or self.summary_label.text() != "Counting…"

    def previewed(self) -> ReminderSet | None:
        return self._preview.reminders if self._preview is not None else None

    # --- actions ----------------------------------------------------------------------

    def _on_path_edited(self) -> None:
        text = self.path_edit.text().strip()
        if text and not text.lower().endswith(".ics"):
            self.path_edit.setText(str(self.path()))

    def _on_browse_clicked(self) -> None:
        current = self.path_edit.text().strip() or str(Path.home() / DEFAULT_FILE_NAME)
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Export reminders to",
            current,
            "iCalendar files (*.ics);;All files (*)",
        )
        if path:
            self.path_edit.setText(path)

    def _on_export_clicked(self) -> None:
        path = self.path()
        problem = ""
        if not self.path_edit.text().strip():
            problem = "Choose a file to write."
        elif path.is_dir():
            problem = f"{path} is a folder; choose a file name."
        elif not path.parent.is_dir():
            problem = f"The folder {path.parent} does not exist."
        if problem:
            self.error_label.setText(problem)
            self.error_label.setVisible(True)
            self._fit_height()
            self.path_edit.setFocus()
            return
        if self.range_problem():  # said beside the range already; not accepted
            bad = self.to_edit if self.to_edit.problem() else self.from_edit
            bad.setFocus()
            return
        try:
            self.query()
        except ValidationError as exc:
            self.error_label.setText(exc.message)
            self.error_label.setVisible(True)
            self._fit_height()
            return
        # Show (and remember) the name that is actually written: "sel_tasks" becomes
        # "sel_tasks.ics".
        self.path_edit.setText(str(path))
        self._save_state()
        self.accept()

    def done(self, result: int) -> None:
        self._debounce.stop()
        self._generation += 1
        if self._preview_task is not None:
            self._preview_task.cancel()
            self._preview_task.wait(10)  # a count still reading finishes before we go
        super().done(result)


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def export_reminders(
    parent: QWidget, context: TabContext, selected_ids: Sequence[int] = ()
) -> IcsExportRun | None:
    """The whole flow behind File > Export reminders…: dialog, then the write off the UI thread."""
    dialog = ExportIcsDialog(context, selected_ids, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        request = dialog.request()
    finally:
        dialog.deleteLater()
    run = IcsExportRun(context, request, parent)
    run.start()
    return run
