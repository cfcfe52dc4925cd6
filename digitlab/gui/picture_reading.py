"""Read a picture file for the Draw panel off the GUI thread.

Decoding a 4000x3000 photo, making its MNIST-style digit and cutting it into digits take a few
hundred milliseconds, which the window must not freeze for. :class:`PictureLoader` does all
three on the job helper (:mod:`digitlab.gui.jobs`), one picture at a time, and hands the panel
a :class:`PictureReading` on the GUI thread, where showing it and predicting the 28x28 digit
take a few milliseconds.

The newest request wins: a picture chosen while another is still being read replaces it (the
older one is cancelled, and its result never arrives). :meth:`PictureLoader.drop` forgets the
request in flight, for when the user draws or clears meanwhile: a picture must not replace a
drawing begun after it was chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage

from ..core.errors import Cancelled
from ..core.preprocess import to_mnist_style
from ..core.segment import ImagePart, segment_image
from ..imageio import load_grey_image
from .inside.latest_job import LatestJob

#: the canvas gets the picture at most this many pixels on its longer side: it is drawn into a
#: square of a few hundred pixels, and re-drawing a full photo at every resize takes long
DISPLAY_SIDE = 1024


@dataclass(frozen=True)
class PictureReading:
    """A picture file as the Draw panel needs it.

    Attributes
    ----------
    name : str
        The file's name, for messages.
    digit : np.ndarray, shape (28, 28), float32
        The MNIST-style digit (ink = 1); all zeros for a blank picture.
    parts : list of ImagePart
        Its digits, left to right (``[]`` for a blank picture).
    picture : QImage
        The picture to show, grey, at most :data:`DISPLAY_SIDE` pixels on its longer side.
    """

    name: str
    digit: np.ndarray
    parts: list[ImagePart] = field(default_factory=list)
    picture: QImage = field(default_factory=QImage)


def read_picture(path: str | Path, cancelled: Callable[[], bool] = lambda: False) -> PictureReading:
    """Decode ``path``, make its digit and parts, and the picture to show (any thread).

    Raises
    ------
    DataError
        The file cannot be read as an image (one line naming it).
    Cancelled
        ``cancelled()`` turned True between two steps.
    """
    def check() -> None:
        if cancelled():
            raise Cancelled

    grey = load_grey_image(path)
    check()
    digit = to_mnist_style(grey)
    check()
    parts = segment_image(grey) if digit.any() else []
    check()
    grey = np.ascontiguousarray(grey, dtype=np.uint8)
    height, width = grey.shape
    picture = QImage(grey.data, width, height, width, QImage.Format.Format_Grayscale8)
    if max(width, height) > DISPLAY_SIDE:
        picture = picture.scaled(DISPLAY_SIDE, DISPLAY_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
    else:
        picture = picture.copy()  # its own pixels: ``grey`` goes away with this function
    return PictureReading(Path(path).name, digit, parts, picture)


class PictureLoader(QObject):
    """Reads picture files on the job helper; only the newest request is answered."""

    #: the newest request's PictureReading (GUI thread)
    read = Signal(object)
    #: why the newest request could not be read, in one line
    failed = Signal(str)
    #: a request is being read (True) or answered, failed or dropped (False)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = LatestJob("picture", self, delay_ms=0)
        self._runner.result_ready.connect(self._on_result)
        self._runner.failed.connect(self._on_failed)
        self._requests = 0
        self._awaited: int | None = None  # the number of the request to answer

    @property
    def busy(self) -> bool:
        return self._awaited is not None

    def request(self, path: str | Path) -> None:
        """Read ``path`` in the background, replacing any request still being read."""
        self._requests += 1
        number, was_busy = self._requests, self.busy
        self._awaited = number
        self._runner.request(lambda _progress, cancelled: (number, read_picture(path, cancelled)),
                             immediately=True)
        if not was_busy:
            self.busy_changed.emit(True)

    def drop(self) -> bool:
        """Forget the request being read (its answer will not come); True if there was one."""
        if self._awaited is None:
            return False
        self._awaited = None
        self._runner.cancel()
        self.busy_changed.emit(False)
        return True

    def _on_result(self, value: tuple[int, PictureReading]) -> None:
        number, reading = value
        if number == self._awaited:
            self._awaited = None
            self.busy_changed.emit(False)
            self.read.emit(reading)

    def _on_failed(self, message: str) -> None:
        # LatestJob delivers a failure only when no newer request waits: it is the awaited one's.
        if self._awaited is not None:
            self._awaited = None
            self.busy_changed.emit(False)
            self.failed.emit(message)
