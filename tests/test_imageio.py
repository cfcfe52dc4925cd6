"""Tests for reading and writing grey images with Qt (digitlab.imageio)."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import numpy as np
import pytest
from PySide6 import QtGui

from digitlab.core.errors import DataError
from digitlab.core.preprocess import centre_of_mass, to_mnist_style
from digitlab.imageio import load_grey_image, save_grey_image

REPO = Path(__file__).resolve().parents[1]


def _gradient(height: int, width: int) -> np.ndarray:
    rows, cols = np.mgrid[0:height, 0:width]
    return ((rows * 7 + cols * 13) % 256).astype(np.uint8)


def _transparent_drawing(path: Path, alpha: int = 255) -> None:
    """A black square on a fully transparent (transparent *black*) background."""
    image = QtGui.QImage(40, 30, QtGui.QImage.Format.Format_ARGB32)
    image.fill(QtGui.QColor(0, 0, 0, 0))
    painter = QtGui.QPainter(image)
    painter.fillRect(10, 5, 12, 15, QtGui.QColor(0, 0, 0, alpha))
    painter.end()
    assert image.save(str(path))


def test_png_round_trip_is_exact(tmp_path):
    """Saving and loading a PNG gives back the same uint8 pixels, for odd widths too."""
    for shape in [(28, 28), (13, 7), (5, 33)]:  # widths not a multiple of 4 exercise padding
        image = _gradient(*shape)
        path = tmp_path / f"g{shape[1]}.png"
        save_grey_image(path, image)
        loaded = load_grey_image(path)
        assert loaded.dtype == np.uint8 and loaded.shape == shape
        np.testing.assert_array_equal(loaded, image)


def test_float_images_are_scaled_to_0_255(tmp_path):
    """Float images in [0, 1] are saved as rounded 0..255 grey levels."""
    path = tmp_path / "f.png"
    save_grey_image(path, np.array([[0.0, 0.5, 1.0, 2.0]]))
    np.testing.assert_array_equal(load_grey_image(path), [[0, 128, 255, 255]])


def test_jpeg_loads(tmp_path):
    """A JPEG loads as grey uint8 close to what was saved."""
    image = np.full((32, 48), 255, np.uint8)
    image[8:24, 10:30] = 0
    path = tmp_path / "d.jpg"
    save_grey_image(path, image)
    loaded = load_grey_image(path)
    assert loaded.shape == image.shape and loaded.dtype == np.uint8
    assert np.abs(loaded.astype(int) - image).mean() < 3


def test_transparent_png_composites_onto_white(tmp_path):
    """Black ink on a transparent PNG comes out black on white, semi-transparent ink grey."""
    path = tmp_path / "ink.png"
    _transparent_drawing(path)
    loaded = load_grey_image(path)
    assert loaded.shape == (30, 40)
    assert (loaded[5:20, 10:22] == 0).all()
    assert loaded[0, 0] == 255 and loaded[29, 39] == 255

    _transparent_drawing(path, alpha=128)
    assert abs(int(load_grey_image(path)[10, 15]) - 127) <= 2


def test_colour_image_becomes_grey(tmp_path):
    """Colour pixels are converted to their grey level (white 255, black 0, red in between)."""
    image = QtGui.QImage(3, 1, QtGui.QImage.Format.Format_RGB32)
    image.setPixelColor(0, 0, QtGui.QColor("white"))
    image.setPixelColor(1, 0, QtGui.QColor("black"))
    image.setPixelColor(2, 0, QtGui.QColor("red"))
    path = tmp_path / "c.png"
    assert image.save(str(path))
    grey = load_grey_image(path)
    assert grey[0, 0] == 255 and grey[0, 1] == 0 and 0 < grey[0, 2] < 255


def test_loaded_drawing_feeds_the_pipeline(tmp_path):
    """A transparent-background drawing loads and preprocesses into a centred MNIST digit."""
    path = tmp_path / "ink.png"
    _transparent_drawing(path)
    digit = to_mnist_style(load_grey_image(path))
    assert digit.max() == pytest.approx(1.0)
    assert centre_of_mass(digit) == pytest.approx((14.0, 14.0), abs=0.5)


def test_unreadable_files_raise_data_error(tmp_path):
    """Missing files, folders and non-images raise DataError naming the path and the reason."""
    text = tmp_path / "notes.png"
    text.write_text("this is not an image")
    for bad, reason in [(tmp_path / "missing.png", "no such file"), (tmp_path, "not a file"),
                        (text, "cannot read image")]:
        with pytest.raises(DataError, match=reason) as info:
            load_grey_image(bad)
        assert str(bad) in str(info.value)


def test_save_rejects_bad_input(tmp_path):
    """Saving a non-2-D array or to an unknown format raises DataError."""
    with pytest.raises(DataError):
        save_grey_image(tmp_path / "x.png", np.zeros((2, 2, 3), np.uint8))
    with pytest.raises(DataError, match="x.nosuchformat"):
        save_grey_image(tmp_path / "x.nosuchformat", np.zeros((2, 2), np.uint8))


def test_works_without_a_gui_application(tmp_path):
    """PNG and JPEG load with no QGuiApplication and no display, and none is created."""
    image = np.zeros((10, 10), np.uint8)
    save_grey_image(tmp_path / "a.png", image)
    save_grey_image(tmp_path / "a.jpg", image)
    script = textwrap.dedent(
        f"""
        from PySide6 import QtCore
        from digitlab.imageio import load_grey_image
        for name in ("a.png", "a.jpg"):
            assert load_grey_image({str(tmp_path)!r} + "/" + name).shape == (10, 10)
        assert QtCore.QCoreApplication.instance() is None
        """
    )
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr


# --- issue 12: bad and hostile images ---------------------------------------------------------

def _png(width: int, height: int, rows: bytes, damage: str = "") -> bytes:
    """A grey PNG from raw filtered ``rows``; ``damage`` = "truncate" or "crc" spoils it."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = zlib.compress(rows, 9)
    if damage == "truncate":
        data = data[: len(data) // 2]
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    if damage == "crc":
        png = png[:29] + bytes([png[29] ^ 0xFF]) + png[30:]  # the IHDR check sum
    return png


def _hostile_images(folder: Path) -> dict[str, Path]:
    row = b"\x00" + b"\x80" * 30
    jpeg = folder / "good.jpg"
    save_grey_image(jpeg, _gradient(40, 40))
    files = {
        "truncated-png": _png(30, 30, row * 30, "truncate"),
        "bad-crc-png": _png(30, 30, row * 30, "crc"),
        "random-bytes": np.random.default_rng(3).bytes(3000),
        "truncated-jpeg": jpeg.read_bytes()[:300],
        # 60,000 x 60,000 pixels declared (3.6 GB decoded) in a 1 KB file: a decompression bomb.
        "bomb-60000x60000": _png(60_000, 60_000, (b"\x00" + bytes(60_000)) * 4),
    }
    paths = {}
    for name, content in files.items():
        paths[name] = folder / f"{name}.{'jpg' if 'jpeg' in name else 'png'}"
        paths[name].write_bytes(content)
    return paths


def test_bad_images_raise_one_data_error_and_print_nothing(tmp_path, capfd):
    """libpng and Qt say nothing on stderr; DigitLab's DataError carries the reason instead."""
    for name, path in _hostile_images(tmp_path).items():
        with pytest.raises(DataError, match="cannot read image") as info:
            load_grey_image(path)
        assert "\n" not in str(info.value), name
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_decompression_bomb_is_refused_from_its_header(tmp_path):
    """A PNG declaring 3.6 gigapixels is refused by size before any pixel is decoded."""
    bomb = _hostile_images(tmp_path)["bomb-60000x60000"]
    with pytest.raises(DataError, match="60000x60000 pixels is more than"):
        load_grey_image(bomb)


@pytest.mark.slow
def test_predict_on_bad_images_is_one_line_in_bounded_memory(run_cli, tmp_path):
    """``digitlab predict`` on each bad image: one stderr line, exit 1, at most 600 MiB."""
    from digitlab.assets import pretrained_model_path

    for name, path in _hostile_images(tmp_path).items():
        line = run_cli("predict", str(pretrained_model_path()), str(path)).assert_clean_error(1)
        assert "libpng" not in line or "(libpng" in line, name
