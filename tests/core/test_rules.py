"""A ruled page's lines and a form's box are taken out before a digit is read
(core.preprocess.without_rules); a digit's own strokes never are."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.preprocess import (
    RULE_OVERHANG,
    to_mnist_style,
    without_rules,
)


def _ink(shape: tuple[int, int], strokes, width: float = 6.0) -> np.ndarray:
    """Polylines (lists of (x, y) in pixels) drawn as ink 1 on 0, float32, with round ends."""
    rows, cols = np.mgrid[0:shape[0], 0:shape[1]].astype(np.float32)
    ink = np.zeros(shape, np.float32)
    for stroke in strokes:
        for (x0, y0), (x1, y1) in zip(stroke, stroke[1:], strict=False):
            dx, dy = x1 - x0, y1 - y0
            t = np.clip(((cols - x0) * dx + (rows - y0) * dy) / max(dx * dx + dy * dy, 1e-9), 0, 1)
            distance = np.hypot(cols - (x0 + t * dx), rows - (y0 + t * dy))
            ink = np.maximum(ink, np.clip(width / 2 + 0.5 - distance, 0, 1))
    return ink


#: a 4 in three strokes, in the middle of a 200x240 page
FOUR = [[(105, 50), (80, 120), (140, 120)], [(125, 60), (125, 160)]]


def _page(*extra) -> np.ndarray:
    """Dark ink on white paper: the 4 and any extra lines, as uint8."""
    return (255 * (1 - _ink((200, 240), FOUR + list(extra)))).astype(np.uint8)


def _lines(shape, rows=(), cols=(), thickness=2) -> np.ndarray:
    lines = np.zeros(shape, bool)
    for r in rows:
        lines[r:r + thickness, :] = True
    for c in cols:
        lines[:, c:c + thickness] = True
    return lines


def test_a_ruled_page_and_a_box_are_taken_out_and_the_digit_reads_as_without_them():
    plain = to_mnist_style(_page())
    ruled = _page()
    ruled[_lines(ruled.shape, rows=(20, 100, 175))] = 60  # one line crosses the 4
    boxed = _page()
    box = np.zeros(boxed.shape, bool)
    box[25:27, 40:200] = box[185:187, 40:200] = box[25:187, 40:42] = box[25:187, 198:200] = True
    boxed[box] = 30
    underlined = _page(((20, 172), (220, 172)))
    for picture in (ruled, boxed, underlined):
        read = to_mnist_style(picture)
        assert np.abs(read - plain).mean() < 0.01 and np.abs(read - plain).max() < 0.6
    # without the step, the lines shrink the digit to a speck among them
    assert np.abs(to_mnist_style(boxed) - plain).mean() < 0.1 * np.abs(plain).mean()


def test_a_stroke_crossing_a_rule_keeps_its_ink_there():
    ink = _ink((200, 240), FOUR)
    lined = np.maximum(ink, _lines(ink.shape, rows=(100,), thickness=2).astype(np.float32))
    out = without_rules(lined, 0.1)
    assert out is not lined and lined.max() == 1.0  # a copy; the input is kept
    assert out[100:102, 123:128].min() == 1.0  # the stem crosses the line: kept
    assert out[100:102, :60].max() == 0.0 and out[100:102, 160:].max() == 0.0


@pytest.mark.parametrize("name, strokes", [
    ("7 with its bar reaching past the stem", [[(0, 3), (100, 3), (70, 120)]]),
    ("1 with a flag and a base", [[(30, 20), (50, 3), (50, 117)], [(10, 117), (90, 117)]]),
    ("1 with a long base", [[(50, 3), (50, 117)], [(3, 117), (97, 117)]]),
    ("4 whose stem rises above its arm", [[(40, 30), (5, 80), (97, 80)], [(70, 3), (70, 117)]]),
    ("2 stretched to fill its box", [[(3, 30), (50, 3), (97, 30), (3, 117), (97, 117)]]),
    ("5 stretched to fill its box", [[(97, 3), (3, 3), (3, 55), (97, 70), (90, 117), (3, 110)]]),
    ("a dash", [[(3, 60), (97, 60)]]),
    ("a hash sign", [[(3, 35), (97, 35)], [(3, 85), (97, 85)], [(35, 3), (35, 117)],
                     [(65, 3), (65, 117)]]),
])
def test_strokes_of_a_digit_or_a_non_digit_are_never_rules(name, strokes):
    """Tight against their picture, as a drawing or a stretched scan is: nothing is removed."""
    ink = _ink((120, 100), strokes)
    assert without_rules(ink, 0.1) is ink, name


def test_a_band_with_ink_all_along_beside_it_is_not_a_rule():
    """Two rows with a run across the picture, inside a thick stroke whose other rows are broken
    into pieces shorter than a rule (a rough bar, or strokes crossing at a low angle): the band
    of long runs is thin, but the rows beside it are inked along most of its length, which a
    printed line's are not."""
    from digitlab.core.preprocess import _long_runs

    mask = np.zeros((200, 240), bool)
    mask[40:60, 10:230] = True
    mask[40:49, 10:230:20] = mask[51:60, 10:230:20] = False  # rows beside: runs of 19 px only
    assert _long_runs(mask, 120) == []
    mask[40:49] = mask[51:60] = False  # a line two rows thick: a rule's band
    assert _long_runs(mask, 120) == [(49, 50, 10, 229)]


def test_a_blank_ruled_page_is_blank_and_one_thin_line_is_what_was_written():
    """Nothing but lines across is a ruled page without writing: read as blank, as blank paper
    is (`predict` prints `? 0.00`; it read the lines as an 8 at 56%). One thin line alone (a 1
    or a dash written with a fine pen) and lines down alone (an 11) stay."""
    page = _lines((200, 240), rows=(30, 80, 130, 180)).astype(np.float32)
    assert without_rules(page, 0.1).max() == 0.0
    paper = np.where(_lines((200, 240), rows=(30, 80, 130, 180)), 140, 235).astype(np.uint8)
    assert to_mnist_style(paper).max() == 0.0
    for lines in (_lines((200, 240), rows=(100,)), _lines((200, 240), cols=(100, 140))):
        ink = lines.astype(np.float32)
        assert without_rules(ink, 0.1) is ink


def test_a_line_across_must_reach_beyond_the_digit_at_both_ends():
    """A line under the 4 that stops short of RULE_OVERHANG of its height on one side stays."""
    four = _ink((200, 240), FOUR)
    height = 160 - 50 + 6
    short = int(140 + 3 - RULE_OVERHANG * height * 0.5)  # ends within the overhang on the right
    under = np.maximum(four, _ink((200, 240), [[(10, 185), (short, 185)]], width=2))
    assert without_rules(under, 0.1) is under
    long = np.maximum(four, _ink((200, 240), [[(10, 185), (230, 185)]], width=2))
    assert without_rules(long, 0.1)[180:190].max() == 0.0


def test_rules_of_a_big_photo_are_found_on_a_reduced_copy_and_cleared_at_full_size(peak_memory):
    """A 3000x3600 photo of a ruled page: rules found at LABEL_SIDE, cleared in full; the digit
    reads as the small page does, and the step's masks keep the peak under 2.5 times the ink
    image (measured: 1.8)."""
    small = _page()
    small[_lines(small.shape, rows=(20, 100, 175))] = 60
    big = np.kron(small, np.ones((15, 15), np.uint8))
    digit, peak = peak_memory(lambda: to_mnist_style(big))
    assert np.abs(digit - to_mnist_style(_page())).mean() < 0.02
    assert peak < 2.5 * big.size * 4  # the float32 ink image is big.size * 4 bytes


@pytest.mark.slow
@pytest.mark.mnist
def test_the_shipped_model_reads_mnist_digits_on_a_ruled_page_and_in_a_box(mnist_dir, pretrained_path):
    """1,000 MNIST test digits photographed on a ruled page or cut out of a form with its box
    (tools/mnist_standins.with_rules) read within 1.5 points of the same digits on plain paper;
    without the step they read 29% and 25%."""
    import importlib.util
    from pathlib import Path

    from digitlab.core.data import load_mnist
    from digitlab.core.predict import model_probabilities
    from digitlab.core.serialization import load_model

    script = Path(__file__).resolve().parents[2] / "tools" / "mnist_standins.py"
    spec = importlib.util.spec_from_file_location("mnist_standins", script)
    standins = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(standins)
    data = load_mnist(mnist_dir)
    images, labels = data.test_images[:1000], data.test_labels[:1000]
    model = load_model(pretrained_path)

    def accuracy(pictures) -> float:
        x = np.stack([to_mnist_style(p) for p in pictures])
        x = model.transform.apply_unit(x, model.network.input_shape, model.network.dtype)
        return float((model_probabilities(model, x).argmax(axis=1) == labels).mean())

    plain = accuracy(standins.noisy_scans(images, noise=5.0))
    for kind in ("ruled", "boxed"):
        assert accuracy(standins.with_rules(images, kind)) >= plain - 0.015, kind
