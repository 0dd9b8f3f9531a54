"""File > Import contacts…: preview with per-row status, column mapping, per-duplicate choices.

Reading, parsing and matching run on a worker thread (a 30,000-row file must not freeze the
window); nothing is written until the user presses Import, then the whole import is written
in one transaction and pushed as ONE undo step. File > Export contacts… lives here too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from planner.core.importer import (
    FORMATS,
    ImportOutcome,
    ImportPreview,
    ImportService,
    ParseResult,
    UnreadableFileError,
)
from planner.ui.commands.base import push_done
from planner.ui.commands.imports import IMPORT_CHANGES, ImportContacts
from planner.ui.context import TabContext
from planner.ui.dialogs.import_preview import ImportPreviewModel, plural  # noqa: F401 (re-exported)
from planner.ui.dialogs.import_view import ImportDialogView
from planner.ui.file_dialogs import confirm_replace, export_target, open_file_name, save_file_name
from planner.ui.tasks import Task, run_and_wait, run_task

log = logging.getLogger(__name__)


FILE_FILTER = (
    "Contact files (*.vcf *.vcard *.csv *.txt);;vCard (*.vcf *.vcard);;CSV (*.csv);;All files (*)"
)

# --- background work ------------------------------------------------------------------------


def failure_text(exc: BaseException) -> str:
    """What to tell the user about a background read or import that failed."""
    if isinstance(exc, UnreadableFileError):
        return exc.message
    log.error("Background job failed", exc_info=exc)
    return f"Something went wrong: {exc}"


# --- the dialog -----------------------------------------------------------------------------


class ImportDialog(ImportDialogView):
    """Pick a file, look at what would happen, choose per duplicate, then import (or not)."""

    preview_ready = Signal()
    import_finished = Signal()

    def __init__(
        self, context: TabContext, path: str | Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import contacts")
        self.setAccessibleName("Import contacts")
        self.context = context
        self.service = ImportService(context.db)
        self.path: Path | None = None
        self.data: bytes | None = None
        self.parsed: ParseResult | None = None
        self.preview: ImportPreview | None = None
        self.outcome: ImportOutcome | None = None
        self.error_message = ""
        self._ticket = 0
        self._task: Task[object] | None = None
        self._busy = False
        self._mapping: list[str] = []
        self._columns: list[str] = []
        # True while the format says CSV only because the user mapped the columns.
        self._csv_for_mapping = False
        self.mapping_combos = []
        self._on_done: Callable[[object], None] | None = None
        self._build()
        self.resize(1100, 660)
        if path is not None:
            QTimer.singleShot(0, lambda: self.load_file(path))

    # --- loading and parsing ----------------------------------------------------------------

    def _on_choose_clicked(self) -> None:
        path = open_file_name(
            self, self.context.settings, "contacts_import", "Import contacts", FILE_FILTER
        )
        if path:
            self.load_file(path)

    def load_file(self, path: str | Path) -> None:
        """Reads and previews `path` on the worker thread."""
        self.path = Path(path)
        self.file_edit.setText(str(self.path))
        self.data = None
        self._columns, self._mapping, self._samples = [], [], None
        # The previous file's column mapper (and the CSV layout it chose) is not this file's.
        self._clear_mapping()
        if self._csv_for_mapping:
            self._set_format("auto")
            self._csv_for_mapping = False
        self._start_parse()

    def _current_format(self) -> str:
        return str(self.format_combo.currentData() or "auto")

    def _on_format_changed(self) -> None:
        if self.path is not None:
            self._start_parse()

    def _start_parse(self) -> None:
        path, data, fmt = self.path, self.data, self._current_format()
        mapping = list(self._mapping) if self._mapping else None
        service = self.service

        def work() -> object:
            from planner.interop.contact_files import MAX_FILE, csv_columns, read_contacts

            raw = data
            if raw is None:
                assert path is not None
                try:
                    if path.stat().st_size > MAX_FILE:
                        raise UnreadableFileError(
                            f"{path.name} is far larger than a contacts file; is it the right file?"
                        )
                    raw = path.read_bytes()
                except OSError as exc:
                    raise UnreadableFileError(
                        f"{path} cannot be read: {exc.strerror or exc}."
                    ) from exc
            try:
                parsed = read_contacts(raw, fmt, mapping)
            except UnreadableFileError as exc:
                if fmt not in ("auto", "csv") or _is_vcard(raw):
                    raise  # a vCard has no columns to map
                # A CSV we cannot place may still be readable once the columns are mapped.
                try:
                    columns, samples = csv_columns(raw)
                except UnreadableFileError:
                    raise exc from None
                return _MappingNeeded(raw, exc.message, columns, samples)
            samples = csv_columns(raw)[1] if parsed.format == "csv" else []
            return raw, parsed, service.preview(parsed), samples

        self._run(work, self._on_parsed, "Reading the file…")

    def _run(self, work: Callable[[], object], done: Callable[[Any], None], text: str) -> None:
        self._ticket += 1
        self._on_done = done
        self._busy = True
        self.summary_label.setText(text)
        self.progress.show()
        self._update_state()
        ticket = self._ticket
        self._task = run_task(
            work,
            lambda result: self._on_job_finished(ticket, result),
            lambda exc: self._on_job_failed(ticket, failure_text(exc)),
            owner=self,
            name=text,
        )

    def _on_job_finished(self, ticket: int, result: object) -> None:
        if ticket != self._ticket:
            return  # an older parse (the format or mapping changed since)
        self._busy = False
        self.progress.hide()
        if self._on_done is not None:
            self._on_done(result)
        self._update_state()

    def _on_job_failed(self, ticket: int, message: str) -> None:
        if ticket != self._ticket:
            return
        self._busy = False
        self.progress.hide()
        self._show_failure(message)

    def _show_failure(self, message: str) -> None:
        self.error_message = message
        self.parsed = None
        self.preview = None
        self.model.set_preview(None)
        self.summary_label.setText(f"This file cannot be imported: {message}")
        self._update_state()

    def _on_parsed(self, result: object) -> None:
        if isinstance(result, _MappingNeeded):
            self.data = result.data
            self._show_mapping(result.columns, result.samples, result.mapping)
            self._show_failure(result.message)
            return
        assert isinstance(result, tuple)
        self.data, self.parsed, self.preview, samples = result
        self.error_message = ""
        if self.parsed.format == "csv":
            self._show_mapping(list(self.parsed.columns), samples, list(self.parsed.mapping))
        else:
            self.mapping_box.hide()
        self.model.set_preview(self.preview)
        self.good_rows_check.setChecked(False)
        self._update_summary()
        self.preview_ready.emit()

    _samples: list[list[str]] | None = None

    def _show_mapping(
        self, columns: list[str], samples: list[list[str]], mapping: list[str]
    ) -> None:
        if samples:
            self._samples = samples
        if columns == self._columns and len(self.mapping_combos) == len(columns):
            self.mapping_box.show()
            return
        self._columns = list(columns)
        self._mapping = list(mapping)
        self._fill_mapping(columns, self._samples[0] if self._samples else [], mapping)
        self.mapping_box.show()

    def _on_mapping_changed(self) -> None:
        self._mapping = [str(c.currentData() or "") for c in self.mapping_combos]
        if self.format_combo.currentData() == "auto":
            # The mapping only applies to the generic layout (for this file only).
            self._set_format("csv")
            self._csv_for_mapping = True
        self._start_parse()

    def _set_format(self, key: str) -> None:
        self.format_combo.blockSignals(True)
        self.format_combo.setCurrentIndex(max(0, self.format_combo.findData(key)))
        self.format_combo.blockSignals(False)

    def set_mapping(self, mapping: list[str]) -> None:
        """For tests and scripted use: choose the field of each column."""
        for combo, field in zip(self.mapping_combos, mapping, strict=False):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(field)))
            combo.blockSignals(False)
        self._on_mapping_changed()

    # --- state ------------------------------------------------------------------------------

    def _update_summary(self) -> None:
        preview = self.preview
        if preview is None:
            return
        fmt = FORMATS.get(preview.format, preview.format)
        rows = sum(len(g.lines) for g in preview.groups)
        encoding = f" (encoding {preview.encoding})" if preview.encoding else ""
        parts = [
            f"{fmt}{encoding}: {plural(rows + len(preview.errors), 'row')}.",
            f"{preview.new_count:,} new",
            f"{preview.duplicate_count:,} already in your contacts",
        ]
        if preview.proposed_count:
            parts.append(
                f"{plural(preview.proposed_count, 'possible duplicate')} (same name and "
                "organisation only: skipped unless you choose Merge)"
            )
        combined = rows - len(preview.groups)
        if combined:
            parts.append(f"{plural(combined, 'row')} combined with another row of the file")
        if preview.problem_count:
            parts.append(
                f"{plural(preview.problem_count, 'bad value')} in "
                f"{plural(preview.problem_rows, 'row')} kept in the notes instead"
            )
        if preview.errors:
            parts.append(f"{plural(len(preview.errors), 'row')} cannot be read")
        self.summary_label.setText(parts[0] + " " + ", ".join(parts[1:]) + ".")
        if preview.errors:
            lines = ", ".join(str(e.line) for e in preview.errors[:8])
            more = "…" if len(preview.errors) > 8 else ""
            broken = (
                "the broken row"
                if len(preview.errors) == 1
                else (f"the {len(preview.errors):,} broken rows")
            )
            self.good_rows_check.setText(
                f"Import the good rows and leave out {broken} "
                f"(line{'s' if len(preview.errors) > 1 else ''} {lines}{more}, shown as errors)"
            )
            self.good_rows_check.show()
        else:
            self.good_rows_check.hide()

    def _update_state(self) -> None:
        preview = self.preview
        has_rows = preview is not None and bool(preview.groups)
        consent = preview is None or not preview.errors or self.good_rows_check.isChecked()
        self.import_button.setEnabled(not self._busy and has_rows and consent)
        has_dups = preview is not None and preview.duplicate_count > 0
        for button in self.bulk_buttons.values():
            button.setEnabled(not self._busy and has_dups)
        self.format_combo.setEnabled(not self._busy or self.outcome is None)
        self.choose_button.setEnabled(not self._busy)

    # --- importing --------------------------------------------------------------------------

    def choices(self) -> dict[int, str]:
        return dict(self.model.choices)

    def _on_import_clicked(self) -> None:
        preview = self.preview
        if preview is None or not self.import_button.isEnabled():
            return
        choices = self.choices()
        service = self.service
        source = self.source_name()
        self.table.setEnabled(False)
        self._run(
            lambda: service.commit(preview, choices, source), self._on_committed, "Importing…"
        )

    def source_name(self) -> str:
        """The file's name, naming this import in the Contacts tab's "Imported in" filter."""
        return self.path.name if self.path is not None else ""

    def _on_committed(self, outcome: object) -> None:
        assert isinstance(outcome, ImportOutcome)
        self.outcome = outcome
        self.import_finished.emit()
        self.accept()

    def done(self, result: int) -> None:
        if self._busy and self.outcome is None and self._on_done == self._on_committed:
            return  # the commit is running: it cannot be cancelled half-way
        self._ticket += 1  # ignore whatever parse is still running
        super().done(result)
        if self._task is not None:
            self._task.wait(30)  # a parse still reading the file finishes first


def _is_vcard(data: bytes) -> bool:
    from planner.interop.contact_files import decode_bytes
    from planner.interop.vcard import looks_like_vcard

    try:
        text, _encoding = decode_bytes(data[:4096])
    except UnreadableFileError:
        return False
    return looks_like_vcard(text)


class _MappingNeeded:
    def __init__(
        self, data: bytes, message: str, columns: list[str], samples: list[list[str]]
    ) -> None:
        from planner.interop.csv_formats import guess_mapping

        self.data = data
        self.message = message
        self.columns = columns
        self.samples = samples
        self.mapping = list(guess_mapping(columns))


def run_import(
    context: TabContext, parent: QWidget | None = None, path: str | Path | None = None
) -> ImportOutcome | None:
    """File > Import contacts…: the dialog, then one undo command; returns what was done."""
    if path is None:
        chosen = open_file_name(
            parent, context.settings, "contacts_import", "Import contacts", FILE_FILTER
        )
        if not chosen:
            return None
        path = chosen
    dialog = ImportDialog(context, path, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.outcome is None:
        return None
    assert dialog.preview is not None
    outcome = dialog.outcome
    # The file the user imported in the end (they may have chosen another in the dialog).
    imported = dialog.path or Path(path)
    label = (
        f"Import contacts from {imported.name} "
        f"({outcome.created:,} new, {outcome.merged_count:,} merged)"
    )
    command = ImportContacts(
        context.bus,
        ImportService(context.db),
        dialog.preview,
        dialog.choices(),
        outcome,
        label,
        dialog.source_name(),
    )
    # The dialog already ran the import (off the GUI thread): one undo step, one Changes.
    push_done(context.undo_stack, command, IMPORT_CHANGES)
    return outcome


# --- export ---------------------------------------------------------------------------------

EXPORT_FILTERS = {
    "vCard 3.0 — Outlook, Apple, Google (*.vcf)": "vcard3",
    "vCard 4.0 (*.vcf)": "vcard4",
    "CSV with Google Contacts headers (*.csv)": "csv",
}
# A typed extension picks the format, whatever filter is selected.
EXPORT_EXTENSIONS = {".vcf": "vcard3", ".vcard": "vcard3", ".csv": "csv"}


def run_export(
    context: TabContext,
    parent: QWidget | None = None,
    contact_ids: list[int] | None = None,
) -> Path | None:
    """File > Export contacts…: all contacts (or the given ids) as vCard 3.0/4.0 or CSV."""
    from planner.interop.contact_files import write_contacts_file

    path, chosen = save_file_name(
        parent,
        context.settings,
        "contacts_export",
        "Export contacts",
        "contacts.vcf",
        ";;".join(EXPORT_FILTERS),
    )
    if not path:
        return None
    target, kind = export_target(path, chosen, EXPORT_FILTERS, EXPORT_EXTENSIONS)
    if not confirm_replace(parent, target, path, "Export contacts"):
        return None
    service = ImportService(context.db)
    progress = QProgressDialog("Exporting contacts…", "", 0, 0, parent)
    progress.setObjectName("exportProgress")
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)

    def work() -> int:
        cards = service.load_cards(contact_ids)
        write_contacts_file(cards, target, kind)
        return len(cards)

    try:
        count = run_and_wait(work, name="export contacts")
    except Exception as exc:
        progress.close()
        message = failure_text(exc)
        QMessageBox.warning(parent, "Export contacts", f"The export failed: {message}")
        return None
    progress.close()
    log.info("Exported %s contacts to %s", count, target)
    return target
