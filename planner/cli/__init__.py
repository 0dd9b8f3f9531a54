"""Subcommands run without a window. Each module has register(subparsers) and run(args, env)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planner.paths import AppPaths
from planner.settings import SettingsStore


@dataclass
class CommandEnv:
    """What a subcommand gets: where the database is and the user's preferences."""

    paths: AppPaths
    database: str | Path
    settings: SettingsStore
