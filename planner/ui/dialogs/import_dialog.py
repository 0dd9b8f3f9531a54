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

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.core.changes import Changes
from planner.core.importer import (
    CHOICES,
    FORMATS,
    MERGE,
    NEW,
    SKIP,
    ImportOutcome,
    ImportPreview,
    ImportService,
    ParseResult,
    UnreadableFileError,
)
from planner.ui.commands import Command
from planner.ui.context import TabContext
from planner.ui.file_dialogs import confirm_replace, export_target, open_file_name, save_file_name
from planner.ui.tasks import Task, run_and_wait, run_task

log = logging.getLogger(__name__)

FILE_FILTER = (
    "Contact files (*.vcf *.vcard *.csv *.txt);;vCard (*.vcf *.vcard);;CSV (*.csv);;All files (*)"
)
STATUS_LABELS = {
    "new": "New",
    "duplicate": "Duplicate",
    "possible": "Possible duplicate",
    "same": "Same person",
    "error": "Error",
}
RowRole = Qt.ItemDataRole.UserRole + 1
ChoiceRole = Qt.ItemDataRole.UserRole + 2


# An import adds or merges thousands of contacts (and their touchpoints): reload them whole.
IMPORT_CHANGES = Changes.all("contacts", "touchpoints", "organisations")

# --- background work ------------------------------------------------------------------------


def failure_text(exc: BaseException) -> str:
    """What to tell the user about a background read or import that failed."""
    if isinstance(exc, UnreadableFileError):
        return exc.message
    log.error("Background job failed", exc_info=exc)
    return f"Something went wrong: {exc}"


# --- the preview model ----------------------------------------------------------------------


class ImportPreviewModel(QAbstractTableModel):
    COL_LINE, COL_NAME, COL_ORG, COL_EMAIL, COL_STATUS, COL_ACTION, COL_DETAIL = range(7)
    HEADERS = (
        "Line",
        "Name",
        "Organisation",
        "E-mail",
        "Status",
        "Action",
        "Existing contact / why",
    )

    choices_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.preview: ImportPreview | None = None
        self.choices: dict[int, str] = {}
        self._rows_of_group: dict[int, list[int]] = {}

    def set_preview(self, preview: ImportPreview | None) -> None:
        self.beginResetModel()
        self.preview = preview
        self.choices = preview.default_choices() if preview else {}
        self._rows_of_group = {}
        if preview:
            for i, row in enumerate(preview.rows):
                if row.group >= 0:
                    self._rows_of_group.setdefault(row.group, []).append(i)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.preview is None:
            return 0
        return len(self.preview.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None

    def _is_duplicate(self, group: int) -> bool:
        assert self.preview is not None
        return group >= 0 and self.preview.groups[group].existing_id is not None

    def action_text(self, row_index: int) -> str:
        assert self.preview is not None
        row = self.preview.rows[row_index]
        if row.status == "error":
            return "Left out"
        if row.status == "same":
            return f"Combined with line {self.preview.groups[row.group].lines[0]}"
        if not self._is_duplicate(row.group):
            return "Add"
        return CHOICES[self.choices.get(row.group, MERGE)]

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or self.preview is None:
            return None
        row = self.preview.rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == self.COL_LINE:
                return str(row.line) if role == Qt.ItemDataRole.DisplayRole else None
            if col == self.COL_NAME:
                return row.name
            if col == self.COL_ORG:
                return row.organisation
            if col == self.COL_EMAIL:
                return row.email
            if col == self.COL_STATUS:
                return STATUS_LABELS.get(row.status, row.status)
            if col == self.COL_ACTION:
                text = self.action_text(index.row())
                if role == Qt.ItemDataRole.ToolTipRole and self._is_duplicate(row.group):
                    return f"{text} (double-click or F2 to choose: merge, skip, import as new)"
                return text
            if col == self.COL_DETAIL:
                if row.problems:
                    # Bad values are named against their row; they go to the notes.
                    kept = "; ".join(row.problems) + " — kept in the notes"
                    return f"{row.detail}; {kept}" if row.detail else kept[:1].upper() + kept[1:]
                return row.detail
        if role == Qt.ItemDataRole.EditRole and col == self.COL_ACTION:
            return self.choices.get(row.group, MERGE)
        if role == Qt.ItemDataRole.ForegroundRole and row.status == "error":
            return QColor("#d9534f") if _is_dark() else QColor("#b3261e")
        if role == Qt.ItemDataRole.ForegroundRole and row.problems and col == self.COL_DETAIL:
            return QColor("#f0ad4e") if _is_dark() else QColor("#8a5300")
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_LINE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == RowRole:
            return row
        if role == ChoiceRole:
            return self.choices.get(row.group) if self._is_duplicate(row.group) else None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid() or self.preview is None:
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        row = self.preview.rows[index.row()]
        if (
            index.column() == self.COL_ACTION
            and row.status in ("duplicate", "possible")
            and self._is_duplicate(row.group)
        ):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable)
            or value not in CHOICES
            or self.preview is None
        ):
            return False
        self.set_choice(self.preview.rows[index.row()].group, str(value))
        return True

    def set_choice(self, group: int, choice: str) -> None:
        """One choice per duplicate group: every row of the group shows it."""
        if self.choices.get(group) == choice:
            return
        self.choices[group] = choice
        for i in self._rows_of_group.get(group, []):
            cell = self.index(i, self.COL_ACTION)
            self.dataChanged.emit(cell, cell)
        self.choices_changed.emit()

    def set_all_duplicates(self, choice: str) -> None:
        if self.preview is None:
            return
        for group in self.preview.groups:
            if group.existing_id is not None:
                self.choices[group.index] = choice
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, self.COL_ACTION), self.index(self.rowCount() - 1, self.COL_ACTION)
            )
        self.choices_changed.emit()


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _is_dark() -> bool:
    palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box for the per-duplicate choice (merge / skip / import as new)."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName("duplicateChoiceCombo")
        combo.setAccessibleName("What to do with this duplicate")
        for key, label in CHOICES.items():
            combo.addItem(label, key)
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        pos = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(0, pos))

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractTableModel,  # type: ignore[override]
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


