"""The event editor's people pages, as widgets only: "People & checklist" (who to meet,
the preparation checklist) and "Met & follow-ups" (quick add, who was met, takeaways)."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.core.vocab import RELATIONSHIPS
from planner.ui.widgets.elided_label import ElidedLabel
from planner.ui.widgets.event_common import CommitTextEdit
from planner.ui.widgets.event_common import button as _button
from planner.ui.widgets.event_common import named as _named
from planner.ui.widgets.event_common import page as _page
from planner.ui.widgets.row_list import select_rows


class EventMetView:
    """Mixed into EventEditorView: builds the two people pages into `pages`."""

    pages: QTabWidget

    def _build_people(self) -> None:
        area, layout = _page()
        people_box = QGroupBox("People to meet")
        people_layout = QVBoxLayout(people_box)
        self.people = _named(QTableWidget(0, 4), "eventPeopleTable", "People to meet")
        self.people.setHorizontalHeaderLabels(["Name", "Organisation", "Reason", "Met"])
        self._table_defaults(self.people, stretch=2)
        people_layout.addWidget(self.people)
        row = QHBoxLayout()
        self.add_person_button = _button("addPersonButton", "Add perso&n…", "Add person to meet")
        self.remove_person_button = _button(
            "removePersonButton", "Remove", "Remove the selected person"
        )
        self.person_met_button = _button(
            "personMetButton", "Mark as me&t", "Mark the selected person as met"
        )
        for b in (self.add_person_button, self.remove_person_button, self.person_met_button):
            row.addWidget(b)
        row.addStretch(1)
        people_layout.addLayout(row)
        layout.addWidget(people_box, 1)

        check_box = QGroupBox("Preparation checklist")
        check_layout = QVBoxLayout(check_box)
        self.checklist_summary = QLabel()
        self.checklist_summary.setObjectName("checklistSummary")
        check_layout.addWidget(self.checklist_summary)
        self.checklist = _named(QListWidget(), "eventChecklist", "Preparation checklist")
        self.checklist.setMinimumHeight(160)
        self.checklist.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        check_layout.addWidget(self.checklist)
        row = QHBoxLayout()
        self.new_check_item = _named(QLineEdit(), "newChecklistItem", "New checklist item")
        self.new_check_item.setPlaceholderText("Add an item and press Enter")
        self.add_check_button = _button("addChecklistButton", "Add", "Add checklist item")
        self.remove_check_button = _button(
            "removeChecklistButton", "Remove", "Remove the selected checklist item"
        )
        row.addWidget(self.new_check_item, 1)
        row.addWidget(self.add_check_button)
        row.addWidget(self.remove_check_button)
        check_layout.addLayout(row)
        layout.addWidget(check_box, 1)
        self.pages.addTab(area, "People && chec&klist")

    @staticmethod
    def _table_defaults(table: QTableWidget, stretch: int) -> None:
        select_rows(table)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.setAlternatingRowColors(True)
        table.setMinimumHeight(140)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )

    @staticmethod
    def _cell(text: str, row_id: int | None = None, editable: bool = False) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        if row_id is not None:
            item.setData(Qt.ItemDataRole.UserRole, row_id)
        flags = item.flags()
        if editable:
            item.setFlags(flags | Qt.ItemFlag.ItemIsEditable)
        else:
            item.setFlags(flags & ~Qt.ItemFlag.ItemIsEditable)
        return item

    def _build_met(self) -> None:
        area, layout = _page()
        add_box = QGroupBox("Who did you meet?")
        add_layout = QGridLayout(add_box)
        self.quick_add = _named(QLineEdit(), "quickAddField", "Quick-add a new contact")
        self.quick_add.setPlaceholderText("e.g. Ana Ruiz, Globex, Head of Data")
        self.quick_add.setToolTip(
            "One line: name, organisation, role (commas between). Creates the contact and "
            "logs that you met them at this event."
        )
        self.met_note = _named(QLineEdit(), "metNoteField", "Note about this person")
        self.met_note.setPlaceholderText("A note: what you talked about, what you promised")
        self.quick_add_button = _button("quickAddButton", "Add ne&w", "Add the new contact as met")
        self.existing_button = _button(
            "metExistingButton", "Add an e&xisting contact…", "Mark an existing contact as met"
        )
        # The preview line always keeps its height (empty or not) so that Note never moves
        # under the pointer while the name is typed; long previews end in "…".
        self.quick_preview = ElidedLabel()
        self.quick_preview.setObjectName("quickAddPreview")
        self.quick_preview.setEnabled(False)
        self.met_industry = _named(QLineEdit(), "metIndustryField", "Industry of the new person")
        self.met_industry.setPlaceholderText("e.g. Fintech")
        self.met_relationship = _named(
            QComboBox(), "metRelationshipField", "Relationship with the new person"
        )
        for key, label in RELATIONSHIPS.items():
            self.met_relationship.addItem(label, key)
        self.met_relationship.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.met_relationship.setMinimumContentsLength(10)
        # Reading order, which is also the tab order: name, note, industry, relationship,
        # then the buttons.
        rows = (
            ("&New person:", self.quick_add),
            ("No&te:", self.met_note),
        )
        for r, (text, field) in enumerate(rows):
            label = QLabel(text)
            label.setBuddy(field)
            add_layout.addWidget(label, 2 * r, 0)
            add_layout.addWidget(field, 2 * r, 1, 1, 4)
        add_layout.addWidget(self.quick_preview, 1, 1, 1, 4)
        industry_label = QLabel("Industr&y:")
        industry_label.setBuddy(self.met_industry)
        relationship_label = QLabel("Relat&ionship:")
        relationship_label.setBuddy(self.met_relationship)
        add_layout.addWidget(industry_label, 3, 0)
        add_layout.addWidget(self.met_industry, 3, 1)
        add_layout.addWidget(relationship_label, 3, 2)
        add_layout.addWidget(self.met_relationship, 3, 3)
        add_layout.addWidget(self.quick_add_button, 3, 4)
        existing_row = QHBoxLayout()
        existing_row.addWidget(self.existing_button)
        existing_row.addStretch(1)
        add_layout.addLayout(existing_row, 4, 0, 1, 5)
        add_layout.setColumnStretch(1, 1)
        chain = (
            self.quick_add,
            self.met_note,
            self.met_industry,
            self.met_relationship,
            self.quick_add_button,
            self.existing_button,
        )
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        layout.addWidget(add_box)

        met_box = QGroupBox("Met at this event")
        met_layout = QVBoxLayout(met_box)
        self.goal_line = QLabel()
        self.goal_line.setObjectName("metGoalLine")
        self.goal_line.setWordWrap(True)
        met_layout.addWidget(self.goal_line)
        # What the event returned (people met vs goal, follow-ups sent and answered within
        # two weeks, cost per new contact), once it has happened.
        self.results_line = QLabel()
        self.results_line.setObjectName("eventResultsLine")
        self.results_line.setAccessibleName("Event results")
        self.results_line.setWordWrap(True)
        met_layout.addWidget(self.results_line)
        self.attendees = _named(QTableWidget(0, 6), "eventAttendeesTable", "People met")
        self.attendees.setHorizontalHeaderLabels(
            ["Name", "Organisation", "Role", "New", "Note", "Follow-up"]
        )
        self._table_defaults(self.attendees, stretch=4)
        # Long names and organisations must not push Note and Follow-up out of sight.
        for col in (0, 1, 2):
            self.attendees.horizontalHeader().setSectionResizeMode(
                col, QHeaderView.ResizeMode.Interactive
            )
        met_layout.addWidget(self.attendees)
        row = QHBoxLayout()
        self.unmark_button = _button(
            "unmarkMetButton", "Remove from met", "Remove the selected person from met"
        )
        self.open_contact_button = _button(
            "openMetContactButton", "Open contact", "Open the selected contact"
        )
        self.followups_button = _button(
            "createFollowupsButton", "Create follow-&ups", "Create follow-ups for everyone met"
        )
        self.followups_hint = QLabel()
        self.followups_hint.setObjectName("followupsHint")
        row.addWidget(self.unmark_button)
        row.addWidget(self.open_contact_button)
        row.addStretch(1)
        row.addWidget(self.followups_hint)
        row.addWidget(self.followups_button)
        met_layout.addLayout(row)
        layout.addWidget(met_box, 2)

        take_box = QGroupBox("Takeaways")
        take_layout = QVBoxLayout(take_box)
        self.takeaways = _named(CommitTextEdit(), "eventTakeaways", "Takeaways")
        self.takeaways.setPlaceholderText("What you learnt, ideas to try, what to do differently")
        self.takeaways.setMinimumHeight(80)
        take_layout.addWidget(self.takeaways)
        layout.addWidget(take_box, 1)
        self.pages.addTab(area, "&Met && follow-ups")
