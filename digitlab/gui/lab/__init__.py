"""The teaching lab in the GUI: a window of experiments and the "Lab" menu that opens it.

Hook it into the main window with one call after the menus are built::

    from .lab import install_lab_menu
    install_lab_menu(self)          # self: the QMainWindow, with a ``session`` attribute

The menu costs nothing at start-up: the Lab window and its experiments (with their plotting
and core modules) are imported when the menu first opens one (``LabLauncher.open``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu

if TYPE_CHECKING:
    from .lab_window import LabWindow

__all__ = ["EXPERIMENT_KEYS", "LabLauncher", "LabWindow", "install_lab_menu"]


def __getattr__(name: str) -> Any:
    # EXPERIMENT_KEYS and LabWindow import the whole Lab: only when someone asks for them.
    if name in ("EXPERIMENT_KEYS", "LabWindow"):
        from . import lab_window

        return getattr(lab_window, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _tr(text: str) -> str:
    return QCoreApplication.translate("Lab", text)


class LabLauncher(QObject):
    """Opens the one Lab window of a main window, and stops its runs when the app goes away."""

    def __init__(self, main_window: QMainWindow) -> None:
        super().__init__(main_window)
        self.setObjectName("labLauncher")
        self.main_window = main_window
        self.window: LabWindow | None = None
        main_window.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    def open(self, key: str) -> LabWindow:
        """Show the Lab window (created on first use) on the experiment ``key``."""
        if self.window is None:
            from .lab_window import LabWindow  # the first open pays for the Lab's imports

            self.window = LabWindow(getattr(self.main_window, "session", None), self.main_window)
        self.window.show_experiment(key)
        return self.window

    def shutdown(self) -> None:
        """Stop every lab run and wait for its thread (before the app or the window goes)."""
        if self.window is not None:
            self.window.stop_all()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # The main window may refuse to close (unsaved weights); look once the close is decided.
        if watched is self.main_window and event.type() == QEvent.Type.Close:
            QTimer.singleShot(0, self._after_main_window_close)
        return False

    def _after_main_window_close(self) -> None:
        if self.window is not None and not self.main_window.isVisible():
            self.window.close()


def install_lab_menu(main_window: QMainWindow) -> QMenu:
    """Add a "Lab" menu (before Help, if there is one) with one action per experiment.

    Each action opens the Lab window on its experiment. MNIST comes from
    ``main_window.session.data`` when a run starts. Returns the menu.
    """
    launcher = LabLauncher(main_window)
    menu = QMenu(_tr("&Lab"), main_window)
    menu.setObjectName("labMenu")
    entries = {
        "numerical": (_tr("&Numerical vs backprop gradients\u2026"),
                      _tr("Train one net with numerical and with backprop gradients; compare time and a "
                          "gradient check")),
        "fitting": (_tr("&Fitting a 2-D function\u2026"),
                    _tr("Fit x\u00b2+y\u00b2, x\u00b2\u2212y\u00b2 or a ripple with one sigmoid "
                        "hidden layer")),
        "boundary": (_tr("&Decision boundary of drawn points\u2026"),
                     _tr("Click two classes of points and watch a network separate them")),
        "losses": (_tr("&MSE vs cross-entropy\u2026"),
                   _tr("The tutorial's worked loss values, and the two losses racing on MNIST")),
        "activations": (_tr("&Activations and initialisation\u2026"),
                        _tr("Sigmoid vs ReLU, std 0.01 vs He: histograms and vanishing gradients")),
        "backprop": (_tr("&Backpropagation step by step\u2026"),
                     _tr("A 4-3-2 network on one sample: every value forward, every gradient back, "
                         "each checked against the numerical derivative")),
    }
    for key, (text, tip) in entries.items():  # in the Lab window's tab order (a test checks)
        action = QAction(text, menu)
        action.setObjectName(f"labAction_{key}")
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False, k=key: launcher.open(k))
        menu.addAction(action)
    bar = main_window.menuBar()
    help_action = next((a for a in bar.actions() if a.menu() is not None and (
        a.menu().objectName() == "helpMenu" or a.text().replace("&", "") == _tr("Help"))), None)
    if help_action is not None:
        bar.insertMenu(help_action, menu)
    else:
        bar.addMenu(menu)
    menu.launcher = launcher  # reachable for tests and for the main window
    return menu
