"""The list of the Inside tab's views, in tab order: one line per view."""


from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QWidget

from ..session import Session
from .activations_view import ActivationsView
from .context import InsideContext
from .layer_math_view import LayerMathView
from .points_map import make_points_map
from .saliency_view import SaliencyView

ViewFactory = Callable[[Session, InsideContext], QWidget]

#: (untranslated title, factory). Titles go through ``QCoreApplication.translate("Inside", ...)``;
#: ``QT_TRANSLATE_NOOP`` (which returns its text) lets lupdate find them.
INSIDE_VIEWS: list[tuple[str, ViewFactory]] = [
    (QT_TRANSLATE_NOOP("Inside", "Activations"), ActivationsView),
    (QT_TRANSLATE_NOOP("Inside", "Layer math"), LayerMathView),
    (QT_TRANSLATE_NOOP("Inside", "Saliency"), SaliencyView),
    (QT_TRANSLATE_NOOP("Inside", "Points map"), make_points_map),
]


def _neuron_lab(session: Session, context: InsideContext) -> QWidget:
    from .neuron_lab import NeuronLab  # imported when the tab is built: no import cycle

    return NeuronLab(session, context)


def _robustness_panel(session: Session, context: InsideContext) -> QWidget:
    from .robustness_panel import RobustnessPanel

    return RobustnessPanel(session, context)


INSIDE_VIEWS.append((QT_TRANSLATE_NOOP("Inside", "Neuron lab"), _neuron_lab))
INSIDE_VIEWS.append((QT_TRANSLATE_NOOP("Inside", "Robustness"), _robustness_panel))

__all__ = ["INSIDE_VIEWS", "ViewFactory"]
