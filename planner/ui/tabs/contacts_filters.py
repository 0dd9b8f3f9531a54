"""The Contacts tab's filters that narrow the list to a set of contacts read from the
database ("Added today", "Imported in <file>"), as opposed to the row filters the table model
applies itself. Reading a set is plain service calls, safe on a worker thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QComboBox

from planner.core.contacts import ContactService
from planner.core.import_batches import ImportBatchRecord, ImportBatchService
from planner.ui.dates import short_datetime

# How many recent imports the "Imported in" filter offers.
RECENT_IMPORTS = 10


@dataclass(frozen=True)
class SetChoice:
    """Which set filters are on; their sets are intersected."""

    added_today: bool = False
    import_id: int | None = None

    def is_empty(self) -> bool:
        return not self.added_today and self.import_id is None


def local_midnight() -> datetime:
    """Today's start in the user's time zone, as UTC (contacts' created_at is UTC)."""
    return datetime.combine(date.today(), time(0)).astimezone().astimezone(timezone.utc)


def read_set(
    contacts: ContactService, imports: ImportBatchService, choice: SetChoice
) -> frozenset[int] | None:
    """The ids the chosen set filters let through (None: no set filter is on)."""
    sets: list[frozenset[int]] = []
    if choice.added_today:
        sets.append(contacts.ids_added_since(local_midnight()))
    if choice.import_id is not None:
        sets.append(imports.contact_ids(choice.import_id))
    if not sets:
        return None
    return frozenset.intersection(*sets)


def import_label(record: ImportBatchRecord, longest: int = 0) -> str:
    """ "linkedin.csv, 06/12/2026 23:15": the file and when, in local time; with `longest`,
    a long file name loses its middle so the time stays in view."""
    name = record.source or "a file"
    if longest and len(name) > longest:
        keep = (longest - 1) // 2
        name = f"{name[:keep]}…{name[len(name) - keep :]}"
    return f"{name}, {short_datetime(record.imported_at.astimezone())}"


def fill_imports(combo: QComboBox, records: list[ImportBatchRecord]) -> None:
    """Offer the recent imports, keeping the one chosen if it is still there (no signal)."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    try:
        combo.clear()
        combo.addItem("Any import", None)
        for record in records:
            combo.addItem(f"Imported in {import_label(record, 24)}", record.id)
            tip = (
                f"{import_label(record)}: {record.contact_count:,} contacts created or "
                "updated by this import"
            )
            if record.imported_by:
                tip += f", imported by {record.imported_by}"
            combo.setItemData(combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)
    finally:
        combo.blockSignals(False)
    combo.setEnabled(bool(records))


def both_filters(
    first: frozenset[int] | None, second: frozenset[int] | None
) -> frozenset[int] | None:
    """What two id filters let through together (None: no filter)."""
    if first is None or second is None:
        return first if second is None else second
    return first & second


def count_text(shown: int, total: int) -> str:
    """ "1,204 of 31,877", with the user's digit grouping."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        return f"{shown:,} of {total:,}"
    return f"{locale.toString(shown)} of {locale.toString(total)}"
