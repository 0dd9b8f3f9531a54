"""Start-up time: process start to main window shown, beside a bare PySide6 QMainWindow.

Prints first_window_ms_bare, first_window_ms_empty, first_window_ms_100k, ratio_empty,
ratio_100k (and data_ready_ms_* for when the tabs are filled). Medians of several runs.
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
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1200, 780)
window.show()
print("probe: window_shown", flush=True)
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
    if proc.wait(timeout=120) != 0:
        raise SystemExit(f"{cmd} failed")
    return marks


def median_of(cmd: list[str], mark: str) -> tuple[float, list[dict[str, float]]]:
    results = [time_probe(cmd) for _ in range(RUNS)]
    return statistics.median(r[mark] for r in results), results


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        empty_home = Path(tmp) / "empty"
        big_home = Path(tmp) / "big"
        planner = [sys.executable, "-m", "planner"]
        subprocess.run(
            [*planner, "--data-dir", str(big_home), "demo", "--contacts", "100000"],
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
        # Warm the file cache and create the empty database once, as a user's second start.
        time_probe([*planner, "--data-dir", str(empty_home), "--smoke-test", "--startup-probe"])
        bare, _ = median_of([sys.executable, "-c", BARE], "window_shown")
        empty, empty_runs = median_of(
            [*planner, "--data-dir", str(empty_home), "--smoke-test", "--startup-probe"],
            "window_shown",
        )
        big, big_runs = median_of(
            [*planner, "--data-dir", str(big_home), "--smoke-test", "--startup-probe"],
            "window_shown",
        )
    print(f"first_window_ms_bare: {bare:.0f}")
    print(f"first_window_ms_empty: {empty:.0f}")
    print(f"first_window_ms_100k: {big:.0f}")
    print(f"ratio_empty: {empty / bare:.2f}")
    print(f"ratio_100k: {big / bare:.2f}")
    print(f"data_ready_ms_empty: {statistics.median(r['data_ready'] for r in empty_runs):.0f}")
    print(f"data_ready_ms_100k: {statistics.median(r['data_ready'] for r in big_runs):.0f}")


if __name__ == "__main__":
    main()
