"""Subcommands run without a window. Each module has register(subparsers) and run(args, env).

Exit codes (documented in the README; scripts rely on them):
0 done; 1 a file to import or export could not be read or written; 2 bad arguments;
3 the database is open in a Networking Planner window (restore-backup, a second window);
4 some rows of the import file cannot be read (nothing imported); 5 the database cannot be
opened (not a database, damaged, newer, upgrade failed); 6 the database stayed busy;
7 the database is read-only; 8 the disk is full; 70 an unexpected error (see the log).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from planner.paths import AppPaths
from planner.settings import SettingsStore

if TYPE_CHECKING:
    from planner.db.database import Database

EXIT_OK = 0
EXIT_FILE = 1
EXIT_USAGE = 2
EXIT_ALREADY_OPEN = 3
EXIT_BROKEN_ROWS = 4
EXIT_DATABASE = 5
EXIT_BUSY = 6
EXIT_READ_ONLY = 7
EXIT_DISK_FULL = 8
EXIT_UNEXPECTED = 70

# How long a command waits for another program's write (a window's save, another import).
DEFAULT_BUSY_TIMEOUT_S = 30.0


def busy_timeout_ms() -> int:
    """PLANNER_BUSY_TIMEOUT (seconds) or 30 s."""
    try:
        seconds = float(os.environ.get("PLANNER_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT_S))
    except ValueError:
        seconds = DEFAULT_BUSY_TIMEOUT_S
    return max(0, int(seconds * 1000))


@dataclass
class CommandEnv:
    """What a subcommand gets: where the database is and the user's preferences."""

    paths: AppPaths
    database: str | Path
    settings: SettingsStore

    def open_database(self, *, write: bool) -> Database:
        """A command that writes checks the whole file first (never write to a damaged one)."""
        from planner.db.database import open_database

        db = open_database(
            self.database, check="full" if write else "quick", busy_timeout_ms=busy_timeout_ms()
        )
        if db.is_server:
            # Who is asking, as in the app: exports leave out teammates' private rows and
            # what this command writes carries the user's name.
            db.user = self.settings.preferences.author_name()
        return db
