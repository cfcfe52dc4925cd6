"""Take the README's screenshots of the main window and its panels.

Run under a virtual display at the size the app is designed for:

    DIGITLAB_MNIST_DIR=../shared/mnist xvfb-run -s "-screen 0 1280x800x24" \
        python docs/screenshots/take_screenshots.py

It trains a few epochs of a small preset through the Start button, grabs the Training panel
mid-run, and the window, the Network panel and the Curves tab when the run has ended. Settings
go to a temporary DIGITLAB_HOME, so the user's own are never touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))


def main() -> int:
    os.environ["DIGITLAB_HOME"] = tempfile.mkdtemp(prefix="digitlab-shots-")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from digitlab.core.presets import get_preset
    from digitlab.gui.app import create_main_window

    app = QApplication(sys.argv)
    app.setApplicationName("DigitLab")
    window = create_main_window()
    window.resize(1280, 800)
    window.show()

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    wait(800)  # start-up data load
    session = window.session
    config = get_preset("tutorial-relu").with_settings(epochs=4, val_split=0.1, report_every=5)
    session.set_config(config)
    window.tabs.setCurrentWidget(window.curves_panel)
    wait(300)
    window.training_panel.train_button.click()
    done = QEventLoop()
    session.run_finished.connect(lambda _e: QTimer.singleShot(1500, done.quit))
    mid = QEventLoop()

    def maybe_mid(event) -> None:
        if event.epoch == 2 and event.batch >= event.batches_per_epoch // 2:
            mid.quit()

    session.batch_finished.connect(maybe_mid)
    mid.exec()
    session.batch_finished.disconnect(maybe_mid)
    wait(300)
    window.training_dock.grab().save(str(HERE / "training.png"))
    done.exec()
    window.grab().save(str(HERE / "main-window.png"))
    window.network_dock.grab().save(str(HERE / "network.png"))
    window.curves_panel.grab().save(str(HERE / "curves.png"))
    window.hide()
    print("saved", ", ".join(p.name for p in sorted(HERE.glob("*.png"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
