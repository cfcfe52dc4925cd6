"""Screenshots of the Draw, Weights, Evaluate and Data panels, each in its own window.

Run under a virtual display:

    xvfb-run -s "-screen 0 1280x800x24" python docs/screenshots/take_panel_screenshots.py \
        --data ../shared/mnist [--model MODEL.npz]

The model defaults to the shipped pretrained one. A short fine-tuning run (one small epoch with
frequent weight snapshots) feeds the Weights panel its histograms and gradient norms. Settings go to a
temporary DIGITLAB_HOME, so the user's own are never touched.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.environ.get("DIGITLAB_MNIST_DIR", "../shared/mnist"))
    parser.add_argument("--model", default=None)
    parser.add_argument("--size", default="1100x680")
    args = parser.parse_args()
    os.environ["DIGITLAB_HOME"] = tempfile.mkdtemp(prefix="digitlab-shots-")

    from PySide6.QtCore import QEvent, QEventLoop, QPoint, QPointF, Qt, QTimer
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from digitlab.assets import pretrained_model_path
    from digitlab.gui.panels.data_panel import DataPanel
    from digitlab.gui.panels.draw_panel import DrawPanel
    from digitlab.gui.panels.evaluate_panel import EvaluatePanel
    from digitlab.gui.panels.weights_panel import WeightsPanel
    from digitlab.gui.session import Session

    app = QApplication(sys.argv)
    app.setApplicationName("DigitLab")
    from digitlab.gui.app import configure_pyqtgraph

    configure_pyqtgraph()  # the plots' colours from the palette, as in the app
    width, height = (int(v) for v in args.size.split("x"))

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def shoot(widget, name: str) -> None:
        widget.setWindowTitle(f"DigitLab: {name}")
        widget.resize(width, height)
        widget.show()
        wait(600)
        widget.grab().save(str(HERE / f"{name}.png"))
        print("saved", HERE / f"{name}.png")

    # Data: first as a new user sees it (nothing there), then loaded.
    empty = Session()
    missing = DataPanel(empty)
    shoot(missing, "data-missing")
    missing.close()

    session = Session()
    session.load_data(args.data)
    model = args.model or pretrained_model_path()
    if model is None:
        print("no model: pass --model", file=sys.stderr)
        return 1
    session.load_model(model)
    shoot(DataPanel(session), "data")

    # Draw a '2' with mouse events, as a user would.
    draw = DrawPanel(session)
    draw.resize(width, height)
    draw.show()
    wait(300)
    canvas = draw.canvas
    square = canvas.square()

    def at(u: float, v: float) -> QPointF:
        return QPointF(square.left() + u * square.width(), square.top() + v * square.height())

    # The bow of the '2' (an arc from its left end over the top), then the diagonal from where
    # the arc ends down to the bottom left, then the base.
    arc = [math.pi * (1.05 + 1.3 * k / 30) for k in range(31)]
    points = [at(0.5 + 0.19 * math.cos(t), 0.33 + 0.15 * math.sin(t)) for t in arc]
    end = points[-1]
    ex, ey = (end.x() - square.left()) / square.width(), (end.y() - square.top()) / square.height()
    points += [at(ex + (0.31 - ex) * k / 25, ey + (0.74 - ey) * k / 25) for k in range(1, 26)]
    points += [at(0.31 + 0.41 * k / 20, 0.74 - 0.015 * math.sin(math.pi * k / 20))
               for k in range(1, 21)]
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     points[0].toPoint())
    for point in points[1:]:
        QApplication.sendEvent(canvas, QMouseEvent(
            QEvent.Type.MouseMove, point, canvas.mapToGlobal(point), Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       QPoint(points[-1].toPoint()))
    shoot(draw, "draw")

    # Evaluate, then look at one kind of mistake.
    evaluate = EvaluatePanel(session)
    evaluate.resize(width, height)
    evaluate.show()
    wait(300)
    evaluate.start_evaluation()
    while evaluate.is_running:
        wait(100)
    counts = evaluate.confusion.counts.copy()
    counts[range(10), range(10)] = 0
    true_class, predicted = divmod(int(counts.argmax()), 10)
    evaluate.show_cell(true_class, predicted)
    shoot(evaluate, "evaluate")

    # Weights, after a short run that records gradients.
    weights = WeightsPanel(session)
    weights.resize(width, height)
    weights.show()
    # Fine-tune the model for one short epoch with frequent snapshots: the mosaic shows the
    # trained model's units, the histograms and norms get live data.
    config = session.config.with_settings(epochs=1, lr=2e-4, snapshot_every=20, train_limit=15000)
    done = QEventLoop()
    session.run_finished.connect(lambda _event: QTimer.singleShot(800, done.quit))
    session.start_training(config, continue_training=True)
    done.exec()
    weights.select_unit(7)
    shoot(weights, "weights")
    return 0


if __name__ == "__main__":
    sys.exit(main())
