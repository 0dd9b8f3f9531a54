"""Where the app keeps its files: platformdirs locations, resolved but never created at import."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from planner import APP_ID, ORG_NAME

DB_FILENAME = "planner.sqlite3"


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    config_dir: Path
    log_dir: Path

    @property
    def default_database(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "planner.log"

    def create(self) -> None:
        """Create the folders, private (0700, files 0600 on POSIX) whatever the umask; an
        existing install made with looser modes is tightened here, at every start."""
        from planner.safefiles import make_private_dir, make_private_file

        for folder in (self.data_dir, self.config_dir, self.log_dir, self.data_dir / "backups"):
            if folder == self.data_dir / "backups" and not folder.exists():
                continue
            make_private_dir(folder)
            try:
                entries = list(folder.iterdir())
            except OSError:
                continue
            for entry in entries:
                if entry.is_file() and not entry.is_symlink():
                    make_private_file(entry)


def app_paths(data_dir: str | Path | None = None) -> AppPaths:
    """The platform's locations, or all of them under one folder (`--data-dir`, tests)."""
    if data_dir is not None:
        root = Path(data_dir).expanduser().resolve()
        return AppPaths(root / "data", root / "config", root / "logs")
    import platformdirs

    return AppPaths(
        Path(platformdirs.user_data_dir(APP_ID, ORG_NAME)),
        Path(platformdirs.user_config_dir(APP_ID, ORG_NAME)),
        Path(platformdirs.user_log_dir(APP_ID, ORG_NAME)),
    )


def resources_dir() -> Path:
    """`resources/` from a source checkout or from inside a PyInstaller bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
