"""Robustness: damaged digits, accuracy-vs-damage curves, and a confidence threshold.

One slider per damage shows what it does to the current digit and where that level sits on the
damage's accuracy curve. The curves (accuracy on 1,000 of the fixed test digits at each level)
and the reject curve (accuracy on the digits kept when the least confident are declined) are
computed on the job helper with progress; the GUI thread only draws.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from ...core.edit_scoring import fixed_test_subset
from ...core.errors import DigitLabError
from ...core.predict import check_image_model
from ...core.robustness import (
    DAMAGES,
    RejectCurve,
    accuracy_curve,
    damage_images,
    model_predictor,
    reject_curve,
)
from .. import theme
from ..plotting import pg
from ..session import Session
from ..widgets.digit_image import DigitImage
from ..widgets.side_by_side import SideBySideOrTabs
from .context import InsideContext
from .latest_job import LatestJob

#: test digits each damage curve is measured on (the first of the fixed subset)
CURVE_IMAGES = 1000
#: slider steps per damage level unit step
SLIDER_STEPS = 4
#: the coverage whose accuracy the reject label names
REFERENCE_COVERAGE = 0.95
#: the curves' colour (reads on light and dark plot backgrounds)
CURVE_COLOUR = (31, 119, 180)


def _tr(text: str) -> str:
    return QCoreApplication.translate("RobustnessPanel", text)


def damage_titles() -> dict[str, str]:
    """The damages' names for people, translated."""
    return {"noise": _tr("Pixel noise (std)"), "rotation": _tr("Rotation (degrees)"),
            "shift": _tr("Shift (pixels)"), "stroke": _tr("Stroke width (pixels, − thinner, + thicker)"),
            "occlusion": _tr("Occluding square (side, pixels)")}


def damage_tips() -> dict[str, str]:
    return {"noise": _tr("Gaussian noise added to every pixel, then clipped to [0, 1]"),
            "rotation": _tr("Each digit turned by this angle, left or right at random"),
            "shift": _tr("Each digit moved this far in a random direction"),
            "stroke": _tr("Strokes thinned (negative) or thickened (positive) by this many pixels"),
            "occlusion": _tr("A black square of this side hides part of each digit")}


