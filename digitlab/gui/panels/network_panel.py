"""The Network panel: presets, the layer stack, and every hyperparameter of a run.

The panel edits a candidate :class:`TrainConfig`; the config validates itself, so a value it
refuses is shown next to the control (red border, reason in a label and in the tooltip) and never
reaches the session. Valid edits go to ``session.set_config`` after a short debounce; the panel
follows ``session.config_changed`` and blocks its own handlers while it writes the values back.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.augment import AugmentConfig
from ...core.config import TrainConfig
from ...core.errors import ConfigError
from ...core.initializers import INITIALIZERS
from ...core.network import Network
from ...core.optimizers import OPTIMIZERS
from ...core.presets import PRESETS
from ...core.schedules import SCHEDULES
from ..session import IDLE, Session
from ..widgets.fields import SciSpinBox, range_reason, set_invalid
from ..widgets.layer_table import IMAGE_LAYERS, WEIGHT_LAYERS, LayerEditor, walk_shapes

#: which optimiser settings each optimiser uses
_OPTIMIZER_SETTINGS = {
    "sgd": (), "momentum": ("momentum",), "nesterov": ("momentum",), "adagrad": ("eps",),
    "rmsprop": ("rho", "eps"), "adadelta": ("rho", "eps"), "adam": ("beta1", "beta2", "eps"),
}
_SCHEDULE_SETTINGS = {"constant": (), "time": ("decay",), "power": ("power",),
                      "step": ("step_size", "gamma"), "cosine": ("min_lr",)}
_CUSTOM = "__custom__"


class NetworkPanel(QWidget):
    """Edit the architecture and hyperparameters of the session's configuration."""

    DEBOUNCE_MS = 200

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkPanel")
        self.session = session
        self._config: TrainConfig = session.config
        self._writing = False
        self._last_edited: QWidget | None = None
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(self.DEBOUNCE_MS)
        self._debounce.timeout.connect(self.commit)
        self._rows: dict[str, tuple[QFormLayout, QWidget]] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(self._build_presets())
        self.tabs = QTabWidget()
        self.tabs.setObjectName("networkTabs")
        self.tabs.addTab(self._build_layers_page(), self.tr("Layers"))
        self.tabs.addTab(self._scrolled(self._build_optimizer_page()), self.tr("Optimiser"))
        self.tabs.addTab(self._scrolled(self._build_data_page()), self.tr("Data && run"))
        layout.addWidget(self.tabs, 1)
        self.error_label = QLabel()
        self.error_label.setObjectName("configError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setVisible(False)
        layout.addWidget(self.error_label)
        self.lock_label = QLabel(self.tr("Settings are locked while training runs. The learning "
                                         "rate can be changed in the Training panel."))
        self.lock_label.setWordWrap(True)
        self.lock_label.setStyleSheet("color: #555;")
        self.lock_label.setVisible(False)
        layout.addWidget(self.lock_label)

        session.config_changed.connect(self._on_config_changed)
        session.state_changed.connect(self._on_state_changed)
        self._write_config(self._config)
        self._on_state_changed(session.state)

    # == construction ======================================================================
    @staticmethod
    def _scrolled(page: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setWidget(page)
        return area

    def _build_presets(self) -> QVBoxLayout:
        box = QVBoxLayout()
        row = QHBoxLayout()
        label = QLabel(self.tr("Preset:"))
        self.preset_combo = QComboBox()
        self.preset_combo.setObjectName("presetCombo")
        for name, (description, _) in PRESETS.items():
            self.preset_combo.addItem(name, name)
            self.preset_combo.setItemData(self.preset_combo.count() - 1, description,
                                          Qt.ItemDataRole.ToolTipRole)
        self.preset_combo.addItem(self.tr("custom"), _CUSTOM)
        self.preset_combo.setToolTip(self.tr("Start from a named configuration: the tutorials' "
                                             "networks and DigitLab's own. Any edit makes it 'custom'."))
        self.preset_combo.activated.connect(self._on_preset_chosen)
        label.setBuddy(self.preset_combo)
        row.addWidget(label)
        row.addWidget(self.preset_combo, 1)
        box.addLayout(row)
        self.preset_description = QLabel()
        self.preset_description.setWordWrap(True)
        self.preset_description.setStyleSheet("color: #555;")
        box.addWidget(self.preset_description)
        return box

    def _build_layers_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 6, 4, 4)
        self.layer_editor = LayerEditor()
        self.layer_editor.layers_edited.connect(self._on_layers_edited)
        layout.addWidget(self.layer_editor, 1)
        form = QFormLayout()
        self.init_combo = QComboBox()
        self.init_combo.setObjectName("initCombo")
        self.init_combo.addItems(INITIALIZERS)
        self.init_combo.setToolTip(self.tr(
            "How dense and convolution weights start: 'normal' draws from N(0, scale^2), 'xavier' "
            "suits sigmoid/tanh, 'he' suits ReLU. Biases start at zero."))
        self.init_combo.currentTextChanged.connect(self._on_edited)
        self.init_scale = SciSpinBox(1e-6, 10.0)
        self.init_scale.setObjectName("initScale")
        self.init_scale.setToolTip(self.tr("Standard deviation of the 'normal' initialiser "
                                           "(the tutorials use 0.01)"))
        self._watch(self.init_scale)
        init_row = QHBoxLayout()
        init_row.addWidget(self.init_combo, 1)
        init_row.addWidget(QLabel(self.tr("scale")))
        init_row.addWidget(self.init_scale, 1)
        form.addRow(self.tr("Initialiser:"), init_row)
        layout.addLayout(form)
        self.parameter_label = QLabel()
        self.parameter_label.setObjectName("parameterCount")
        self.parameter_label.setWordWrap(True)
        self.parameter_label.setToolTip(self.tr("Number of trainable weights and biases"))
        layout.addWidget(self.parameter_label)
        return page

    def _build_optimizer_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.optimizer_combo = self._combo("optimizerCombo", list(OPTIMIZERS), self.tr(
            "The update rule: sgd, momentum, nesterov, adagrad, rmsprop, adadelta or adam"))
        self._add_row(form, "optimizer", self.tr("Optimiser:"), self.optimizer_combo)
        self.lr_spin = self._sci("lrSpin", 1e-7, 10.0, self.tr(
            "Learning rate: the step size of each update"))
        self._add_row(form, "lr", self.tr("Learning rate:"), self.lr_spin)
        self.momentum_spin = self._double("momentumSpin", 0.0, 0.999, 0.05, 3, self.tr(
            "Momentum: the fraction of the previous update carried into the next (0.9 is usual)"))
        self._add_row(form, "momentum", self.tr("Momentum:"), self.momentum_spin)
        self.beta1_spin = self._double("beta1Spin", 0.0, 0.9999, 0.01, 4, self.tr(
            "Adam's decay rate for the mean of the gradients"))
        self._add_row(form, "beta1", self.tr("Beta 1:"), self.beta1_spin)
        self.beta2_spin = self._double("beta2Spin", 0.0, 0.9999, 0.001, 4, self.tr(
            "Adam's decay rate for the mean of the squared gradients"))
        self._add_row(form, "beta2", self.tr("Beta 2:"), self.beta2_spin)
        self.rho_spin = self._double("rhoSpin", 0.0, 0.999, 0.01, 3, self.tr(
            "Decay rate of the running average of squared gradients; 'default' uses the "
            "optimiser's own (0.9 for rmsprop, 0.95 for adadelta)"))
        self.rho_spin.setSpecialValueText(self.tr("default"))
        self._add_row(form, "rho", self.tr("Rho:"), self.rho_spin)
        self.eps_spin = self._sci("epsSpin", 0.0, 1.0, self.tr(
            "Small number added to denominators for stability; 'default' uses the optimiser's own"))
        self.eps_spin.setSpecialValueText(self.tr("default"))
        self._add_row(form, "eps", self.tr("Epsilon:"), self.eps_spin)
        self.schedule_combo = self._combo("scheduleCombo", list(SCHEDULES), self.tr(
            "How the learning rate changes: constant; time: lr/(1+decay*t); power: lr/t^power; "
            "step: multiply by gamma every step size epochs; cosine: down to min lr along a cosine"))
        self._add_row(form, "schedule", self.tr("Schedule:"), self.schedule_combo)
        self.decay_spin = self._sci("decaySpin", 0.0, 10.0, self.tr("Decay of the 'time' schedule"))
        self._add_row(form, "decay", self.tr("Decay:"), self.decay_spin)
        self.power_spin = self._double("powerSpin", 0.0, 2.0, 0.1, 2, self.tr(
            "Exponent of the 'power' schedule"))
        self._add_row(form, "power", self.tr("Power:"), self.power_spin)
        self.step_size_spin = self._int("stepSizeSpin", 1, 1000, self.tr(
            "Epochs between two steps of the 'step' schedule"))
        self._add_row(form, "step_size", self.tr("Step size:"), self.step_size_spin)
        self.gamma_spin = self._double("gammaSpin", 0.01, 1.0, 0.05, 2, self.tr(
            "Factor applied to the learning rate at each step"))
        self._add_row(form, "gamma", self.tr("Gamma:"), self.gamma_spin)
        self.min_lr_spin = self._sci("minLrSpin", 0.0, 1.0, self.tr(
            "Learning rate the cosine schedule ends at"))
        self._add_row(form, "min_lr", self.tr("Min. learning rate:"), self.min_lr_spin)
        self.l2_spin = self._sci("l2Spin", 0.0, 1.0, self.tr(
            "L2 weight decay: adds l2/2 * sum(W^2) to the loss, pulling weights towards zero"))
        self.l2_spin.setSpecialValueText(self.tr("off"))
        self._add_row(form, "l2", self.tr("L2 weight decay:"), self.l2_spin)
        return page

    def _build_data_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.batch_spin = self._int("batchSpin", 1, 60000, self.tr("Samples per update"))
        self._add_row(form, "batch_size", self.tr("Batch size:"), self.batch_spin)
        self.epochs_spin = self._int("epochsSpin", 1, 10000, self.tr(
            "Passes over the training data"))
        self._add_row(form, "epochs", self.tr("Epochs:"), self.epochs_spin)
        self.val_spin = self._double("valSplitSpin", 0.0, 0.5, 0.05, 2, self.tr(
            "Fraction of the training images held out to measure validation loss and accuracy"))
        self.val_spin.setSpecialValueText(self.tr("none"))
        self._add_row(form, "val_split", self.tr("Validation split:"), self.val_spin)
        self.sampling_combo = self._combo("samplingCombo", ["shuffle", "replacement"], self.tr(
            "shuffle: every sample once per epoch; replacement: each batch drawn at random "
            "(as the first tutorial does)"))
        self._add_row(form, "sampling", self.tr("Sampling:"), self.sampling_combo)
        self.limit_spin = self._int("trainLimitSpin", 0, 60000, self.tr(
            "Train on the first N samples only ('all' uses every training image)"))
        self.limit_spin.setSpecialValueText(self.tr("all"))
        self._add_row(form, "train_limit", self.tr("Training samples:"), self.limit_spin)
        self.max_iter_spin = self._int("maxIterationsSpin", 0, 10_000_000, self.tr(
            "Stop after this many updates in all ('no limit' runs every epoch)"))
        self.max_iter_spin.setSpecialValueText(self.tr("no limit"))
        self._add_row(form, "max_iterations", self.tr("Max. iterations:"), self.max_iter_spin)
        self.seed_spin = self._int("seedSpin", 0, 2**31 - 1, self.tr(
            "Random seed for the initial weights, the batch order and augmentation: "
            "the same seed gives the same run"))
        self._add_row(form, "seed", self.tr("Seed:"), self.seed_spin)
        self.normalize_check = QCheckBox(self.tr("Standardise pixels"))
        self.normalize_check.setObjectName("normalizeCheck")
        self.normalize_check.setToolTip(self.tr(
            "Subtract the training pixels' mean and divide by their standard deviation"))
        self.normalize_check.toggled.connect(self._on_edited)
        self._add_row(form, "normalize", self.tr("Input:"), self.normalize_check)
        self.rotation_spin = self._double("rotationSpin", 0.0, 180.0, 5.0, 1, self.tr(
            "Augmentation: rotate each training image by up to this many degrees"))
        self.rotation_spin.setSuffix("\u00b0")
        self.rotation_spin.setSpecialValueText(self.tr("off"))
        self._add_row(form, "rotation", self.tr("Rotation:"), self.rotation_spin)
        self.shift_spin = self._double("shiftSpin", 0.0, 0.45, 0.05, 2, self.tr(
            "Augmentation: shift each training image by up to this fraction of its size"))
        self.shift_spin.setSpecialValueText(self.tr("off"))
        self._add_row(form, "shift", self.tr("Shift:"), self.shift_spin)
        self.zoom_spin = self._double("zoomSpin", 0.0, 0.5, 0.05, 2, self.tr(
            "Augmentation: scale each training image by a factor in [1 - zoom, 1 + zoom]"))
        self.zoom_spin.setSpecialValueText(self.tr("off"))
        self._add_row(form, "zoom", self.tr("Zoom:"), self.zoom_spin)
        self.shear_spin = self._double("shearSpin", 0.0, 45.0, 5.0, 1, self.tr(
            "Augmentation: slant each training image by up to this many degrees, as writers do"))
        self.shear_spin.setSuffix("\u00b0")
        self.shear_spin.setSpecialValueText(self.tr("off"))
        self._add_row(form, "shear", self.tr("Slant:"), self.shear_spin)
        self.aspect_spin = self._double("aspectSpin", 0.0, 0.5, 0.05, 2, self.tr(
            "Augmentation: make each training image narrower or wider by up to this fraction"))
        self.aspect_spin.setSpecialValueText(self.tr("off"))
        self._add_row(form, "aspect", self.tr("Width:"), self.aspect_spin)
        self.gradients_combo = self._combo("gradientsCombo", ["backprop", "numerical"], self.tr(
            "backprop: exact gradients by backpropagation; numerical: finite differences, "
            "two forward passes per parameter (very slow, for teaching)"))
        self._add_row(form, "gradients", self.tr("Gradients:"), self.gradients_combo)
        self.numerical_warning = QLabel()
        self.numerical_warning.setObjectName("numericalWarning")
        self.numerical_warning.setWordWrap(True)
        self.numerical_warning.setStyleSheet("color: #b35c00;")
        self.estimate_button = QPushButton(self.tr("Estimate time per iteration"))
        self.estimate_button.setObjectName("estimateButton")
        self.estimate_button.setToolTip(self.tr(
            "Time one loss on a batch and multiply by 2 x the parameter count"))
        self.estimate_button.clicked.connect(self.estimate_numerical_time)
        self.estimate_label = QLabel()
        self.estimate_label.setObjectName("numericalEstimate")
        self.estimate_label.setWordWrap(True)
        box = QVBoxLayout()
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.numerical_warning)
        box.addWidget(self.estimate_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.estimate_label)
        holder = QWidget()
        holder.setLayout(box)
        self._add_row(form, "numerical", "", holder)
        return page

    # -- control factories -----------------------------------------------------------------
    def _add_row(self, form: QFormLayout, key: str, label: str, widget: QWidget) -> None:
        form.addRow(label, widget)
        self._rows[key] = (form, widget)

    def _combo(self, name: str, items: list[str], tip: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.addItems(items)
        combo.setToolTip(tip)
        combo.currentTextChanged.connect(self._on_edited)
        return combo

    def _watch(self, spin: QAbstractSpinBox) -> None:
        spin.setKeyboardTracking(False)
        spin.valueChanged.connect(self._on_edited)
        spin.lineEdit().textEdited.connect(lambda text, s=spin: self._on_typed(s, text))
        spin.editingFinished.connect(lambda s=spin: self._on_typing_done(s))

    def _sci(self, name: str, low: float, high: float, tip: str) -> SciSpinBox:
        spin = SciSpinBox(low, high)
        spin.setObjectName(name)
        spin.setToolTip(tip)
        self._watch(spin)
        return spin

    def _double(self, name: str, low: float, high: float, step: float, decimals: int,
                tip: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setDecimals(decimals)
        spin.setSingleStep(step)
        spin.setToolTip(tip)
        self._watch(spin)
        return spin

    def _int(self, name: str, low: int, high: int, tip: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setGroupSeparatorShown(True)
        spin.setToolTip(tip)
        self._watch(spin)
        return spin

    # == config -> widgets ==================================================================
    def _write_config(self, config: TrainConfig) -> None:
        """Show ``config`` in the controls without triggering their handlers."""
        self._writing = True
        try:
            self.layer_editor.set_layers(list(config.layers))
            weights = [e for e in config.layers if e.get("type") in WEIGHT_LAYERS]
            self.init_combo.setCurrentText(str(weights[0].get("init", "he")) if weights else "he")
            self.init_scale.setValue(float(weights[0].get("init_scale", 0.01)) if weights else 0.01)
            self.layer_editor.set_initializer(self.init_combo.currentText(), self.init_scale.value())
            self.optimizer_combo.setCurrentText(config.optimizer)
            self.lr_spin.setValue(config.lr)
            self.momentum_spin.setValue(config.momentum)
            self.beta1_spin.setValue(config.beta1)
            self.beta2_spin.setValue(config.beta2)
            self.rho_spin.setValue(config.rho or 0.0)
            self.eps_spin.setValue(config.eps or 0.0)
            self.schedule_combo.setCurrentText(config.schedule)
            self.decay_spin.setValue(config.decay)
            self.power_spin.setValue(config.power)
            self.step_size_spin.setValue(config.step_size)
            self.gamma_spin.setValue(config.gamma)
            self.min_lr_spin.setValue(config.min_lr)
            self.l2_spin.setValue(config.l2)
            self.batch_spin.setValue(config.batch_size)
            self.epochs_spin.setValue(config.epochs)
            self.val_spin.setValue(config.val_split)
            self.sampling_combo.setCurrentText(config.sampling)
            self.limit_spin.setValue(config.train_limit or 0)
            self.max_iter_spin.setValue(config.max_iterations or 0)
            self.seed_spin.setValue(config.seed)
            self.normalize_check.setChecked(config.normalize)
            self.rotation_spin.setValue(config.augment.rotation_deg)
            self.shift_spin.setValue(config.augment.shift_frac)
            self.zoom_spin.setValue(config.augment.zoom_frac)
            self.shear_spin.setValue(config.augment.shear_deg)
            self.aspect_spin.setValue(config.augment.aspect_frac)
            self.gradients_combo.setCurrentText(config.gradients)
        finally:
            self._writing = False
        self._config = config
        self._show_problem(None)
        self._update_visibility()
        self._update_preset_combo(config)
        self._update_parameter_count(config)

    def _update_visibility(self) -> None:
        used = set(_OPTIMIZER_SETTINGS.get(self.optimizer_combo.currentText(), ()))
        used |= set(_SCHEDULE_SETTINGS.get(self.schedule_combo.currentText(), ()))
        for key in ("momentum", "beta1", "beta2", "rho", "eps", "decay", "power", "step_size",
                    "gamma", "min_lr"):
            form, widget = self._rows[key]
            form.setRowVisible(widget, key in used)
        numerical = self.gradients_combo.currentText() == "numerical"
        form, widget = self._rows["numerical"]
        form.setRowVisible(widget, numerical)
        self.init_scale.setEnabled(self.init_combo.currentText() == "normal")

    def setting_shown(self, key: str) -> bool:
        """Whether the row of setting ``key`` is shown (it is hidden when irrelevant)."""
        form, widget = self._rows[key]
        return form.isRowVisible(widget)

    def _update_preset_combo(self, config: TrainConfig) -> None:
        name = next((n for n, (_, c) in PRESETS.items() if c == config), _CUSTOM)
        self.preset_combo.setCurrentIndex(self.preset_combo.findData(name))
        self.preset_description.setText(PRESETS[name][0] if name in PRESETS else self.tr(
            "Your own configuration (edited from a preset or loaded from a model file)."))

    def _update_parameter_count(self, config: TrainConfig) -> None:
        self.layer_editor.show_shapes(walk_shapes(list(config.layers), config.input_shape))
        try:
            count = Network.from_config(config.network_config()).parameter_count
        except (ConfigError, ValueError, TypeError) as exc:
            self.parameter_label.setText(str(exc))
            self.parameter_label.setStyleSheet("color: #c62828;")
            return None
        self.parameter_label.setStyleSheet("")
        self.parameter_label.setText(self.tr("{0:,} trainable parameters").format(count))
        numerical_cost = self.tr(
            "Numerical gradients need two forward passes per parameter: {0:,} passes per "
            "iteration for this network, thousands of times slower than backprop.").format(2 * count)
        if numerical_cost != self.numerical_warning.text():
            self.numerical_warning.setText(numerical_cost)
            self.estimate_label.clear()  # measured for another network
        return count

    # == widgets -> config ==================================================================
    def _on_layers_edited(self) -> None:
        self._last_edited = self.layer_editor
        self._on_edited()

    def _on_edited(self, *_: Any) -> None:
        if self._writing:
            return
        sender = self.sender()
        if isinstance(sender, QWidget) and sender is not self.layer_editor:
            self._last_edited = sender
        self._update_visibility()
        self.layer_editor.set_initializer(self.init_combo.currentText(), self.init_scale.value())
        self._debounce.start()

    def _on_typed(self, spin: QAbstractSpinBox, text: str) -> None:
        state = spin.validate(text, len(text))
        state = state[0] if isinstance(state, tuple) else state
        if state == QValidator.State.Acceptable:
            set_invalid(spin, None)
            self._show_problem(None)
        else:
            reason = self.tr("{0!r} is refused: {1}").format(text, range_reason(spin))
            self._show_problem(reason, spin)

    def _on_typing_done(self, spin: QAbstractSpinBox) -> None:
        if spin.property("invalid_reason"):
            set_invalid(spin, None)  # the spin box went back to its last good value

    def candidate_config(self) -> TrainConfig:
        """The configuration the controls describe. Raises ConfigError if it is invalid."""
        layers = self.layer_editor.layers()
        init, scale = self.init_combo.currentText(), self.init_scale.value()
        for entry in layers:
            if entry.get("type") in WEIGHT_LAYERS:
                entry["init"], entry["init_scale"] = init, scale
        images = any(e.get("type") in IMAGE_LAYERS for e in layers)
        input_shape = (1, 28, 28) if images else (784,)
        if not images and self._config.input_shape != (1, 28, 28):
            input_shape = self._config.input_shape
        return self._config.replace(
            layers=tuple(layers), input_shape=input_shape,
            optimizer=self.optimizer_combo.currentText(), lr=self.lr_spin.value(),
            momentum=self.momentum_spin.value(), beta1=self.beta1_spin.value(),
            beta2=self.beta2_spin.value(), rho=self.rho_spin.value() or None,
            eps=self.eps_spin.value() or None, schedule=self.schedule_combo.currentText(),
            decay=self.decay_spin.value(), power=self.power_spin.value(),
            step_size=self.step_size_spin.value(), gamma=self.gamma_spin.value(),
            min_lr=self.min_lr_spin.value(), l2=self.l2_spin.value(),
            batch_size=self.batch_spin.value(), epochs=self.epochs_spin.value(),
            val_split=self.val_spin.value(), sampling=self.sampling_combo.currentText(),
            train_limit=self.limit_spin.value() or None,
            max_iterations=self.max_iter_spin.value() or None, seed=self.seed_spin.value(),
            normalize=self.normalize_check.isChecked(),
            augment=AugmentConfig(self.rotation_spin.value(), self.shift_spin.value(),
                                  self.zoom_spin.value(), self.shear_spin.value(),
                                  self.aspect_spin.value()),
            gradients=self.gradients_combo.currentText())

    def commit(self) -> bool:
        """Send the controls' configuration to the session if it is valid; else show why."""
        self._debounce.stop()
        try:
            config = self.candidate_config()
        except ConfigError as exc:
            self._show_problem(str(exc), self._last_edited)
            return False
        count = self._update_parameter_count(config)
        self._update_preset_combo(config)
        if count is None:
            self._show_problem(None)  # the stack's error is shown by the parameter count
            return False
        self._show_problem(None)
        if config != self._config:
            self._config = config
            self.session.set_config(config)
        return True

    def _show_problem(self, reason: str | None, widget: QWidget | None = None) -> None:
        for spin in self.findChildren(QWidget):
            if spin.property("invalid_reason") and spin is not widget:
                set_invalid(spin, None)
        if widget is not None and widget is not self.layer_editor:
            set_invalid(widget, reason)
        self.error_label.setText("\u26a0 " + reason if reason else "")
        self.error_label.setVisible(bool(reason))

    def _on_preset_chosen(self, index: int) -> None:
        name = self.preset_combo.itemData(index)
        if name in PRESETS:
            config = PRESETS[name][1]
            self._write_config(config)
            self.session.set_config(config)

    # == numerical-gradient cost ===========================================================
    def estimate_numerical_time(self) -> float | None:
        """Measure one loss on a batch and scale by 2 x parameters; show and return seconds."""
        try:
            config = self.candidate_config().replace(gradients="numerical")
            network = config.build_network()
        except ConfigError as exc:
            self.estimate_label.setText(str(exc))
            return None
        rng = np.random.default_rng(0)
        n = min(config.batch_size, 1000)
        data = self.session.data
        if data is not None:
            images, labels = data.train_images[:n], data.train_labels[:n]
        else:
            images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
            labels = rng.integers(0, 10, n).astype(np.uint8)
        x = (images.reshape((n, *config.input_shape)) / 255.0).astype(network.dtype)
        repeats = 5
        start = time.perf_counter()
        for _ in range(repeats):
            network.loss(x, labels, config.l2)
        per_loss = (time.perf_counter() - start) / repeats
        seconds = per_loss * 2 * network.parameter_count
        self.estimate_label.setText(self.tr(
            "Estimated {0} per iteration: {1:,} parameters \u00d7 2 losses \u00d7 {2:.2f} ms per "
            "loss on a batch of {3}.").format(_duration(seconds), network.parameter_count,
                                               per_loss * 1000, n))
        return seconds

    # == session -> panel ===================================================================
    def _on_config_changed(self, config: TrainConfig) -> None:
        if config != self._config:
            self._debounce.stop()
            self._write_config(config)

    def _on_state_changed(self, state: str) -> None:
        idle = state == IDLE
        self.tabs.setEnabled(idle)
        self.preset_combo.setEnabled(idle)
        self.lock_label.setVisible(not idle)


def _duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"
