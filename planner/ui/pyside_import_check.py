"""A cheaper form of the check PySide6 runs on every module imported after it.

PySide6 (up to 6.11) replaces `__import__` so that it can offer `from __feature__ import
snake_case`: for each module name imported after QtCore it asks whether the module's source
mentions "PySide6", with `inspect.getsource`. That decodes and caches every source file through
`linecache` and costs 0.1-0.5 ms a module: a few ms before the first window shows, and about
70 ms of CPU (holding the GIL) while a worker imports SQLAlchemy and the tabs. The same question
is answered here by searching the file's bytes; a module that is not a source file on disk
(built-in, compiled, zipped, frozen) still goes to PySide's own check, so every answer is the same.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from types import ModuleType


def install() -> None:
    """Replace PySide6's check, once; a PySide6 without it is left as it is."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or hasattr(original, "__wrapped__"):
        return
    feature._mod_uses_pyside = _by_bytes(original)  # type: ignore[union-attr]


def _by_bytes(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    @functools.wraps(original)
    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return original(module)

    return uses_pyside
