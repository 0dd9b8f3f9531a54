"""One date format across the UI: the locale's short/long formats, ISO 8601 under C/POSIX."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDateEdit

from planner.core.contact_rows import new_contact
from planner.core.followups import FollowUpDraft, FollowUpService
from planner.db.database import Database
from planner.ui.dates import (
    apply_date_format,
    date_edit_format,
    long_date,
    short_date,
    short_datetime,
    short_time,
)
from planner.ui.dialogs.followup_dialog import FollowUpDialog
from planner.ui.models.agenda_model import FollowUpTableModel
from planner.ui.widgets.event_common import format_when
from planner.ui.widgets.optional_date_edit import OptionalDateEdit

DAY = date(2026, 12, 15)


@pytest.fixture
def use_locale() -> Iterator[Any]:
    before = QLocale()

    def use(name: str) -> None:
        QLocale.setDefault(QLocale(name))

    yield use
    QLocale.setDefault(before)


def test_c_locale_is_iso_8601(use_locale: Any) -> None:
    use_locale("C")
    assert short_date(DAY) == "2026-12-15"  # Qt's own C format says "15 12 2026"
    assert long_date(DAY) == "Tuesday 2026-12-15"
    assert short_time(time(9, 5)) == "09:05"
    assert short_datetime(datetime(2026, 12, 15, 14, 30)) == "2026-12-15 14:30"
    assert date_edit_format() == "yyyy-MM-dd"
    assert date_edit_format(with_time=True) == "yyyy-MM-dd HH:mm"
    assert short_date(None) == ""


def test_real_locale_uses_its_formats(use_locale: Any) -> None:
    use_locale("en_GB")
    assert short_date(DAY) == "15/12/2026"
    assert long_date(DAY) == "Tuesday, 15 December 2026"
    assert short_time(time(14, 30)) == "14:30"
    use_locale("de_DE")
    assert short_date(DAY) == "15.12.26"
    # An editor always shows four year digits, whatever the short format says.
    assert date_edit_format() == "dd.MM.yyyy"
    use_locale("en_US")
    assert date_edit_format() == "M/d/yyyy"


def test_screens_agree_under_c(qtbot: Any, use_locale: Any, db: Database) -> None:
    """The agenda, the event list's "when", and every date editor show the same ISO text."""
    use_locale("C")
    with db.session() as s:
        cid = new_contact(s, "Ana Ruiz").id
    service = FollowUpService(db)
    service.create(FollowUpDraft(cid, DAY, purpose="coffee"))[0]
    model = FollowUpTableModel()
    model.set_items(service.list_range(DAY, DAY), DAY - timedelta(days=1))
    texts = [model.index(0, c).data() for c in range(model.columnCount())]
    assert "2026-12-15" in texts

    assert format_when(datetime(2026, 12, 15, 9), datetime(2026, 12, 17, 17), "UTC") == (
        "2026-12-15 09:00 – 2026-12-17 17:00 (UTC)"
    )
    assert format_when(datetime(2026, 12, 15), datetime(2026, 12, 17), all_day=True) == (
        "2026-12-15 – 2026-12-17"
    )

    dialog = FollowUpDialog(lambda _text: [], due=DAY)
    qtbot.addWidget(dialog)
    assert dialog.date_edit.text() == "2026-12-15"
    optional = OptionalDateEdit("x", "X")
    qtbot.addWidget(optional)
    optional.set_value(DAY)
    assert optional.edit.text() == "2026-12-15"
    edit = QDateEdit(DAY)
    apply_date_format(edit)
    assert edit.text() == "2026-12-15"
