"""The Organisations tab's list shown on its own (for the sorting tests)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTableView

from planner.core.organisation_records import OrganisationSummary
from planner.ui.models.organisation_models import OrganisationTableModel
from planner.ui.tabs.organisations_view import _table


def organisations_view(
    qtbot: Any, rows: list[OrganisationSummary], size: tuple[int, int] = (900, 300)
) -> tuple[QTableView, OrganisationTableModel]:
    """The Organisations tab's list on its own, showing `rows`."""
    model = OrganisationTableModel()
    view = _table("organisationsTable", "Organisations")
    view.setModel(model)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    model.set_rows(rows)
    return view, model
