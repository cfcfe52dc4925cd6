"""Draw a digit (or load a picture of one) and watch the network read it, live."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...assets import pretrained_model_path
from ...core.decline import TOO_LITTLE_INK, TOO_MANY_STROKES, UNLIKE_ANY_DIGIT
from ...core.errors import ModelFileError
from ...core.number import NumberReading, read_image_parts
from ...core.predict import NO_INK, Prediction, predict_network_input
from ...core.segment import Box, ImagePart
from .. import theme
from ..my_digits_dialog import my_digits_menu
from ..number_prediction import predict_number_strokes
from ..picture_reading import PictureLoader, PictureReading
from ..session import Session
from ..stroke_prediction import network_input_for_strokes, predict_strokes
from ..widgets.digit_image import DigitImage
from ..widgets.draw_canvas import DrawCanvas
from ..widgets.number_label import NumberLabel
from ..widgets.probability_bars import ProbabilityBars

log = logging.getLogger(__name__)

#: While the pen moves, predict at most this often (ms); after release, within this delay.
PREDICT_INTERVAL_MS = 60

class DrawPanel(QWidget):
    """A canvas, the predicted digit, a bar per digit and the 28x28 input the network sees."""

    #: the 28x28 input the network sees changed (np.ndarray float32, or None when emptied):
    #: the Inside tab follows the drawing through it
    network_input_changed = Signal(object)
    #: a picture file asked for with load_image_file was shown (True), or could not be (False:
    #: unreadable or blank, the error label says why; or dropped for a drawing begun meanwhile)
    picture_loaded = Signal(bool)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drawPanel")
        self.session = session
        self._picture_digit: np.ndarray | None = None  # 28x28 input of a loaded image file
        self._picture_parts: list[ImagePart] = []  # its digits, when it holds a number
        self._dialog: QFileDialog | None = None
        self._pictures = PictureLoader(self)  # reads picture files off the GUI thread
        #: the last 28x28 input given to the network (None when the canvas is empty)
        self.network_input: np.ndarray | None = None
        self._published_input: np.ndarray | None = None  # the last one network_input_changed sent
        #: its class probabilities
        self.probabilities: np.ndarray | None = None

        self.canvas = DrawCanvas(self)
        self.clear_button = QPushButton(self.tr("Clear"), self)
        self.clear_button.setObjectName("clearButton")
        self.clear_button.setToolTip(self.tr("Erase the drawing (Esc, or right-click the canvas)"))
        self.undo_button = QPushButton(self.tr("Undo"), self)
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setToolTip(self.tr("Remove the last stroke (Ctrl+Z on the canvas)"))
        self.load_button = QPushButton(self.tr("Load image…"), self)
        self.load_button.setObjectName("loadImageButton")
        self.load_button.setToolTip(self.tr(
            "Read a digit from a picture (PNG, JPEG…): it goes through the same preprocessing "
            "as a drawing and as `digitlab predict`"))

        self.prediction_label = QLabel("", self)
        self.prediction_label.setObjectName("predictionLabel")
        self.prediction_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 5)
        font.setBold(True)
        self.prediction_label.setFont(font)
        self.prediction_label.setMinimumWidth(90)
        self.prediction_label.setToolTip(self.tr("The digit the network reads"))
        self.confidence_label = QLabel("", self)
        self.confidence_label.setObjectName("confidenceLabel")
        self.confidence_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.confidence_label.setWordWrap(True)
        # Why a drawing names no digit, in words: its own widget, never the prediction label.
        self.decline_reason_label = QLabel("", self)
        self.decline_reason_label.setObjectName("declineReasonLabel")
        self.decline_reason_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.decline_reason_label.setWordWrap(True)
        self.number_label = NumberLabel(self)  # the number, when the drawing holds several digits

        self.bars = ProbabilityBars(self)
        self.bars.setToolTip(self.tr("The network's probability for each digit"))
        self.seen = DigitImage(self, min_side=84)  # 3 px per pixel; grows with the window
        self.seen.setObjectName("networkInputImage")
        self.seen.setToolTip(self.tr(
            "What the network actually sees: the drawing cropped (sheared back if it leans more "
            "than about 24 degrees, stretched or squeezed across if it is narrower or wider than "
            "MNIST's digits), scaled so its longer side is 20 px and centred by its centre of "
            "mass in a 28x28 frame, like MNIST"))

        self.my_digits_button = QPushButton(self.tr("Add to my digits"), self)
        self.my_digits_button.setObjectName("addToMyDigitsButton")
        self.my_digits_button.setToolTip(self.tr(
            "Keep this drawing with its true digit, to fine-tune the model on your handwriting"))
        self.my_digits_button.setMenu(my_digits_menu(self, session, self.current_input, self._show_note))

        self.hint_label = QLabel("", self)
        self.hint_label.setObjectName("drawHintLabel")
        self.hint_label.setWordWrap(True)
        self.hint_label.setTextFormat(Qt.TextFormat.PlainText)
        self.pretrained_button = QPushButton(self.tr("Use the pretrained model"), self)
        self.pretrained_button.setObjectName("pretrainedButton")
        self.pretrained_button.setToolTip(self.tr("Load the model that ships with DigitLab"))
        self.error_label = QLabel("", self)
        self.error_label.setObjectName("drawErrorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(theme.colour_style(theme.error_colour()))
        self.error_label.hide()
        self.picture_status_label = QLabel(self.tr("Reading picture…"), self)
        self.picture_status_label.setObjectName("pictureStatusLabel")
        self.picture_status_label.hide()

        self._build_layout()

        self._predict_timer = QTimer(self)
        self._predict_timer.setSingleShot(True)
        self._predict_timer.setInterval(PREDICT_INTERVAL_MS)
        self._predict_timer.timeout.connect(self.predict_now)

        self.canvas.strokes_changed.connect(self._on_strokes_changed)
        # Lifting the pen gives the final reading at once (a few ms), not after the throttle.
        self.canvas.stroke_finished.connect(self.predict_now)
        self.canvas.cleared.connect(self._on_cleared)
        self.clear_button.clicked.connect(self.canvas.clear)
        self.undo_button.clicked.connect(self.canvas.undo)
        self.load_button.clicked.connect(self._choose_image)
        self.pretrained_button.clicked.connect(self._load_pretrained)
        self._pictures.read.connect(self._show_picture)
        self._pictures.failed.connect(self._on_picture_failed)
        self._pictures.busy_changed.connect(self.picture_status_label.setVisible)
        session.model_changed.connect(self._on_model_changed)
        session.weights_updated.connect(self._schedule_prediction)
        self._on_model_changed()

    def _build_layout(self) -> None:
        # two rows of two: in one row the four buttons are wider than the canvas, and the tab
        # would not fit a 1024x600 screen beside the Network panel
        buttons = QGridLayout()
        buttons.addWidget(self.clear_button, 0, 0)
        buttons.addWidget(self.undo_button, 0, 1)
        buttons.addWidget(self.load_button, 1, 0)
        buttons.addWidget(self.my_digits_button, 1, 1)
        left = QVBoxLayout()
        left.addWidget(self.canvas, 1)
        left.addLayout(buttons)

        answer = QFrame(self)
        answer.setObjectName("predictionFrame")
        answer.setFrameShape(QFrame.Shape.StyledPanel)
        answer_layout = QGridLayout(answer)
        caption = QLabel(self.tr("The network reads"), answer)
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        seen_caption = QLabel(self.tr("What it sees (28x28)"), answer)
        seen_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        answer_layout.addWidget(caption, 0, 0)
        answer_layout.addWidget(self.prediction_label, 1, 0)
        answer_layout.addWidget(self.confidence_label, 2, 0)
        answer_layout.addWidget(seen_caption, 0, 1)
        answer_layout.addWidget(self.seen, 1, 1, 2, 1)
        answer_layout.addWidget(self.number_label, 3, 0, 1, 2)
        answer_layout.addWidget(self.decline_reason_label, 4, 0, 1, 2)
        answer_layout.setColumnStretch(0, 1)
        answer_layout.setColumnStretch(1, 1)

        right = QVBoxLayout()
        right.addWidget(answer)
        bars_caption = QLabel(self.tr("Probability of each digit"), self)
        right.addWidget(bars_caption)
        right.addWidget(self.bars, 1)
        right.addWidget(self.hint_label)
        right.addWidget(self.pretrained_button, 0, Qt.AlignmentFlag.AlignLeft)
        right.addWidget(self.picture_status_label)
        right.addWidget(self.error_label)

        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        side = QWidget(self)
        side.setLayout(right)
        side.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        side.setMinimumWidth(280)
        layout.addWidget(side, 2)

    # -- prediction --------------------------------------------------------------------------
    def _on_strokes_changed(self) -> None:
        self._drop_picture_being_read()
        if self.canvas.picture() is None:
            self._picture_digit = None
            self._picture_parts = []
        if self.canvas.is_empty():
            self._show_empty()
            self._publish_input()
        else:
            self._schedule_prediction()

    def _schedule_prediction(self, *_args) -> None:
        # Not restarted while running: while the pen moves this predicts every interval
        # (a throttle, not a debounce), and the last change is always picked up.
        if not self._predict_timer.isActive():
            self._predict_timer.start()

    def _on_cleared(self) -> None:
        self._drop_picture_being_read()
        self._predict_timer.stop()
        self._picture_digit = None
        self._picture_parts = []
        self.error_label.hide()  # it was about the picture or drawing just erased
        self._show_empty()
        self._publish_input()

    def _show_empty(self) -> None:
        self.network_input = None
        self.probabilities = None
        self.prediction_label.setText("")
        self.confidence_label.setText("")
        self.decline_reason_label.setText("")
        self.number_label.set_reading(None)
        self.bars.set_probabilities(None)
        self.seen.set_image(np.zeros((28, 28), np.float32))

    def current_input(self) -> np.ndarray | None:
        """The 28x28 float input (ink = 1) for what is on the canvas, or None if it is empty."""
        if self._picture_digit is not None:
            digit = self._picture_digit
        elif self.canvas.strokes():
            digit = network_input_for_strokes(self.canvas.strokes())
        else:
            return None
        return digit if digit.any() else None

    def current_prediction(self) -> Prediction | None:
        """The model's reading of what is on the canvas as one digit; None if it is empty or
        there is no model.

        Raises
        ------
        ModelFileError
            If the current model cannot read 28x28 digits.
        """
        model = self.session.current_model()
        if model is None:
            return None
        if self._picture_digit is not None:
            return predict_network_input(model, self._picture_digit)
        strokes = self.canvas.strokes()
        return predict_strokes(model, strokes) if strokes else None

    def current_reading(self) -> NumberReading | None:
        """The model's reading of what is on the canvas digit by digit (one digit for a single
        digit, read exactly as :meth:`current_prediction`); None if empty or no model.

        Raises
        ------
        ModelFileError
            If the current model cannot read 28x28 digits.
        """
        model = self.session.current_model()
        if model is None:
            return None
        if len(self._picture_parts) > 1:
            return read_image_parts(model, self._picture_parts)
        if self._picture_digit is not None:
            box = self._picture_parts[0].box if self._picture_parts else Box(0.0, 0.0, 1.0, 1.0)
            return NumberReading.of([(predict_network_input(model, self._picture_digit), box)])
        strokes = self.canvas.strokes()
        return predict_number_strokes(model, strokes) if strokes else None

    def predict_now(self) -> None:
        """Preprocess the drawing and show the network's reading of it."""
        try:
            self._predict()
        finally:
            self._publish_input()

    def _publish_input(self) -> None:
        # Only a new drawing is news: a new model or weights re-predict the same input, and
        # must not take the Inside tab away from a test digit picked there.
        old, new = self._published_input, self.network_input
        if (old is None) != (new is None) or (new is not None and not np.array_equal(old, new)):
            self._published_input = new
            self.network_input_changed.emit(new)

    def _predict(self) -> None:
        self._predict_timer.stop()
        if self.session.current_model() is None:
            self._show_input_only(self.current_input())
            return
        try:
            reading = self.current_reading()
        except Exception as exc:  # noqa: BLE001 - a model that cannot read 28x28 must not crash the UI
            # Usually a ModelFileError from the model check (unknown pipeline, wrong shapes).
            self._show_input_only(self.current_input())

            log.warning("the model cannot read a 28x28 digit", exc_info=True)
            self._show_error(self.tr("This model cannot read a 28x28 digit: {0}").format(exc))
            return
        if reading is not None and len(reading) > 1:
            self._show_number(reading)
            return
        prediction = reading.predictions[0] if reading else None
        if prediction is None:  # an empty canvas: no ink to read
            self._show_empty()
            return
        self.error_label.hide()
        self.number_label.set_reading(None)
        self.network_input = prediction.network_input
        self.probabilities = prediction.probabilities
        self.seen.set_image(prediction.network_input)
        declined = prediction.digit is None
        self.prediction_label.setText("?" if declined else str(prediction.digit))
        self.confidence_label.setText(self.tr("{0:.0%} sure").format(prediction.confidence))
        self.decline_reason_label.setText(self._reason_text(prediction.reason) if declined else "")
        self.bars.set_probabilities(prediction.probabilities)

    def _reason_text(self, reason: str | None) -> str:
        """Why no digit is named, in the interface's language."""
        texts = {NO_INK: self.tr("Not a digit: there is no ink to read"),
                 TOO_LITTLE_INK: self.tr("Not a digit: too little ink (a dot or a speck)"),
                 TOO_MANY_STROKES: self.tr("Not a digit: too many strokes for one digit"),
                 UNLIKE_ANY_DIGIT: self.tr("Not a digit: it is unlike any digit the network knows")}
        return texts.get(reason, self.tr("Not a digit"))

    def _show_number(self, reading: NumberReading) -> None:
        """Several digits: ``?`` in predictionLabel (it names one digit only), the number and
        each digit's confidence in numberLabel, the digits as the network sees them side by side."""
        self.error_label.hide()
        self.network_input = None  # no single 28x28 input: the parts are read one by one
        self.probabilities = None
        self.prediction_label.setText("?")
        self.confidence_label.setText(self.tr("{0} digits").format(len(reading)))
        self.number_label.set_reading(reading)
        self.decline_reason_label.setText("")  # a reason belongs to a one-digit reading
        self.bars.set_probabilities(None)
        self.seen.set_image(np.concatenate([p.network_input for p in reading.predictions], axis=1))

    def _show_input_only(self, digit: np.ndarray | None) -> None:
        """What the network would see, with no reading (no model, or one that cannot read it)."""
        self._show_empty()
        if digit is not None:
            self.network_input = digit
            self.seen.set_image(digit)

    # -- model -------------------------------------------------------------------------------
    def _on_model_changed(self) -> None:
        self.error_label.hide()  # about the previous model; the new one is tried at once below
        has_model = self.session.current_model() is not None
        if has_model:
            self.hint_label.setText(self.tr(
                "Draw a digit, large or small, or a number with its digits side by side. The "
                "prediction follows your pen; right-click or Esc clears, Ctrl+Z undoes a stroke."))
        else:
            self.hint_label.setText(self.tr(
                "There is no model yet, so nothing can read your digit. Train one in the "
                "Training panel, open a model file (File ▸ Open…), or use the pretrained model."))
        self.pretrained_button.setVisible(not has_model and pretrained_model_path() is not None)
        self._schedule_prediction()

    def _load_pretrained(self) -> None:
        path = pretrained_model_path()
        if path is None:
            return
        try:
            self.session.load_model(path)
        except ModelFileError as exc:
            self._show_error(str(exc))

    # -- image files -------------------------------------------------------------------------
    def _choose_image(self) -> None:
        dialog = QFileDialog(self, self.tr("Load a picture of a digit"), "",
                             self.tr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp)"
                                     ";;All files (*)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.load_image_file)
        self._dialog = dialog
        dialog.open()  # not exec(): never block the event loop

    def load_image_file(self, path: str | Path) -> None:
        """Read a picture file off the GUI thread, then show it on the canvas with the digit (or
        number) in it; returns at once. :attr:`picture_loaded` says how it ended. A newer call
        replaces a picture still being read; drawing or clearing meanwhile drops it."""
        self._pictures.request(path)

    def _show_picture(self, reading: PictureReading) -> None:
        if not reading.digit.any():
            self._on_picture_failed(self.tr("No digit found in {0}: the picture is blank.").format(
                reading.name))
            return
        self.error_label.hide()
        self.canvas.set_picture(reading.picture)  # emits strokes_changed, which resets _picture_digit
        self._picture_digit = reading.digit
        self._picture_parts = reading.parts
        self.predict_now()
        self.picture_loaded.emit(True)

    def _on_picture_failed(self, message: str) -> None:
        self._show_error(message)  # the canvas keeps what it shows
        self.picture_loaded.emit(False)

    def _drop_picture_being_read(self) -> None:
        # The user drew or cleared after choosing a picture: it must not replace that drawing.
        if self._pictures.drop():
            self.picture_loaded.emit(False)

    def _show_note(self, text: str, error: bool) -> None:
        if error:
            self._show_error(text)
        else:
            self.session.message.emit(text)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
