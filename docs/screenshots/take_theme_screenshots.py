"""Screenshots of the main window and the Lab in a light and a dark desktop theme.

Run under a virtual display, once per theme:

    DIGITLAB_MNIST_DIR=../shared/mnist xvfb-run -s "-screen 0 1280x800x24" \
        python docs/screenshots/take_theme_screenshots.py --theme dark

A bare X server has no desktop theme, so ``--theme dark`` applies the palette a dark desktop
would give Qt (Fusion style, dark window and base colours); DigitLab itself only reads the
palette. The pretrained model is fine-tuned for one short epoch so the curves, weights and
evaluation have data. Writes ``main-<theme>.png`` (Curves tab), ``weights-<theme>.png``,
``draw-<theme>.png``, ``evaluate-<theme>.png`` and ``lab-<theme>.png``. Settings go to a
temporary DIGITLAB_HOME.
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

DARK = {"Window": "#2b2b2b", "WindowText": "#e6e6e6", "Base": "#1e1e1e",
        "AlternateBase": "#333333", "Text": "#e6e6e6", "Button": "#353535",
        "ButtonText": "#e6e6e6", "Mid": "#5a5a5a", "Light": "#4a4a4a", "Dark": "#1a1a1a",
        "ToolTipBase": "#333333", "ToolTipText": "#e6e6e6", "Highlight": "#3d7ad6",
        "HighlightedText": "#ffffff", "PlaceholderText": "#9a9a9a", "BrightText": "#ffffff"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    parser.add_argument("--size", default="1280x800")
    args = parser.parse_args()
    os.environ["DIGITLAB_HOME"] = tempfile.mkdtemp(prefix="digitlab-shots-")

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    app.setApplicationName("DigitLab")
    app.setStyle("Fusion")
    if args.theme == "dark":
        palette = QPalette()
        for role, colour in DARK.items():
            palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
        for role in ("WindowText", "Text", "ButtonText"):  # greyed out when disabled, as themes do
            palette.setColor(QPalette.ColorGroup.Disabled, getattr(QPalette.ColorRole, role),
                             QColor("#7a7a7a"))
        QApplication.setPalette(palette)

    from digitlab.gui.app import create_main_window
    from digitlab.gui.lab import LabWindow

    width, height = (int(v) for v in args.size.split("x"))

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def save(widget, name: str) -> None:
        path = HERE / f"{name}-{args.theme}.png"
        widget.grab().save(str(path))
        print("saved", path)

    window = create_main_window()
    window.resize(width, height)
    window.show()
    wait(1000)  # start-up: the shipped model and MNIST load
    session = window.session
    if session.data is None:
        print("no MNIST: set DIGITLAB_MNIST_DIR", file=sys.stderr)
        return 1
    session.set_config(session.config.with_settings(epochs=1, lr=2e-4, train_limit=8000))
    window.training_panel.continue_check.setChecked(True)
    done = QEventLoop()
    session.run_finished.connect(lambda _event: QTimer.singleShot(1200, done.quit))
    window.tabs.setCurrentWidget(window.curves_panel)
    window.training_panel.train_button.click()
    done.exec()
    save(window, "main")
    window.tabs.setCurrentWidget(window.weights_panel)
    wait(800)
    save(window, "weights")
    window.tabs.setCurrentWidget(window.draw_panel)
    # A '3' as two bows, in the canvas's unit square (strokes are (x, y) from the top left).
    bows = [[(0.35 + 0.2 * math.sin(math.pi * k / 12), 0.22 + 0.14 * (1 - math.cos(math.pi * k / 12)))
             for k in range(13)],
            [(0.35 + 0.22 * math.sin(math.pi * k / 12), 0.50 + 0.15 * (1 - math.cos(math.pi * k / 12)))
             for k in range(13)]]
    window.draw_panel.canvas.set_strokes(bows)
    window.draw_panel.predict_now()
    wait(500)
    save(window, "draw")
    window.tabs.setCurrentWidget(window.evaluate_panel)
    window.evaluate_panel.start_evaluation()
    while window.evaluate_panel.is_running:
        wait(100)
    wait(500)
    save(window, "evaluate")

    lab = LabWindow(session)
    lab.resize(width, height)
    lab.show()
    wait(300)
    lab.show_experiment("fitting")  # its target is drawn before any run
    wait(500)
    save(lab, "lab")
    lab.close()
    window.hide()
    return 0


if __name__ == "__main__":
    sys.exit(main())
