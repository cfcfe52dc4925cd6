"""The Draw panel's probability bars and the digit views paint themselves (no pyqtgraph at
start-up): they show what they are given, on the scale they say."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage

from digitlab.gui.widgets.digit_image import (
    DigitImage,
    diverging_colormap,
    grey_colormap,
    image_to_rgb,
)
from digitlab.gui.widgets.probability_bars import BAR, BAR_TOP, ProbabilityBars


def _pixel(widget, x: float, y: float) -> QColor:
    image: QImage = widget.grab().toImage()
    ratio = image.devicePixelRatio()
    return QColor(image.pixel(int(x * ratio), int(y * ratio)))


def test_levels_map_to_the_ends_of_the_colour_map():
    table = diverging_colormap().lookup_table()
    rgb = image_to_rgb(np.array([[-2.0, -1.0, 0.0, 1.0, 5.0, np.nan]]), (-1.0, 1.0), table)
    assert tuple(rgb[0, 0]) == tuple(rgb[0, 1]) == (33, 102, 172)  # clipped to the low end
    assert np.abs(rgb[0, 2].astype(int) - 247).max() <= 2  # the middle (256 steps: not exact)
    assert tuple(rgb[0, 3]) == tuple(rgb[0, 4]) == (178, 24, 43)
    assert tuple(rgb[0, 5]) == (33, 102, 172)  # NaN shows as the low end, never garbage
    grey = image_to_rgb(np.array([[0.0, 0.5, 1.0]]), (0.0, 1.0), grey_colormap().lookup_table())
    assert [int(v) for v in grey[0, :, 0]] == [0, 128, 255]
    flat = image_to_rgb(np.ones((2, 2)), (1.0, 1.0), grey_colormap().lookup_table())
    assert (flat == 0).all()  # an empty range divides by nothing


def test_digit_image_paints_square_pixels_centred(qtbot):
    view = DigitImage(min_side=40)
    qtbot.addWidget(view)
    view.resize(200, 100)
    image = np.zeros((28, 28), np.float32)
    image[:14] = 1.0  # top half white
    view.set_image(image)
    view.show()
    rect = view.image_rect()
    assert rect.width() == pytest.approx(100) and rect.height() == pytest.approx(100)
    assert rect.left() == pytest.approx(50)
    assert _pixel(view, 100, 20).lightness() > 240  # top half
    assert _pixel(view, 100, 80).lightness() < 15  # bottom half
    assert np.array_equal(view.image, image)


def test_digit_image_shows_rgb_arrays_as_colours(qtbot):
    view = DigitImage(min_side=40)
    qtbot.addWidget(view)
    rgb = np.zeros((4, 4, 3), np.uint8)
    rgb[..., 0] = 200
    view.set_image(rgb, levels=(0, 255))
    assert tuple(view.rgb()[0, 0]) == (200, 0, 0)


def test_probability_bars_highlight_the_top_digit_at_its_height(qtbot):
    bars = ProbabilityBars()
    qtbot.addWidget(bars)
    bars.resize(300, 160)
    bars.show()
    probs = np.full(10, 0.02)
    probs[7] = 0.82
    bars.set_probabilities(probs)
    assert bars.top_digit() == 7
    area, top = bars.plot_rect(), bars.bar_rect(7)
    assert top.height() == pytest.approx(0.82 * area.height())
    centre = top.center()
    assert _pixel(bars, centre.x(), centre.y()) == BAR_TOP
    other = bars.bar_rect(3)
    assert _pixel(bars, other.center().x(), other.bottom() - 1) == BAR
    bars.set_probabilities(None)
    assert bars.top_digit() is None and bars.bar_rect(7).height() == 0
    bars.set_probabilities(np.array([np.nan] * 10))  # a diverged model draws nothing, no error
    assert bars.top_digit() is None


def test_levels_that_are_not_finite_fall_back_to_the_finite_range():
    """A diverged run's weights give NaN or infinite levels (+-max|w|): the image still shows."""
    table = grey_colormap().lookup_table()
    image = np.array([[0.0, 1.0, np.nan, np.inf]])
    for levels in ((np.nan, np.nan), (-np.inf, np.inf), (0.0, np.nan)):
        rgb = image_to_rgb(image, levels, table)
        assert [int(v) for v in rgb[0, :2, 0]] == [0, 255]
    assert (image_to_rgb(np.full((2, 2), np.nan), (np.nan, np.nan), table) == 0).all()
