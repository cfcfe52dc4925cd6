"""The Neuron lab: switch hidden units off or scale them, prune weights, add noise, and watch.

Every change re-scores a copy of the model on a fixed 2,000-image test subset and on the current
digit, on the job helper (:class:`~.latest_job.LatestJob` coalesces a dragged slider). The model
itself is never changed; "Save as..." writes a new file whose record lists the edits.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from ...core.edit_scoring import EditScore, EditScorer, fixed_test_subset
from ...core.errors import DigitLabError
from ...core.model_edit import (
    Edit,
    HiddenLayer,
    apply_edits,
    edited_model,
    hidden_layers,
    most_active_units,
    unit_activity,
)
from ...core.predict import check_image_model
from ...core.serialization import save_model
from .. import theme
from ..session import Session
from .context import InsideContext
from .latest_job import LatestJob
from .unit_grid import UnitGrid

#: the share of units "Switch off most active" switches off
MOST_ACTIVE_FRACTION = 0.10
#: the noise slider's top: noise of this many times each layer's weight spread
MAX_NOISE = 1.0
#: the prune slider's top (percent of weights)
MAX_PRUNE_PERCENT = 99


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


class NeuronLab(QWidget):
    """Edit a copy of the current model and see its prediction and test accuracy change."""

    def __init__(self, session: Session, context: InsideContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("neuronLab")
        self.session, self.context = session, context
        #: per hidden layer index: unit -> scale (absent = 1)
        self.unit_scales: dict[int, dict[int, float]] = {}
        self.hidden: list[HiddenLayer] = []
        self.scorer: EditScorer | None = None
        #: the last score shown, and the unedited one
        self.score: EditScore | None = None
        self.baseline: EditScore | None = None
        #: seconds the last update took on the worker thread
        self.seconds: float | None = None
        self._subset_images: np.ndarray | None = None
        #: edits changed while the view was hidden: score when it is shown
        self._stale = False
        self.runner = LatestJob("neuron-lab", self)
        self.runner.result_ready.connect(self._on_scored)
        self.runner.failed.connect(self._on_failed)
        self.runner.busy_changed.connect(self._on_busy_changed)
        self._build()
        session.model_changed.connect(self._on_model_changed)
        session.data_changed.connect(self._on_model_changed)
        context.image_changed.connect(self._on_image_changed)
        self._on_model_changed()

    # -- widgets -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.explanation = explanation = QLabel(self.tr(
            "Switch hidden units off (click them), scale them, prune the smallest weights or add "
            "noise to a copy of the model, and see how its answer for the current digit and its "
            "accuracy on 2,000 fixed test digits change. The model itself is not changed."), self)
        explanation.setWordWrap(True)
        self.layer_box = QComboBox(self)
        self.layer_box.setObjectName("neuronLayer")
        self.layer_box.setToolTip(self.tr("The hidden layer whose units are shown below"))
        self.layer_box.currentIndexChanged.connect(self._refresh_grid)
        self.scale_box = QDoubleSpinBox(self)
        self.scale_box.setObjectName("neuronScale")
        self.scale_box.setRange(0.0, 10.0)
        self.scale_box.setSingleStep(0.25)
        self.scale_box.setValue(0.0)
        self.scale_box.setToolTip(self.tr(
            "What clicking a unit multiplies it by: 0 switches it off. Click it again to restore it."))
        self.most_active_button = QPushButton(self.tr("Switch off the 10% most active"), self)
        self.most_active_button.setObjectName("neuronMostActive")
        self.most_active_button.setToolTip(self.tr(
            "Switch off the tenth of this layer's units with the highest mean value on the test subset"))
        self.most_active_button.clicked.connect(self.switch_off_most_active)
        self.reset_button = QPushButton(self.tr("Reset"), self)
        self.reset_button.setObjectName("neuronReset")
        self.reset_button.setToolTip(self.tr("Undo every edit: all units on, no pruning, no noise"))
        self.reset_button.clicked.connect(self.reset)
        self.save_button = QPushButton(self.tr("Save as…"), self)
        self.save_button.setObjectName("neuronSave")
        self.save_button.setToolTip(self.tr(
            "Save the edited copy as a new model file; its record says it was edited and how"))
        self.save_button.clicked.connect(self._ask_save)
        self.grid = UnitGrid(self)
        self.grid.setToolTip(self.tr("Each square is a unit, bright when it is active for the "
                                     "current digit. Click to switch it off (or scale it)."))
        self.grid.unit_clicked.connect(self.toggle_unit)

        self.prune_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.prune_slider.setObjectName("neuronPrune")
        self.prune_slider.setRange(0, MAX_PRUNE_PERCENT)
        self.prune_slider.setToolTip(self.tr("Set this percentage of the weights with the "
                                             "smallest magnitude to zero"))
        self.prune_scope = QComboBox(self)
        self.prune_scope.setObjectName("neuronPruneScope")
        self.prune_scope.addItem(self.tr("in each layer"), "layer")
        self.prune_scope.addItem(self.tr("over all layers"), "global")
        self.prune_scope.setToolTip(self.tr("Prune the smallest weights of each layer alike, or "
                                            "the smallest of the whole network together"))
        self.noise_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.noise_slider.setObjectName("neuronNoise")
        self.noise_slider.setRange(0, 100)
        self.noise_slider.setToolTip(self.tr("Add Gaussian noise to every weight: its spread is "
                                             "this fraction of each layer's weight spread (seeded)"))
        self.prune_label, self.noise_label = QLabel(self), QLabel(self)
        for slider in (self.prune_slider, self.noise_slider):
            slider.valueChanged.connect(self._on_edits_changed)
        self.prune_scope.currentIndexChanged.connect(self._on_edits_changed)

        self.prediction_label = QLabel(self)
        self.prediction_label.setObjectName("neuronPrediction")
        self.accuracy_label = QLabel(self)
        self.accuracy_label.setObjectName("neuronAccuracy")
        self.accuracy_label.setWordWrap(True)
        self.accuracy_label.setToolTip(self.tr(
            "Accuracy on the same 2,000 test digits every time, before and after the edits"))
        self.busy_label = QLabel(self.tr("updating…"), self)
        self.busy_label.setObjectName("neuronBusy")
        self.busy_label.setToolTip(self.tr("The edited copy is being scored in the background"))
        self.busy_label.hide()
        self.status_label = QLabel(self)
        self.status_label.setObjectName("neuronStatus")
        self.status_label.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Layer:"), self))
        top.addWidget(self.layer_box)
        top.addWidget(QLabel(self.tr("Clicking a unit multiplies it by"), self))
        top.addWidget(self.scale_box)
        top.addStretch(1)
        actions = QHBoxLayout()  # a row of its own: the page fits a 1024x600 screen
        actions.addWidget(self.most_active_button)
        actions.addStretch(1)
        actions.addWidget(self.reset_button)
        actions.addWidget(self.save_button)
        sliders = QGridLayout()
        sliders.addWidget(QLabel(self.tr("Prune:"), self), 0, 0)
        sliders.addWidget(self.prune_slider, 0, 1)
        sliders.addWidget(self.prune_label, 0, 2)
        sliders.addWidget(self.prune_scope, 0, 3)
        sliders.addWidget(QLabel(self.tr("Weight noise:"), self), 1, 0)
        sliders.addWidget(self.noise_slider, 1, 1)
        sliders.addWidget(self.noise_label, 1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.grid, 1)
        layout.addLayout(sliders)
        layout.addWidget(self.prediction_label)
        results = QHBoxLayout()
        results.addWidget(self.accuracy_label, 1)
        results.addWidget(self.busy_label)
        layout.addLayout(results)
        layout.addWidget(self.status_label)
        self._show_slider_values()

    # -- the edits -------------------------------------------------------------------------------
    def edits(self) -> list[Edit]:
        """The edit list the controls describe: noise, then pruning, then the units."""
        edits: list[Edit] = []
        if self.noise_slider.value():
            edits.append({"op": "noise", "level": self.noise_slider.value() / 100 * MAX_NOISE, "seed": 0})
        if self.prune_slider.value():
            edits.append({"op": "prune", "fraction": self.prune_slider.value() / 100,
                          "scope": self.prune_scope.currentData()})
        for layer, scales in sorted(self.unit_scales.items()):
            for scale in sorted(set(scales.values())):
                units = sorted(u for u, s in scales.items() if s == scale)
                edits.append({"op": "units", "layer": layer, "units": units, "scale": scale})
        return edits

    def current_hidden(self) -> HiddenLayer | None:
        index = self.layer_box.currentIndex()
        return self.hidden[index] if 0 <= index < len(self.hidden) else None

    def toggle_unit(self, unit: int) -> None:
        """Scale ``unit`` of the shown layer by the spin box's value, or restore it if edited."""
        hidden = self.current_hidden()
        if hidden is None:
            return
        scales = self.unit_scales.setdefault(hidden.index, {})
        if unit in scales:
            del scales[unit]
        elif self.scale_box.value() != 1.0:
            scales[unit] = self.scale_box.value()
        self._refresh_grid()
        self._on_edits_changed()

    def switch_off_most_active(self) -> None:
        """Switch off the 10% of the shown layer's units most active on the test subset."""
        hidden = self.current_hidden()
        if hidden is None or self.scorer is None:
            return
        # a private copy: a job may be running the scorer's, and training the session's
        network = self._private_network()
        units = most_active_units(network, self.scorer.x, hidden, MOST_ACTIVE_FRACTION)
        self.unit_scales.setdefault(hidden.index, {}).update({u: 0.0 for u in units})
        self._refresh_grid()
        self._on_edits_changed()

    def reset(self) -> None:
        """Back to the unedited model."""
        self.unit_scales.clear()
        for slider in (self.prune_slider, self.noise_slider):
            slider.blockSignals(True)
            slider.setValue(0)
            slider.blockSignals(False)
        self._refresh_grid()
        self._on_edits_changed()

    def save_as(self, path: str | Path) -> Path:
        """Write the edited copy to ``path`` (atomically); raises DigitLabError in one line."""
        model = self.session.current_model()
        if model is None:
            raise DigitLabError(self.tr("there is no model to edit"))
        written = save_model(path, edited_model(model, self.edits()))
        self._show_status(self.tr("Saved the edited model as {0}").format(written), theme.success_colour())
        return written

    def _ask_save(self) -> None:
        folder = self.session.path.parent if self.session.path else Path.home()
        stem = self.session.path.stem if self.session.path else "model"
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Save edited model"),
                                              str(folder / f"{stem}-edited.npz"),
                                              self.tr("DigitLab models (*.npz)"))
        if name:
            try:
                self.save_as(name)
            except DigitLabError as exc:
                self._show_status(str(exc), theme.error_colour())

    # -- updates ---------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self._on_edits_changed()

    def _on_model_changed(self) -> None:
        self.runner.cancel()
        self.unit_scales.clear()
        self.score = self.baseline = self.scorer = None
        self._subset_images = None
        model, data = self.session.current_model(), self.session.data
        self.layer_box.blockSignals(True)
        self.layer_box.clear()
        self.hidden = []
        problem = None
        if model is None:
            problem = self.tr("No model yet: train one or open a model file.")
        else:
            try:
                check_image_model(model)
            except DigitLabError as exc:
                problem = str(exc)
        if problem is None:
            self.hidden = hidden_layers(model.network)
            for hidden in self.hidden:
                self.layer_box.addItem(self.tr("layer {0} ({1}, {2} units)").format(
                    hidden.index, hidden.kind, hidden.units))
            if data is not None:
                subset = fixed_test_subset(data.num_test)
                self._subset_images = data.test_images[subset]
                x = model.transform.apply(self._subset_images, model.network.input_shape, model.network.dtype)
                self.scorer = EditScorer(model.network, x, data.test_labels[subset])
        self.layer_box.blockSignals(False)
        for widget in (self.layer_box, self.grid, self.scale_box, self.most_active_button,
                       self.prune_slider, self.noise_slider, self.save_button, self.reset_button):
            widget.setEnabled(problem is None and bool(self.hidden))
        self.most_active_button.setEnabled(self.scorer is not None and bool(self.hidden))
        self.prediction_label.clear()
        self.accuracy_label.setText("" if problem or data is not None else self.tr(
            "Load MNIST in the Data panel to measure accuracy on 2,000 test digits."))
        if problem is None and not self.hidden:
            problem = self.tr("This model has no hidden units to edit.")
        self._show_status(problem or "", theme.error_colour() if problem else None)
        self.reset()

    def _on_image_changed(self, _image: object) -> None:
        self._refresh_grid()
        self._on_edits_changed()

    def digit_image(self) -> np.ndarray | None:
        """The current digit (28x28 in [0, 1]): the context's, else the subset's first."""
        if self.context.image is not None:
            return self.context.image
        if self._subset_images is not None and len(self._subset_images):
            return self._subset_images[0].astype(np.float32) / 255.0
        return None

    def _digit_input(self) -> np.ndarray | None:
        model, image = self.session.current_model(), self.digit_image()
        if model is None or image is None or not self.hidden:
            return None
        return model.transform.apply_unit(image[None], model.network.input_shape, model.network.dtype)

    def _private_network(self):
        """A copy of the session's network for work on the GUI thread, made once per model: the
        session's own may be training on the worker thread, and a forward pass here would
        overwrite the inputs its layers keep for backward."""
        model = self.session.current_model()
        if getattr(self, "_copied_from", None) is not model:
            self._copied_from, self._network_copy = model, model.network.copy()
        return self._network_copy

    def _refresh_grid(self) -> None:
        hidden, x = self.current_hidden(), self._digit_input()
        model = self.session.current_model()
        if hidden is None or model is None:
            self.grid.set_units(np.zeros(0), {})
            return
        values = (unit_activity(self._private_network(), x, hidden) if x is not None
                  else np.zeros(hidden.units))
        self.grid.set_units(values, self.unit_scales.get(hidden.index, {}))

    def _on_edits_changed(self, *_args: object) -> None:
        self._show_slider_values()
        if not self.hidden:
            return
        if not self.isVisible():  # score when shown: a hidden tab must not compete with training
            self._stale = True
            return
        self._stale = False
        edits, digit, scorer = self.edits(), self._digit_input(), self.scorer
        network = self.session.current_model().network.copy()  # the worker's own

        def work(_progress, should_cancel):
            started = time.perf_counter()
            if scorer is None:  # no test data: the current digit only
                edited = apply_edits(network, edits)
                before, after = (None, None) if digit is None else (
                    network.predict_proba(digit)[0], edited.predict_proba(digit)[0])
                return (EditScore(float("nan"), before, network), EditScore(float("nan"), after, edited),
                        time.perf_counter() - started)
            baseline = scorer.score([], digit, should_cancel)
            score = scorer.score(edits, digit, should_cancel)
            return baseline, score, time.perf_counter() - started

        self.runner.request(work)

    def _on_scored(self, result: tuple[EditScore, EditScore, float]) -> None:
        self.baseline, self.score, self.seconds = result
        self._show_results()

    def _on_failed(self, message: str) -> None:
        self._show_status(message, theme.error_colour())

    def _on_busy_changed(self, busy: bool) -> None:
        self.busy_label.setVisible(busy)

    # -- text ------------------------------------------------------------------------------------
    def _show_slider_values(self) -> None:
        self.prune_label.setText(f"{self.prune_slider.value()}%")
        level = self.noise_slider.value() / 100 * MAX_NOISE
        self.noise_label.setText(self.tr("{0:.2f} x spread").format(level))

    def _reading(self, probabilities: np.ndarray | None) -> str:
        if probabilities is None:
            return "–"
        digit = int(np.argmax(probabilities))
        return self.tr("{0} ({1})").format(digit, _percent(float(probabilities[digit])))

    def _show_results(self) -> None:
        if self.score is None or self.baseline is None:
            return
        self.prediction_label.setText(self.tr("Current digit: the model reads {0}, the edited copy "
                                              "reads {1}").format(self._reading(self.baseline.probabilities),
                                                                  self._reading(self.score.probabilities)))
        if np.isnan(self.score.accuracy):
            return
        drop = 100 * (self.score.accuracy - self.baseline.accuracy)
        self.accuracy_label.setText(self.tr(
            "Accuracy on 2,000 test digits: {0} before, {1} after ({2:+.1f} points) · updated in {3:.2f} s"
        ).format(_percent(self.baseline.accuracy), _percent(self.score.accuracy), drop, self.seconds))

    def _show_status(self, text: str, colour=None) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(theme.colour_style(colour) if colour is not None else "")


