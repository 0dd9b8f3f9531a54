"""File pickers that remember the last folder per kind of file, and export targets that obey
the extension the user typed (and ask before replacing a file the picker did not ask about)."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from planner.settings import SettingsStore

FOLDERS_KEY = "last_folders"


def last_folder(settings: SettingsStore, kind: str) -> str:
    """The folder last used for this kind of file ("" = Qt's default), if it still exists."""
    folders = settings.preferences.ui_state.get(FOLDERS_KEY, {})
    folder = folders.get(kind, "") if isinstance(folders, dict) else ""
    return folder if isinstance(folder, str) and folder and Path(folder).is_dir() else ""


def remember_folder(settings: SettingsStore, kind: str, path: str | Path) -> None:
    folders = settings.preferences.ui_state.get(FOLDERS_KEY)
    if not isinstance(folders, dict):
        folders = {}
        settings.preferences.ui_state[FOLDERS_KEY] = folders
    folders[kind] = str(Path(path).parent)
    with contextlib.suppress(OSError):  # a convenience: next time opens in the default folder
        settings.save()


def open_file_name(
    parent: QWidget | None, settings: SettingsStore, kind: str, caption: str, filters: str
) -> str:
    """QFileDialog.getOpenFileName starting where the user last opened this kind of file."""
    path, _ = QFileDialog.getOpenFileName(parent, caption, last_folder(settings, kind), filters)
    if path:
        remember_folder(settings, kind, path)
    return str(path)


def save_file_name(
    parent: QWidget | None,
    settings: SettingsStore,
    kind: str,
    caption: str,
    file_name: str,
    filters: str,
) -> tuple[str, str]:
    """QFileDialog.getSaveFileName starting in the folder last saved to; (path, filter)."""
    folder = last_folder(settings, kind)
    start = str(Path(folder) / file_name) if folder else file_name
    path, chosen = QFileDialog.getSaveFileName(parent, caption, start, filters)
    if path:
        remember_folder(settings, kind, path)
    return str(path), str(chosen)


def export_target(
    path: str, chosen_filter: str, filters: Mapping[str, str], extensions: Mapping[str, str]
) -> tuple[Path, str]:
    """The file and format to write: a known extension the user typed picks the format.

    `filters` maps a filter text to a format; `extensions` maps ".csv" to a format. Without a
    known extension the chosen filter decides and its extension is added.
    """
    target = Path(path)
    chosen_kind = filters.get(chosen_filter, next(iter(filters.values())))
    typed = extensions.get(target.suffix.lower())
    if typed is not None:
        # "mycontacts.csv" under the vCard filter is a CSV; a typed ".vcf" keeps the chosen
        # vCard version when a vCard filter was chosen.
        same_family = Path(_first_pattern(chosen_filter)).suffix.lower() == target.suffix.lower()
        return target, chosen_kind if same_family else typed
    suffix = Path(_first_pattern(chosen_filter)).suffix or next(iter(extensions))
    return target.with_name(target.name + suffix), chosen_kind


def _first_pattern(filter_text: str) -> str:
    """ "vCard 4.0 (*.vcf)" -> "*.vcf"."""
    inside = filter_text[filter_text.rfind("(") + 1 : filter_text.rfind(")")]
    return inside.split()[0] if inside.split() else ""


def confirm_replace(parent: QWidget | None, target: Path, asked_about: str, title: str) -> bool:
    """Ask before replacing `target` unless the file picker already asked about that file."""
    if not target.exists() or str(target) == str(Path(asked_about)):
        return True
    answer = QMessageBox.question(
        parent,
        title,
        f"{target.name} already exists in {target.parent}.\n\nReplace it?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes
