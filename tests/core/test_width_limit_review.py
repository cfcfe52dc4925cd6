"""What a review and hostile test of the width step found (core.preprocess.limit_width), each
a defect of the first version, fixed: narrow slanted writing left the slant limit (the width
step ran after the shear), and a crafted wide picture made the step allocate gigabytes."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.preprocess import (
    LYING_WIDTH,
    MAX_WIDTH,
    SLANT_LIMIT,
    ink_slant,
    ink_width,
    to_mnist_style,
)


def _leaning_narrow_ring(run: float) -> np.ndarray:
    """A 0 240 px tall and 80 px wide (ink width about 0.33, narrower than MIN_WIDTH), 8 px
    thick, leaning ``run`` columns per row (its top to the right), light ink on black."""
    rows, cols = np.mgrid[0:240, 0:80]
    radius = np.hypot((rows - 119.5) / 119.5, (cols - 39.5) / 39.5)
    ring = np.abs(radius - 1 + 4 / 39.5) < 4 / 39.5
    picture = np.zeros((260, 100 + int(run * 240)), np.uint8)
    for row in range(240):
        shift = 10 + int(round(run * (239 - row)))
        picture[10 + row, shift:shift + 80] = 255 * ring[row]
    return picture


@pytest.mark.parametrize("run", [0.6, 0.8])
def test_narrow_slanted_writing_reaches_the_network_within_the_slant_limit(run):
    """Writing slanted past SLANT_LIMIT reaches the network at most SLANT_LIMIT slanted, also
    when it is narrow enough to be widened (ink_width is unchanged by a shear, so widening
    first and shearing after would keep both limits)."""
    digit = to_mnist_style(_leaning_narrow_ring(run), invert=False)
    assert abs(ink_slant(digit)[0]) <= SLANT_LIMIT + 0.02


def _wide_crop_of_narrow_ink(width: int) -> np.ndarray:
    """A crop 200 rows tall and ``width`` columns wide whose ink width is between MAX_WIDTH and
    LYING_WIDTH: a solid block 200x100 in the middle and a faint row (0.11) across the whole
    width, which stretches the crop but adds little to the moments."""
    crop = np.zeros((200, width), np.float32)
    crop[:, width // 2 - 50:width // 2 + 50] = 1.0
    crop[100, :] = 0.11
    return crop


def test_squeezing_a_wide_picture_takes_memory_in_proportion_to_the_picture(peak_memory):
    """The width step's resampling matrix is the crop's width squared, so the pipeline hands it
    a crop reduced to _SHAPE_SIDE: a picture the reader accepts (up to 25 megapixels) whose
    crop is very wide cannot make it allocate gigabytes (a 16,040x1,040 PNG of 18 KB took
    2.77 GB and 25 s in `digitlab predict`)."""
    crop = _wide_crop_of_narrow_ink(3000)
    assert MAX_WIDTH < ink_width(crop) <= LYING_WIDTH  # it is squeezed
    picture = np.pad((crop * 255).astype(np.uint8), 20)
    digit, peak = peak_memory(lambda: to_mnist_style(picture, invert=False))
    # The float32 ink image is picture.size * 4 bytes; reducing the crop to 256 px takes about
    # 7 times that here (its resampling matrices grow with the crop's width, not its square);
    # the step on the full crop took 38 times.
    assert peak < 12 * picture.size * 4
    assert digit.any()
