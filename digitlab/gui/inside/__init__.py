"""The Inside tab: what happens inside the current model for one digit, and for many.

Each view is a QWidget built by a factory ``factory(session, context) -> QWidget`` and listed
once in :data:`INSIDE_VIEWS`; the tab (:mod:`.inside_panel`) builds them in that order. A view
reads the model from ``session.current_model()`` (and follows ``session.model_changed``) and the
digit being looked at from ``context`` (:class:`~.context.InsideContext`).
"""

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

__all__ = ["INSIDE_VIEWS", "InsideContext", "ViewFactory"]
