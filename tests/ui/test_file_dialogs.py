"""#16 item 13: file pickers start in the folder last used for that kind of file, also after a
restart, and each kind keeps its own folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog

from planner.settings import SettingsStore
from planner.ui.file_dialogs import open_file_name, save_file_name


def test_each_kind_of_file_remembers_its_last_folder_across_restarts(
    qapp: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    imports, exports = tmp_path / "downloads", tmp_path / "backups"
    imports.mkdir()
    exports.mkdir()
    started: list[str] = []

    def pick_open(_parent: Any, _caption: str, start: str, _filters: str) -> tuple[str, str]:
        started.append(start)
        return str(imports / "google.csv"), ""

    def pick_save(_parent: Any, _caption: str, start: str, _filters: str) -> tuple[str, str]:
        started.append(start)
        return str(exports / "contacts.vcf"), "vCard (*.vcf)"

    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick_open)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", pick_save)
    settings = SettingsStore(tmp_path / "settings.json")
    open_file_name(None, settings, "contacts_import", "Import", "*.csv")
    save_file_name(None, settings, "contacts_export", "Export", "contacts.vcf", "*.vcf")
    assert started == ["", "contacts.vcf"]  # nothing remembered yet: Qt's default folder

    restarted = SettingsStore(tmp_path / "settings.json")
    open_file_name(None, restarted, "contacts_import", "Import", "*.csv")
    save_file_name(None, restarted, "contacts_export", "Export", "contacts.vcf", "*.vcf")
    assert started[2:] == [str(imports), str(exports / "contacts.vcf")]
