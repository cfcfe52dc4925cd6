"""Screenshots of the whole screen at one resolution: the main window on every tab, the Lab, Help.

Run once per screen size under a virtual X server, on Qt's real X11 plugin:

    for size in 1024x600 1366x768 1920x1080; do
        DIGITLAB_MNIST_DIR=../shared/mnist QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 ${size}x24" \\
            python docs/screenshots/take_screen_size_screenshots.py --out /tmp/shots
    done

The main window fills the screen. With MNIST there, two short fine-tuning runs of the shipped
model come first (so Curves, Weights and Runs have content; ``--no-training`` skips them and the
Lab runs). Each run writes ``main-<size>-<tab>.png`` for every tab (Evaluate after an evaluation,
Runs with both runs selected), ``main-<size>-network-<page>.png`` for the Network panel's other
pages, ``lab-<size>-<experiment>.png`` (each experiment run once) and
``help-<size>.png`` to ``--out``: the
screen as a user would see it (Xvfb has no window manager, so no title bar is drawn; the windows
still keep the room for one). ``--readme`` also writes the README's pictures here:
``main-<size>.png`` (the tab given by ``--readme-tab``) and, at 1024x600, ``lab-1024x600.png``
and ``help.png``. Settings go to a temporary DIGITLAB_HOME.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "digitlab-shots")
    parser.add_argument("--readme", action="store_true", help="also write the README's pictures")
    parser.add_argument("--no-training", action="store_true", help="skip the two short runs")
    parser.add_argument("--readme-tab", default="evaluate", help="the tab main-<size>.png shows")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ["DIGITLAB_HOME"] = tempfile.mkdtemp(prefix="digitlab-shots-")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from digitlab.gui.app import configure_pyqtgraph, create_main_window

    app = QApplication(sys.argv)
    app.setApplicationName("DigitLab")
    configure_pyqtgraph()
    window = create_main_window()
    window.showMaximized()
    screen = window.screen()
    # Xvfb has no window manager to honour the maximise: fill the screen by hand.
    window.setGeometry(screen.availableGeometry())
    size = f"{screen.size().width()}x{screen.size().height()}"

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def shoot(name: str) -> Path:
        wait(400)
        path = args.out / name
        screen.grabWindow(0).save(str(path))
        return path

    wait(1500)  # start-up data load
    if window.session.data is not None and not args.no_training:
        # Two short fine-tuning runs of the loaded model, so Curves, Weights and Runs have content
        # (the second with a different learning rate, so the Runs panel has a setting that differs).
        for lr in (2e-4, 5e-4):
            config = window.session.config.with_settings(epochs=2, lr=lr, snapshot_every=20,
                                                         train_limit=6000, val_split=0.1)
            done = QEventLoop()
            window.session.run_finished.connect(lambda _event, loop=done: QTimer.singleShot(800, loop.quit))
            window.session.start_training(config, continue_training=True)
            done.exec()
        window.runs_panel.refresh()
        window.runs_panel.select_ids(set(window.runs_panel.runs))
    tabs = {"curves": window.curves_panel, "weights": window.weights_panel, "draw": window.draw_panel,
            "evaluate": window.evaluate_panel, "data": window.data_panel, "runs": window.runs_panel}
    shots = {}
    for key, panel in tabs.items():
        window.tabs.setCurrentWidget(panel)
        if key == "evaluate" and window.session.data is not None:
            panel.start_evaluation()
            while panel.is_running:
                wait(100)
        shots[key] = shoot(f"main-{size}-{key}.png")
        if key == "draw":  # the Inside tab, each view, on the first test digit
            inside = window.inside_panel
            window.tabs.setCurrentWidget(inside)
            for i in range(inside.views.count()):
                inside.views.setCurrentIndex(i)
                name = inside.views.widget(i).objectName()
                shoot(f"main-{size}-inside-{name}.png")
    # The Network panel's pages other than Layers (the Data page holds the augmentation settings).
    network_tabs = window.network_panel.tabs
    for index in range(1, network_tabs.count()):
        network_tabs.setCurrentIndex(index)
        shoot(f"main-{size}-network-{network_tabs.tabText(index).lower()}.png")
    network_tabs.setCurrentIndex(0)
    if args.readme:
        shots[args.readme_tab].replace(HERE / f"main-{size}.png")
    help_window = window.show_user_guide()
    help_path = shoot(f"help-{size}.png")
    help_window.close()
    lab = None
    for key in ("numerical", "fitting", "boundary", "losses", "activations", "backprop"):
        lab = window.lab_menu.launcher.open(key)
        if key == "backprop":  # stepped, not run: show the forward pass and a few gradients
            tab = lab.show_experiment(key)
            for _ in range(14):
                tab.next()
        elif not args.no_training:  # run the experiment, so its plots have content
            tab = lab.show_experiment(key)
            tab.start_button.click()
            while tab.is_running:
                wait(100)
        path = shoot(f"lab-{size}-{key}.png")
        if args.readme and size == "1024x600" and key == "activations":
            path.replace(HERE / "lab-1024x600.png")
    if args.readme and size == "1024x600":
        help_path.replace(HERE / "help.png")
    if lab is not None:
        lab.close()
    print(f"{size}: window {window.frameGeometry().getRect()} minimum "
          f"{window.minimumSizeHint().width()}x{window.minimumSizeHint().height()}; "
          f"lab minimum {lab.minimumSizeHint().width()}x{lab.minimumSizeHint().height()}; "
          f"shots in {args.out}")
    window.session.stop_and_wait()
    window.hide()
    return 0


if __name__ == "__main__":
    sys.exit(main())
