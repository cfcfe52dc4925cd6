"""How long each Inside per-digit view takes, and how much of it holds the GUI thread.

Each view (activationsView, layerMathView, saliencyView) computes on a worker thread (one
forward pass of one digit on a private copy of the network; saliency adds one backward pass)
and then updates its widgets on the GUI thread. For ``--digits`` MNIST test digits, taking the
views in turns (activations, math, saliency, activations, ...) so a change in the machine's load
hits all alike, this measures per redraw:

- ``gui``: time spent on the GUI thread: the request (a snapshot of the weights) plus showing
  the result;
- ``total``: from the request to the result shown (what the user waits for);
- ``late``: how late a 5 ms ``QTimer`` on the GUI thread fired, worst tick while the
  view computed: the event loop's responsiveness (target: under 50 ms).

Reported per model: median, 95th percentile and maximum in ms.

    python benchmarks/bench_inside_views.py [--digits 100] [--cnn MODEL.npz]

Models: the shipped one; the ``cnn`` preset (the trained ``--cnn`` file if given, else random
weights: the work is the same). MNIST from ``$DIGITLAB_MNIST_DIR`` or ``<repo>/../shared/mnist``.
Runs offscreen when there is no display (painting still happens).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _summary(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return f"median {statistics.median(ms):6.1f}  p95 {p95:6.1f}  max {ms[-1]:6.1f} ms"


def wait_idle(app, view) -> None:
    """Let a running or waiting computation of ``view`` finish and show."""
    while view.work.is_busy:
        app.processEvents()
        time.sleep(0.001)
    app.processEvents()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", type=int, default=100)
    parser.add_argument("--cnn", default=None, help="a trained cnn model file")
    args = parser.parse_args()
    os.environ["DIGITLAB_HOME"] = tempfile.mkdtemp(prefix="digitlab-bench-")
    if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from digitlab.assets import pretrained_model_path
    from digitlab.core.data import load_mnist
    from digitlab.core.inputs import InputTransform
    from digitlab.core.presets import get_preset
    from digitlab.core.serialization import SavedModel, load_model
    from digitlab.gui.inside.inside_panel import InsidePanel
    from digitlab.gui.session import Session

    app = QApplication(sys.argv)
    mnist = Path(os.environ.get("DIGITLAB_MNIST_DIR", "").strip() or REPO.parent / "shared" / "mnist")
    data = load_mnist(mnist)
    if args.cnn:
        cnn = load_model(args.cnn)
    else:
        network = get_preset("cnn").build_network()
        cnn = SavedModel(network, InputTransform(mean=0.1307, std=0.3081))
    models = {"shipped": load_model(pretrained_model_path()),
              f"cnn ({'trained' if args.cnn else 'random weights'})": cnn}
    session = Session()
    panel = InsidePanel(session)
    panel.resize(1100, 700)
    panel.show()
    app.processEvents()
    views = [panel.views.widget(i) for i in range(panel.views.count())]
    views = [v for v in views if v.objectName() in ("activationsView", "layerMathView", "saliencyView")]
    rng = np.random.default_rng(0)
    indices = rng.choice(data.num_test, args.digits, replace=False)
    gui_time = [0.0]

    def timed(method):
        def wrapper(*a):
            start = time.perf_counter()
            method(*a)
            gui_time[0] += time.perf_counter() - start
        return wrapper

    for view in views:  # count the GUI thread's share: the request and the display
        view.refresh_now = timed(view.refresh_now)
        view.show_result = timed(view.show_result)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    print(f"{args.digits} test digits, each view redrawn once per digit, views in turns")
    for name, model in models.items():
        session._adopt(model, path=None, dirty=False)
        results: dict[str, dict[str, list[float]]] = {
            v.objectName(): {"gui": [], "total": [], "late": []} for v in views}
        for index in indices:
            image = data.test_images[index].astype(np.float32) / 255.0
            panel.context.set_image(image)
            for view in views:
                panel.views.setCurrentWidget(view)
                wait_idle(app, view)  # the redraw the tab switch asked for
                gui_time[:] = [0.0]
                ticks.clear()
                start = time.perf_counter()
                loop = QEventLoop()
                view.shown.connect(loop.quit)
                view.refresh_now()
                loop.exec()
                view.shown.disconnect(loop.quit)
                end = time.perf_counter()
                stamps = [start] + ticks + [end]
                results[view.objectName()]["gui"].append(gui_time[0])
                results[view.objectName()]["total"].append(end - start)
                results[view.objectName()]["late"].append(
                    max(0.0, max(b - a for a, b in zip(stamps, stamps[1:], strict=False)) - 0.005))
        print(f"\n{name}")
        for key, measures in results.items():
            for what, values in measures.items():
                print(f"  {key:<16} {what:<6} {_summary(values)}")
    timer.stop()
    for view in views:
        wait_idle(app, view)
    return 0


if __name__ == "__main__":
    sys.exit(main())
