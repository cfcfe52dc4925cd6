"""The Training panel: start, pause/resume and stop a run, follow its progress, change its rate.

Progress events can arrive a hundred times a second; the panel keeps only the latest of each
kind and repaints its labels on a 10 Hz timer, so a fast run never floods the event loop.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import ConfigError, DataError
from ...core.events import BatchEnd, EpochEnd, NumericalProgress, RunFinished, RunStarted
from .. import theme
from ..session import IDLE, PAUSED, RUNNING, STOPPING, Session
from ..status_text import CONFIG, DATA, ERROR, INFO, MODEL, RUN, StatusText
from ..widgets.fields import SciSpinBox


def format_duration(seconds: float) -> str:
    """``h:mm:ss`` (or ``m:ss`` under an hour)."""
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _percent(value: float | None) -> str:
    return "\u2014" if value is None else f"{100 * value:.2f}%"


class TrainingPanel(QWidget):
    """Run controls and live progress of the session's training run."""

    REFRESH_MS = 100

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingPanel")
        self.session = session
        #: called before a run starts; returning False cancels it (the Network panel's commit)
        self.before_start: Callable[[], bool] | None = None
        self._started: RunStarted | None = None
        self._batch: BatchEnd | None = None
        self._numerical: NumericalProgress | None = None
        self._dirty = False
        self._writing = False
        #: how the last run ended (RunFinished or a failure message); None while one runs
        self._ended: RunFinished | str | None = None
        self._paused_message: str | None = None
        self._refresh = QTimer(self)
        self._refresh.setInterval(self.REFRESH_MS)
        self._refresh.timeout.connect(self._repaint_progress)
        self._build_actions()
        self._build_ui()
        session.state_changed.connect(self._on_state_changed)
        session.config_changed.connect(self._on_config_changed)
        session.model_changed.connect(self._on_model_changed)
        session.history_changed.connect(self._on_history_changed)
        session.run_started.connect(self._on_run_started)
        session.batch_finished.connect(self._on_batch_finished)
        session.numerical_progress.connect(self._on_numerical_progress)
        session.epoch_finished.connect(self._on_epoch_finished)
        session.run_finished.connect(self._on_run_finished)
        session.run_failed.connect(self._on_run_failed)
        self._on_config_changed(session.config)
        self._on_state_changed(session.state)
        self._on_history_changed()

    # == construction ======================================================================
    def _build_actions(self) -> None:
        self.start_action = QAction(self.tr("&Start training"), self)
        self.start_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.start_action.setToolTip(self.tr("Train the network configured in the Network panel (F5)"))
        self.start_action.triggered.connect(self.start)
        self.pause_action = QAction(self.tr("&Pause"), self)
        self.pause_action.setCheckable(True)
        self.pause_action.setShortcut(QKeySequence(Qt.Key.Key_F6))
        self.pause_action.setToolTip(self.tr("Pause the run after the current batch, or resume it (F6)"))
        self.pause_action.toggled.connect(self._on_pause_toggled)
        self.stop_action = QAction(self.tr("S&top"), self)
        self.stop_action.setShortcut(QKeySequence("Shift+F5"))
        self.stop_action.setToolTip(self.tr(
            "Stop after the current batch; the weights trained so far are kept (Shift+F5)"))
        self.stop_action.triggered.connect(self.session.stop)
        for action in (self.start_action, self.pause_action, self.stop_action):
            self.addAction(action)

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(6)
        controls = QHBoxLayout()
        self.train_button = self._button("trainButton", self.start_action)
        self.train_button.setText(self.tr("Start"))
        self.pause_button = self._button("pauseButton", self.pause_action)
        self.pause_button.setCheckable(True)
        self.pause_button.setText(self.tr("Pause"))
        self.stop_button = self._button("stopButton", self.stop_action)
        self.stop_button.setText(self.tr("Stop"))
        self.train_button.clicked.connect(self.start)
        self.pause_button.toggled.connect(self.pause_action.setChecked)
        self.stop_button.clicked.connect(self.session.stop)
        for button in (self.train_button, self.pause_button, self.stop_button):
            controls.addWidget(button)
        self.continue_check = QCheckBox(self.tr("Continue from current weights"))
        self.continue_check.setObjectName("continueCheck")
        self.continue_check.setToolTip(self.tr(
            "Start from the current model's weights and history (fine-tuning) instead of fresh "
            "random weights"))
        controls.addSpacing(12)
        controls.addWidget(self.continue_check)
        controls.addStretch(1)
        layout.addLayout(controls)
        rate = QHBoxLayout()
        lr_label = QLabel(self.tr("Learning rate:"))
        self.lr_spin = SciSpinBox(1e-7, 10.0)
        self.lr_spin.setObjectName("liveLrSpin")
        self.lr_spin.setMinimumWidth(90)
        self.lr_spin.setToolTip(self.tr(
            "Base learning rate. While a run is in progress a change applies from its next batch "
            "(the schedule still scales it)"))
        self.lr_spin.valueChanged.connect(self._on_lr_edited)
        lr_label.setBuddy(self.lr_spin)
        self.current_lr_label = QLabel()
        self.current_lr_label.setToolTip(self.tr("Learning rate of the last batch, schedule applied"))
        self.current_lr_label.setStyleSheet(theme.colour_style(theme.muted_colour()))
        rate.addWidget(lr_label)
        rate.addWidget(self.lr_spin)
        rate.addWidget(self.current_lr_label)

        self.progress = QProgressBar()
        self.progress.setObjectName("trainingProgress")
        self.progress.setTextVisible(True)
        self._reset_progress()
        self.progress.setToolTip(self.tr("Iterations done out of the run's total"))
        layout.addWidget(self.progress)
        self.numerical_progress = QProgressBar()
        self.numerical_progress.setObjectName("numericalProgress")
        self.numerical_progress.setToolTip(self.tr(
            "Numerical gradient: parameters differentiated so far in this iteration"))
        self.numerical_progress.setVisible(False)
        layout.addWidget(self.numerical_progress)

        stats = QHBoxLayout()
        stats.setSpacing(16)
        self.batch_label = QLabel(self.tr("Batch loss \u2014"))
        self.batch_label.setObjectName("batchStats")
        self.batch_label.setToolTip(self.tr("Loss and accuracy of the last reported training batch"))
        self.epoch_label = QLabel(self.tr("Accuracy after the last epoch: \u2014"))
        self.epoch_label.setObjectName("epochStats")
        self.epoch_label.setToolTip(self.tr("Accuracy on the training, validation and test sets "
                                            "after the last finished epoch"))
        for label in (self.batch_label, self.epoch_label):
            # Long texts wrap instead of widening the dock (and the whole window) as they change.
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # The batch figures share a row with the learning rate; the epoch's accuracies, the longest
        # text, get a row of their own so they keep one line on a narrow (1024 px) screen.
        stats.addWidget(self.batch_label, 1)
        stats.addLayout(rate)
        layout.addLayout(stats)
        layout.addWidget(self.epoch_label)
        self.message_label = QLabel()
        self.message_label.setObjectName("trainingMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Created before the panel connects its own slots, so a change of model or data clears
        # an old message first and the panel's reaction to the same change can set a new one.
        self.message = StatusText(self.message_label, self.session)
        layout.addWidget(self.message_label)
        layout.addStretch(1)

    @staticmethod
    def _button(name: str, action: QAction) -> QPushButton:
        button = QPushButton()
        button.setObjectName(name)
        button.setToolTip(action.toolTip())
        button.setMinimumWidth(80)
        return button

    # == commands ==========================================================================
    def start(self) -> bool:
        """Start a run (continuing from the current weights if ticked). False if refused."""
        if self.session.is_running:
            return False
        if self.before_start is not None and not self.before_start():
            self.message.show(self.tr("Fix the configuration in the Network panel first."), ERROR,
                              until=(CONFIG, MODEL, RUN))
            return False
        try:
            self.session.start_training(continue_training=self.continue_check.isChecked())
        except (DataError, ConfigError) as exc:
            self.message.show(str(exc), ERROR, until=(DATA, CONFIG, MODEL, RUN))
            self.session.message.emit(str(exc))
            return False
        return True

    def _on_pause_toggled(self, paused: bool) -> None:
        if self._writing:
            return
        if paused:
            self.session.pause()
        else:
            self.session.resume()

    def _on_lr_edited(self, lr: float) -> None:
        if self._writing:
            return
        if self.session.is_running:
            self.session.set_learning_rate(lr)
        elif lr != self.session.config.optimizer.settings["lr"]:
            try:
                self.session.set_config(self.session.config.with_settings(lr=lr))
            except ConfigError as exc:
                self.message.show(str(exc), ERROR, until=(CONFIG, MODEL, RUN))

    # == session -> panel ===================================================================
    def _on_state_changed(self, state: str) -> None:
        running = state in (RUNNING, PAUSED)
        self.start_action.setEnabled(state == IDLE)
        self.train_button.setEnabled(state == IDLE)
        self.pause_action.setEnabled(running)
        self.pause_button.setEnabled(running)
        self.stop_action.setEnabled(running)
        self.stop_button.setEnabled(running)
        self.continue_check.setEnabled(state == IDLE and self.session.model is not None)
        self._writing = True
        self.pause_action.setChecked(state == PAUSED)
        self.pause_button.setChecked(state == PAUSED)
        self._writing = False
        paused_text = self.tr("Resume") if state == PAUSED else self.tr("Pause")
        self.pause_button.setText(paused_text)
        self.pause_action.setText(self.tr("&Resume") if state == PAUSED else self.tr("&Pause"))
        if state == IDLE:
            self._refresh.stop()
            self._repaint_progress()
        elif not self._refresh.isActive():
            self._refresh.start()
        if state == PAUSED:
            self.message.show(self.tr("Paused. Press Resume (F6) to go on."), INFO, until=(RUN, MODEL))
            self._paused_message = self.message.message
        elif state == RUNNING and self.message.message == self._paused_message:
            self.message.clear()
        elif state == STOPPING:
            self.message.show(self.tr("Stopping after the current batch\u2026"), INFO,
                              until=(RUN, MODEL))

    def _on_config_changed(self, config) -> None:
        if not self.session.is_running:
            self._writing = True
            self.lr_spin.setValue(config.optimizer.settings["lr"])
            self._writing = False

    def _on_model_changed(self) -> None:
        self.continue_check.setEnabled(self.session.state == IDLE and self.session.model is not None)
        if not self.session.is_running:
            # Another model (opened, New, or a fresh run about to start): the last run's
            # progress, batch loss and rate describe a model that is no longer here.
            self._clear_run_display()

    def _clear_run_display(self) -> None:
        self._started, self._batch, self._numerical, self._ended = None, None, None, None
        self._dirty = False
        self._reset_progress()
        self.batch_label.setText(self.tr("Batch loss \u2014"))
        self.current_lr_label.setText("")
        self.numerical_progress.setVisible(False)

    def _reset_progress(self) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("Not started"))

    def _on_run_started(self, event: RunStarted) -> None:
        self._started, self._batch, self._numerical, self._ended = event, None, None, None
        self.progress.setRange(0, max(event.total_iterations, 1))
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("Starting: {0:,} training images, {1:,} parameters").format(
            event.train_size, event.parameter_count))
        numerical = event.seconds_per_iteration_estimate is not None
        self.numerical_progress.setVisible(numerical)
        if numerical:
            self.message.show(self.tr("Numerical gradients: about {0} per iteration.").format(
                format_duration(event.seconds_per_iteration_estimate)), INFO, until=(RUN, MODEL))

    def _on_batch_finished(self, event: BatchEnd) -> None:
        self._batch = event
        self._dirty = True

    def _on_numerical_progress(self, event: NumericalProgress) -> None:
        self._numerical = event
        self._dirty = True

    def _on_history_changed(self) -> None:
        if not self.session.is_running:
            self._clear_run_display()
        history = self.session.history
        if history:
            self._show_epoch(history[-1])
        else:
            self.epoch_label.setText(self.tr("Accuracy after the last epoch: \u2014"))

    def _on_epoch_finished(self, event: EpochEnd) -> None:
        self._show_epoch(event.metrics)

    def _show_epoch(self, m) -> None:
        parts = [self.tr("train {0}").format(_percent(m.train_accuracy))]
        if m.val_accuracy is not None:
            parts.append(self.tr("val. {0}").format(_percent(m.val_accuracy)))
        if m.test_accuracy is not None:
            parts.append(self.tr("test {0}").format(_percent(m.test_accuracy)))
        self.epoch_label.setText(self.tr("Epoch {0} accuracy: {1}").format(m.epoch, " \u00b7 ".join(parts)))

    def _on_run_finished(self, event: RunFinished) -> None:
        self._ended = event
        self._dirty = True
        self._repaint_progress()
        if event.reason == "completed":
            self.progress.setValue(self.progress.maximum())
        self.message.show(self.tr("Finished after {0} epoch(s), {1:,} iterations: {2}.").format(
            event.epochs_completed, event.iterations, event.message),
            ERROR if event.reason == "diverged" else INFO, until=(RUN, MODEL))
        self.numerical_progress.setVisible(False)

    def _on_run_failed(self, message: str) -> None:
        self._ended = message
        self._dirty = True
        self._repaint_progress()
        self.message.show(self.tr("Training failed: {0}").format(message), ERROR, until=(RUN, MODEL))
        self.numerical_progress.setVisible(False)

    def _repaint_progress(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        b = self._batch
        if b is not None:
            epochs = self.session.config.run.epochs
            first = self._started.first_epoch if self._started else 1
            self.progress.setRange(0, max(b.total_iterations, 1))
            self.progress.setValue(b.iteration)
            if self._ended is None:
                self.progress.setFormat(self.tr(
                    "Epoch {0}/{1} \u00b7 iteration {2:,}/{3:,} \u00b7 ETA {4} \u00b7 {5:,.0f} samples/s"
                ).format(b.epoch, first + epochs - 1, b.iteration, b.total_iterations,
                         format_duration(b.eta), b.samples_per_second))
            else:  # no ETA once the run is over: nothing is left to wait for
                self.progress.setFormat(self.tr(
                    "Ended in epoch {0}/{1} \u00b7 iteration {2:,}/{3:,} \u00b7 {4:,.0f} samples/s"
                ).format(b.epoch, first + epochs - 1, b.iteration, b.total_iterations,
                         b.samples_per_second))
            accuracy = "" if b.accuracy is None else self.tr(" \u00b7 accuracy {0}").format(
                _percent(b.accuracy))
            self.batch_label.setText(self.tr("Batch loss {0:.4f}{1}").format(b.loss, accuracy))
            self.current_lr_label.setText(self.tr("now {0:.3g}").format(b.lr))
        n = self._numerical
        if n is not None:
            self.numerical_progress.setRange(0, max(n.total, 1))
            self.numerical_progress.setValue(n.done)
            self.numerical_progress.setFormat(self.tr(
                "Numerical gradient, iteration {0}: {1:,} / {2:,} parameters").format(
                n.iteration, n.done, n.total))
