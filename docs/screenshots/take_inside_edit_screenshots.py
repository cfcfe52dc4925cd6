"""Screenshots of the Inside tab's Neuron lab and Robustness views, each in its own window.

Run under a virtual display:

    xvfb-run -s "-screen 0 1280x800x24" python docs/screenshots/take_inside_edit_screenshots.py \
        --data ../shared/mnist [--model MODEL.npz] [--prefix ""]

The model defaults to the shipped pretrained one. The Neuron lab is shown with the 10% most
active units of the first hidden layer switched off and 30% of the weights pruned; the
Robustness view with its curves computed, a 30 degree rotation and a threshold of 0.9. Settings
go to a temporary DIGITLAB_HOME.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.environ.get("DIGITLAB_MNIST_DIR", "../shared/mnist"))
    parser.add_argument("--model", default=None)
    parser.add_argument("--prefix", default="", help="file name prefix, e.g. 'cnn-'")
    parser.add_argument("--size", default="1200x760")
    args = parser.parse_args()
    os.environ["DIGITLAB_HOME"] = tempfile.mkdtemp(prefix="digitlab-shots-")

    from PySide6.QtWidgets import QApplication

    from digitlab.assets import pretrained_model_path
    from digitlab.gui.app import configure_pyqtgraph
    from digitlab.gui.inside.context import InsideContext
    from digitlab.gui.inside.neuron_lab import NeuronLab
    from digitlab.gui.inside.robustness_panel import RobustnessPanel
    from digitlab.gui.session import Session

    app = QApplication(sys.argv)
    app.setApplicationName("DigitLab")
    configure_pyqtgraph()
    width, height = (int(v) for v in args.size.split("x"))

    def wait_for(condition, timeout: float = 1800.0) -> None:
        end = time.monotonic() + timeout
        while not condition() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)
        for _ in range(20):
            app.processEvents()
            time.sleep(0.01)

    def shoot(widget, name: str) -> None:
        widget.setWindowTitle(f"DigitLab: {name}")
        path = HERE / f"{args.prefix}{name}.png"
        widget.grab().save(str(path))
        print(path)

    session = Session()
    session.load_model(args.model or pretrained_model_path())
    session.load_data(args.data)
    context = InsideContext()
    context.set_image(session.data.test_images[0].astype("float32") / 255)

    lab = NeuronLab(session, context)
    lab.resize(width, height)
    lab.show()
    wait_for(lambda: lab.score is not None and not lab.runner.busy)
    lab.switch_off_most_active()
    lab.prune_slider.setValue(30)
    wait_for(lambda: not lab.runner.busy)
    shoot(lab, "inside-neuron-lab")

    panel = RobustnessPanel(session, context)
    panel.resize(width, height)
    panel.show()
    panel.compute()
    wait_for(lambda: panel.reject is not None and not panel.runner.busy)
    panel.sliders["rotation"].setValue(panel.sliders["rotation"].maximum() // 3)
    panel.threshold_slider.setValue(90)
    wait_for(lambda: True)
    shoot(panel, "inside-robustness")
    return 0


if __name__ == "__main__":
    sys.exit(main())
