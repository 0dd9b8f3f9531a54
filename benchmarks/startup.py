"""Start-up time: process start to main window shown, beside a bare PySide6 QMainWindow.

Prints first_window_ms_bare, first_window_ms_empty, first_window_ms_100k, ratio_empty,
ratio_100k, data_ready_ms_* (process start to the current tab filled and interactive) and
max_gui_stall_ms_* (the longest the GUI thread was ever blocked from window shown to data
ready, timed by a 5 ms timer in the app), and integrity_check_ms_100k / quick_check_ms_100k
(SQLite's full check, which runs in the background before the first write, and the quick one
that runs before the tabs are built). Medians of several runs.

STARTUP_RUNS sets the number of runs (default 5); STARTUP_CACHE names a folder that keeps the
generated 100,000-contact data between runs (it takes about 25 s to build).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("STARTUP_RUNS", "5"))

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


def main() -> None:
    cache = os.environ.get("STARTUP_CACHE")
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
    print(f"max_gui_stall_ms: {max(r['max_gui_stall_ms'] for r in big_runs):.0f}")
    # CPU time of the process until its window showed: steadier than wall time when the
    # machine is busy (waiting for a core is not counted).
    cpu = [median(r, "window_cpu_ms") for r in (bare_runs, empty_runs, big_runs)]
    print(f"first_window_cpu_ms_bare: {cpu[0]:.0f}")
    print(f"ratio_cpu_empty: {cpu[1] / cpu[0]:.2f}")
    print(f"ratio_cpu_100k: {cpu[2] / cpu[0]:.2f}")
    print(f"integrity_check_ms_100k: {check_ms:.0f}")
    print(f"quick_check_ms_100k: {quick_ms:.0f}")
    print(f"load_average_1min: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
