"""How long ``digitlab`` takes from launch to a usable window, and the idle window's memory.

Each launch is a fresh ``python -c`` child that runs the real entry point (``digitlab.__main__``,
the same path as the ``digitlab`` command with no arguments). The child hooks only
``gui.app.create_main_window``: once the window exists it asks for a timer of 0 ms, which fires
when the event loop runs after ``show()``. At that moment the child checks that the window is
usable (it is visible, the Draw panel's canvas and ``predictionLabel`` exist and the shipped model
is loaded) and records

- **launch -> shown**: ``time.monotonic()`` in the parent just before the child is started, to
  the same system-wide clock in the child at that moment (so interpreter start-up counts too);
- **CPU**: the child's user + system CPU seconds up to then (steadier than wall time on a busy
  machine, where the wall time mostly measures the queue for a core);
- **idle RSS**: the resident memory after the window has sat idle for ``--idle`` seconds;
- which of the deferred modules (the Lab, export, download, run store, ...) were imported.

**Cold** launches come first in each round, after removing DigitLab's ``__pycache__`` folders
(Python must compile DigitLab's sources again, as on a first start after installing); **warm**
launches follow with the byte code in place. The operating system's file cache is not dropped
(that needs root and disturbs everybody else on the machine), so "cold" is cold for DigitLab's
byte code, not for the disk.

``--compare DIR`` alternates with another source tree of DigitLab (e.g. ``git archive main | tar
-x -C /tmp/before``), launch by launch, and reports the paired ratios; both use this venv's
packages. The platform is ``offscreen`` unless ``--platform xcb`` (under ``xvfb-run``).

    python benchmarks/bench_startup.py                      # 5 rounds, offscreen
    python benchmarks/bench_startup.py --rounds 9 --compare /tmp/before
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: Modules a usable window does not need; the report says which a launch imported anyway.
DEFERRED = ("digitlab.gui.lab.lab_window", "digitlab.export", "digitlab.download",
            "digitlab.core.runstore", "sqlite3", "pyqtgraph.exporters", "digitlab.cli.train", "onnx",
            "http.client", "digitlab.gui.panels.evaluate_panel", "digitlab.gui.panels.runs_panel",
            "digitlab.gui.panels.data_panel")

CHILD = r"""
import json, os, sys, time
_cpu0 = time.process_time()
sys.argv = ["digitlab"]
from digitlab.gui import app as _app
_create = _app.create_main_window
_result = {}

def _report(window):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel
    _result["shown"] = time.monotonic()
    _result["cpu"] = time.process_time()
    panel = window.draw_panel
    _result["usable"] = bool(window.isVisible() and panel.canvas is not None
                             and panel.findChild(QLabel, "predictionLabel") is not None
                             and window.session.model is not None)
    _result["deferred_imported"] = [m for m in json.loads(os.environ["BENCH_DEFERRED"])
                                    if m in sys.modules]

    def idle():
        with open("/proc/self/status") as status:
            rss = next(line for line in status if line.startswith("VmRSS:"))
        _result["idle_rss_mib"] = int(rss.split()[1]) / 1024
        print("BENCH " + json.dumps(_result), flush=True)
        window.session.stop_and_wait()
        QApplication.instance().exit(0)

    QTimer.singleShot(int(float(os.environ["BENCH_IDLE"]) * 1000), idle)

def _patched(*args, **kwargs):
    from PySide6.QtCore import QTimer
    window = _create(*args, **kwargs)
    def report():
        try:
            _report(window)
        except Exception as exc:  # say it, never hang the benchmark
            print("BENCH-ERROR " + repr(exc), file=sys.stderr, flush=True)
            os._exit(2)

    QTimer.singleShot(0, report)
    return window

_app.create_main_window = _patched
from digitlab.__main__ import main
main()
"""


def clear_bytecode(tree: Path) -> None:
    for folder in (tree / "digitlab").rglob("__pycache__"):
        shutil.rmtree(folder, ignore_errors=True)


def launch(tree: Path, platform: str, idle: float) -> dict:
    """One launch of the app from source ``tree``; the child's measurements."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # warm launches use the byte code, as users' do
    env.update(PYTHONPATH=str(tree), QT_QPA_PLATFORM=platform, BENCH_IDLE=str(idle),
               BENCH_DEFERRED=json.dumps(DEFERRED), DIGITLAB_HOME=tempfile.mkdtemp(prefix="bench-"))
    env.pop("DIGITLAB_MNIST_DIR", None)  # MNIST loads after the window shows; keep it out
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True,
                          timeout=120, cwd=tempfile.gettempdir())
    shutil.rmtree(env["DIGITLAB_HOME"], ignore_errors=True)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"bench_startup: the app did not report from {tree}:\n{done.stderr[-2000:]}")
    result = json.loads(line[6:])
    result["seconds"] = result.pop("shown") - start
    return result


def load_average() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="cold + warm launches per tree")
    parser.add_argument("--warm", type=int, default=2, help="warm launches per round")
    parser.add_argument("--compare", type=Path, help="another DigitLab source tree to alternate with")
    parser.add_argument("--platform", default="offscreen", help="QT_QPA_PLATFORM of the launches")
    parser.add_argument("--idle", type=float, default=1.0, help="seconds idle before reading RSS")
    parser.add_argument("--json", action="store_true", help="print the raw launches as JSON")
    args = parser.parse_args()
    trees = {"this": REPO}
    if args.compare is not None:
        trees["compare"] = args.compare.resolve()
    runs: dict[tuple[str, str], list[dict]] = {}
    print(f"{'round':>5} {'tree':>8} {'kind':>5} {'launch->shown s':>16} {'CPU s':>6} "
          f"{'idle RSS MiB':>12} {'load':>5}  usable / deferred modules imported")
    for round_index in range(args.rounds):
        order = list(trees.items()) if round_index % 2 == 0 else list(reversed(trees.items()))
        for kind in ["cold"] + ["warm"] * args.warm:
            for name, tree in order:
                if kind == "cold":
                    clear_bytecode(tree)
                result = launch(tree, args.platform, args.idle)
                runs.setdefault((name, kind), []).append(result)
                print(f"{round_index + 1:>5} {name:>8} {kind:>5} {result['seconds']:>16.2f} "
                      f"{result['cpu']:>6.2f} {result['idle_rss_mib']:>12.0f} {load_average():>5.1f}"
                      f"  {result['usable']} {' '.join(result['deferred_imported']) or '-'}",
                      flush=True)
    print("\nmedians")
    for (name, kind), results in runs.items():
        seconds = statistics.median(r["seconds"] for r in results)
        print(f"  {name:>8} {kind:>5}: launch->shown {seconds:.2f} s, "
              f"CPU {statistics.median(r['cpu'] for r in results):.2f} s, idle RSS "
              f"{statistics.median(r['idle_rss_mib'] for r in results):.0f} MiB "
              f"({len(results)} launches)")
    if "compare" in trees:
        for kind in ("cold", "warm"):
            pairs = list(zip(runs[("this", kind)], runs[("compare", kind)], strict=True))
            wall = statistics.median(a["seconds"] / b["seconds"] for a, b in pairs)
            cpu = statistics.median(a["cpu"] / b["cpu"] for a, b in pairs)
            print(f"  this/compare {kind}: median paired ratio launch->shown {wall:.2f}, CPU {cpu:.2f}")
    if args.json:
        print(json.dumps({f"{n}/{k}": v for (n, k), v in runs.items()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
