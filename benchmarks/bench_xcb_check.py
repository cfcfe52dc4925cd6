"""What the start-up check of Qt's X11 libraries costs: time to a QApplication with and without it.

Run under an X server (the check only runs on xcb):

    xvfb-run -a python benchmarks/bench_xcb_check.py --runs 30

Each run is a fresh interpreter that creates a QApplication on xcb, alternately after
``digitlab.gui.xcb_check.xcb_problem()`` and without it; the medians are printed. The libraries
the check loads are the ones Qt's plugin loads a moment later, so most of the check's own time
is taken off the QApplication's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys

PROBE = """
import time
start = time.perf_counter()
if {check}:
    from digitlab.gui.xcb_check import xcb_problem
    assert xcb_problem() is None, xcb_problem()
checked = time.perf_counter()
from PySide6.QtWidgets import QApplication
app = QApplication([])
print((checked - start) * 1000, (time.perf_counter() - checked) * 1000)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    env = {name: value for name, value in os.environ.items() if name != "QT_QPA_PLATFORM"}
    if not env.get("DISPLAY"):
        print("needs an X display: run it under xvfb-run -a", file=sys.stderr)
        return 1
    results: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    for _ in range(args.runs):
        for check in (True, False):
            out = subprocess.run([sys.executable, "-c", PROBE.format(check=check)], env=env,
                                 capture_output=True, text=True, check=True).stdout.split()
            results[check].append((float(out[0]), float(out[1])))
    for check, rows in results.items():
        label = "with" if check else "without"
        print(f"{label} the check: check {statistics.median(r[0] for r in rows):.1f} ms, "
              f"QApplication {statistics.median(r[1] for r in rows):.1f} ms, "
              f"total {statistics.median(r[0] + r[1] for r in rows):.1f} ms (medians of {args.runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
