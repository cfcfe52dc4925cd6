"""A first run on a small screen: windows fit 1024x600, the Help menu, quitting, the Data panel's texts."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from digitlab import paths
from digitlab.core.data import MnistData
from digitlab.download import MNIST_FILES, total_bytes
from digitlab.gui.app import create_main_window
from digitlab.gui.help_window import documentation_folder, plain_menu_text
from digitlab.gui.lab import EXPERIMENT_KEYS, LabWindow
from digitlab.gui.panels.data_panel import DataPanel
from digitlab.gui.session import IDLE, Session
from digitlab.gui.widgets.fit_screen import MAXIMUM_MINIMUM_SIZE, fitted_rect

Button = QMessageBox.StandardButton


@pytest.fixture
def random_mnist() -> MnistData:
    """A small, unlearnable MNIST: enough to evaluate and to fill every panel."""
    rng = np.random.default_rng(3)
    images = rng.integers(0, 256, (300, 28, 28), dtype=np.uint8)
    labels = (np.arange(300) % 10).astype(np.uint8)
    return MnistData(images[:200], labels[:200], images[200:], labels[200:], "random")


@pytest.fixture
def asked(monkeypatch) -> list[str]:
    """Titles of the modal questions asked; every one is answered Cancel."""
    titles: list[str] = []

    def question(parent, title, *args, **kwargs):
        titles.append(title)
        return Button.Cancel

    monkeypatch.setattr(QMessageBox, "question", question)
    return titles


@pytest.fixture
def window(qtbot, monkeypatch, random_mnist, asked):
    monkeypatch.delenv("DIGITLAB_MNIST_DIR", raising=False)
    w = create_main_window()
    qtbot.addWidget(w)
    w.session.data = random_mnist
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.session.stop_and_wait()
    w.session.dirty = False  # let the fixture close it without asking


def fits(size: QSize, limit: QSize = MAXIMUM_MINIMUM_SIZE) -> bool:
    return size.width() <= limit.width() and size.height() <= limit.height()


def minimums(widget) -> tuple[QSize, QSize]:
    QApplication.processEvents()
    return widget.minimumSizeHint(), widget.minimumSize()


# -- fits the screen -----------------------------------------------------------------------------
def test_main_window_minimum_fits_a_netbook_on_every_tab_and_after_evaluating(qtbot, window):
    """The main window can shrink to 1000x520 whatever the tab, and still after an evaluation."""
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        hint, minimum = minimums(window)
        assert fits(hint) and fits(minimum), (window.tabs.tabText(index), hint, minimum)
    window.tabs.setCurrentWidget(window.evaluate_panel)
    assert window.evaluate_panel.start_evaluation()
    qtbot.waitUntil(lambda: window.evaluate_panel.evaluation is not None
                    and not window.evaluate_panel.is_running, timeout=20000)
    hint, minimum = minimums(window)
    assert fits(hint) and fits(minimum), (hint, minimum)
    window.resize(MAXIMUM_MINIMUM_SIZE)
    QApplication.processEvents()
    assert window.width() <= 1000 and window.height() <= 520  # Qt really lets it that small


@pytest.mark.slow
def test_lab_window_minimum_fits_a_netbook_on_every_experiment(qtbot, random_mnist):
    """The Lab window can shrink to 1000x520 on every experiment (it opened at 1240x780)."""
    session = Session()
    session.data = random_mnist
    lab = LabWindow(session)
    qtbot.addWidget(lab)
    for key in EXPERIMENT_KEYS:
        lab.show_experiment(key)
        hint, minimum = minimums(lab)
        assert fits(hint) and fits(minimum), (key, hint, minimum)
    assert lab.tabs.currentWidget() is lab.experiments[EXPERIMENT_KEYS[-1]]


@pytest.mark.parametrize("screen", [QRect(0, 0, 1024, 600), QRect(0, 24, 1366, 744),
                                    QRect(1920, 0, 1920, 1080)])
def test_saved_geometry_from_a_big_monitor_is_brought_inside(screen):
    """A 1800x1100 window saved far off to the side comes back inside the screen, below a title bar."""
    rect = fitted_rect(QRect(3000, 900, 1800, 1100), screen, QSize(700, 450))
    assert screen.adjusted(4, 32, -4, -4).contains(rect)
    inside = QRect(screen.left() + 10, screen.top() + 40, 800, 500)
    assert fitted_rect(inside, screen, QSize(700, 450)) == inside  # already fits: unchanged


def test_a_minimum_larger_than_the_screen_keeps_the_top_left_corner_visible():
    """When even the minimum does not fit, the menus (top left) stay on the screen."""
    rect = fitted_rect(QRect(500, 500, 900, 900), QRect(0, 0, 640, 480), QSize(700, 520))
    assert rect.size() == QSize(700, 520) and rect.topLeft() == QPoint(4, 32)


#: Run in a fresh interpreter on an offscreen screen of the given size: a main window is closed
#: at 1.5 times the screen's size far off to the side, then the next one and the Lab open.
OPEN_ON_SCREEN = """
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from digitlab.gui.app import create_main_window
first = create_main_window()
available = first.screen().availableGeometry()
first.show()
first.resize(available.width() * 3 // 2, available.height() * 3 // 2)
first.move(available.right() + 400, available.bottom() + 300)
first.close()
second = create_main_window()
second.show()
app.processEvents()
lab = second.lab_menu.launcher.open("activations")
app.processEvents()
rect = lambda r: [r.x(), r.y(), r.width(), r.height()]
print(json.dumps({"available": rect(available), "main": rect(second.frameGeometry()),
                  "lab": rect(lab.frameGeometry())}))
second.session.stop_and_wait()
"""


@pytest.mark.slow
@pytest.mark.parametrize("size", [(1024, 600), (1366, 768)])
def test_windows_open_inside_the_screen(size, tmp_path):
    """On a 1024x600 or 1366x768 screen, a window saved bigger than it and the Lab open inside it."""
    import json
    import os
    import subprocess
    import sys

    width, height = size
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "Screen", "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96,
                                               "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "DIGITLAB_HOME": str(tmp_path / "home"), "DIGITLAB_LANG": "en"}
    env.pop("DIGITLAB_MNIST_DIR", None)
    result = subprocess.run([sys.executable, "-c", OPEN_ON_SCREEN], capture_output=True, text=True,
                            timeout=120, env=env, check=False)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    available = QRect(*found["available"])
    assert available == QRect(0, 0, width, height)
    for window in ("main", "lab"):
        assert available.contains(QRect(*found[window])), (window, found[window])


# -- Help menu -----------------------------------------------------------------------------------
def test_f1_opens_the_user_guide_without_blocking(qtbot, window):
    """F1 shows the guide in its own non-modal window; the main window keeps working."""
    QTest.keyClick(window, Qt.Key.Key_F1)
    guide = window.help.guide
    assert guide is not None and guide.isVisible() and not guide.isModal()
    assert QApplication.activeModalWidget() is None and window.isEnabled()
    text = guide.browser.toPlainText()
    for step in ("Draw.", "Train.", "Evaluate.", "Save."):
        assert step in text
    assert f"{total_bytes() / 1e6:.1f} MB" in text
    for row in range(guide.sections.count()):  # every section has a page
        guide.sections.setCurrentRow(row)
        assert len(guide.browser.toPlainText()) > 80
    window.tabs.setCurrentIndex(1)  # the main window still takes input
    assert window.tabs.currentIndex() == 1


def test_shortcut_list_is_read_from_the_menus(qtbot, window):
    """The shortcut table shows the menus' real keys, and follows a change of one."""
    window.help.shortcuts_action.trigger()
    text = window.help.guide.browser.toPlainText()
    for key in ("F1", "F5", "F6", "Shift+F5", "Ctrl+S", "Ctrl+Q", "Esc"):
        assert re.search(rf"(^|\s){re.escape(key)}(\s|$)", text), key
    assert "Quit" in text and "Start training" in text
    window.save_as_action.setShortcut(QKeySequence("Ctrl+Alt+J"))
    window.help.shortcuts_action.trigger()
    assert "Ctrl+Alt+J" in window.help.guide.browser.toPlainText()


def test_menu_texts_lose_their_accelerators_in_both_languages():
    """The shortcut table names "File ▸ Save", never "&Save" or the Chinese "保存(S)"."""
    assert plain_menu_text("&Save") == "Save" and plain_menu_text("保存(&S)") == "保存"
    assert plain_menu_text("Activations && init") == "Activations & init"


def test_folder_actions_open_the_models_and_docs_folders(qtbot, window, monkeypatch):
    """Open models folder creates and shows the models folder; the docs action shows docs/."""
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    window.help.models_action.trigger()
    assert opened[-1].toLocalFile() == str(paths.models_dir()) and paths.models_dir().is_dir()
    docs = documentation_folder()
    assert window.help.docs_action.isEnabled() == (docs is not None)
    if docs is not None:
        window.help.docs_action.trigger()
        assert opened[-1].toLocalFile() == str(docs) and (docs / "lab.md").is_file()


# -- quitting --------------------------------------------------------------------------------------
def test_ctrl_q_with_unsaved_trained_weights_asks_first(qtbot, window, asked):
    """Ctrl+Q after training asks about the unsaved weights; Cancel keeps the window open."""
    from digitlab.core.config import NetworkSpec, TrainConfig

    config = TrainConfig(NetworkSpec(({"type": "dense", "units": 10}, {"type": "softmax"}))
                         ).with_settings(optimizer="sgd", lr=0.1, batch_size=50, epochs=1)
    window.session.set_config(config)
    with qtbot.waitSignal(window.session.run_finished, timeout=20000):
        window.training_panel.start()
    qtbot.waitUntil(lambda: window.session.state == IDLE, timeout=5000)
    assert window.session.dirty
    QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["Unsaved model"] and window.isVisible()
    window.session.dirty = False
    QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible() and asked == ["Unsaved model"]  # nothing to save: no question


# -- the Data panel's texts ------------------------------------------------------------------------
def test_download_size_is_stated_once_and_the_same_everywhere(qtbot):
    """The help text beside the button gives the button's size (11.6 MB), not "about 11 MB"."""
    panel = DataPanel(Session())
    qtbot.addWidget(panel)
    size = f"{total_bytes(MNIST_FILES) / 1e6:.1f} MB"
    assert size == "11.6 MB"
    assert size in panel.download_button.text() and size in panel.help_label.text()
    assert "about 11 MB" not in panel.help_label.text()


def test_offline_and_missing_data_messages_name_no_command_line(qtbot, tmp_path):
    """Download failing offline, or a folder without MNIST: the panel names its buttons, not commands."""
    panel = DataPanel(Session(), mirrors=("http://127.0.0.1:9/",))
    qtbot.addWidget(panel)
    panel.show()
    assert panel.start_download()
    qtbot.waitUntil(lambda: not panel.is_busy and panel.error_label.isVisible(), timeout=20000)
    panel.load_folder(tmp_path / "nothing-here")
    for text in (panel.error_label.text(), panel.help_label.text()):
        assert "digitlab " not in text and "--data" not in text and "`" not in text
    panel.start_download()
    qtbot.waitUntil(lambda: not panel.is_busy and panel.error_label.isVisible(), timeout=20000)
    error = panel.error_label.text()
    assert "Could not download" in error and "Import local files" in error
    assert "digitlab import-data" not in error and "--data" not in error
