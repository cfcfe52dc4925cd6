"""Screenshots of the Inside tab's per-digit views, the whole screen at 1366x768.

Run under a virtual X server, on Qt's real X11 plugin:

    DIGITLAB_MNIST_DIR=../shared/mnist QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1366x768x24" \\
        python docs/screenshots/take_inside_screenshots.py [--model MODEL.npz] [--digit 8] \\
        [--prefix inside] [--math-layer last]

The CNN shots (``inside-cnn-*.png``) used a ``cnn`` preset trained for one epoch on 6,000
images (``digitlab train --preset cnn --epochs 1 --train-limit 6000 --out cnn.npz``, 92.4% test
accuracy) with ``--prefix inside-cnn --math-layer first``.

The main window fills the screen with the shipped model (or ``--model``) and MNIST test digit
``--digit`` picked in the Inside tab. It writes ``inside-activations.png`` (a unit of the first
hidden layer hovered), ``inside-layer-math.png`` (the output layer's answer unit, softmax at
T = 2) and ``inside-saliency.png`` (gradient x input, "why not" the runner-up) next to this
script. Settings go to a temporary DIGITLAB_HOME.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--digit", type=int, default=8)
    parser.add_argument("--prefix", default="inside")
    parser.add_argument("--math-layer", choices=("first", "last"), default="last",
                        help="the weighted layer the layer-math shot shows")
    args = parser.parse_args()
    os.environ["DIGITLAB_HOME"] = tempfile.mkdtemp(prefix="digitlab-shots-")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from digitlab.assets import pretrained_model_path
    from digitlab.gui.app import configure_pyqtgraph, create_main_window

    app = QApplication(sys.argv)
    app.setApplicationName("DigitLab")
    configure_pyqtgraph()
    window = create_main_window()
    window.showMaximized()
    screen = window.screen()
    window.setGeometry(screen.availableGeometry())

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def settle(view) -> None:
        """Let the view's background computation finish and show."""
        wait(300)
        while view.work.is_busy:
            wait(50)
        wait(200)

    def shoot(name: str) -> None:
        wait(500)
        path = HERE / f"{args.prefix}-{name}.png"
        screen.grabWindow(0).save(str(path))
        print("saved", path.name)

    wait(1500)  # start-up data load
    if window.session.data is None:
        window.session.load_data(os.environ.get("DIGITLAB_MNIST_DIR", "../shared/mnist"))
    window.session.load_model(args.model or pretrained_model_path())
    inside = window.inside_panel
    window.tabs.setCurrentWidget(inside)
    inside.picker.pick_test_digit(args.digit)
    views = {inside.views.widget(i).objectName(): inside.views.widget(i)
             for i in range(inside.views.count())}

    activations = views["activationsView"]
    inside.views.setCurrentWidget(activations)
    settle(activations)
    first = min(activations._pictures)
    unit = int(np.argmax(activations.outputs[first + 1][0])) if first + 1 < len(
        activations.outputs) else 0
    activations.unit_info.setText(activations.describe_unit(first + 1, unit))
    shoot("activations")

    math_view = views["layerMathView"]
    inside.views.setCurrentWidget(math_view)
    settle(math_view)
    math_view.layer_combo.setCurrentIndex(
        0 if args.math_layer == "first" else math_view.layer_combo.count() - 1)
    math_view.select_most_active()
    math_view.set_temperature(2.0)
    shoot("layer-math")

    saliency = views["saliencyView"]
    inside.views.setCurrentWidget(saliency)
    settle(saliency)
    scores = saliency.result.scores
    runner_up = int(np.argsort(scores)[-2])
    saliency.times_input_button.setChecked(True)
    saliency.versus_combo.setCurrentIndex(saliency.versus_combo.findData(runner_up))
    settle(saliency)
    shoot("saliency")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
