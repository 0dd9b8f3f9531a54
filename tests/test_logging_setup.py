"""Logging: a private rotating file with tracebacks, one plain line on stderr, set up twice
without doubling its handlers."""

from __future__ import annotations

import logging
import os
import stat
import sys
from pathlib import Path

import pytest

from planner.logging_setup import setup_logging


@pytest.fixture
def restore_root() -> object:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_file_gets_the_traceback_stderr_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], restore_root: object
) -> None:
    log_file = tmp_path / "planner.log"
    setup_logging(log_file)
    setup_logging(log_file)  # again (a reopened window): still one file and one console
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_planner", False)]
    assert len(ours) == 2
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("planner.test").exception("Could not save")
    for handler in ours:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "ERROR planner.test: Could not save" in text and "Traceback" in text
    err = capsys.readouterr().err
    assert "ERROR: Could not save" in err and "Traceback" not in err
    if sys.platform != "win32":
        assert stat.S_IMODE(os.stat(log_file).st_mode) == 0o600


def test_verbose_logs_debug_and_quiet_does_not(tmp_path: Path, restore_root: object) -> None:
    log_file = tmp_path / "planner.log"
    setup_logging(log_file, verbose=False)
    logging.getLogger("planner.test").debug("hidden detail")
    setup_logging(log_file, verbose=True)
    logging.getLogger("planner.test").debug("shown detail")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "shown detail" in text and "hidden detail" not in text
