"""The Lab window: the teaching experiments as tabs, beside the main window."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSize
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QWidget

from ..widgets.fit_screen import ScrollingTabWidget, fit_to_screen
from .activations_tab import ActivationsTab
from .backprop_tab import BackpropTab
from .base import ExperimentWidget
from .boundary_tab import BoundaryTab
from .fitting_tab import FittingTab
from .losses_tab import LossesTab
from .numerical_tab import NumericalTab

#: the experiments in tab order
EXPERIMENT_TABS: tuple[type[ExperimentWidget], ...] = (
    NumericalTab, FittingTab, BoundaryTab, LossesTab, ActivationsTab, BackpropTab)
EXPERIMENT_KEYS = tuple(tab.key for tab in EXPERIMENT_TABS)
#: The size the window opens at where the screen is large enough (else the screen's free area).
DEFAULT_SIZE = (1240, 780)


class LabWindow(QMainWindow):
    """One tab per experiment. MNIST comes from ``session.data`` (read when a run starts).

    ``session`` is the app's :class:`~digitlab.gui.session.Session`, or any object with a
    ``data`` attribute; its ``data_changed`` signal, when it has one, refreshes the notices.
    """

    def __init__(self, session: QObject | object | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labWindow")
        self.setWindowTitle(self.tr("DigitLab \u2013 Lab"))
        self.session = session
        self.tabs = ScrollingTabWidget()  # an experiment scrolls on a small screen
        self.tabs.setObjectName("labTabs")
        self.tabs.setDocumentMode(True)
        titles = {"numerical": self.tr("Numerical vs backprop"), "fitting": self.tr("Function fitting"),
                  "boundary": self.tr("Decision boundary"), "losses": self.tr("MSE vs cross-entropy"),
                  "activations": self.tr("Activations && init"),
                  "backprop": self.tr("Backprop step by step")}
        self.experiments: dict[str, ExperimentWidget] = {}
        for tab_class in EXPERIMENT_TABS:
            tab = tab_class(self.mnist)
            self.experiments[tab.key] = tab
            self.tabs.addTab(tab, titles[tab.key])
        self.setCentralWidget(self.tabs)
        fit_to_screen(self, QSize(*DEFAULT_SIZE))
        data_changed = getattr(session, "data_changed", None)
        if data_changed is not None:
            data_changed.connect(self._on_data_changed)
        self._on_data_changed()

    def mnist(self):
        """The session's MNIST data, or None."""
        return getattr(self.session, "data", None)

    def show_experiment(self, key: str) -> ExperimentWidget:
        """Bring the window up on the experiment ``key`` (one of :data:`EXPERIMENT_KEYS`)."""
        tab = self.experiments[key]
        self.tabs.setCurrentWidget(tab)
        self.show()
        self.raise_()
        self.activateWindow()
        return tab

    @property
    def is_running(self) -> bool:
        return any(tab.is_running for tab in self.experiments.values())

    def stop_all(self, timeout_ms: int = 10000) -> bool:
        """Stop every running experiment and wait for its thread; False if one did not end."""
        return all([tab.stop_and_wait(timeout_ms) for tab in self.experiments.values()])

    def _on_data_changed(self) -> None:
        for tab in self.experiments.values():
            tab.update_data_notice()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.stop_all()
        super().closeEvent(event)
