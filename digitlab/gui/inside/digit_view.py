"""What every one-digit Inside view shares: follow the digit and the model, redraw when seen."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ...core.errors import DigitLabError
from ...core.introspect import layer_outputs
from ...core.predict import check_image_model
from ...core.serialization import SavedModel
from .. import theme
from ..session import Session
from .context import InsideContext
from .latest_digit_job import Compute, LatestDigitJob

log = logging.getLogger(__name__)

#: While the digit changes (a pen moving in the Draw tab), redraw at most this often (ms).
REDRAW_INTERVAL_MS = 40


@dataclass(frozen=True, eq=False)
class DigitOutputs:
    """Every layer's output for one digit, and the architecture that produced them.

    ``network_input`` has shape (*input_shape); ``outputs[i]`` shape (1, *output of layer i).
    """

    architecture: dict[str, Any]
    network_input: np.ndarray
    outputs: list[np.ndarray]


def digit_outputs(model: SavedModel, image: np.ndarray) -> DigitOutputs:
    """One forward pass of the 28x28 ``image`` through ``model`` (a :data:`Compute`)."""
    network = model.network
    x = model.transform.apply_unit(image[None], network.input_shape, network.dtype)
    return DigitOutputs(network.get_config(), x[0], layer_outputs(network, x))


class DigitView(QWidget):
    """Base of the views that show the current model on the current digit.

    A subclass builds its controls into :attr:`body`, and implements :meth:`compute` (what to
    work out, run on a worker thread on a private copy of the model: see
    :class:`~.latest_digit_job.LatestDigitJob`) and :meth:`show_result` (on the GUI thread).
    The view recomputes when the digit, the model or (while training) its weights change,
    throttled to :data:`REDRAW_INTERVAL_MS`, and only while it is visible: a hidden view just
    remembers that it is out of date and catches up when shown.
    """

    #: a result was shown (tests and scripts wait for it)
    shown = Signal()

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
        self.work = LatestDigitJob(f"inside-{type(self).__name__}", self)
        self.work.result_ready.connect(self._on_result)
        self.work.failed.connect(self._on_failed)
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

    def refresh_now(self, *_args: object) -> None:
        """Recompute for the current model and digit (or say what is missing)."""
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
        except DigitLabError as exc:
            self._on_failed(str(exc))
            return
        self.work.submit(model, np.asarray(image, dtype=np.float32), self.compute())

    def _on_result(self, result: object) -> None:
        if self.session.current_model() is None or self.context.image is None:
            return  # cleared while it was computed: the hint stays
        try:
            self.show_result(result)
        except (DigitLabError, ValueError) as exc:
            self._on_failed(str(exc))
            return
        self.hint.hide()
        self.body.setEnabled(True)
        self.shown.emit()

    def _on_failed(self, message: str) -> None:
        log.warning("%s cannot show this model: %s", self.objectName(), message)
        self._show_hint(self.tr("This model cannot be shown here: {0}").format(message))

    def _show_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.show()
        self.body.setEnabled(False)
        self.clear()

    # -- for subclasses ------------------------------------------------------------------------
    def compute(self) -> Compute:
        """What to work out, as ``f(model, image) -> result`` for the worker thread: it gets a
        private copy of the model and the 28x28 image, and must not touch widgets (read the
        controls here and close over their values). It may raise ValueError."""
        raise NotImplementedError

    def show_result(self, result: object) -> None:
        """Show what :meth:`compute`'s function returned (GUI thread)."""
        raise NotImplementedError

    def clear(self) -> None:
        """Show nothing (no model or no digit)."""
