"""Training with the window open versus headless, and how quickly the event loop answers.

1. Throughput: the same configuration on the same data is trained twice per round, in one
   process and one after the other (the order alternating between rounds): headless through
   the core ``Trainer`` (as the CLI does), and through the main window's session with the
   window shown, the Curves tab visible and every panel updating live. Samples per second
   are training samples x epochs / wall-clock seconds of the whole run (evaluation included
   on both sides). Short runs taken in turns (the order alternating) let a machine whose load
   changes hurt both sides alike; the headline is the median of the rounds' ratios.
   Target: GUI >= 90% of headless.
2. Latency: while the GUI run trains, a 10 ms ``QTimer`` on the GUI thread records how late each
   tick fires. Reported: the 99th percentile and the maximum. Target: <= 50 ms.

    python benchmarks/bench_gui.py                  # mlp preset, 8 rounds of 1 epoch each side
    python benchmarks/bench_gui.py --epochs 1 --rounds 1 --preset tutorial-relu

MNIST is read from ``$DIGITLAB_MNIST_DIR`` or ``<repo>/../shared/mnist``. Without a display the
benchmark runs offscreen (painting still happens; nothing is shown). Settings and checkpoints go
to a temporary ``DIGITLAB_HOME``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _mnist_dir() -> Path:
    env = os.environ.get("DIGITLAB_MNIST_DIR", "").strip()
    return Path(env) if env else REPO.parent / "shared" / "mnist"


def headless_run(config, data) -> float:
    """Wall-clock seconds of one run through the core Trainer, no Qt involved."""
    from digitlab.core.splits import TrainingData
    from digitlab.core.training import Trainer

    training = TrainingData.for_config(data, config)
    start = time.perf_counter()
    Trainer(config, training).run()
    return time.perf_counter() - start


def gui_run(app, window, config, data) -> tuple[float, list[float], float]:
    """Wall-clock seconds of one run in the window, the 10 ms timer's lateness (seconds) and
    the CPU seconds the GUI thread itself spent (painting, signal handling) during the run."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    session = window.session
    session.data = data
    lateness: list[float] = []
    last = [0.0]

    def tick() -> None:
        now = time.perf_counter()
        if last[0]:
            lateness.append(max(0.0, now - last[0] - 0.010))
        last[0] = now

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(10)
    timer.timeout.connect(tick)
    loop = QEventLoop()
    finished: list[float] = []

    def on_finished(_event) -> None:
        finished.append(time.perf_counter())
        loop.quit()

    session.run_finished.connect(on_finished)
    session.run_failed.connect(lambda message: (print(message, file=sys.stderr), loop.quit()))
    timer.start()
    start = time.perf_counter()
    cpu_start = time.thread_time()
    session.start_training(config)
    loop.exec()
    gui_cpu = time.thread_time() - cpu_start
    timer.stop()
    session.run_finished.disconnect(on_finished)
    # Let the end-of-run signals (model adoption, thread clean-up) land before the next round.
    if session.is_running:
        idle = QEventLoop()
        session.state_changed.connect(lambda state: state == "idle" and idle.quit())
        idle.exec()
    return (finished[0] if finished else time.perf_counter()) - start, lateness, gui_cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", default="mlp")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--limit", type=int, default=None,
                        help="train on the first N images only (shorter runs, more rounds)")
    args = parser.parse_args(argv)

    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["DIGITLAB_HOME"] = tempfile.mkdtemp(prefix="digitlab-bench-")
    sys.path.insert(0, str(REPO))
    from digitlab._env import set_openblas_thread_timeout

    set_openblas_thread_timeout()  # before NumPy loads, as the digitlab command does
    from PySide6.QtWidgets import QApplication

    from digitlab.core.data import load_mnist
    from digitlab.core.presets import get_preset
    from digitlab.gui.app import create_main_window

    data = load_mnist(_mnist_dir())
    config = get_preset(args.preset).with_settings(epochs=args.epochs, train_limit=args.limit)
    samples = min(data.num_train, args.limit or data.num_train) * args.epochs
    app = QApplication.instance() or QApplication([])
    window = create_main_window()
    window.resize(1280, 800)
    window.show()
    window.tabs.setCurrentWidget(window.curves_panel)
    app.processEvents()

    headless, gui, lateness, gui_cpu = [], [], [], []
    for round_index in range(args.rounds):
        # Alternate the order, so warm-up and a machine getting busier hurt both sides alike.
        for side in (("headless", "gui") if round_index % 2 == 0 else ("gui", "headless")):
            if side == "headless":
                headless.append(headless_run(config, data))
            else:
                seconds, late, cpu = gui_run(app, window, config, data)
                gui.append(seconds)
                lateness.extend(late)
                gui_cpu.append(cpu)
        print(f"round {round_index + 1}: headless {samples / headless[-1]:,.0f} samples/s, "
              f"GUI {samples / gui[-1]:,.0f} samples/s", flush=True)
    window.hide()

    best_headless, best_gui = samples / min(headless), samples / min(gui)
    ratio = best_gui / best_headless
    paired = statistics.median(h / g for h, g in zip(headless, gui, strict=True))
    busy = sum(gui_cpu) / sum(gui)
    late_ms = sorted(x * 1000 for x in lateness)
    p99 = late_ms[min(len(late_ms) - 1, int(0.99 * len(late_ms)))] if late_ms else float("nan")
    worst = late_ms[-1] if late_ms else float("nan")
    print(f"\npreset {args.preset}, {args.epochs} epoch(s) of {samples // args.epochs:,} images, "
          f"{args.rounds} round(s), best of each")
    print(f"headless (core Trainer):  {best_headless:10,.0f} samples/s")
    print(f"window open, live curves: {best_gui:10,.0f} samples/s")
    print(f"ratio GUI / headless:     {paired:10.1%}   (target >= 90%): median over the rounds of "
          f"GUI/headless run back to back; best of each: {ratio:.1%}")
    print(f"GUI thread busy:          {busy:10.1%}   of the GUI runs' wall time (CPU time of the "
          f"GUI thread: painting and signal handling)")
    print(f"event loop lateness:      p99 {p99:.1f} ms, max {worst:.1f} ms over {len(late_ms):,} "
          f"ticks   (target <= 50 ms); median {statistics.median(late_ms) if late_ms else 0:.1f} ms")
    ok = paired >= 0.9 and worst <= 50
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
