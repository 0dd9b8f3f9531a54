"""The command base: execute() pushes once without redoing, refusals push nothing, undo/redo
emit the Changes the service returned, failures are reported instead of raised."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QUndoStack

from planner.core.changes import Changes
from planner.core.errors import NotFoundError, ValidationError
from planner.db.errors import ConcurrentEditError
from planner.ui.bus import Bus
from planner.ui.commands import Command, execute, execute_in_background


class Counter(Command):
    """Adds one on apply, takes it back on revert; can be told to fail."""

    def __init__(self, bus: Bus, box: list[int], fail: BaseException | None = None) -> None:
        super().__init__(bus, "Count")
        self.box = box
        self.fail = fail

    def apply(self) -> Changes:
        if self.fail is not None:
            raise self.fail
        self.box[0] += 1
        return Changes.of(contacts=[self.box[0]])

    def revert(self) -> Changes:
        if self.fail is not None:
            raise self.fail
        self.box[0] -= 1
        return Changes.of(contacts=[self.box[0] + 1])


@pytest.fixture
def bus(qapp: object) -> Bus:
    return Bus()


def test_execute_applies_once_pushes_once_and_emits(bus: Bus) -> None:
    stack, box, seen = QUndoStack(), [0], []
    bus.changed.connect(seen.append)
    assert execute(stack, Counter(bus, box)) == Changes.of(contacts=[1])
    assert box == [1] and stack.count() == 1  # push() did not apply it a second time
    stack.undo()
    stack.redo()
    assert box == [1]
    assert seen == [Changes.of(contacts=[1])] * 3


def test_execute_takes_a_push_callable_too(bus: Bus) -> None:
    stack, box = QUndoStack(), [0]
    execute(stack.push, Counter(bus, box))
    assert box == [1] and stack.count() == 1


@pytest.mark.parametrize(
    "error",
    [ValidationError("name", "A contact needs a name."), NotFoundError("gone")],
)
def test_a_refusal_raises_where_the_user_acted_and_pushes_nothing(
    bus: Bus, error: Exception
) -> None:
    stack, seen = QUndoStack(), []
    bus.changed.connect(seen.append)
    with pytest.raises(type(error)):
        execute(stack, Counter(bus, [0], fail=error))
    assert stack.count() == 0 and seen == []


def test_a_teammates_concurrent_save_reads_as_a_refusal(bus: Bus) -> None:
    stack = QUndoStack()
    with pytest.raises(ValidationError, match="try again"):
        execute(stack, Counter(bus, [0], fail=ConcurrentEditError("Someone else changed it.")))
    assert stack.count() == 0


def test_a_failed_undo_is_reported_and_the_stack_kept(bus: Bus) -> None:
    stack, box, said = QUndoStack(), [0], []
    bus.command_failed.connect(said.append)
    command = Counter(bus, box)
    execute(stack, command)
    command.fail = NotFoundError("Contact 7 no longer exists.")
    stack.undo()  # no exception escapes into Qt
    assert said == ["Could not undo “Count”: Contact 7 no longer exists."]
    assert stack.count() == 1


def test_background_commands_run_off_the_gui_thread(qtbot: Any, bus: Bus) -> None:
    import threading

    stack, threads = QUndoStack(), []

    class Slow(Counter):
        background = True

        def apply(self) -> Changes:
            threads.append(threading.current_thread())
            return super().apply()

        def revert(self) -> Changes:
            threads.append(threading.current_thread())
            return super().revert()

    command = Slow(bus, [0])
    with qtbot.waitSignal(bus.changed) as done:
        execute_in_background(stack, command)
    assert done.args == [Changes.of(contacts=[1])] and stack.count() == 1
    with qtbot.waitSignal(bus.changed):
        stack.undo()
    assert command.box == [0] and not command.running
    assert all(t is not threading.main_thread() for t in threads) and len(threads) == 2


def test_no_command_hides_its_text_method() -> None:
    """`self.text = ...` in a command would shadow QUndoCommand.text(), which the base
    class calls to name a failed or background step."""
    import re
    from pathlib import Path

    import planner.ui.commands as package

    folder = Path(package.__file__).parent
    offenders = [
        f"{path.name}:{n}"
        for path in sorted(folder.glob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"self\.text\s*=[^=]", line)
    ]
    assert offenders == []


class Logged(Command):
    """Writes down when its apply starts and ends; the first waits for a gate."""

    background = True

    def __init__(self, bus: Bus, name: str, log: list[str], gate: Any = None) -> None:
        super().__init__(bus, name)
        self.name, self.log, self.gate = name, log, gate

    def apply(self) -> Changes:
        self.log.append(f"{self.name} start")
        if self.gate is not None:
            assert self.gate.wait(10)
        self.log.append(f"{self.name} end")
        return Changes.of(contacts=[1])

    def revert(self) -> Changes:
        self.log.append(f"{self.name} undone")
        return Changes.of(contacts=[1])


def test_background_writes_run_one_at_a_time_in_order(qtbot: Any, bus: Bus) -> None:
    """Two background steps (or two quick undos) never write at once nor out of order."""
    import threading

    from planner.ui import tasks

    log: list[str] = []
    gate = threading.Event()
    stack = QUndoStack()
    execute_in_background(stack, Logged(bus, "one", log, gate))
    execute_in_background(stack, Logged(bus, "two", log))
    qtbot.waitUntil(lambda: log == ["one start"])
    assert tasks.writes_pool().maxThreadCount() == 1
    gate.set()
    qtbot.waitUntil(lambda: stack.count() == 2)
    assert log == ["one start", "one end", "two start", "two end"]
    stack.undo()
    stack.undo()
    qtbot.waitUntil(lambda: tasks.running() == 0)
    assert log[-2:] == ["two undone", "one undone"]
