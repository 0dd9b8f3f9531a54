"""Add or edit a measurable event goal: meet N new people, talk to someone, learn, or other."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from planner.core.events import GoalRecord
from planner.core.vocab import GOAL_KINDS, RELATIONSHIPS
from planner.db.database import Database
from planner.ui.widgets.event_contact_search import EventContactSearch


@dataclass(frozen=True)
class GoalDraft:
    kind: str
    target: int = 1
    description: str = ""
    contact_id: int | None = None
    industry: str = ""
    relationship: str = ""
    topic: str = ""

    def fields(self) -> dict[str, object]:
        return {
            "target": self.target,
            "description": self.description,
            "contact_id": self.contact_id,
            "industry": self.industry,
            "relationship": self.relationship,
            "topic": self.topic,
        }


def _form_page() -> tuple[QWidget, QFormLayout]:
    page = QWidget()
    form = QFormLayout(page)
    form.setContentsMargins(0, 0, 0, 0)
    return page, form


class EventGoalDialog(QDialog):
    def __init__(
        self, db: Database, goal: GoalRecord | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("eventGoalDialog")
        self.setWindowTitle("Edit goal" if goal else "Add goal")
        self.resize(460, 380)
        layout = QVBoxLayout(self)
        top = QFormLayout()
        self.kind = QComboBox()
        self.kind.setObjectName("goalKind")
        self.kind.setAccessibleName("Kind of goal")
        for key, label in GOAL_KINDS.items():
            self.kind.addItem(label, key)
        top.addRow("&Goal:", self.kind)
        layout.addLayout(top)

        self.pages = QStackedWidget()
        # meet_new
        page, form = _form_page()
        self.meet_target = QSpinBox()
        self.meet_target.setObjectName("goalMeetTarget")
        self.meet_target.setAccessibleName("How many new people")
        self.meet_target.setRange(1, 999)
        self.meet_target.setValue(5)
        self.industry = QLineEdit()
        self.industry.setObjectName("goalIndustry")
        self.industry.setAccessibleName("Industry (optional)")
        self.industry.setPlaceholderText("Any industry, e.g. fintech")
        self.relationship = QComboBox()
        self.relationship.setObjectName("goalRelationship")
        self.relationship.setAccessibleName("Relationship (optional)")
        self.relationship.addItem("Any relationship", "")
        for key, label in RELATIONSHIPS.items():
            self.relationship.addItem(label, key)
        form.addRow("How &many:", self.meet_target)
        form.addRow("In &industry:", self.industry)
        form.addRow("&Relationship:", self.relationship)
        note = QLabel("Counted from people you mark as met who were new to you.")
        note.setWordWrap(True)
        form.addRow(note)
        self.pages.addWidget(page)
        # talk_to
        page, form = _form_page()
        self.contact = EventContactSearch(db)
        self.contact.setObjectName("goalContactSearch")
        form.addRow(self.contact)
        self.pages.addWidget(page)
        # learn_about
        page, form = _form_page()
        self.topic = QLineEdit()
        self.topic.setObjectName("goalTopic")
        self.topic.setAccessibleName("Topic")
        self.topic.setPlaceholderText("e.g. open banking")
        form.addRow("&Topic:", self.topic)
        self.pages.addWidget(page)
        # custom
        page, form = _form_page()
        self.custom_target = QSpinBox()
        self.custom_target.setObjectName("goalCustomTarget")
        self.custom_target.setAccessibleName("Target number")
        self.custom_target.setRange(1, 9999)
        form.addRow("&Target number:", self.custom_target)
        self.pages.addWidget(page)
        layout.addWidget(self.pages)

        bottom = QFormLayout()
        self.description = QLineEdit()
        self.description.setObjectName("goalDescription")
        self.description.setAccessibleName("Description")
        self.description.setPlaceholderText("Optional note, e.g. collect 10 business cards")
        bottom.addRow("&Description:", self.description)
        layout.addLayout(bottom)
        self.error = QLabel()
        self.error.setObjectName("goalError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: palette(link);")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.setObjectName("goalButtons")
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self.pages.setCurrentIndex)
        if goal is not None:
            self._load(goal)

    def _load(self, goal: GoalRecord) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(goal.kind)))
        self.description.setText(goal.description)
        if goal.kind == "meet_new":
            self.meet_target.setValue(goal.target)
            self.industry.setText(goal.industry)
            self.relationship.setCurrentIndex(max(0, self.relationship.findData(goal.relationship)))
        elif goal.kind == "talk_to":
            self.contact.search.setText(goal.contact_name)
            self.contact.refresh()
        elif goal.kind == "learn_about":
            self.topic.setText(goal.topic)
        else:
            self.custom_target.setValue(goal.target)

    def draft(self) -> GoalDraft:
        kind = str(self.kind.currentData())
        description = self.description.text().strip()
        if kind == "meet_new":
            return GoalDraft(
                kind,
                target=self.meet_target.value(),
                description=description,
                industry=self.industry.text().strip(),
                relationship=str(self.relationship.currentData() or ""),
            )
        if kind == "talk_to":
            return GoalDraft(kind, contact_id=self.contact.current_id(), description=description)
        if kind == "learn_about":
            return GoalDraft(kind, topic=self.topic.text().strip(), description=description)
        return GoalDraft(kind, target=self.custom_target.value(), description=description)

    def _on_accept(self) -> None:
        draft = self.draft()
        if draft.kind == "talk_to" and draft.contact_id is None:
            self.error.setText("Find and select the contact you want to talk to.")
            return
        if draft.kind == "learn_about" and not (draft.topic or draft.description):
            self.error.setText("Say what you want to learn about.")
            self.topic.setFocus()
            return
        if draft.kind == "custom" and not draft.description:
            self.error.setText("Describe the goal.")
            self.description.setFocus()
            return
        self.accept()
