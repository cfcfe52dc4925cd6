"""Screenshot the main window in a translation (default Simplified Chinese), to check for clipping.

Run under a virtual display at the size the app is designed for (a CJK font must be installed,
e.g. Debian's fonts-noto-cjk or fonts-wqy-microhei; ``fc-list :lang=zh`` lists them):

    DIGITLAB_MNIST_DIR=../shared/mnist xvfb-run -s "-screen 0 1280x800x24" \\
        python docs/screenshots/take_translation_screenshots.py [zh_CN] [--all]

It trains two epochs of a small preset through the Start button so the curves and the Training
panel show real text, then saves ``main-window-<lang short>.png`` (``main-window-zh.png``). With
``--all`` it also saves each tab, the Lab window's tabs and the open View menu to a temporary
folder for a look (not for the docs). Settings go to a temporary DIGITLAB_HOME.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))


def main(argv: list[str]) -> int:
    language = next((a for a in argv if not a.startswith("-")), "zh_CN")
    os.environ["DIGITLAB_HOME"] = tempfile.mkdtemp(prefix="digitlab-shots-")
    os.environ["DIGITLAB_LANG"] = language
    from PySide6.QtCore import QEventLoop, QPoint, QTimer
    from PySide6.QtWidgets import QApplication, QMenu, QTabWidget

    from digitlab.core.presets import get_preset
    from digitlab.gui.app import create_main_window, install_translators

    app = QApplication(sys.argv[:1])
    app.setApplicationName("DigitLab")
    translators = install_translators(app)  # noqa: F841 - kept alive while the window lives
    window = create_main_window()
    window.resize(1280, 800)
    window.show()

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    wait(800)  # start-up data load
    session = window.session
    if session.data is not None:
        session.set_config(get_preset("tutorial-relu").with_settings(epochs=2, val_split=0.1, report_every=5))
        window.tabs.setCurrentWidget(window.curves_panel)
        done = QEventLoop()
        session.run_finished.connect(lambda _e: QTimer.singleShot(1500, done.quit))
        window.training_panel.train_button.click()
        done.exec()
    name = f"main-window-{language.split('_')[0]}.png"
    window.grab().save(str(HERE / name))
    saved = [HERE / name]
    if "--all" in argv:
        folder = Path(tempfile.mkdtemp(prefix=f"digitlab-{language}-"))
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            wait(400)
            saved.append(folder / f"tab-{index}.png")
            window.grab().save(str(saved[-1]))
        for tabs in window.network_panel.findChildren(QTabWidget):
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                wait(200)
                saved.append(folder / f"network-{index}.png")
                window.network_dock.grab().save(str(saved[-1]))
        languages = window.findChild(QMenu, "languageMenu")
        view = next(a.menu() for a in window.menuBar().actions()
                    if a.menu() is not None and languages.menuAction() in a.menu().actions())
        for menu, where in ((view, QPoint(120, 20)), (languages, QPoint(320, 120))):
            menu.popup(window.mapToGlobal(where))
            wait(300)
            saved.append(folder / f"{menu.objectName() or 'view'}.png")
            menu.grab().save(str(saved[-1]))
        languages.close()
        view.close()
        from digitlab.gui.lab import LabLauncher
        from digitlab.gui.lab.lab_window import EXPERIMENT_KEYS

        launcher = LabLauncher(window)
        for key in EXPERIMENT_KEYS:
            lab = launcher.open(key)
            lab.resize(1280, 800)
            wait(500)
            saved.append(folder / f"lab-{key}.png")
            lab.grab().save(str(saved[-1]))
        launcher.shutdown()
        lab.close()
    window.hide()
    print("saved", ", ".join(str(p) for p in saved))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
