"""The Network panel: presets, the layer stack, and every setting of the next run.

The panel edits a candidate :class:`TrainConfig` for the *next* run; the current model keeps
the configuration that trained it (its record), and a line under the preset says when the two
differ. Its rows are derived from the core's declarations: the optimiser and schedule settings
from the registered classes, the data, augmentation and run settings from their records
(:mod:`digitlab.gui.widgets.setting_controls`), the layers from the layer registry. The config
validates itself, so a value it refuses is shown next to the control (red border, reason in a
label and in the tooltip) and never reaches the session. Valid edits go to
``session.set_config`` after a short debounce; the panel follows ``session.config_changed`` and
blocks its own handlers while it writes the values back.

(Longer than most modules, about 480 lines, because it holds the four pages of one form and
the one loop that writes a configuration into them and reads it back; what each page shows is
derived elsewhere: :mod:`..widgets.setting_controls`, :mod:`.config_status`,
:mod:`..widgets.numerical_cost`.)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.augment import AugmentConfig
from ...core.config import (
    DataSpec,
    RunSpec,
    TrainConfig,
    all_optimizer_settings,
    all_schedule_settings,
)
from ...core.errors import ConfigError
from ...core.network import walk_shapes as plan_shapes
from ...core.presets import PRESETS, matching_preset
from ...core.registry import INITIALIZERS, OPTIMIZERS, SCHEDULES
from ...core.spec import Setting
from ..session import IDLE, Session
from ..theme import colour_style, error_colour
from ..widgets.fields import SciSpinBox, range_reason, set_invalid
from ..widgets.layer_table import IMAGE_LAYERS, WEIGHT_LAYERS, LayerEditor, walk_shapes
from ..widgets.numerical_cost import NumericalCostBox
from ..widgets.setting_controls import make_control, read_value, tr_setting, write_value
from .config_status import describe_next_run, preset_label

_CUSTOM = "__custom__"


class NetworkPanel(QWidget):
    """Edit the architecture and hyperparameters of the next run."""

    DEBOUNCE_MS = 200

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkPanel")
        self.session = session
        self._config: TrainConfig = session.config
        #: the preset the configuration was last chosen from or matched (for "(modified)")
        self._preset_origin: str | None = matching_preset(session.config)
        self._writing = False
        self._last_edited: QWidget | None = None
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(self.DEBOUNCE_MS)
        self._debounce.timeout.connect(self.commit)
        self._rows: dict[str, tuple[QFormLayout, QWidget]] = {}
        #: setting name -> (its declaration, its control), for every derived row
        self.controls: dict[str, QWidget] = {}
        self._settings: dict[str, Setting] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(self._build_presets())
        self.tabs = QTabWidget()
        self.tabs.setObjectName("networkTabs")
        self.tabs.addTab(self._build_layers_page(), self.tr("Layers"))
        self.tabs.addTab(self._scrolled(self._build_optimizer_page()), self.tr("Optimiser"))
        self.tabs.addTab(self._scrolled(self._build_data_page()), self.tr("Data"))
        self.tabs.addTab(self._scrolled(self._build_run_page()), self.tr("Run"))
        layout.addWidget(self.tabs, 1)
        self.error_label = QLabel()
        self.error_label.setObjectName("configError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(colour_style(error_colour()))
        self.error_label.setVisible(False)
        layout.addWidget(self.error_label)
        self.lock_label = QLabel(self.tr("Settings are locked while training runs. The learning "
                                         "rate can be changed in the Training panel."))
        self.lock_label.setWordWrap(True)
        self.lock_label.setEnabled(False)
        self.lock_label.setVisible(False)
        layout.addWidget(self.lock_label)

        session.config_changed.connect(self._on_config_changed)
        session.state_changed.connect(self._on_state_changed)
        session.model_changed.connect(self._on_model_changed)
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
        self.preset_combo.setToolTip(self.tr(
            "Start from a named configuration: the tutorials' networks and DigitLab's own. "
            "After an edit the name says '(modified)'."))
        self.preset_combo.activated.connect(self._on_preset_chosen)
        label.setBuddy(self.preset_combo)
        row.addWidget(label)
        row.addWidget(self.preset_combo, 1)
        box.addLayout(row)
        self.preset_description = QLabel()
        self.preset_description.setObjectName("presetDescription")
        self.preset_description.setWordWrap(True)
        self.preset_description.setEnabled(False)  # the palette's muted text, light or dark
        box.addWidget(self.preset_description)
        self.next_run_label = QLabel()
        self.next_run_label.setObjectName("nextRunLabel")
        self.next_run_label.setWordWrap(True)
        self.next_run_label.setToolTip(self.tr(
            "These settings are for the next run. The current model keeps the settings that "
            "trained it; Save writes those, never what this panel shows."))
        box.addWidget(self.next_run_label)
        return box

    def _build_layers_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 6, 4, 4)
        self.layer_editor = LayerEditor()
        self.layer_editor.layers_edited.connect(self._on_layers_edited)
        layout.addWidget(self.layer_editor, 1)
        row = QHBoxLayout()
        self.init_combo = QComboBox()
        self.init_combo.setObjectName("initCombo")
        self.init_combo.addItems(list(INITIALIZERS))
        self.init_combo.setCurrentText("he")  # what a new dense or conv layer gets by default
        self.init_combo.setToolTip(self.tr(
            "How dense and convolution weights start: 'normal' draws from N(0, scale^2), 'xavier' "
            "suits sigmoid/tanh, 'he' suits ReLU. Biases start at zero. Each layer keeps its own "
            "(edit it in the selected layer); new layers get this one."))
        self.init_combo.currentTextChanged.connect(self._on_initializer_chosen)
        self.init_scale = SciSpinBox(1e-6, 10.0)
        self.init_scale.setObjectName("initScale")
        self.init_scale.setValue(0.01)
        self.init_scale.setToolTip(self.tr("Standard deviation of the 'normal' initialiser "
                                           "(the tutorials use 0.01)"))
        self.init_scale.valueChanged.connect(self._on_initializer_chosen)
        self.apply_init_button = QPushButton(self.tr("Apply to all layers"))
        self.apply_init_button.setObjectName("applyInitButton")
        self.apply_init_button.setToolTip(self.tr(
            "Give every dense and convolution layer this initialiser"))
        self.apply_init_button.clicked.connect(self.apply_initializer_to_all)
        row.addWidget(QLabel(self.tr("Initialiser:")))
        row.addWidget(self.init_combo, 1)
        row.addWidget(QLabel(self.tr("scale")))
        row.addWidget(self.init_scale, 1)
        row.addWidget(self.apply_init_button)
        layout.addLayout(row)
        self.parameter_label = QLabel()
        self.parameter_label.setObjectName("parameterCount")
        self.parameter_label.setWordWrap(True)
        self.parameter_label.setToolTip(self.tr("Number of trainable weights and biases"))
        layout.addWidget(self.parameter_label)
        return page

    def _build_optimizer_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.optimizer_combo = self._choice_combo("optimizerCombo", list(OPTIMIZERS), self.tr(
            "The update rule; choosing one starts from its own default settings"))
        self._add_row(form, "optimizer", self.tr("Optimiser:"), self.optimizer_combo)
        for setting in all_optimizer_settings().values():
            self._add_setting(form, setting)
        self.schedule_combo = self._choice_combo("scheduleCombo", list(SCHEDULES), self.tr(
            "How the learning rate changes: constant; time: lr/(1+decay*t); power: lr/t^power; "
            "step: multiply by gamma every step size epochs; cosine: down to min lr along a cosine"))
        self._add_row(form, "schedule", self.tr("Schedule:"), self.schedule_combo)
        for setting in all_schedule_settings().values():
            self._add_setting(form, setting)
        return page

    def _build_data_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        for setting in (*DataSpec.SETTINGS, *AugmentConfig.SETTINGS):
            self._add_setting(form, setting)
        return page

    def _build_run_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        for setting in RunSpec.SETTINGS:
            self._add_setting(form, setting)
        self.numerical_cost = NumericalCostBox(self._numerical_problem)
        self.numerical_warning = self.numerical_cost.warning
        self.estimate_label = self.numerical_cost.estimate_label
        holder = self.numerical_cost
        self._add_row(form, "numerical", "", holder)
        return page

    # -- control factories -----------------------------------------------------------------
    def _add_row(self, form: QFormLayout, key: str, label: str, widget: QWidget) -> None:
        form.addRow(label, widget)
        self._rows[key] = (form, widget)

    def _add_setting(self, form: QFormLayout, setting: Setting) -> None:
        widget = make_control(setting)
        self.controls[setting.name] = widget
        self._settings[setting.name] = setting
        label = tr_setting(setting.label)
        self._add_row(form, setting.name, label[:1].upper() + label[1:] + ":", widget)
        if isinstance(widget, QCheckBox):
            widget.toggled.connect(self._on_edited)
        elif isinstance(widget, QComboBox):
            widget.currentTextChanged.connect(self._on_edited)
        else:
            self._watch(widget)

    def _choice_combo(self, name: str, items: list[str], tip: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.addItems(items)
        combo.setToolTip(tip)
        combo.currentTextChanged.connect(self._on_choice_changed)
        return combo

    def _watch(self, spin: QAbstractSpinBox) -> None:
        spin.setKeyboardTracking(False)
        spin.valueChanged.connect(self._on_edited)
        spin.lineEdit().textEdited.connect(lambda text, s=spin: self._on_typed(s, text))
        spin.editingFinished.connect(lambda s=spin: self._on_typing_done(s))

    # == config -> widgets ==================================================================
    def _write_config(self, config: TrainConfig) -> None:
        """Show ``config`` in the controls without triggering their handlers."""
        self._writing = True
        try:
            self.layer_editor.set_layers(list(config.network.layers))
            self.optimizer_combo.setCurrentText(config.optimizer.name)
            self.schedule_combo.setCurrentText(config.schedule.name)
            values = {**config.optimizer.settings, **config.schedule.settings,
                      **config.data.to_dict(), **config.augment.to_dict(), **config.run.to_dict()}
            for name, value in values.items():
                write_value(self.controls[name], self._settings[name], value)
        finally:
            self._writing = False
        self._config = config
        self._show_problem(None)
        self._update_visibility()
        self._update_preset_combo(config)
        self._update_parameter_count(config)
        self._update_next_run()

    def _update_visibility(self) -> None:
        used = {s.name for s in OPTIMIZERS[self.optimizer_combo.currentText()].settings}
        used |= {s.name for s in SCHEDULES[self.schedule_combo.currentText()].settings}
        for name in (*all_optimizer_settings(), *all_schedule_settings()):
            form, widget = self._rows[name]
            form.setRowVisible(widget, name in used)
        numerical = self.controls["gradients"].currentText() == "numerical"
        form, widget = self._rows["numerical"]
        form.setRowVisible(widget, numerical)
        self.init_scale.setEnabled(self.init_combo.currentText() == "normal")

    def setting_shown(self, key: str) -> bool:
        """Whether the row of setting ``key`` is shown (it is hidden when irrelevant)."""
        form, widget = self._rows[key]
        return form.isRowVisible(widget)

    def _update_preset_combo(self, config: TrainConfig) -> None:
        """Show the preset's name, "<preset> (modified)", "from file" or "custom"."""
        name = matching_preset(config)
        if name is not None:
            self._preset_origin = name
        opened = self.session.path if self.session.model is not None and \
            self.session.model.config == config else None
        merged = len(self.session.model.merged_members) if opened is not None else 0
        text, description = preset_label(config, self._preset_origin, opened, merged)
        index = self.preset_combo.findData(name if name is not None else _CUSTOM)
        if name is None:
            self.preset_combo.setItemText(index, text)
        self.preset_combo.setCurrentIndex(index)
        self.preset_description.setText(description)

    def _update_next_run(self) -> None:
        """Say what Start will do with these settings and the current model."""
        self.next_run_label.setText(describe_next_run(
            self.session.model, self._config, self.session.can_continue()))

    def _update_parameter_count(self, config: TrainConfig) -> int | None:
        self.layer_editor.show_shapes(walk_shapes(list(config.network.layers), config.network.input_shape))
        try:
            plans = plan_shapes(config.network.layers, config.network.input_shape)
            count = sum(int(np.prod(s)) for p in plans for s in p.param_shapes.values())
        except (ConfigError, ValueError, TypeError) as exc:
            self.parameter_label.setText(str(exc))
            self.parameter_label.setStyleSheet(colour_style(error_colour()))
            return None
        self.parameter_label.setStyleSheet("")
        self.parameter_label.setText(self.tr("{0:,} trainable parameters").format(count))
        self.numerical_cost.set_parameter_count(count)
        return count

    # == widgets -> config ==================================================================
    def _on_layers_edited(self) -> None:
        self._last_edited = self.layer_editor
        self._on_edited()

    def _on_initializer_chosen(self, *_: Any) -> None:
        self.layer_editor.set_initializer(self.init_combo.currentText(), self.init_scale.value())
        self.init_scale.setEnabled(self.init_combo.currentText() == "normal")

    def apply_initializer_to_all(self) -> None:
        """Give every weight layer the initialiser chosen below the table."""
        init, scale = self.init_combo.currentText(), self.init_scale.value()
        layers = self.layer_editor.layers()
        for entry in layers:
            if entry.get("type") in WEIGHT_LAYERS:
                entry["init"], entry["init_scale"] = init, scale
        self.layer_editor.set_layers(layers)
        self._on_layers_edited()

    def _on_choice_changed(self, *_: Any) -> None:
        """Another optimiser or schedule starts from its own defaults (as ``--optimizer`` does)."""
        if self._writing:
            return
        sender = self.sender()
        optimizer, schedule = self._config.optimizer, self._config.schedule
        chosen = self.optimizer_combo.currentText(), self.schedule_combo.currentText()
        self._writing = True
        try:
            if sender is self.optimizer_combo and chosen[0] != optimizer.name:
                for name, value in optimizer.switch_to(chosen[0]).settings.items():
                    write_value(self.controls[name], self._settings[name], value)
            if sender is self.schedule_combo and chosen[1] != schedule.name:
                for name, value in schedule.switch_to(chosen[1]).settings.items():
                    write_value(self.controls[name], self._settings[name], value)
        finally:
            self._writing = False
        self._on_edited()

    def _on_edited(self, *_: Any) -> None:
        if self._writing:
            return
        sender = self.sender()
        if isinstance(sender, QWidget) and sender is not self.layer_editor:
            self._last_edited = sender
        self._update_visibility()
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

    def _values(self, names: Any) -> dict[str, Any]:
        return {name: read_value(self.controls[name], self._settings[name]) for name in names}

    def candidate_config(self) -> TrainConfig:
        """The configuration the controls describe. Raises ConfigError if it is invalid."""
        layers = self.layer_editor.layers()
        images = any(e.get("type") in IMAGE_LAYERS for e in layers)
        input_shape = (1, 28, 28) if images else (784,)
        if not images and self._config.network.input_shape != (1, 28, 28):
            input_shape = self._config.network.input_shape
        optimizer = OPTIMIZERS[self.optimizer_combo.currentText()]
        schedule = SCHEDULES[self.schedule_combo.currentText()]
        return TrainConfig.from_dict({
            "network": {"layers": layers, "input_shape": list(input_shape),
                        "loss": self._config.network.loss},
            "optimizer": {"name": optimizer.name, **self._values(s.name for s in optimizer.settings)},
            "schedule": {"name": schedule.name, **self._values(s.name for s in schedule.settings)},
            "data": self._values(DataSpec.names()),
            "augment": self._values(AugmentConfig.names()),
            "run": self._values(RunSpec.names()),
        })

    def commit(self) -> bool:
        """Send the controls' configuration to the session if it is valid; else show why."""
        self._debounce.stop()
        try:
            config = self.candidate_config()
        except ConfigError as exc:
            if self._last_edited is self.layer_editor:
                self._show_layer_problem(str(exc))
            self._show_problem(str(exc), self._last_edited)
            return False
        self._update_parameter_count(config)
        self._update_preset_combo(config)
        self._show_problem(None)
        if config != self._config:
            self._config = config
            self.session.set_config(config)
        self._update_next_run()
        return True

    def _show_layer_problem(self, reason: str) -> None:
        """Show the per-layer shapes (and the first error) of a stack the config refused."""
        self.layer_editor.show_shapes(walk_shapes(self.layer_editor.layers(),
                                                  self._config.network.input_shape))
        self.parameter_label.setText(reason)
        self.parameter_label.setStyleSheet(colour_style(error_colour()))

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
            self._preset_origin = name
            self._write_config(config)
            self.session.set_config(config)

    # == numerical-gradient cost ===========================================================
    def _numerical_problem(self) -> tuple[TrainConfig, Any]:
        """The next run in numerical mode and the training images to time it on (or None)."""
        return self.candidate_config().with_settings(gradients="numerical"), self.session.data

    def estimate_numerical_time(self) -> float | None:
        """Measure one loss on a batch and scale by 2 x parameters; show and return seconds."""
        return self.numerical_cost.estimate()

    # == session -> panel ===================================================================
    def _on_config_changed(self, config: TrainConfig) -> None:
        if config != self._config:
            self._debounce.stop()
            if matching_preset(config) is None:
                self._preset_origin = None  # a loaded model's settings, not an edited preset
            self._write_config(config)
        self._update_next_run()

    def _on_model_changed(self) -> None:
        # A model is opened after its settings reach the panel: only now can the panel tell
        # that they are the opened model's own ("from file") rather than "custom".
        self._update_preset_combo(self._config)
        self._update_next_run()

    def _on_state_changed(self, state: str) -> None:
        idle = state == IDLE
        self.tabs.setEnabled(idle)
        self.preset_combo.setEnabled(idle)
        self.lock_label.setVisible(not idle)
