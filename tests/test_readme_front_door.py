"""The README's quick start says what a new user needs (issue 16, item 16), and its claim
about where `--data-dir DIR` puts things is what the app does."""

from __future__ import annotations

import re
from pathlib import Path

from planner.paths import app_paths

README = Path(__file__).resolve().parents[1] / "README.md"


def test_quick_start_says_what_a_new_user_needs() -> None:
    text = README.read_text(encoding="utf-8")
    start = text[text.index("## Quick start") : text.index("## Where your data lives")]
    assert "keeps the terminal until you close the window" in start
    assert re.search(r"takes\s+about [\d.]+ minutes", start)  # how long the tests take
    assert "DIR/data/planner.sqlite3" in text or "~/planner-try/data/planner.sqlite3" in start


def test_data_dir_layout_matches_the_readme(tmp_path: Path) -> None:
    paths = app_paths(tmp_path)
    assert paths.default_database == tmp_path.resolve() / "data" / "planner.sqlite3"
    assert paths.settings_file == tmp_path.resolve() / "config" / "settings.json"
    assert paths.log_dir == tmp_path.resolve() / "logs"
    assert "`DIR/config/settings.json`, logs `DIR/logs/`" in README.read_text(encoding="utf-8")