class RobustnessPanel(QWidget):
    """Sliders with damaged previews, accuracy-vs-damage curves and the reject curve."""

    def __init__(self, session: Session, context: InsideContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("robustnessPanel")
        self.session, self.context = session, context
        #: accuracy per level by damage name, from the last computation
        self.curves: dict[str, np.ndarray] = {}
        self.reject: RejectCurve | None = None
        self.runner = LatestJob("robustness", self, delay_ms=0)
        self.runner.result_ready.connect(self._on_curves)
        self.runner.failed.connect(self._on_failed)
        self.runner.progressed.connect(self._on_progress)
        self.runner.busy_changed.connect(self._on_busy_changed)
        self._build()
        session.model_changed.connect(self._on_model_changed)
        session.data_changed.connect(self._on_model_changed)
        context.image_changed.connect(self._update_previews)
        self._on_model_changed()

    def _build(self) -> None:
        self.explanation = explanation = QLabel(self.tr(
            "How well does the model read damaged digits? Each slider damages the current digit "
            "(preview) and marks its level on that damage's accuracy curve. The reject curve shows "
            "the accuracy on the digits the model keeps when it declines those it is least sure of."),
            self)
        explanation.setWordWrap(True)
        titles, tips = damage_titles(), damage_tips()
        self.sliders: dict[str, QSlider] = {}
        self.previews: dict[str, DigitImage] = {}
        self.plots: dict[str, pg.PlotWidget] = {}
        self.markers: dict[str, pg.InfiniteLine] = {}
        self.curve_items: dict[str, pg.PlotDataItem] = {}
        self.level_labels: dict[str, QLabel] = {}
        grid = QGridLayout()
        for row, (name, damage) in enumerate(DAMAGES.items()):
            slider = QSlider(Qt.Orientation.Horizontal, self)
            slider.setObjectName(f"damage_{name}")
            steps = int(round((damage.maximum - damage.minimum) / damage.step * SLIDER_STEPS))
            slider.setRange(0, steps)
            slider.setValue(int(round(-damage.minimum / damage.step * SLIDER_STEPS)))
            slider.setToolTip(tips[name])
            slider.valueChanged.connect(self._update_previews)
            label, level = QLabel(titles[name], self), QLabel(self)
            label.setToolTip(tips[name])
            preview = DigitImage(self, min_side=56)
            preview.setToolTip(self.tr("The current digit with this damage"))
            plot = pg.PlotWidget(self)
            plot.setMinimumSize(150, 90)
            plot.setYRange(0, 1, padding=0.02)
            plot.setMouseEnabled(False, False)
            plot.hideButtons()
            plot.setToolTip(self.tr("Accuracy (0 to 1) against the damage level; the line marks the slider"))
            self.curve_items[name] = plot.plot([], [], pen=pg.mkPen(CURVE_COLOUR, width=2),
                                               symbol="o", symbolSize=4)
            marker = pg.InfiniteLine(angle=90, pen=pg.mkPen((230, 120, 0), width=2))
            plot.addItem(marker)
            self.sliders[name], self.previews[name], self.plots[name] = slider, preview, plot
            self.markers[name], self.level_labels[name] = marker, level
            grid.addWidget(label, row, 0)
            grid.addWidget(slider, row, 1)
            grid.addWidget(level, row, 2)
            grid.addWidget(preview, row, 3)
            grid.addWidget(plot, row, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(4, 2)

        self.compute_button = QPushButton(self.tr("Compute curves"), self)
        self.compute_button.setObjectName("robustnessCompute")
        self.compute_button.setToolTip(self.tr(
            "Measure accuracy at every damage level on 1,000 test digits, and the reject curve on "
            "2,000 (in the background)"))
        self.compute_button.clicked.connect(self.compute)
        self.cancel_button = QPushButton(self.tr("Stop"), self)
        self.cancel_button.setObjectName("robustnessStop")
        self.cancel_button.setToolTip(self.tr("Stop computing the curves"))
        self.cancel_button.clicked.connect(self.runner.cancel)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("robustnessProgress")
        self.progress.setRange(0, 1000)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("robustnessStatus")
        self.status_label.setWordWrap(True)

        self.reject_plot = pg.PlotWidget(self)
        self.reject_plot.setObjectName("rejectPlot")
        self.reject_plot.setMinimumSize(200, 140)
        self.reject_plot.setLabel("bottom", self.tr("coverage (share of digits kept)"))
        self.reject_plot.setLabel("left", self.tr("accuracy on kept digits"))
        self.reject_plot.setMouseEnabled(False, False)
        self.reject_plot.hideButtons()
        self.reject_plot.setToolTip(self.tr(
            "Keep the most confident digits: the fewer kept, the more accurate the model is on them"))
        self.reject_item = self.reject_plot.plot([], [], pen=pg.mkPen(CURVE_COLOUR, width=2))
        self.reject_marker = pg.ScatterPlotItem(size=10, brush=pg.mkBrush(230, 120, 0))
        self.reject_plot.addItem(self.reject_marker)
        self.threshold_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.threshold_slider.setObjectName("rejectThreshold")
        self.threshold_slider.setRange(0, 100)
        self.threshold_slider.setValue(50)
        self.threshold_slider.setToolTip(self.tr(
            "Decline every digit the model is less confident about than this"))
        self.threshold_slider.valueChanged.connect(self._update_reject_marker)
        self.reject_label = QLabel(self)
        self.reject_label.setObjectName("rejectSummary")
        self.reject_label.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.compute_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)
        threshold = QHBoxLayout()
        threshold.addWidget(QLabel(self.tr("Confidence threshold:"), self))
        threshold.addWidget(self.threshold_slider, 1)
        right = QVBoxLayout()
        right.addWidget(self.reject_plot, 1)
        right.addLayout(threshold)
        right.addWidget(self.reject_label)
        # side by side where there is room; on a netbook the damage rows and the reject curve
        # become two tabs, so neither is squeezed and the explanation keeps its width
        damage_view, reject_view = QWidget(self), QWidget(self)
        damage_view.setLayout(grid)
        right.setContentsMargins(0, 0, 0, 0)
        reject_view.setLayout(right)
        self.views = SideBySideOrTabs(760, 300, parent=self)
        self.views.setObjectName("robustnessViews")
        self.views.add_view(damage_view, self.tr("Damage"), group=0, stretch=3)
        self.views.add_view(reject_view, self.tr("Reject curve"), group=1, stretch=2)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.views, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)

    # -- levels and previews -----------------------------------------------------------------------
    def level(self, name: str) -> float:
        """The damage level the slider of damage ``name`` is at."""
        damage = DAMAGES[name]
        return damage.minimum + self.sliders[name].value() * damage.step / SLIDER_STEPS

    def digit_image(self) -> np.ndarray:
        """The current digit, else the first test digit of the subset, else a blank."""
        if self.context.image is not None:
            return self.context.image
        data = self.session.data
        if data is not None and data.num_test:
            return data.test_images[fixed_test_subset(data.num_test)[0]].astype(np.float32) / 255.0
        return np.zeros((28, 28), dtype=np.float32)

    def _update_previews(self, *_args: object) -> None:
        image = self.digit_image()[None]
        for name in DAMAGES:
            level = self.level(name)
            self.previews[name].set_image(damage_images(image, name, level)[0])
            self.markers[name].setValue(level)
            self.level_labels[name].setText(f"{level:g}")
            if name in self.curves:
                accuracy = np.interp(level, DAMAGES[name].levels, self.curves[name])
                self.level_labels[name].setText(self.tr("{0:g} → {1:.1f}%").format(level, 100 * accuracy))

    # -- curves ------------------------------------------------------------------------------------
    def compute(self) -> None:
        """Compute every damage curve and the reject curve in the background."""
        model, data = self.session.current_model(), self.session.data
        if model is None or data is None:
            self._show_status(self.tr("Needs a model and MNIST test data (Data panel)."),
                              theme.error_colour())
            return
        try:
            check_image_model(model)
        except DigitLabError as exc:
            self._show_status(str(exc), theme.error_colour())
            return
        subset = fixed_test_subset(data.num_test)
        images = data.test_images[subset].astype(np.float32) / 255.0
        labels = data.test_labels[subset].astype(np.int64)
        predict = model_predictor(model)  # a private copy of the network, for the worker
        names = list(DAMAGES)

        def work(progress, should_cancel):
            curves = {}
            for i, name in enumerate(names):
                curves[name] = accuracy_curve(
                    predict, images[:CURVE_IMAGES], labels[:CURVE_IMAGES], name,
                    progress=lambda f, i=i, name=name: progress((i + f) / (len(names) + 1), name),
                    should_cancel=should_cancel)
            probabilities = predict(images)
            progress(1.0, "")
            return curves, reject_curve(probabilities.max(axis=1), probabilities.argmax(axis=1) == labels)

        self.progress.setValue(0)
        self._show_status("")
        self.runner.request(work, immediately=True)

    def _on_curves(self, result: tuple[dict[str, np.ndarray], RejectCurve]) -> None:
        self.curves, self.reject = result
        for name, accuracies in self.curves.items():
            self.curve_items[name].setData(DAMAGES[name].levels, accuracies)
        self.reject_item.setData(self.reject.coverage, self.reject.accuracy)
        low = float(np.nanmin(self.reject.accuracy)) if self.reject.accuracy.size else 0.0
        self.reject_plot.setYRange(max(0.0, low - 0.01), 1.0, padding=0.02)
        self._update_previews()
        self._update_reject_marker()

    def _update_reject_marker(self, *_args: object) -> None:
        threshold = self.threshold_slider.value() / 100
        if self.reject is None or self.reject.coverage.size == 0:
            self.reject_label.setText(self.tr("Threshold {0:.2f}: compute the curves to see what it keeps.")
                                      .format(threshold))
            return
        coverage, accuracy = self.reject.at_threshold(threshold)
        self.reject_marker.setData([coverage], [0.0 if np.isnan(accuracy) else accuracy])
        self.reject_label.setText(self.tr(
            "Threshold {0:.2f}: keeps {1:.1f}% of the digits, {2:.1f}% of them right (all digits: "
            "{3:.1f}%; at 95% kept: {4:.1f}%)").format(
                threshold, 100 * coverage, 100 * np.nan_to_num(accuracy), 100 * self.reject.accuracy[-1],
                100 * self.reject.accuracy_at_coverage(REFERENCE_COVERAGE)))

    def _on_progress(self, fraction: object, _text: str) -> None:
        if fraction is not None:
            self.progress.setValue(int(1000 * float(fraction)))

    def _on_busy_changed(self, busy: bool) -> None:
        self.compute_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)

    def _on_failed(self, message: str) -> None:
        self._show_status(message, theme.error_colour())

    def _on_model_changed(self) -> None:
        self.runner.cancel()
        self.curves, self.reject = {}, None
        for item in self.curve_items.values():
            item.setData([], [])
        self.reject_item.setData([], [])
        self.reject_marker.setData([], [])
        self.progress.setValue(0)
        self._update_previews()
        self._update_reject_marker()

    def _show_status(self, text: str, colour=None) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(theme.colour_style(colour) if colour is not None else "")


