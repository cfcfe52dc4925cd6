"""Small input widgets that refuse bad values in the control itself and say why.

``SciSpinBox`` edits numbers that span decades (learning rates, L2, epsilon) in scientific
notation with 1-2-5 steps; ``FractionSpinBox`` edits fractions shown as decimals.
``set_invalid`` marks any control with a red border and puts the reason in its tooltip; the
panel shows the same reason in a label next to the controls.
"""

from __future__ import annotations

import math
import re

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QSpinBox, QWidget

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_PARTIAL = re.compile(r"^[+-]?(\d*\.?\d*)([eE][+-]?\d*)?$")

#: style for controls holding a refused value
INVALID_STYLE = "border: 1px solid #d32f2f; border-radius: 2px;"


def set_invalid(widget: QWidget, reason: str | None) -> None:
    """Show (or clear, with None) a refused value: red border and the reason in the tooltip."""
    base = widget.property("base_tooltip")
    if base is None:
        base = widget.toolTip()
        widget.setProperty("base_tooltip", base)
    widget.setStyleSheet(INVALID_STYLE if reason else "")
    widget.setToolTip(f"{base}\n\n\u26a0 {reason}" if reason else base)
    widget.setProperty("invalid_reason", reason or "")


class SciSpinBox(QDoubleSpinBox):
    """A double spin box showing ``1e-03``-style numbers; up/down walk a 1-2-5 ladder.

    The minimum may be shown as a word (``setSpecialValueText``), e.g. "off" or "default".
    Text that is not a number, or outside the range, is refused as it is typed.
    """

    def __init__(self, minimum: float, maximum: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(12)
        self.setRange(minimum, maximum)
        self.setKeyboardTracking(False)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt's name
        return f"{value:.4g}"

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt's name
        text = text.strip()
        if text == self.specialValueText():
            return self.minimum()
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> object:
        stripped = text.strip()
        if self.specialValueText() and stripped == self.specialValueText():
            return QValidator.State.Acceptable, text, pos
        if _NUMBER.match(stripped):
            value = float(stripped)
            if self.minimum() <= value <= self.maximum():
                return QValidator.State.Acceptable, text, pos
            return QValidator.State.Intermediate, text, pos
        if _PARTIAL.match(stripped) or (self.specialValueText() or "").startswith(stripped):
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt's name
        value = self.value()
        if value <= 0:
            value = max(self.minimum(), 1e-6) if steps > 0 else self.minimum()
            self.setValue(value)
            return
        ladder = (1.0, 2.0, 5.0)
        exponent = math.floor(math.log10(value) + 1e-9)
        mantissa = value / 10**exponent
        index = min(range(3), key=lambda i: abs(ladder[i] - mantissa))
        position = exponent * 3 + index + steps
        new = ladder[position % 3] * 10 ** (position // 3)
        self.setValue(min(max(new, self.minimum()), self.maximum()))

    def range_reason(self) -> str:
        return self.tr("enter a number between {0:g} and {1:g}").format(self.minimum(), self.maximum())


class FractionSpinBox(SciSpinBox):
    """A fraction (a share of the images, a split): shown as plain decimals (``0.2500``), typed
    in any notation (``1e-3`` is 0.001; a plain spin box dropped the ``e`` and kept ``1``); up and
    down step by 0.01. Like :class:`SciSpinBox`, text outside the range is refused and said so."""

    def __init__(self, minimum: float, maximum: float, parent: QWidget | None = None) -> None:
        super().__init__(minimum, maximum, parent)
        self.setDecimals(4)  # the value is what the box shows: 1e-5 typed is 0, shown as 0.0000
        self.setSingleStep(0.01)

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt's name
        return f"{value:.4f}"

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt's name
        QDoubleSpinBox.stepBy(self, steps)  # evenly, not along SciSpinBox's 1-2-5 ladder


def range_reason(spin: QSpinBox | QDoubleSpinBox) -> str:
    """Why a spin box refuses what was typed: its allowed range, in words."""
    if isinstance(spin, SciSpinBox):
        return spin.range_reason()
    return spin.tr("enter a number between {0} and {1}").format(spin.minimum(), spin.maximum())
