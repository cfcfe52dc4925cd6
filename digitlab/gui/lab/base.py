"""The frame every lab experiment shares: explanation, controls, Start/Stop, live plots.

A subclass supplies the explanation, the controls, the plots and three hooks: ``make_job``
(the experiment to run, built from the controls on the GUI thread), ``handle_events`` (called
at ~15 Hz with what the experiment reported since the last frame) and ``handle_result``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.data import MnistData
from ...core.errors import ConfigError, DataError
from .. import theme
from ..plotting import pg
from ..widgets.plot_style import PlainLogAxis
from .runner import Experiment, ExperimentRunner

#: where an experiment finds MNIST when it starts (the session's data, or None)
DataSource = Callable[[], MnistData | None]

REFRESH_MS = 66  # ~15 Hz

#: colours used throughout the lab, so one idea keeps one colour everywhere
COLOURS = {
    "numerical": "#e65100",
    "backprop": "#1565c0",
    "mse": "#c62828",
    "cross_entropy": "#2e7d32",
    "sigmoid_small": "#c62828",
    "sigmoid_he": "#ef6c00",
    "relu_small": "#6a1b9a",
    "relu_he": "#2e7d32",
    "class0": "#ef6c00",
    "class1": "#1565c0",
}


def make_plot(title: str, x_label: str = "", y_label: str = "", log_y: bool = False) -> pg.PlotWidget:
    """A plot in the palette's colours with a title, labelled axes, a grid and a legend.

    Log axes label their ticks with plain numbers (0.001, 0.01...), never ``10^-3`` with an SI
    prefix on the axis title.
    """
    plot = pg.PlotWidget(background=theme.plot_background(), axisItems={
        "left": PlainLogAxis("left"), "bottom": PlainLogAxis("bottom")})
    item = plot.getPlotItem()
    item.setTitle(f"<span style='font-size:11pt'>{title}</span>")
    if x_label:
        item.setLabel("bottom", x_label)
    if y_label:
        item.setLabel("left", y_label)
    item.showGrid(x=True, y=True, alpha=0.25)
    for side in ("left", "bottom"):  # "(x0.001)" beside an axis puzzles learners
        item.getAxis(side).enableAutoSIPrefix(False)
    item.setLogMode(y=log_y)
    item.addLegend(offset=(-10, 10), labelTextSize="9pt")
    plot.setMinimumSize(220, 160)
    return plot


def make_accuracy_plot(title: str, x_label: str) -> pg.PlotWidget:
    """A plot for accuracies in percent, 0 to 100 %, as everywhere else in DigitLab.

    Callers plot ``100 * accuracy``.
    """
    plot = make_plot(title, x_label, QCoreApplication.translate("Lab", "accuracy (%)"))
    plot.setYRange(0, 100, padding=0.06)  # room for the 100% label
    plot.getPlotItem().getAxis("left").setTicks(
        [[(v, f"{v}%") for v in (0, 25, 50, 75, 100)], []])
    return plot


def spin(value: int, low: int, high: int, tip: str, step: int = 1) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setValue(value)
    box.setToolTip(tip)
    box.setKeyboardTracking(False)
    return box


def real_spin(value: float, low: float, high: float, tip: str, decimals: int = 3,
              step: float = 0.1) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setDecimals(decimals)
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setValue(value)
    box.setToolTip(tip)
    box.setKeyboardTracking(False)
    return box


class ExperimentWidget(QWidget):
    """Explanation and controls on the left, plots on the right, one experiment at a time."""

    #: key used by the Lab menu and the window's tabs
    key = "experiment"
    #: whether the experiment trains on MNIST (a notice shows while none is loaded)
    needs_mnist = False

    def __init__(self, data_source: DataSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"lab_{self.key}")
        self.data_source = data_source
        self.runner = ExperimentRunner(self, name=f"lab {self.key}")
        self.runner.running_changed.connect(self._on_running_changed)
        self.runner.result_ready.connect(self._on_result)
        self.runner.failed.connect(self._on_failed)
        self.last_result: object | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._drain)

        self.explanation = QLabel(self.explanation_html())
        self.explanation.setObjectName("labExplanation")
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.explanation.setStyleSheet(theme.note_style())
        self.mnist_notice = QLabel(self.tr(
            "<b>Needs MNIST.</b> No digits are loaded: open the Data panel of the main window to "
            "download or import them, then press Start."))
        self.mnist_notice.setObjectName("mnistNotice")
        self.mnist_notice.setWordWrap(True)
        self.mnist_notice.setStyleSheet(theme.note_style(warning=True))
        self.mnist_notice.setVisible(False)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.start_button = QPushButton(self.tr("Start"))
        self.start_button.setObjectName("labStartButton")
        self.start_button.setToolTip(self.tr("Run the experiment with these settings"))
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setObjectName("labStopButton")
        self.stop_button.setToolTip(self.tr("Stop after the current step; the results so far stay"))
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.runner.stop)
        self.status = QLabel()
        self.status.setObjectName("labStatus")
        self.status.setWordWrap(True)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 6, 0)
        side_layout.addWidget(self.explanation)
        side_layout.addWidget(self.mnist_notice)
        side_layout.addLayout(self.form)
        self.build_controls(self.form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        for extra in self.extra_buttons():
            buttons.addWidget(extra)
        side_layout.addLayout(buttons)
        side_layout.addWidget(self.status)
        side_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFixedWidth(self.side_width())
        scroll.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(scroll)
        layout.addWidget(self.build_plots(), 1)

    # -- for subclasses ---------------------------------------------------------------------
    def explanation_html(self) -> str:
        return ""

    def side_width(self) -> int:
        return 340

    def build_controls(self, form: QFormLayout) -> None:
        """Add the experiment's settings to ``form``."""

    def extra_buttons(self) -> list[QPushButton]:
        return []

    def build_plots(self) -> QWidget:
        raise NotImplementedError

    def make_job(self) -> Experiment:
        """The experiment to run; raise ConfigError or DataError to refuse with a message."""
        raise NotImplementedError

    def reset_plots(self) -> None:
        """Clear what the previous run drew (called before each start)."""

    def handle_events(self, events: list[object]) -> None:
        """Draw what arrived since the last frame (GUI thread)."""

    def handle_result(self, result: object) -> None:
        """The run ended (completed or stopped): show the summary."""

    def update_data_notice(self) -> None:
        """Show the "needs MNIST" notice exactly when this experiment needs data and has none."""
        self.mnist_notice.setVisible(self.needs_mnist and self.data_source() is None)

    # -- running ----------------------------------------------------------------------------
    @property
    def is_running(self) -> bool:
        return self.runner.is_running

    def start(self) -> None:
        self.run_job(self.make_job_or_report)

    def make_job_or_report(self) -> Experiment | None:
        try:
            return self.make_job()
        except (ConfigError, DataError) as exc:
            self.show_status(str(exc), error=True)
            return None

    def run_job(self, make: Callable[[], Experiment | None]) -> bool:
        """Build a job with ``make`` and start it on the worker thread; False if refused."""
        if self.is_running:
            return False
        job = make()
        if job is None:
            return False
        self.last_result = None
        self.reset_plots()
        self.show_status(self.tr("Running\u2026"))
        self.runner.start(job)
        return True

    def stop_and_wait(self, timeout_ms: int = 10000) -> bool:
        return self.runner.stop_and_wait(timeout_ms)

    def show_status(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet(theme.colour_style(theme.error_colour()) if error else "")
        self.status.setText(text)

    def _drain(self) -> None:
        events = self.runner.take_events()
        if events:
            self.handle_events(events)

    def _on_running_changed(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.set_controls_enabled(not running)
        if running:
            self._timer.start()
        else:
            self._timer.stop()
            self._drain()

    def set_controls_enabled(self, enabled: bool) -> None:
        for i in range(self.form.rowCount()):
            item = self.form.itemAt(i, QFormLayout.ItemRole.FieldRole)
            if item is not None and item.widget() is not None:
                item.widget().setEnabled(enabled)

    def _on_result(self, result: object) -> None:
        self._drain()  # every event comes before the result
        self.last_result = result
        self.handle_result(result)

    def _on_failed(self, message: str) -> None:
        self._drain()
        self.show_status(message, error=True)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.stop_and_wait()
        super().closeEvent(event)
