"""Start-up time: process start to main window shown, beside a bare PySide6 QMainWindow.

Prints first_window_ms_bare, first_window_ms_empty, first_window_ms_100k, ratio_empty,
ratio_100k, data_ready_ms_* (process start to the current tab filled and interactive) and
max_gui_stall_ms_* (the longest the GUI thread was ever blocked from window shown to data
ready, timed by a 5 ms timer in the app), and integrity_check_ms_100k / quick_check_ms_100k
(SQLite's full check, which runs in the background before the first write, and the quick one
that runs before the tabs are built). Medians of several runs. The app's modules are compiled
to bytecode first, as installing it does (PYTHONDONTWRITEBYTECODE would otherwise make every
run compile them).

Then, at 100k, the first show of each other tab: the window opens on its saved tab, and once
that has its data the script switches to TAB at once, as a click on the tab bar does (the tab
is built in slices, put in place, and reads on show);
tab_first_show_max_stall_ms_TAB is the longest wall-clock gap of the 5 ms GUI timer from the
switch until the tab has its data and a second has passed, tab_first_show_gui_cpu_ms_TAB the
most GUI-thread CPU time between two ticks (steadier on a busy machine). idle_build_max_stall_ms
is the same over the 3 s after data ready while the other tabs are built in idle time. Each is
the median of STARTUP_TAB_RUNS fresh processes (default 3); STARTUP_TABS_ONLY=1 (with
STARTUP_CACHE) prints only these figures.

max_gui_stall_ms is the median over the 100k runs of each run's longest gap,
max_gui_stall_ms_worst_run the worst single run.

STARTUP_RUNS sets the number of runs (default 7: single start-ups on a shared machine vary by
a third, a median of 5 by about 10 %); STARTUP_NO_TABS=1 skips the tab figures; STARTUP_CACHE
names a folder that keeps the generated 100,000-contact data between runs (it takes about
25 s to build).
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("STARTUP_RUNS", "7"))
# Runs per tab figure (each a fresh process).
TAB_RUNS = int(os.environ.get("STARTUP_TAB_RUNS", "3"))

BARE = """
import sys
import time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1200, 780)
window.show()
print("probe: window_shown", flush=True)
print(f"probe_value: window_cpu_ms {time.process_time() * 1000:.1f}", flush=True)
"""


def time_probe(cmd: list[str]) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    marks: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("probe: "):
            marks[line.split(": ", 1)[1].strip()] = (time.perf_counter() - started) * 1000
        elif line.startswith("probe_value: "):
            name, value = line.split(": ", 1)[1].split()
            marks[name] = float(value)
    if proc.wait(timeout=120) != 0:
        raise SystemExit(f"{cmd} failed")
    return marks


def interleaved(commands: list[list[str]]) -> list[list[dict[str, float]]]:
    """RUNS runs of each command, taken in turns, so a change in the machine's load (it is
    shared) weighs on all of them alike."""
    results: list[list[dict[str, float]]] = [[] for _ in commands]
    for _ in range(RUNS):
        for runs, cmd in zip(results, commands, strict=True):
            runs.append(time_probe(cmd))
    return results


def median(runs: list[dict[str, float]], mark: str) -> float:
    return statistics.median(r[mark] for r in runs)


def integrity_check_ms(path: Path) -> tuple[float, float]:
    """Median ms of the full integrity_check and of quick_check (warm cache), 3 runs each."""
    sys.path.insert(0, str(ROOT))
    from planner.db.backup import integrity_problems

    def timed(quick: bool) -> float:
        started = time.perf_counter()
        assert integrity_problems(path, quick=quick) == []
        return (time.perf_counter() - started) * 1000

    return (
        statistics.median(timed(False) for _ in range(3)),
        statistics.median(timed(True) for _ in range(3)),
    )


OTHER_TABS = ("contactsTab", "calendarTab", "eventsTab", "organisationsTab")
SETTLE_MS = 1000


def tab_child(data_dir: str, tab: str) -> None:
    """In a fresh process: the app's window on `data_dir`; after data ready, switch to `tab`
    (or stay, for "idle") and print the longest GUI stall and GUI CPU slice until settled."""
    import itertools

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # This script's folder holds calendar.py, which would shadow the standard library's.
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from planner.app import GUI_SWITCH_INTERVAL_S
    from planner.paths import app_paths
    from planner.settings import SettingsStore
    from planner.ui.main_window import MainWindow

    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)  # as the app's window does
    app = QApplication([])
    paths = app_paths(data_dir)
    window = MainWindow(paths, SettingsStore(paths.settings_file))
    window.show()
    loop = QEventLoop()
    window.data_ready.connect(loop.quit)
    QTimer.singleShot(0, lambda: window.open_database(paths.default_database))
    loop.exec()
    ticks = [(time.perf_counter(), time.thread_time())]
    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.setInterval(5)
    ticker.timeout.connect(lambda: ticks.append((time.perf_counter(), time.thread_time())))
    ticker.start()
    settle = QTimer()
    settle.setSingleShot(True)
    settle.timeout.connect(loop.quit)
    if tab == "idle":
        settle.start(3 * SETTLE_MS)
    else:
        # As a user's click on the tab bar: the tab is built (in slices) and put in place,
        # then it reads; settled a second after it has its data.
        index = next(
            i for i in range(window.tabs.count()) if window.tabs.widget(i).objectName() == tab
        )
        window.tabs.setCurrentIndex(index)

        def check() -> None:
            shown = window.tabs.widget(index)
            pending = getattr(shown, "data_pending", None)
            if type(shown) is not QWidget and not (callable(pending) and pending()):
                watch.stop()
                settle.start(SETTLE_MS)

        watch = QTimer()
        watch.timeout.connect(check)
        watch.start(1)
    loop.exec()
    ticks.append((time.perf_counter(), time.thread_time()))
    wall = max(b[0] - a[0] for a, b in itertools.pairwise(ticks)) * 1000
    cpu = max(b[1] - a[1] for a, b in itertools.pairwise(ticks)) * 1000
    print(f"probe_value: stall_ms {wall:.1f}", flush=True)
    print(f"probe_value: gui_cpu_ms {cpu:.1f}", flush=True)
    app.processEvents()
    os._exit(0)  # not close(): that would save this tab as the one to open next time


def tab_figures(big_home: Path) -> list[str]:
    """First show of each other tab at 100k, and the idle builds: medians of TAB_RUNS runs."""
    script = [sys.executable, str(Path(__file__).resolve()), "--tab-child", str(big_home)]
    lines, worst = [], 0.0
    for tab in (*OTHER_TABS, "idle"):
        runs = [time_probe([*script, tab]) for _ in range(TAB_RUNS)]
        stall, cpu = median(runs, "stall_ms"), median(runs, "gui_cpu_ms")
        prefix = "idle_build" if tab == "idle" else "tab_first_show"
        suffix = "" if tab == "idle" else f"_{tab}"
        if tab != "idle":
            worst = max(worst, stall)
        lines.append(f"{prefix}_max_stall_ms{suffix}: {stall:.0f}")
        lines.append(f"{prefix}_gui_cpu_ms{suffix}: {cpu:.0f}")
        if tab == "idle":
            lines.insert(-2, f"tab_first_show_max_stall_ms: {worst:.0f}")
    return lines


def main() -> None:
    cache = os.environ.get("STARTUP_CACHE")
    if os.environ.get("STARTUP_TABS_ONLY") and cache:
        compileall.compile_dir(str(ROOT / "planner"), quiet=1)
        for line in tab_figures(Path(cache) / "big"):
            print(line)
        print(f"load_average_1min: {os.getloadavg()[0]:.2f}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        empty_home = Path(tmp) / "empty"
        big_home = Path(cache) / "big" if cache else Path(tmp) / "big"
        planner = [sys.executable, "-m", "planner"]
        if not (big_home / "data" / "planner.sqlite3").exists():
            subprocess.run(
                [*planner, "--data-dir", str(big_home), "demo", "--contacts", "100000"],
                check=True,
                cwd=ROOT,
                capture_output=True,
            )
        # A user's second start finds the bytecode the first start cached (or pip/PyInstaller
        # compiled at install); with PYTHONDONTWRITEBYTECODE set (as in some shells and CI)
        # every run would compile the app's modules again, about 10 ms of CPU before the
        # window shows that no installed app pays. Compile them once, as installing does.
        compileall.compile_dir(str(ROOT / "planner"), quiet=1)
        # Warm the file cache and create the empty database once, as a user's second start.
        time_probe([*planner, "--data-dir", str(empty_home), "--smoke-test", "--startup-probe"])
        bare_runs, empty_runs, big_runs = interleaved(
            [
                [sys.executable, "-c", BARE],
                [*planner, "--data-dir", str(empty_home), "--smoke-test", "--startup-probe"],
                [*planner, "--data-dir", str(big_home), "--smoke-test", "--startup-probe"],
            ]
        )
        # The full integrity_check the window runs in the background before the first write.
        check_ms, quick_ms = integrity_check_ms(big_home / "data" / "planner.sqlite3")
        tab_lines = [] if os.environ.get("STARTUP_NO_TABS") else tab_figures(big_home)
    bare, empty, big = (median(r, "window_shown") for r in (bare_runs, empty_runs, big_runs))
    print(f"first_window_ms_bare: {bare:.0f}")
    print(f"first_window_ms_empty: {empty:.0f}")
    print(f"first_window_ms_100k: {big:.0f}")
    print(f"ratio_empty: {empty / bare:.2f}")
    print(f"ratio_100k: {big / bare:.2f}")
    print(f"data_ready_ms_empty: {median(empty_runs, 'data_ready'):.0f}")
    print(f"data_ready_ms_100k: {median(big_runs, 'data_ready'):.0f}")
    for label, runs in (("empty", empty_runs), ("100k", big_runs)):
        stall = statistics.median(r["max_gui_stall_ms"] for r in runs)
        print(f"max_gui_stall_ms_{label}: {stall:.0f}")
    # The figure: per run the longest gap at 100k, the median over the runs (as every
    # other figure here); the single worst run beside it, so an outlier stays visible.
    stalls = [r["max_gui_stall_ms"] for r in big_runs]
    print(f"max_gui_stall_ms: {statistics.median(stalls):.0f}")
    print(f"max_gui_stall_ms_worst_run: {max(stalls):.0f}")
    # CPU time of the process until its window showed: steadier than wall time when the
    # machine is busy (waiting for a core is not counted).
    cpu = [median(r, "window_cpu_ms") for r in (bare_runs, empty_runs, big_runs)]
    print(f"first_window_cpu_ms_bare: {cpu[0]:.0f}")
    print(f"ratio_cpu_empty: {cpu[1] / cpu[0]:.2f}")
    print(f"ratio_cpu_100k: {cpu[2] / cpu[0]:.2f}")
    print(f"integrity_check_ms_100k: {check_ms:.0f}")
    print(f"quick_check_ms_100k: {quick_ms:.0f}")
    for line in tab_lines:
        print(line)
    print(f"load_average_1min: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--tab-child"]:
        tab_child(sys.argv[2], sys.argv[3])
    else:
        main()