# --- the dialog -----------------------------------------------------------------------------


class ImportDialog(QDialog):
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
        self._on_done: Callable[[object], None] | None = None
        self._build()
        self.resize(1100, 660)
        if path is not None:
            QTimer.singleShot(0, lambda: self.load_file(path))

    # --- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("importFileEdit")
        self.file_edit.setAccessibleName("File to import")
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("Choose a vCard (.vcf) or CSV file…")
        self.choose_button = QPushButton("&Choose file…")
        self.choose_button.setObjectName("chooseFileButton")
        self.choose_button.setAccessibleName("Choose the file to import")
        self.choose_button.clicked.connect(self._on_choose_clicked)
        self.format_combo = QComboBox()
        self.format_combo.setObjectName("formatCombo")
        self.format_combo.setAccessibleName("File format")
        for key, label in FORMATS.items():
            self.format_combo.addItem(label, key)
        self.format_combo.currentIndexChanged.connect(self._on_format_changed)
        format_label = QLabel("&Format:")
        format_label.setBuddy(self.format_combo)
        file_label = QLabel("File:")
        file_label.setBuddy(self.file_edit)
        top.addWidget(file_label)
        top.addWidget(self.file_edit, 1)
        top.addWidget(self.choose_button)
        top.addSpacing(12)
        top.addWidget(format_label)
        top.addWidget(self.format_combo)
        layout.addLayout(top)

        self.mapping_box = QGroupBox("Which column holds what")
        self.mapping_box.setObjectName("columnMappingBox")
        self.mapping_box.setAccessibleName("Column mapping")
        mapping_outer = QVBoxLayout(self.mapping_box)
        hint = QLabel("This CSV has no layout we know. Say which column holds the name (or first "
                      "and last name), and any others you want to keep.")  # fmt: skip
        hint.setWordWrap(True)
        mapping_outer.addWidget(hint)
        self.mapping_area = QScrollArea()
        self.mapping_area.setWidgetResizable(True)
        self.mapping_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.mapping_area.setMaximumHeight(170)
        self.mapping_widget = QWidget()
        self.mapping_form = QFormLayout(self.mapping_widget)
        self.mapping_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.mapping_area.setWidget(self.mapping_widget)
        mapping_outer.addWidget(self.mapping_area)
        self.mapping_box.hide()
        self.mapping_combos: list[QComboBox] = []
        layout.addWidget(self.mapping_box)

        self.summary_label = QLabel("Choose a file to see what would be imported.")
        self.summary_label.setObjectName("importSummaryLabel")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.summary_label)

        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.progress.setAccessibleName("Import progress")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.hide()
        layout.addWidget(self.progress)

        self.model = ImportPreviewModel(self)
        self.model.choices_changed.connect(self._update_state)
        self.table = QTableView()
        self.table.setObjectName("importPreviewTable")
        self.table.setAccessibleName("Rows of the file and what will happen to each")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(ImportPreviewModel.COL_ACTION, ChoiceDelegate(self))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AllEditTriggers
            & ~QAbstractItemView.EditTrigger.CurrentChanged
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        for col, width in ((0, 50), (1, 170), (2, 160), (3, 170), (4, 96), (5, 160)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        layout.addWidget(self.table, 1)

        bulk = QHBoxLayout()
        bulk.addWidget(QLabel("All duplicates:"))
        self.bulk_buttons: dict[str, QPushButton] = {}
        for key, text, name in (
            (MERGE, "&Merge into existing", "mergeAllButton"),
            (SKIP, "S&kip", "skipAllButton"),
            (NEW, "Import as &new", "newAllButton"),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.setAccessibleName(f"All duplicates: {CHOICES[key]}")
            button.clicked.connect(lambda _c=False, k=key: self.model.set_all_duplicates(k))
            bulk.addWidget(button)
            self.bulk_buttons[key] = button
        bulk.addStretch(1)
        layout.addLayout(bulk)

        self.good_rows_check = QCheckBox()
        self.good_rows_check.setObjectName("goodRowsOnlyCheck")
        self.good_rows_check.setAccessibleName("Import the good rows only")
        self.good_rows_check.toggled.connect(self._update_state)
        self.good_rows_check.hide()
        layout.addWidget(self.good_rows_check)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("importButton")
        self.import_button.setAccessibleName("Import the contacts")
        self.import_button.setDefault(True)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancelButton")
        cancel.setAccessibleName("Cancel the import")
        self.buttons.accepted.connect(self._on_import_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update_state()

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
        self._columns, self._mapping = [], []
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
                if fmt not in ("auto", "csv"):
                    raise
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
        from planner.interop.csv_formats import FIELDS

        if samples:
            self._samples = samples
        if columns == self._columns and len(self.mapping_combos) == len(columns):
            self.mapping_box.show()
            return
        self._columns = list(columns)
        self._mapping = list(mapping)
        while self.mapping_form.rowCount():
            self.mapping_form.removeRow(0)
        self.mapping_combos = []
        first = self._samples[0] if self._samples else []
        for pos, header in enumerate(columns):
            combo = QComboBox()
            combo.setObjectName(f"mappingCombo{pos}")
            combo.setAccessibleName(f"Field for column {header}")
            for key, label in FIELDS.items():
                combo.addItem(label, key)
            combo.setCurrentIndex(
                max(0, combo.findData(mapping[pos] if pos < len(mapping) else ""))
            )
            combo.currentIndexChanged.connect(self._on_mapping_changed)
            sample = first[pos] if pos < len(first) else ""
            sample = " ".join(sample.split())
            if len(sample) > 40:
                sample = sample[:39] + "…"
            label = QLabel(
                f"{header or f'Column {pos + 1}'}" + (f"  (e.g. {sample})" if sample else "")
            )
            label.setBuddy(combo)
            self.mapping_form.addRow(label, combo)
            self.mapping_combos.append(combo)
        self.mapping_box.show()

    def _on_mapping_changed(self) -> None:
        self._mapping = [str(c.currentData() or "") for c in self.mapping_combos]
        if self.format_combo.currentData() == "auto":
            # The mapping only applies to the generic layout.
            self.format_combo.blockSignals(True)
            self.format_combo.setCurrentIndex(self.format_combo.findData("csv"))
            self.format_combo.blockSignals(False)
        self._start_parse()

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
            f"{fmt}{encoding}: {_n(rows + len(preview.errors), 'row')}.",
            f"{preview.new_count:,} new",
            f"{preview.duplicate_count:,} already in your contacts",
        ]
        if preview.proposed_count:
            parts.append(
                f"{_n(preview.proposed_count, 'possible duplicate')} (same name and "
                "organisation only: skipped unless you choose Merge)"
            )
        combined = rows - len(preview.groups)
        if combined:
            parts.append(f"{_n(combined, 'row')} combined with another row of the file")
        if preview.problem_count:
            parts.append(
                f"{_n(preview.problem_count, 'bad value')} in "
                f"{_n(preview.problem_rows, 'row')} kept in the notes instead"
            )
        if preview.errors:
            parts.append(f"{_n(len(preview.errors), 'row')} cannot be read")
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


# --- undo -----------------------------------------------------------------------------------


class ImportContacts(Command):
    """The whole import as one undo step, pushed after the dialog ran it (`execute`'s rule:
    the first redo is the import that already ran). Undo and redo run off the GUI thread:
    taking back 30,000 contacts must not freeze the window."""

    background = True

    def __init__(
        self,
        context: TabContext,
        preview: ImportPreview,
        choices: dict[int, str],
        outcome: ImportOutcome,
        label: str,
        source: str = "",
    ) -> None:
        super().__init__(context.bus, label)
        self.service = ImportService(context.db)
        self.preview = preview
        self.choices = choices
        self.outcome = outcome
        self.source = source

    def apply(self) -> Changes:
        self.outcome = self.service.commit(self.preview, self.choices, self.source)
        return IMPORT_CHANGES

    def revert(self) -> Changes:
        self.service.undo(self.outcome)
        return IMPORT_CHANGES


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
    label = (
        f"Import contacts from {Path(path).name} "
        f"({outcome.created:,} new, {outcome.merged_count:,} merged)"
    )
    command = ImportContacts(
        context, dialog.preview, dialog.choices(), outcome, label, dialog.source_name()
    )
    command._skip_redo = True  # the dialog already ran the import (off the GUI thread)
    context.undo_stack.push(command)
    command._skip_redo = False
    context.bus.changed.emit(IMPORT_CHANGES)
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
