"""Read and write grey images with Qt's image plugins (PNG, JPEG, BMP, GIF, TIFF, WebP...).

This lives outside ``digitlab.core`` because it uses ``PySide6.QtGui``. Only ``QImage`` and its
reader/writer are used, which work without a ``QGuiApplication`` (checked for PNG and JPEG with
no display, PySide6 6.11), so the command line can load images without starting a GUI.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PySide6 import QtCore, QtGui

from digitlab.core.errors import DataError

__all__ = ["load_grey_image", "save_grey_image"]

# JPEG exports are for people to look at; Qt's default quality of 75 smears thin strokes.
_JPEG_QUALITY = 95
#: Images with more pixels are refused from their header, before decoding allocates anything:
#: 25 megapixels (a 5000x5000 scan) decode to 100 MB of ARGB, which keeps ``predict`` far
#: below 600 MiB; a digit needs 28x28.
MAX_IMAGE_PIXELS = 25_000_000
# Qt's own allocation cap (MB) for one decoded image, a second guard for formats whose header
# gives no size.
_QT_ALLOCATION_LIMIT_MB = 128
# Messages image plugins print through Qt's logging (libpng, libjpeg, the reader itself):
# DigitLab reports the failure in its own one line instead.
_PLUGIN_MESSAGE_MARKERS = ("libpng", "jpeg", "qimage", "image", "tiff", "gif", "webp", "bmp", "ico")
_handler_lock = threading.Lock()


@contextlib.contextmanager
def _quiet_image_plugins() -> Iterator[list[str]]:
    """Collect, instead of printing, what image plugins say while decoding.

    Qt's plugins warn through Qt's logging (caught by a message handler; other messages still
    reach the previous handler or stderr), but libpng's error path writes to file descriptor 2
    itself, so that is pointed at a temporary file for the duration too. The caught lines go
    into DigitLab's one error line instead.
    """
    caught: list[str] = []
    with _handler_lock, _stderr_to_list(caught), _qt_messages_to_list(caught):
        yield caught


@contextlib.contextmanager
def _stderr_to_list(caught: list[str]) -> Iterator[None]:
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, AttributeError, ValueError):
        yield  # no usable stderr (e.g. a windowed app): nothing to keep quiet
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            caught += sink.read(4096).decode("utf-8", "replace").splitlines()


@contextlib.contextmanager
def _qt_messages_to_list(caught: list[str]) -> Iterator[None]:
    previous = None

    def handler(mode: QtCore.QtMsgType, context: QtCore.QMessageLogContext, message: str) -> None:
        if any(marker in message.lower() for marker in _PLUGIN_MESSAGE_MARKERS):
            caught.append(message)
        elif previous is not None:
            previous(mode, context, message)
        else:
            sys.stderr.write(message + "\n")

    previous = QtCore.qInstallMessageHandler(handler)
    try:
        yield
    finally:
        QtCore.qInstallMessageHandler(previous)


def load_grey_image(path: str | os.PathLike[str]) -> np.ndarray:
    """Read an image file as 8-bit grey levels.

    Colour images are converted with Qt's luminance weights. Transparent pixels are first
    composited onto white, as they look in any viewer: a black drawing on a transparent PNG
    becomes black ink on white paper (naively dropping alpha would turn it all black).
    A JPEG's EXIF orientation is applied, so phone photos come out upright.

    Parameters
    ----------
    path : str or os.PathLike
        The image file.

    Returns
    -------
    np.ndarray, shape (H, W), uint8
        A new array, 0 = black, 255 = white.

    Raises
    ------
    DataError
        If the file is missing, unreadable or not an image Qt can decode.
    """
    path = Path(path)
    if not path.is_file():
        reason = "it is not a file" if path.exists() else "no such file"
        raise DataError(f"cannot read image {str(path)!r}: {reason}")
    with _quiet_image_plugins() as plugin_messages:
        reader = QtGui.QImageReader(str(path))
        reader.setAutoTransform(True)
        reader.setAllocationLimit(_QT_ALLOCATION_LIMIT_MB)
        size = reader.size()  # from the header only
        if size.isValid() and size.width() * size.height() > MAX_IMAGE_PIXELS:
            raise DataError(
                f"cannot read image {str(path)!r}: {size.width()}x{size.height()} pixels is more "
                f"than the {MAX_IMAGE_PIXELS // 1_000_000} megapixels DigitLab decodes")
        image = reader.read()
        error = reader.errorString()
    if image.isNull():
        detail = f" ({plugin_messages[-1].strip()[:200]})" if plugin_messages else ""
        raise DataError(f"cannot read image {str(path)!r}: {error}{detail}")
    # A "@2x" file name can give a ratio of 2, which QPainter would honour by drawing at half
    # size; we want pixels, not logical points.
    image.setDevicePixelRatio(1.0)

    if image.hasAlphaChannel():
        paper = QtGui.QImage(image.size(), QtGui.QImage.Format.Format_RGB32)
        paper.fill(QtCore.Qt.GlobalColor.white)
        painter = QtGui.QPainter(paper)
        try:
            painter.drawImage(0, 0, image)
        finally:
            painter.end()
        image = paper

    grey = image.convertToFormat(QtGui.QImage.Format.Format_Grayscale8)
    return _to_array(grey)


def save_grey_image(path: str | os.PathLike[str], array: np.ndarray) -> None:
    """Write a grey image; the format follows the file suffix (``.png``, ``.jpg``, ``.bmp``...).

    Parameters
    ----------
    path : str or os.PathLike
        Destination file (overwritten).
    array : np.ndarray, shape (H, W)
        ``uint8`` grey levels, or floats in [0, 1] (clipped, then scaled to 0..255 and rounded).

    Raises
    ------
    DataError
        If the array is not a 2-D grey image or the file cannot be written in that format.
    """
    grey = _to_uint8(array)
    height, width = grey.shape
    grey = np.ascontiguousarray(grey)
    # QImage only borrows the buffer; copy() detaches it before ``grey`` can be freed.
    image = QtGui.QImage(
        grey.data, width, height, width, QtGui.QImage.Format.Format_Grayscale8
    ).copy()
    writer = QtGui.QImageWriter(str(path))
    if Path(path).suffix.lower() in (".jpg", ".jpeg"):
        writer.setQuality(_JPEG_QUALITY)
    if not writer.write(image):
        raise DataError(f"cannot write image {str(path)!r}: {writer.errorString()}")


def _to_array(grey: QtGui.QImage) -> np.ndarray:
    """Copy a ``Format_Grayscale8`` QImage into a new ``(H, W)`` uint8 array."""
    height, width = grey.height(), grey.width()
    # Scan lines are padded to a multiple of 4 bytes: read whole lines, then drop the padding.
    stride = grey.bytesPerLine()
    buffer = np.frombuffer(grey.constBits(), dtype=np.uint8, count=stride * height)
    return buffer.reshape(height, stride)[:, :width].copy()


def _to_uint8(array: np.ndarray) -> np.ndarray:
    """Validate a grey image and return it as uint8 (a new array unless already uint8)."""
    arr = np.asarray(array)
    if arr.ndim != 2 or arr.size == 0:
        raise DataError(f"expected a non-empty 2-D grey image, got shape {arr.shape}")
    if arr.dtype == np.uint8:
        return arr
    if np.issubdtype(arr.dtype, np.floating):
        if not np.isfinite(arr).all():
            raise DataError("the image contains NaN or infinite values")
        return np.rint(np.clip(arr, 0.0, 1.0) * 255.0).astype(np.uint8)
    raise DataError(f"expected uint8 or float grey levels, got dtype {arr.dtype}")
