"""Take the screenshots of the Lab window (docs/lab.md), one per experiment.

Run under a virtual display at the size the app is designed for:

    DIGITLAB_MNIST_DIR=../shared/mnist xvfb-run -s "-screen 0 1280x800x24" \
        python docs/screenshots/take_lab_screenshots.py [name ...]

Each experiment runs with its default settings (two more shots fit the ripple with 3 units and
with the tutorial's tiny initial weights) through its Start button (the numerical one on
its default 784-10-10 net, about half a minute), then the window is saved as ``lab-<name>.png``.
Settings go to a temporary DIGITLAB_HOME, so the user's own are never touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))


def main(keys: list[str]) -> int:
    os.environ["DIGITLAB_HOME"] = tempfile.mkdtemp(prefix="digitlab-shots-")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from digitlab.core.data import load_mnist
    from digitlab.gui.app import configure_pyqtgraph
    from digitlab.gui.lab import EXPERIMENT_KEYS, LabWindow
    from digitlab.gui.session import Session

    app = QApplication(sys.argv)
    app.setApplicationName("DigitLab")
    configure_pyqtgraph()
    session = Session()
    mnist_dir = Path(os.environ.get("DIGITLAB_MNIST_DIR", REPO.parent / "shared" / "mnist"))
    session.data = load_mnist(mnist_dir)
    window = LabWindow(session)
    window.resize(1280, 800)
    window.show()

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def ripple(tab, hidden: int, init: str) -> None:
        tab.function_box.setCurrentIndex(tab.function_box.findData("ripple"))
        tab.hidden_box.setValue(hidden)
        tab.init_box.setCurrentIndex(tab.init_box.findData(init))

    # name -> (experiment, changes to its default settings)
    shots = {key: (key, None) for key in EXPERIMENT_KEYS}
    shots["fitting-ripple-3"] = ("fitting", lambda tab: ripple(tab, 3, "xavier"))
    shots["fitting-ripple-tiny-init"] = ("fitting", lambda tab: ripple(tab, 8, "small"))
    # Start takes one step: 20 in all shows the backward pass at a weight gradient
    shots["backprop"] = ("backprop", lambda tab: [tab.next() for _ in range(19)])
    for name in keys or shots:
        key, setup = shots[name]
        tab = window.show_experiment(key)
        if setup is not None:
            setup(tab)
        wait(500)
        tab.start_button.click()
        while tab.is_running:
            wait(100)
        wait(400)
        path = HERE / f"lab-{name}.png"
        window.grab().save(str(path))
        print("saved", path.name, "-", tab.status.text())
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
