"""What numerical gradients cost for the network being edited: a warning with the number of
forward passes, and a button that times one loss and scales it to a whole iteration."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from ...core.errors import ConfigError
from ...core.gradcheck import numerical_iteration_seconds
from ..theme import colour_style, warning_colour


class NumericalCostBox(QWidget):
    """``problem()`` returns (the configuration in numerical mode, MnistData or None)."""

    def __init__(self, problem: Callable[[], tuple[Any, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._problem = problem
        self.warning = QLabel()
        self.warning.setObjectName("numericalWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(colour_style(warning_colour()))
        button = QPushButton(self.tr("Estimate time per iteration"))
        button.setObjectName("estimateButton")
        button.setToolTip(self.tr("Time one loss on a batch and multiply by 2 x the parameter count"))
        button.clicked.connect(self.estimate)
        self.estimate_label = QLabel()
        self.estimate_label.setObjectName("numericalEstimate")
        self.estimate_label.setWordWrap(True)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.warning)
        box.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.estimate_label)

    def set_parameter_count(self, count: int) -> None:
        text = self.tr(
            "Numerical gradients need two forward passes per parameter: {0:,} passes per "
            "iteration for this network, thousands of times slower than backprop.").format(2 * count)
        if text != self.warning.text():
            self.warning.setText(text)
            self.estimate_label.clear()  # measured for another network

    def estimate(self) -> float | None:
        """Time one loss on a batch of the training images (random ones without data), scale it
        by 2 x parameters; show and return the seconds per iteration."""
        try:
            config, data = self._problem()
            network = config.build_network()
        except ConfigError as exc:
            self.estimate_label.setText(str(exc))
            return None
        n = min(config.data.batch_size, 1000)
        if data is not None:
            images, labels = data.train_images[:n], data.train_labels[:n]
        else:
            rng = np.random.default_rng(0)
            images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
            labels = rng.integers(0, 10, n).astype(np.uint8)
        x = (images.reshape((n, *config.network.input_shape)) / 255.0).astype(network.dtype)
        seconds, per_loss = numerical_iteration_seconds(network, x, labels, config.run.l2)
        self.estimate_label.setText(self.tr(
            "Estimated {0} per iteration: {1:,} parameters \u00d7 2 losses \u00d7 {2:.2f} ms per "
            "loss on a batch of {3}.").format(_duration(seconds), network.parameter_count,
                                               per_loss * 1000, n))
        return seconds


def _duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"
