"""Logging to a rotating file in the platform's log folder, warnings also to stderr.

The log holds no personal data: the engine hides SQL parameters, code logs ids and counts,
not names or notes. Tracebacks go to the file only (private, 0600); stderr gets one line.
"""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path


def setup_logging(log_file: Path, verbose: bool = False) -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_planner", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    file_handler = RotatingFileHandler(
        log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    from planner.safefiles import make_private_file

    make_private_file(log_file)
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    file_handler._planner = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    if sys.stderr is not None:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.DEBUG if verbose else logging.WARNING)
        console.setFormatter(_OneLineFormatter("%(levelname)s: %(message)s"))
        console._planner = True  # type: ignore[attr-defined]
        root.addHandler(console)


class _OneLineFormatter(logging.Formatter):
    """The message only: a traceback belongs in the log file, not in front of the user."""

    def format(self, record: logging.LogRecord) -> str:
        return self.formatMessage(_without_traceback(record, self))


def _without_traceback(record: logging.LogRecord, fmt: logging.Formatter) -> logging.LogRecord:
    record.message = record.getMessage()
    if fmt.usesTime():
        record.asctime = fmt.formatTime(record, fmt.datefmt)
    return record
