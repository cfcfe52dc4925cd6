"""What every one-digit Inside view shares: follow the digit and the model, redraw when seen."""

from __future__ import annotations

import logging

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ...core.errors import DigitLabError
from ...core.predict import check_image_model
from ...core.serialization import SavedModel
from .. import theme
from ..session import Session
from .context import InsideContext

log = logging.getLogger(__name__)

#: While the digit changes (a pen moving in the Draw tab), redraw at most this often (ms).
REDRAW_INTERVAL_MS = 40


class DigitView(QWidget):
    """Base of the views that show the current model on the current digit.

    A subclass builds its controls into :attr:`body` and implements :meth:`show_digit`. The
    view redraws when the digit, the model or (while training) its weights change, throttled to
    :data:`REDRAW_INTERVAL_MS`, and only while it is visible: a hidden view just remembers that
    it is out of date and catches up when shown. Each redraw is one forward pass (and for
    saliency one backward pass) of one image, a few milliseconds on the GUI thread.
    """

    def __init__(self, session: Session, context: InsideContext, explanation: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.context = context
        self._stale = True
        self.explanation = QLabel(explanation, self)
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.explanation.setObjectName("insideExplanation")
        self.hint = QLabel("", self)
        self.hint.setObjectName("insideHint")
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setStyleSheet(theme.colour_style(theme.muted_colour()))
        self.body = QWidget(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.hint)
        layout.addWidget(self.body, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_INTERVAL_MS)
        self._timer.timeout.connect(self.refresh_now)
        context.image_changed.connect(self._on_input_changed)
        session.model_changed.connect(self._on_input_changed)
        session.weights_updated.connect(self._on_input_changed)

    # -- when to redraw ------------------------------------------------------------------------
    def _on_input_changed(self, *_args: object) -> None:
        self._stale = True
        if self.isVisible() and not self._timer.isActive():
            self._timer.start()  # a throttle: a moving pen redraws every interval, not never

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale and not self._timer.isActive():
            self._timer.start(0)

    def refresh_now(self) -> None:
        """Redraw for the current model and digit (or say what is missing)."""
        self._timer.stop()
        self._stale = False
        model, image = self.session.current_model(), self.context.image
        if model is None:
            self._show_hint(self.tr("There is no model yet: train one, open a model file or use "
                                    "the pretrained model (Draw tab)."))
            return
        if image is None or not np.asarray(image).any():
            self._show_hint(self.tr("No digit to look at: draw one in the Draw tab or pick a test "
                                    "digit above."))
            return
        try:
            check_image_model(model)
            self.show_digit(model, np.asarray(image, dtype=np.float32))
        except (DigitLabError, ValueError) as exc:
            log.warning("%s cannot show this model: %s", self.objectName(), exc)
            self._show_hint(self.tr("This model cannot be shown here: {0}").format(exc))
            return
        self.hint.hide()
        self.body.setEnabled(True)

    def _show_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.show()
        self.body.setEnabled(False)
        self.clear()

    # -- for subclasses ------------------------------------------------------------------------
    def show_digit(self, model: SavedModel, image: np.ndarray) -> None:
        """Show ``model`` on ``image`` (28x28, floats in [0, 1]); may raise ValueError."""
        raise NotImplementedError

    def clear(self) -> None:
        """Show nothing (no model or no digit)."""
