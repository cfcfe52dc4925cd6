"""DigitLab's main window: the panels around one session, the File menu and the settings.

Layout (made for 1280x800, usable down to 1024x600): the Network panel docked on the left at full
height, the Training controls docked at the bottom, and the Curves, Weights, Draw, Evaluate and
Data panels as tabs in the middle; every panel scrolls on a screen too small for it. Errors never
block: they open a window-modal message box with ``open()`` (object name ``errorMessage``) or go
to the status bar. Only questions that need an answer before the window can go on (unsaved
weights, training in progress) ask with a modal question.

(About 500 lines: the window is where the File menu's model actions meet the session, the
panels, the settings and closing; each piece is short, and the panels, help, export dialog,
Lab and job helper live in their own modules.)
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from .. import __version__, paths
from ..assets import pretrained_model_path
from ..core.data import find_mnist_files
from ..core.errors import DataError, ModelFileError
from . import jobs
from .export_dialog import export_current_model
from .help_window import HelpActions, UserGuideWindow
from .inside.context import InsideContext
from .lab import install_lab_menu
from .language import LanguageMenu
from .panels.draw_panel import DrawPanel
from .panels.network_panel import NetworkPanel
from .panels.training_panel import TrainingPanel
from .session import IDLE, Session
from .settings import AppSettings
from .widgets.fit_screen import ScrollingTabWidget, fit_to_screen, scrolled

if TYPE_CHECKING:
    from .inside.inside_panel import InsidePanel
    from .panels.curves_panel import CurvesPanel
    from .panels.data_panel import DataPanel
    from .panels.evaluate_panel import EvaluatePanel
    from .panels.runs_panel import RunsPanel
    from .panels.weights_panel import WeightsPanel

#: The size the window opens at the first time, where the screen is large enough.
DEFAULT_SIZE = (1280, 800)

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """The application window. It owns the one :class:`Session` every panel shares.

    Parameters
    ----------
    model_path : a model file to open at start-up instead of the shipped pretrained model.
    settings : where settings live (default: the user's settings file).
    """

    def __init__(self, model_path: str | Path | None = None, settings: AppSettings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.settings = settings or AppSettings()
        self.session = Session(self)
        self.session.checkpoint_path = paths.models_dir() / "checkpoint.npz"
        self._close_when_idle = False
        self._unexpected_box: QMessageBox | None = None

        remembered = self.settings.train_config()
        if remembered is not None:
            self.session.set_config(remembered)
        self._build_panels()
        self._build_menus()
        self.lab_menu = install_lab_menu(self)
        self._build_status_bar()
        self.session.dirty_changed.connect(self._update_title)
        self.session.path_changed.connect(self._update_title)
        self.session.state_changed.connect(self._on_state_changed)
        self.session.config_changed.connect(self.settings.set_train_config)
        self.session.data_changed.connect(self._on_data_changed)
        self.session.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.session.run_failed.connect(
            lambda text: self.show_error(self.tr("Training failed"), text))
        self._open_startup_model(model_path, remembered)
        self._restore_layout()
        self._update_title()
        self._on_data_changed()
        # After the window is shown: look for MNIST where it was last time (no download, no dialog).
        QTimer.singleShot(0, self.load_startup_data)
        if self.settings.problems:  # a damaged settings file was reset; say so once
            QTimer.singleShot(0, self._report_settings_problems)

    # == construction ======================================================================
    def _build_panels(self) -> None:
        session = self.session
        self.network_panel = NetworkPanel(session)
        self.training_panel = TrainingPanel(session)
        self.training_panel.before_start = self._before_training
        self.draw_panel = DrawPanel(session)
        # The Inside tab looks at what is drawn (until a test digit is picked there); its one
        # current digit lives here, so the tab itself can wait until it is first shown.
        self.inside_context = InsideContext(self)
        self.draw_panel.network_input_changed.connect(self.inside_context.set_image)
        self.tabs = ScrollingTabWidget()  # a page scrolls rather than grow the window
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self._deferred_tabs: dict[str, QWidget] = {}
        for panel, title in (("curves", self.tr("Curves")),
                             ("weights", self.tr("Weights")),
                             (self.draw_panel, self.tr("Draw")),
                             ("inside", self.tr("Inside")),
                             ("evaluate", self.tr("Evaluate")),
                             ("data", self.tr("Data")),
                             ("runs", self.tr("Runs"))):
            if isinstance(panel, str):
                # Built when first shown or asked for: each shows the session's state whenever it
                # is built (the run's batch losses so far, the current weights, no evaluation
                # yet, the data loaded now, the run history read then), so waiting loses nothing;
                # the plotting library is imported with the first of them.
                self._deferred_tabs[panel] = self.tabs.add_deferred_tab(
                    getattr(self, f"_build_{panel}_panel"), title)
            else:
                self.tabs.addTab(panel, title)
        self.setCentralWidget(self.tabs)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks
                            | QMainWindow.DockOption.AllowTabbedDocks)
        self.network_dock = self._dock(self.network_panel, self.tr("Network"), "networkDock",
                                       Qt.DockWidgetArea.LeftDockWidgetArea)
        self.training_dock = self._dock(self.training_panel, self.tr("Training"), "trainingDock",
                                        Qt.DockWidgetArea.BottomDockWidgetArea)

    @property
    def curves_panel(self) -> CurvesPanel:
        """The Curves tab's panel (built on first use)."""
        return self.tabs.build_page(self._deferred_tabs["curves"])

    @property
    def weights_panel(self) -> WeightsPanel:
        """The Weights tab's panel (built on first use)."""
        return self.tabs.build_page(self._deferred_tabs["weights"])

    @property
    def evaluate_panel(self) -> EvaluatePanel:
        """The Evaluate tab's panel (built on first use)."""
        return self.tabs.build_page(self._deferred_tabs["evaluate"])

    @property
    def runs_panel(self) -> RunsPanel:
        """The Runs tab's panel (built on first use)."""
        return self.tabs.build_page(self._deferred_tabs["runs"])

    @property
    def data_panel(self) -> DataPanel:
        """The Data tab's panel (built on first use)."""
        return self.tabs.build_page(self._deferred_tabs["data"])

    @property
    def inside_panel(self) -> InsidePanel:
        """The Inside tab's panel (built on first use)."""
        return self.tabs.build_page(self._deferred_tabs["inside"])

    def _build_curves_panel(self) -> CurvesPanel:
        from .panels.curves_panel import CurvesPanel

        return CurvesPanel(self.session)

    def _build_weights_panel(self) -> WeightsPanel:
        from .panels.weights_panel import WeightsPanel

        return WeightsPanel(self.session)

    def _build_inside_panel(self) -> InsidePanel:
        from .inside.inside_panel import InsidePanel  # its views and their plots with it

        return InsidePanel(self.session, context=self.inside_context)

    def _build_data_panel(self) -> DataPanel:
        from .panels.data_panel import DataPanel  # the downloader (http, ssl) with it

        return DataPanel(self.session)

    def _build_evaluate_panel(self) -> EvaluatePanel:
        from .panels.evaluate_panel import EvaluatePanel

        return EvaluatePanel(self.session, settings=self.settings)

    def _build_runs_panel(self) -> RunsPanel:
        from .panels.runs_panel import RunsPanel  # the run store (sqlite) with it

        return RunsPanel(self.session)

    def _dock(self, panel: QWidget, title: str, name: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        if area == Qt.DockWidgetArea.LeftDockWidgetArea:
            # A short screen scrolls the Network panel (full height) rather than cut it off.
            area_widget = scrolled(panel)
            area_widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            extent = area_widget.verticalScrollBar().sizeHint().width()
            area_widget.setMinimumWidth(panel.minimumSizeHint().width() + extent)
            dock.setWidget(area_widget)
        else:
            dock.setWidget(panel)  # the Training panel is small: it fits as it is
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&File"))
        self.new_action = self._action(menu, self.tr("&New model"), QKeySequence.StandardKey.New,
                                       self.new_model, self.tr("Fresh random weights for the "
                                                               "configuration in the Network panel"))
        self.open_action = self._action(menu, self.tr("&Open\u2026"), QKeySequence.StandardKey.Open,
                                        self.open_model_dialog, self.tr("Open a saved model"))
        self.recent_menu = menu.addMenu(self.tr("Open &recent"))
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        menu.addSeparator()
        self.save_action = self._action(menu, self.tr("&Save"), QKeySequence.StandardKey.Save,
                                        self.save_model, self.tr("Save the model, its settings "
                                                                 "and curves"))
        self.save_as_action = self._action(menu, self.tr("Save &as\u2026"), QKeySequence("Ctrl+Shift+S"),
                                           self.save_model_as, self.tr("Save the model to a new file"))
        self.export_action = self._action(menu, self.tr("&Export\u2026"), None, self.export_model_dialog,
                                          self.tr("Write the model as ONNX or as a NumPy-only folder"))
        menu.addSeparator()
        self._action(menu, self.tr("&Quit"), QKeySequence("Ctrl+Q"), self.close,
                     self.tr("Close DigitLab"))

        training = self.menuBar().addMenu(self.tr("&Training"))
        for action in (self.training_panel.start_action, self.training_panel.pause_action,
                       self.training_panel.stop_action):
            training.addAction(action)

        view = self.menuBar().addMenu(self.tr("&View"))
        view.addAction(self.network_dock.toggleViewAction())
        view.addAction(self.training_dock.toggleViewAction())
        view.addSeparator()
        self._action(view, self.tr("&Reset layout"), None, self.reset_layout,
                     self.tr("Put the panels back where they started"))
        view.addSeparator()
        view.addMenu(LanguageMenu(self.settings, self))  # applies on the next start

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.setObjectName("helpMenu")  # found by name whatever the language (Lab menu)
        self.help = HelpActions(self, help_menu)  # user guide (F1), shortcuts, folders
        self._action(help_menu, self.tr("&About DigitLab"), None, self.show_about,
                     self.tr("Version, licence, data and model folders"))

    def _action(self, menu, text: str, shortcut, slot, tip: str) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_status_bar(self) -> None:
        self.data_status = QLabel()
        self.data_status.setObjectName("dataStatus")
        self.statusBar().addPermanentWidget(self.data_status)

    def _restore_layout(self) -> None:
        self._default_state = self.saveState()
        geometry, state = self.settings.window_geometry(), self.settings.window_state()
        if geometry is not None and self.restoreGeometry(geometry):
            fit_to_screen(self)  # saved on a bigger monitor, perhaps
        else:
            fit_to_screen(self, QSize(*DEFAULT_SIZE))
        self._size_docks()
        if state is not None:
            self.restoreState(state)
        tab = self.settings.main_tab()
        if tab is None or not 0 <= tab < self.tabs.count():
            # A first start opens on Draw: reading a drawing is the first thing people try, and
            # the shipped model is ready for it (the other tabs are built when first shown).
            tab = self.tabs.indexOf(self.draw_panel)
        self.tabs.setCurrentIndex(tab)

    def reset_layout(self) -> None:
        self.restoreState(self._default_state)
        for dock in (self.network_dock, self.training_dock):
            dock.show()
        self._size_docks()

    def _size_docks(self) -> None:
        """The Network panel a third of the window wide (at most 410 px), the Training panel compact."""
        network = min(410, max(self.network_dock.minimumSizeHint().width(), self.width() // 3))
        self.resizeDocks([self.network_dock], [network], Qt.Orientation.Horizontal)
        training = self.training_dock.minimumSizeHint().height()
        self.resizeDocks([self.training_dock], [training], Qt.Orientation.Vertical)

    # == start-up ===========================================================================
    def _open_startup_model(self, model_path, remembered) -> None:
        if model_path is not None:
            if self.open_model(model_path):
                return
        else:
            pretrained = pretrained_model_path()
            if pretrained is not None:
                try:
                    self.session.load_model(pretrained)
                except ModelFileError as exc:
                    log.warning("the shipped model could not be loaded: %s", exc)
                    self.statusBar().showMessage(
                        self.tr("The shipped model could not be loaded: {0}").format(exc), 10000)
                else:
                    if remembered is not None:
                        self.session.set_config(remembered)  # the Network panel shows your last setup
                    return
        self.session.new_model()

    def _report_settings_problems(self) -> None:
        self.statusBar().showMessage(
            self.tr("Some saved settings could not be used and were reset to defaults ({0})").format(
                " ".join(self.settings.problems)), 30000)

    def load_startup_data(self) -> None:
        """Load MNIST from the remembered or usual folder if its files are all there."""
        if self.session.data is not None:
            return
        remembered = self.settings.data_dir()
        if os.environ.get(paths.MNIST_DIR_ENV_VAR, "").strip() or remembered is None:
            folder = paths.resolve_data_dir()
        else:
            folder = remembered
        found = find_mnist_files(folder)
        if not found or not all(found.values()):
            self.statusBar().showMessage(
                self.tr("No MNIST data found in {0}: the Data tab explains how to get it.").format(
                    folder), 15000)
            return
        try:
            self.session.load_data(folder)
        except DataError as exc:
            log.warning("MNIST in %s could not be loaded: %s", folder, exc)
            self.statusBar().showMessage(str(exc), 15000)

    # == models ==============================================================================
    def new_model(self) -> None:
        if not self._refuse_while_training() and self._maybe_save_changes():
            self.network_panel.commit()
            self.session.new_model()

    def open_model_dialog(self) -> None:
        if self._refuse_while_training() or not self._maybe_save_changes():
            return
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Open model"), str(self._models_folder()),
                                              self._model_filter())
        if name:
            self.open_model(name, ask=False)

    def open_model(self, path: str | Path, ask: bool = True) -> bool:
        """Open ``path``; a bad file shows a message and keeps the current model."""
        if ask and (self._refuse_while_training() or not self._maybe_save_changes()):
            return False
        try:
            self.session.load_model(path)
        except ModelFileError as exc:
            self.show_error(self.tr("Could not open the model"), str(exc))
            return False
        self.settings.add_recent_model(path)
        self.statusBar().showMessage(self.tr("Opened {0}").format(path), 8000)
        return True

    def save_model(self) -> bool:
        path = self.session.path
        if path is None or self._is_shipped(path):
            return self.save_model_as()
        return self._save_to(path)

    def save_model_as(self) -> bool:
        folder = self._models_folder()
        stem = self.session.path.stem if self.session.path is not None else "model"
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Save model"), str(folder / f"{stem}.npz"),
                                              self._model_filter())
        if not name:
            return False
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(".npz")
        return self._save_to(path)

    def export_model_dialog(self) -> None:
        if not self._refuse_while_training():
            export_current_model(self, self._models_folder())

    def _save_to(self, path: Path) -> bool:
        try:
            written = self.session.save_model(path)
        except ModelFileError as exc:
            self.show_error(self.tr("Could not save the model"), str(exc))
            return False
        self.settings.add_recent_model(written)
        return True

    def _model_filter(self) -> str:
        return self.tr("DigitLab models (*.npz);;All files (*)")

    def _models_folder(self) -> Path:
        folder = paths.models_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.warning("models folder unavailable, offering the home folder: %s", exc)
            return Path.home()
        return folder

    @staticmethod
    def _is_shipped(path: Path) -> bool:
        shipped = pretrained_model_path()
        return shipped is not None and Path(path).resolve() == shipped.resolve()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_models()
        for index, path in enumerate(recent, 1):
            action = self.recent_menu.addAction(f"&{index} {path.name}")
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_model(p))
        if not recent:
            empty = self.recent_menu.addAction(self.tr("No recent models"))
            empty.setEnabled(False)
        self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction(self.tr("Clear list"))
        clear.setEnabled(bool(recent))
        clear.triggered.connect(self.settings.clear_recent_models)

    def _maybe_save_changes(self) -> bool:
        """Ask about unsaved trained weights. True if the caller may go on."""
        if not self.session.dirty:
            return True
        buttons = (QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                   | QMessageBox.StandardButton.Cancel)
        answer = QMessageBox.question(
            self, self.tr("Unsaved model"),
            self.tr("The trained weights have not been saved. Save them first?"),
            buttons, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save_model()
        return answer == QMessageBox.StandardButton.Discard

    def _refuse_while_training(self) -> bool:
        if self.session.is_running:
            self.statusBar().showMessage(self.tr("Stop the training first."), 8000)
            return True
        return False

    # == training =============================================================================
    def _before_training(self) -> bool:
        """Make the configuration current and the checkpoint folder exist before a run."""
        try:
            paths.models_dir().mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # checkpoints are skipped; the run itself does not need the folder
            log.warning("no checkpoints this run: %s", exc)
        if not self.network_panel.commit():
            return False
        # A fresh run replaces the current model: unsaved trained weights are asked about first.
        if not self.training_panel.continue_check.isChecked() and not self._maybe_save_changes():
            return False
        return True

    def _on_state_changed(self, state: str) -> None:
        busy = state != IDLE
        # Saving while a run goes on would write weights without the run's end (resume state,
        # calibration): Save waits for the run to end.
        for action in (self.new_action, self.open_action, self.save_action, self.save_as_action):
            action.setEnabled(not busy)
        self.recent_menu.setEnabled(not busy)
        if state == IDLE and self._close_when_idle:
            QTimer.singleShot(0, self.close)

    def _on_data_changed(self) -> None:
        data = self.session.data
        if data is None:
            self.data_status.setText(self.tr("No MNIST data loaded"))
            return
        # A status-bar message about missing data is untrue from now on: say what is there.
        self.statusBar().showMessage(self.tr("MNIST loaded from {0}").format(
            self.session.data_dir or data.source), 8000)
        self.data_status.setText(self.tr("MNIST: {0:,} training + {1:,} test images").format(
            data.num_train, data.num_test))
        self.data_status.setToolTip(data.source)
        if self.session.data_dir is not None:
            self.settings.set_data_dir(self.session.data_dir)

    # == messages ===========================================================================
    def show_error(self, title: str, text: str) -> QMessageBox:
        """A window-modal warning opened with ``open()``: it never blocks the caller."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("errorMessage")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.statusBar().showMessage(text, 10000)
        return box

    def show_unexpected_error(self, text: str) -> None:
        """An error nobody foresaw (see ``gui.errors``): one line in the status bar and in one
        message box, reused while it is open so a repeating failure cannot pile up boxes."""
        self.statusBar().showMessage(text, 30000)
        if self._unexpected_box is not None:
            self._unexpected_box.setText(text)
            return
        self._unexpected_box = self.show_error(self.tr("Unexpected error"), text)
        self._unexpected_box.finished.connect(self._forget_unexpected_box)

    def _forget_unexpected_box(self) -> None:
        self._unexpected_box = None

    def show_user_guide(self, section: str = "start") -> UserGuideWindow:
        """The user guide in its own window (F1); it never blocks this one."""
        return self.help.show_guide(section)

    def show_about(self) -> QMessageBox:
        text = self.tr(
            "<h3>DigitLab {0}</h3>"
            "<p>A workbench for neural networks on handwritten digits, with a pure-NumPy core.</p>"
            "<p>Licence: MIT.</p>"
            "<p>MNIST: Y. LeCun, C. Cortes, C. J. C. Burges, <i>The MNIST database of handwritten "
            "digits</i>.</p>"
            "<p>Data folder: {1}<br>Models folder: {2}<br>Settings: {3}</p>").format(
            __version__, self.session.data_dir or paths.resolve_data_dir(), paths.models_dir(),
            self.settings.path)
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("About DigitLab"), text,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("aboutMessage")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def _update_title(self, *_: object) -> None:
        path = self.session.path
        if path is None:
            name = self.tr("Untitled")
        elif self._is_shipped(path):
            # once retrained it is no longer the shipped model, whatever the session's path says
            name = self.tr("Untitled") if self.session.dirty else self.tr("pretrained model")
        else:
            name = Path(path).name
        star = "*" if self.session.dirty else ""
        self.setWindowTitle(f"{name}{star} \u2014 DigitLab")

    # == closing ============================================================================
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.session.is_running:
            event.ignore()
            if self._close_when_idle:
                return  # already stopping; we close when the worker has ended
            answer = QMessageBox.question(
                self, self.tr("Training in progress"),
                self.tr("A training run is in progress. Stop it and close DigitLab?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer == QMessageBox.StandardButton.Yes:
                self._close_when_idle = True
                self.session.stop()
            return
        self._close_when_idle = False
        if not self._maybe_save_changes():
            event.ignore()
            return
        # Training, evaluation, downloads and Lab runs alike: none may outlive the window.
        jobs.cancel_all_and_wait()
        self._save_settings()
        event.accept()

    def _save_settings(self) -> None:
        self.settings.set_window_geometry(self.saveGeometry())
        self.settings.set_window_state(self.saveState())
        self.settings.set_main_tab(self.tabs.currentIndex())
        self.settings.set_train_config(self.session.config)
        self.settings.sync()
