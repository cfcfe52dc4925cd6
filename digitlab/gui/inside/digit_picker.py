"""Where the Inside tab's digit comes from: the Draw tab's drawing, or a test digit picked here."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from ..session import Session
from ..widgets.digit_image import DigitImage
from .context import InsideContext


class DigitPicker(QWidget):
    """A thumbnail of the current digit, where it came from, and a test-digit picker.

    Picking a test digit (index spin box, or "Random test digit") sets the shared
    :class:`InsideContext`; anything else that sets it (the Draw tab) is named as the source.
    When MNIST arrives and there is no digit yet, the spin box's test digit is shown. Without
    MNIST loaded the picker is disabled and says how to load it.
    """

    def __init__(self, session: Session, context: InsideContext, parent: QWidget | None = None,
                 seed: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("insideDigitPicker")
        self.session = session
        self.context = context
        self._rng = np.random.default_rng(seed)
        self._picking = False
        #: the test index shown now, or None when the digit came from elsewhere
        self.test_index: int | None = None

        self.thumbnail = DigitImage(self, min_side=44)
        self.thumbnail.setObjectName("insideDigitThumbnail")
        self.thumbnail.setMaximumSize(56, 56)
        self.thumbnail.setToolTip(self.tr("The digit every Inside view looks at (28x28)"))
        self.source_label = QLabel("", self)
        self.source_label.setObjectName("insideDigitSource")
        self.source_label.setTextFormat(Qt.TextFormat.PlainText)
        self.source_label.setWordWrap(True)  # the row fits a netbook's narrow tab
        self.index_spin = QSpinBox(self)
        self.index_spin.setObjectName("testDigitIndex")
        self.index_spin.setPrefix(self.tr("test digit #"))
        self.index_spin.setKeyboardTracking(False)  # typing 1234 shows one digit, not four
        self.index_spin.setToolTip(self.tr("Look at this digit of the MNIST test set"))
        self.random_button = QPushButton(self.tr("Random test digit"), self)
        self.random_button.setObjectName("randomTestDigitButton")
        self.random_button.setToolTip(self.tr("Look at a test digit drawn at random"))
        self.data_hint = QLabel("", self)
        self.data_hint.setObjectName("insideDataHint")
        self.data_hint.setWordWrap(True)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.thumbnail)
        layout.addWidget(self.source_label, 1)
        layout.addWidget(self.data_hint, 1)
        layout.addWidget(self.index_spin)
        layout.addWidget(self.random_button)

        self.index_spin.valueChanged.connect(self.pick_test_digit)
        self.random_button.clicked.connect(self.pick_random)
        session.data_changed.connect(self._on_data_changed)
        context.image_changed.connect(self._on_image_changed)
        self._on_data_changed()  # may pick test digit 0: its source is then the test set
        self._show_image(context.image)

    def _on_data_changed(self) -> None:
        data = self.session.data
        has_data = data is not None and data.num_test > 0
        self.index_spin.setEnabled(has_data)
        self.random_button.setEnabled(has_data)
        self.data_hint.setVisible(not has_data)
        if has_data:
            self.index_spin.blockSignals(True)  # a new range is not a pick
            self.index_spin.setRange(0, data.num_test - 1)
            self.index_spin.blockSignals(False)
            if self.context.image is None:  # something to look at from the start
                self.pick_test_digit(self.index_spin.value())
        else:
            self.data_hint.setText(self.tr("To pick test digits, load MNIST in the Data tab."))

    def pick_test_digit(self, index: int) -> None:
        """Make MNIST test digit ``index`` the current digit (nothing without data)."""
        data = self.session.data
        if data is None or not 0 <= index < data.num_test:
            return
        image = np.asarray(data.test_images[index], dtype=np.float32) / 255.0
        self._picking = True
        try:
            self.test_index = index
            self.context.set_image(image)
        finally:
            self._picking = False
        if self.index_spin.value() != index:
            self.index_spin.blockSignals(True)
            self.index_spin.setValue(index)
            self.index_spin.blockSignals(False)
        self._show_source()

    def pick_random(self) -> None:
        data = self.session.data
        if data is not None and data.num_test > 0:
            self.pick_test_digit(int(self._rng.integers(data.num_test)))

    def _on_image_changed(self, image: np.ndarray | None) -> None:
        if not self._picking:
            self.test_index = None  # the digit came from elsewhere (the Draw tab)
        self._show_image(image)

    def _show_image(self, image: np.ndarray | None) -> None:
        self.thumbnail.set_image(np.zeros((28, 28), np.float32) if image is None else image)
        self._show_source()

    def _show_source(self) -> None:
        data = self.session.data
        if self.context.image is None:
            self.source_label.setText(self.tr("No digit yet: draw one in the Draw tab."))
        elif self.test_index is not None and data is not None:
            self.source_label.setText(self.tr("Test digit #{0}, labelled {1}").format(
                self.test_index, int(data.test_labels[self.test_index])))
        else:
            self.source_label.setText(self.tr("Your drawing from the Draw tab"))
