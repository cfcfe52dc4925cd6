"""The Inside tab: what happens inside the current model for one digit, and for many.

Each view is a QWidget built by a factory ``factory(session, context) -> QWidget`` and listed
once in :data:`INSIDE_VIEWS`; the tab (:mod:`.inside_panel`) builds them in that order. A view
reads the model from ``session.current_model()`` (and follows ``session.model_changed``) and the
digit being looked at from ``context`` (:class:`~.context.InsideContext`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from ..session import Session
from .context import InsideContext

ViewFactory = Callable[[Session, InsideContext], QWidget]

#: (untranslated title, factory). Titles go through ``QCoreApplication.translate("Inside", ...)``.
INSIDE_VIEWS: list[tuple[str, ViewFactory]] = []

__all__ = ["INSIDE_VIEWS", "InsideContext", "ViewFactory"]

# One line per view, in tab order (QT_TRANSLATE_NOOP lets lupdate find the title).
from PySide6.QtCore import QT_TRANSLATE_NOOP  # noqa: E402

from .points_map import make_points_map  # noqa: E402

INSIDE_VIEWS.append((QT_TRANSLATE_NOOP("Inside", "Points map"), make_points_map))
