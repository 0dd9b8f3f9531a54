"""The import dialog's widgets, built in code (the controller in import_dialog.py drives them)."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.core.importer import CHOICES, FORMATS, MERGE, NEW, SKIP
from planner.ui.dialogs.import_preview import ChoiceDelegate, ImportPreviewModel


class ImportDialogView(QDialog):
    """Layout only: the file row, the column mapper, the preview table and the buttons. The
    slots it connects (`_on_...`, `_update_state`) are the controller's."""

    mapping_combos: list[QComboBox]

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_file_row())
        layout.addWidget(self._build_mapping_box())
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
        layout.addWidget(self._build_table(), 1)
        layout.addLayout(self._build_bulk_row())
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

    def _build_file_row(self) -> QHBoxLayout:
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
        return top

    def _build_mapping_box(self) -> QGroupBox:
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
        # At most a fifth of the screen: on a small or 200 % screen the preview keeps its room.
        screen = self.screen()
        room = screen.availableGeometry().height() if screen is not None else 768
        self.mapping_area.setMaximumHeight(max(60, min(170, room // 5)))
        self.mapping_widget = QWidget()
        self.mapping_form = QFormLayout(self.mapping_widget)
        self.mapping_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.mapping_area.setWidget(self.mapping_widget)
        mapping_outer.addWidget(self.mapping_area)
        self.mapping_box.hide()
        self.mapping_combos: list[QComboBox] = []
        return self.mapping_box

    def _build_table(self) -> QTableView:
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
        return self.table

    def _build_bulk_row(self) -> QHBoxLayout:
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
        return bulk

    def _fill_mapping(self, columns: list[str], first: list[str], mapping: list[str]) -> None:
        """One "column -> field" row per CSV column, with the first row's cell as an example."""
        from planner.interop.csv_formats import FIELDS

        while self.mapping_form.rowCount():
            self.mapping_form.removeRow(0)
        self.mapping_combos = []
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
            sample = " ".join((first[pos] if pos < len(first) else "").split())
            if len(sample) > 40:
                sample = sample[:39] + "…"
            label = QLabel(
                f"{header or f'Column {pos + 1}'}" + (f"  (e.g. {sample})" if sample else "")
            )
            label.setBuddy(combo)
            self.mapping_form.addRow(label, combo)
            self.mapping_combos.append(combo)

    def _clear_mapping(self) -> None:
        """No mapper: a new file, or one whose layout we know (a vCard never has columns)."""
        while self.mapping_form.rowCount():
            self.mapping_form.removeRow(0)
        self.mapping_combos = []
        self.mapping_box.hide()
