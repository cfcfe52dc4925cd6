"""One form control per declared core setting (:class:`digitlab.core.spec.Setting`).

The Network panel's rows are made here from the records' declarations, so a setting added to
an optimiser, a schedule or the data/run records appears in the panel with its range, its
tooltip and its "off"/"all" word without any change to the panel.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QSpinBox, QWidget

from ...core.spec import Setting
from .fields import FractionSpinBox, SciSpinBox

#: the largest whole number a QSpinBox holds
_INT_MAX = 2**31 - 1


def tr_setting(text: str) -> str:
    """Translate a setting's label or help text (context "Settings")."""
    return QCoreApplication.translate("Settings", text)


def object_name(setting: Setting) -> str:
    """``batch_size`` -> ``batchSizeSpin`` (``Combo`` for words, ``Check`` for switches)."""
    first, *rest = setting.name.split("_")
    suffix = {bool: "Check", str: "Combo"}.get(setting.kind, "Spin")
    return first + "".join(word.capitalize() for word in rest) + suffix


def make_control(setting: Setting) -> QWidget:
    """A control for ``setting``: a check box, a combo, an integer or a number spin box."""
    if setting.kind is bool:
        widget: QWidget = QCheckBox()
    elif setting.kind is str:
        widget = QComboBox()
        widget.addItems(list(setting.choices))
    elif setting.kind is int:
        widget = QSpinBox()
        low = int(setting.low if setting.low is not None else 0)
        widget.setRange(low - 1 if setting.optional else low,
                        int(min(setting.high if setting.high is not None else _INT_MAX, _INT_MAX)))
        widget.setGroupSeparatorShown(True)
        widget.setKeyboardTracking(False)
    elif setting.high is not None and setting.high <= 1 and (setting.low or 0) >= 0 \
            and not setting.low_open:
        # a fraction: plain decimals read best
        widget = FractionSpinBox(setting.low or 0.0,
                                 setting.high - (1e-4 if setting.high_open else 0))
    else:
        low = setting.low if setting.low is not None else -1e9
        if setting.low_open or setting.optional:
            low = max(low, 0.0)  # the minimum stands for "not set" or is refused by the core
        high = setting.high if setting.high is not None else (1e6 if setting.low is None or
                                                               setting.low >= 1 else 100.0)
        widget = SciSpinBox(low, high)
    if setting.special and isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        widget.setSpecialValueText(tr_setting(setting.special))
    widget.setObjectName(object_name(setting))
    tip = tr_setting(setting.help)
    if setting.bounds_text():
        tip += f" {setting.bounds_text()}"
    widget.setToolTip(tip)
    return widget


def write_value(widget: QWidget, setting: Setting, value: Any) -> None:
    """Show ``value`` (``None`` for an unset optional setting) in ``widget``."""
    if isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QComboBox):
        widget.setCurrentText(str(value))
    elif value is None:
        widget.setValue(widget.minimum())
    else:
        widget.setValue(value)


def read_value(widget: QWidget, setting: Setting) -> Any:
    """The value ``widget`` shows, as the core takes it (``None`` at the minimum of an optional
    setting; the core refuses what is out of range)."""
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    value = widget.value()
    if setting.optional and value == widget.minimum():
        return None
    return int(value) if setting.kind is int else float(value)
