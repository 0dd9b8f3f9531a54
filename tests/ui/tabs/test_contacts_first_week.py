"""Issue 16: the rough edges a new user hit in Contacts, Import and Export (pytest-qt)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QWidget

from planner.core.contacts import ContactService
from planner.core.touchpoints import TouchpointService
from planner.ui.dialogs.touchpoint_dialog import TouchpointDialog
from planner.ui.tabs.contacts_tab import ContactsTab
from planner.ui.tasks import wait_for_all
from planner.ui.wheel_guard import install_wheel_guard
from tests.ui.contacts_tab_helper import shown_contacts_tab


@pytest.fixture
def people(db: Any) -> dict[str, int]:
    svc = ContactService(db)
    return {
        "zoe": svc.create({"name": "Zoë Achterberg", "organisation": "Globex"})[0].id,
        "ben": svc.create({"name": "Ben Okafor", "organisation": "Initech"})[0].id,
        "ana": svc.create({"name": "Ana García", "organisation": "Hooli"})[0].id,
    }


@pytest.fixture
def tab(qtbot: Any, tab_context: Any, people: dict[str, int]) -> ContactsTab:
    return shown_contacts_tab(qtbot, tab_context, (1200, 700))


def select_ids(tab: ContactsTab, ids: list[int]) -> None:
    selection = tab.view.selectionModel()
    selection.clearSelection()
    for cid in ids:
        selection.select(
            tab.model.index(tab.model.row_of(cid), 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


# --- 1: the toolbar button ------------------------------------------------------------


def test_toolbar_log_button_logs_for_the_selection(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tab: ContactsTab, people: dict[str, int]
) -> None:
    titles: list[str] = []

    def fake_exec(dialog: TouchpointDialog) -> int:
        titles.append(dialog.windowTitle())
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(TouchpointDialog, "exec", fake_exec)
    tab.select_contact(people["ben"])
    qtbot.mouseClick(tab.log_button, Qt.MouseButton.LeftButton)
    assert wait_for_all()  # the write runs off the GUI thread
    assert titles == ["Log a touchpoint with Ben Okafor"]
    assert len(TouchpointService(tab.context.db).timeline(people["ben"])) == 1


def test_toolbar_log_button_without_selection_says_so(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tab: ContactsTab
) -> None:
    monkeypatch.setattr(TouchpointDialog, "exec", lambda d: QDialog.DialogCode.Rejected)
    tab.view.selectionModel().clearSelection()
    tab.detail.show_contact(None)
    qtbot.mouseClick(tab.log_button, Qt.MouseButton.LeftButton)
    assert "Select a contact" in tab.message.text()


# --- 11: one touchpoint for several selected contacts ---------------------------------


def test_selected_menu_logs_one_touchpoint_for_each_as_one_undo_step(
    monkeypatch: pytest.MonkeyPatch, tab: ContactsTab, people: dict[str, int]
) -> None:
    monkeypatch.setattr(TouchpointDialog, "exec", lambda d: QDialog.DialogCode.Accepted)
    ids = [people["zoe"], people["ana"]]
    select_ids(tab, ids)
    assert tab.log_selected_action in tab.bulk_menu.actions()
    before = tab.context.undo_stack.count()
    tab.log_selected_action.trigger()
    assert wait_for_all()  # the write runs off the GUI thread
    touches = TouchpointService(tab.context.db)
    assert [len(touches.timeline(cid)) for cid in ids] == [1, 1]
    assert len(touches.timeline(people["ben"])) == 0
    assert tab.context.undo_stack.count() == before + 1
    assert "2 contacts" in tab.context.undo_stack.undoText()
    tab.context.undo_stack.undo()
    assert [len(touches.timeline(cid)) for cid in ids] == [0, 0]


# --- 2: the wheel scrolls, it does not edit -------------------------------------------


def wheel(widget: QWidget, steps: int = -1) -> None:
    """One notch of the mouse wheel over the middle of `widget` (down when steps < 0)."""
    local = QPointF(widget.rect().center())
    event = QWheelEvent(
        local,
        QPointF(widget.mapToGlobal(local.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_wheel_over_unfocused_fields_scrolls_the_form_and_changes_nothing(
    qtbot: Any, tab: ContactsTab, people: dict[str, int]
) -> None:
    install_wheel_guard(QApplication.instance())  # type: ignore[arg-type]
    tab.resize(1000, 420)  # a short window: the profile form scrolls
    tab.select_contact(people["zoe"])
    detail = tab.detail
    detail.line_edits["name"].setFocus()
    combo = detail.how_met_kind
    month = detail.birthday.month
    day = detail.birthday.day
    assert combo.focusPolicy() != Qt.FocusPolicy.WheelFocus
    scroll = detail.findChild(QWidget, "profileScroll") or combo.parentWidget()
    bars = [
        w.verticalScrollBar()
        for w in detail.findChildren(QWidget)
        if hasattr(w, "verticalScrollBar") and w.isAncestorOf(combo)
    ]
    assert bars and scroll is not None
    bar = bars[0]
    bar.setValue(0)
    kind_before, month_before = combo.currentIndex(), month.currentIndex()
    for widget in (combo, month, day):
        wheel(widget)
    assert combo.currentIndex() == kind_before
    assert month.currentIndex() == month_before
    assert day.value() == 0
    assert bar.value() > 0  # the form scrolled instead
    assert tab.context.undo_stack.count() == 0  # nothing was saved
    saved = ContactService(tab.context.db).get(people["zoe"])
    assert saved.how_met_kind == "" or saved.how_met_kind is None
    # A focused field still takes the wheel: the user chose it.
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    wheel(combo)
    assert combo.currentIndex() != kind_before


# --- 3: impossible dates --------------------------------------------------------------


def type_date(qtbot: Any, edit: Any, text: str) -> None:
    """Type `text` into a date field from its first section, as a user would."""
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.setCurrentSection(edit.sectionAt(0))
    for char in text:
        qtbot.keyClick(edit, char)


def test_impossible_date_in_the_touchpoint_dialog_is_named_and_refused(
    qtbot: Any, tab: ContactsTab
) -> None:
    from datetime import date

    dialog = TouchpointDialog("Ben", parent=tab)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    type_date(qtbot, dialog.date_edit, "2026-02-30")
    error = dialog.findChild(QWidget, "touchDateError")
    assert error is not None and error.isVisible()
    assert "30 February 2026" in error.text()
    dialog._on_accepted()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    # A real date clears the message and is accepted.
    type_date(qtbot, dialog.date_edit, "2026-02-28")
    assert not error.isVisible()
    assert dialog.draft().occurred_on == date(2026, 2, 28)
    dialog._on_accepted()
    assert dialog.result() == QDialog.DialogCode.Accepted


# --- 7: the birthday Day box takes typed digits over its placeholder ------------------


def test_birthday_day_box_takes_typed_digits_over_its_placeholder(
    qtbot: Any, tab: ContactsTab, people: dict[str, int]
) -> None:
    tab.select_contact(people["ben"])
    day = tab.detail.birthday.day
    assert day.text() == "Day"
    tab.activateWindow()
    day.setFocus()
    qtbot.waitUntil(day.hasFocus)
    day.lineEdit().setCursorPosition(len(day.text()))  # where a click leaves the cursor
    qtbot.keyClicks(day, "15")
    qtbot.keyClick(day, Qt.Key.Key_Tab)
    assert day.value() == 15


# --- 4: export obeys the typed extension and asks before replacing ---------------------


def test_export_typed_extension_picks_the_format_and_replacing_asks(
    monkeypatch: pytest.MonkeyPatch, tab_context: Any, people: dict[str, int], tmp_path: Path
) -> None:
    from planner.ui.dialogs import import_dialog

    vcard_filter = next(iter(import_dialog.EXPORT_FILTERS))  # the default selection
    starts: list[str] = []
    answer = {"path": str(tmp_path / "mycontacts.csv")}

    def fake_save(_parent: Any, _caption: str, start: str, _filters: str) -> tuple[str, str]:
        starts.append(start)
        return answer["path"], vcard_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    written = import_dialog.run_export(tab_context)
    assert written == tmp_path / "mycontacts.csv"
    with written.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 3
    assert not (tmp_path / "mycontacts.vcf").exists()

    # No extension typed: the filter's; the file exists, so the user is asked first.
    existing = tmp_path / "export.vcf"
    existing.write_text("keep me", encoding="utf-8")
    answer["path"] = str(tmp_path / "export")
    asked: list[str] = []

    def refuse(*args: Any, **_kw: Any) -> QMessageBox.StandardButton:
        asked.append(args[2])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", refuse)
    assert import_dialog.run_export(tab_context) is None
    assert asked and "export.vcf" in asked[0]
    assert existing.read_text(encoding="utf-8") == "keep me"
    # ... and the second picker opened in the folder used the first time (item 13).
    assert Path(starts[1]).parent == tmp_path


def test_export_target_rules() -> None:
    from planner.ui.dialogs.import_dialog import EXPORT_EXTENSIONS, EXPORT_FILTERS
    from planner.ui.file_dialogs import export_target

    v3, v4, csv_filter = list(EXPORT_FILTERS)
    assert export_target("/x/a.csv", v3, EXPORT_FILTERS, EXPORT_EXTENSIONS) == (
        Path("/x/a.csv"),
        "csv",
    )
    assert export_target("/x/a.vcf", v4, EXPORT_FILTERS, EXPORT_EXTENSIONS)[1] == "vcard4"
    assert export_target("/x/a.vcf", csv_filter, EXPORT_FILTERS, EXPORT_EXTENSIONS)[1] == "vcard3"
    assert export_target("/x/a", csv_filter, EXPORT_FILTERS, EXPORT_EXTENSIONS) == (
        Path("/x/a.csv"),
        "csv",
    )
    assert export_target("/x/a.b", v4, EXPORT_FILTERS, EXPORT_EXTENSIONS) == (
        Path("/x/a.b.vcf"),
        "vcard4",
    )


# --- 12: nothing in the contact form is clipped at the pane's right edge -----------------


@pytest.mark.parametrize("theme", ["system", "dark"])
def test_remove_buttons_stay_inside_a_narrow_detail_pane(
    qtbot: Any, tab: ContactsTab, db: Any, people: dict[str, int], theme: str
) -> None:
    from planner.core.records import LabeledValue
    from planner.ui.theme import apply_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, theme)
    try:
        ContactService(db).update(
            people["zoe"], {"emails": [LabeledValue("work", "zoe.achterberg@globex.example")]}
        )
        tab.reload()
        tab.select_contact(people["zoe"])
        tab.splitter.setSizes([2000, 50])  # the user drags the pane as narrow as it goes
        qtbot.wait(1)  # let the layouts settle (no timing involved)
        scroll = tab.detail.findChild(QWidget, "profileScroll")
        viewport = scroll.viewport()
        buttons = [
            w
            for w in tab.detail.findChildren(QWidget)
            if w.objectName().startswith(("emailsRemove", "birthdayClear")) and w.isVisible()
        ]
        assert buttons
        for button in buttons:
            right = button.mapTo(viewport, button.rect().topRight()).x()
            assert right < viewport.width(), button.objectName()
    finally:
        apply_theme(app, "system")


# --- 6: the e-mail message is shown whole and goes once the address is right -------------


def test_email_error_is_whole_and_goes_when_the_address_is_corrected(
    qtbot: Any, tab: ContactsTab, db: Any, people: dict[str, int]
) -> None:
    from planner.core.records import LabeledValue

    ContactService(db).update(
        people["zoe"], {"emails": [LabeledValue("work", "zoe@globex.example")]}
    )
    tab.reload()
    tab.select_contact(people["zoe"])
    tab.splitter.setSizes([2000, 50])  # a narrow pane: the message wraps
    detail = tab.detail
    edit = detail.emails.value_edits()[0]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "zoe.achterberg@@globex")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    error = detail.emails.error
    assert error.isVisible()
    qtbot.wait(1)  # let the layouts settle
    needed = error.heightForWidth(error.width())
    assert error.height() >= needed, (error.height(), needed)
    assert error.height() > error.fontMetrics().height()  # it wraps, and both lines show
    # Correcting the address takes the message away as soon as it is right.
    edit.selectAll()
    qtbot.keyClicks(edit, "zoe.achterberg@globex.example")
    assert not error.isVisible()
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert not error.isVisible()
    saved = ContactService(db).get(people["zoe"]).emails[0].value
    assert saved == "zoe.achterberg@globex.example"


# --- 13: small but felt -----------------------------------------------------------------


def test_filter_hides_the_shown_contact_and_the_list_starts_at_the_top(
    qtbot: Any, tab_context: Any, db: Any
) -> None:
    svc = ContactService(db)
    for number in range(60):
        svc.create({"name": f"Person {number:02d}", "organisation": "Acme"})
    hidden = svc.create({"name": "Zed Hidden", "organisation": "Initech"})[0].id
    widget = ContactsTab(tab_context)
    qtbot.addWidget(widget)
    widget.resize(1000, 400)
    widget.show()
    qtbot.waitUntil(lambda: not widget.loading)
    widget.select_contact(hidden)  # the last row: the list scrolls down to it
    assert widget.view.verticalScrollBar().value() > 0
    assert widget.detail.contact_id() == hidden
    qtbot.keyClicks(widget.search, "acme")
    assert widget.model.row_of(hidden) < 0
    assert widget.detail.contact_id() is None  # not left editing someone not listed
    assert widget.view.verticalScrollBar().value() == 0


def test_selected_count_goes_after_deleting_them(
    monkeypatch: pytest.MonkeyPatch, tab: ContactsTab, people: dict[str, int]
) -> None:
    select_ids(tab, [people["zoe"], people["ana"]])
    assert tab.bulk_button.text() == "&Selected (2)"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    tab.delete_selected()
    assert tab.bulk_button.text() == "&Selected"
    assert not tab.delete_button.isEnabled()


def test_sort_order_is_kept_across_restarts(qtbot: Any, tab: ContactsTab, tab_context: Any) -> None:
    from planner.ui.models.contact_columns import COL_LAST

    tab.view.sortByColumn(COL_LAST, Qt.SortOrder.DescendingOrder)
    again = ContactsTab(tab_context)
    qtbot.addWidget(again)
    header = again.view.horizontalHeader()
    assert header.sortIndicatorSection() == COL_LAST
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    from planner.settings import SettingsStore

    saved = SettingsStore(tab_context.settings.path).preferences.ui_state["contacts_table"]
    assert saved == {"sort_column": COL_LAST, "sort_order": "descending"}


# --- 10: find "what I just imported" ---------------------------------------------------------


def test_added_today_filter_shows_only_todays_contacts_for_a_bulk_edit(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tab_context: Any, db: Any, people: dict[str, int]
) -> None:
    from datetime import datetime, timedelta, timezone

    from PySide6.QtWidgets import QInputDialog
    from sqlalchemy import update

    from planner.db import models as m

    with db.session() as s:  # the fixture's people were added last week
        last_week = datetime.now(timezone.utc) - timedelta(days=7)
        s.execute(update(m.Contact).values(created_at=last_week))
    svc = ContactService(db)
    new = [svc.create({"name": f"Imported {n}"})[0].id for n in range(2)]
    widget = ContactsTab(tab_context)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: not widget.loading)
    widget.added_today_filter.setChecked(True)
    shown = {widget.model.contact_id(r) for r in range(widget.model.rowCount())}
    assert shown == set(new)
    widget.view.selectAll()
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("batch-1", True))
    widget.bulk_add_tag()  # runs off the GUI thread

    def tagged() -> set[int]:
        return {cid for cid, names in svc.table_data().tags.items() if "batch-1" in names}

    qtbot.waitUntil(lambda: bool(tagged()))
    assert tagged() == set(new)
