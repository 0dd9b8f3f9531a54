"""The Contacts tab's warm-intro filter: "who on the team knows someone at <organisation>".

Choosing an organisation lists its contacts with the teammates who know them (the Known by
column); the query runs off the GUI thread. ContactsTab mixes this in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QComboBox, QLabel

from planner.core.visibility import viewer
from planner.core.warm_intros import OrganisationChoice, WarmIntro, WarmIntroService
from planner.ui.models.contact_columns import COL_KNOWN_BY
from planner.ui.tasks import Task, run_task

if TYPE_CHECKING:
    from planner.ui.models.contact_table_model import ContactTableModel
    from planner.ui.tabs.contacts_columns import ContactsView


def fill_organisations(combo: QComboBox, choices: list[OrganisationChoice]) -> None:
    """Offer the organisations that have contacts, keeping the one chosen (no signal)."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    try:
        combo.clear()
        combo.addItem("any organisation", None)
        for choice in choices:
            combo.addItem(f"{choice.name} ({choice.contacts:,})", choice.id)
        combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)
    finally:
        combo.blockSignals(False)
    combo.setEnabled(bool(choices))


def intro_message(name: str, intros: list[WarmIntro]) -> str:
    known = sum(1 for intro in intros if intro.knowers)
    people = {k.name for intro in intros for k in intro.knowers}
    if not intros:
        return f"Nobody is listed at {name}."
    if not people:
        return f"{len(intros):,} contacts at {name}; no teammate has logged anything with them."
    return (
        f"{len(intros):,} contacts at {name}; {len(people):,} teammates know "
        f"{known:,} of them (Known by)."
    )


class WarmIntroFilter:
    """The warm-intro half of the Contacts tab's filters (a mixin of ContactsTab, which
    declares the `intros_applied` signal: Qt signals belong on the QWidget class itself)."""

    intros: WarmIntroService
    intro_filter: QComboBox
    intro_label: QLabel
    model: ContactTableModel
    view: ContactsView
    _say: Callable[[str], None]
    _on_filter_changed: Callable[..., None]
    intros_applied: SignalInstance

    def _init_intros(self, service: WarmIntroService) -> None:
        self.intros = service
        # Contacts at the chosen organisation (None: no organisation chosen).
        self._intro_ids: frozenset[int] | None = None
        self._intro_task: Task[list[WarmIntro]] | None = None
        self.intro_filter.currentIndexChanged.connect(self._on_intro_filter_changed)
        # A personal file has one user: there is no teammate to ask for an introduction.
        team = bool(viewer(service.db))
        self.intro_label.setVisible(team)
        self.intro_filter.setVisible(team)

    def _on_intro_filter_changed(self, *_args: object) -> None:
        self.refresh_intros()

    def refresh_intros(self) -> None:
        """Ask again for the chosen organisation (after a teammate's touchpoint, a reload)."""
        if self._intro_task is not None:
            self._intro_task.cancel()
            self._intro_task = None
        organisation = self.intro_filter.currentData()
        if organisation is None:
            if self._intro_ids is not None:
                self.apply_intros(None, [])
            return
        name = self._chosen_name()
        self._say(f"Finding who on the team knows someone at {name}…")
        self._intro_task = run_task(
            lambda: self.intros.who_knows_someone_at(organisation),
            lambda intros: self.apply_intros(organisation, intros),
            lambda exc: self._say(f"Could not ask who knows someone at {name}: {exc}"),
            owner=self,  # type: ignore[arg-type]
            name="warm intros",
        )

    def apply_intros(self, organisation: int | None, intros: list[WarmIntro]) -> None:
        """Show the organisation's contacts with who knows them (None: the filter is off)."""
        self._intro_task = None
        if organisation != self.intro_filter.currentData():
            return  # the choice changed while the answer was on its way
        if organisation is None:
            self._intro_ids = None
            self.model.set_known_by({})
            self.view.show_column(COL_KNOWN_BY, False)
            self._say("")
        else:
            ids = frozenset(intro.contact_id for intro in intros)
            same = ids == self._intro_ids
            self._intro_ids = ids
            self.model.set_known_by({i.contact_id: i.summary() for i in intros if i.knowers})
            self.view.show_column(COL_KNOWN_BY, True)
            self._say(intro_message(self._chosen_name(), intros))
            if same:
                # The same people (asked again after an edit): only the column changed;
                # the list stays where the user scrolled it.
                self.intros_applied.emit()
                return
        self._on_filter_changed()
        self.intros_applied.emit()

    def _chosen_name(self) -> str:
        """The chosen organisation's name, without its "(count)"."""
        return self.intro_filter.currentText().rsplit(" (", 1)[0]

    def clear_intro_filter(self) -> None:
        self.intro_filter.blockSignals(True)
        self.intro_filter.setCurrentIndex(0)
        self.intro_filter.blockSignals(False)
        if self._intro_task is not None:
            self._intro_task.cancel()
            self._intro_task = None
        self._intro_ids = None
        self.model.set_known_by({})
        self.view.show_column(COL_KNOWN_BY, False)
