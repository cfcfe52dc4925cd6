"""What a review and hostile test of the slant limit found (core.preprocess.limit_slant and
handwriting_eval.py --styles): each test failed on the first version."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from digitlab.core.preprocess import BOX_SIZE, to_mnist_style

ROOT = Path(__file__).resolve().parents[2]


def _tilted_dash(rise: int) -> np.ndarray:
    """A 160 px dash, 12 px thick, rising ``rise`` px over its length (light ink on black)."""
    picture = np.zeros((200, 200), np.uint8)
    for u in np.linspace(0.0, 1.0, 800):
        row, col = int(100 - rise / 2 + u * rise), int(20 + u * 160)
        picture[row - 6:row + 6, col - 6:col + 6] = 255
    return picture


@pytest.mark.parametrize("rise", [20, 40])
def test_a_slightly_tilted_dash_keeps_its_longer_side_of_20_px(rise):
    """to_mnist_style promises the ink's longer side is 20 px; the slant limit must not shorten a
    flat stroke (a dash, a lying digit) that it cannot make any more upright by a shear."""
    digit = to_mnist_style(_tilted_dash(rise), invert=False)
    assert int((digit.max(axis=0) > 0.1).sum()) == BOX_SIZE


def _tool():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        spec = importlib.util.spec_from_file_location("handwriting_eval",
                                                      ROOT / "tools" / "handwriting_eval.py")
        tool = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(tool)
    finally:
        sys.path.remove(str(ROOT / "tools"))
    return tool


def test_styles_without_mnist_files_is_refused_in_one_line_before_rendering(qapp, tmp_path,
                                                                          monkeypatch):
    """An MNIST folder that holds no MNIST is refused (ToolError, one line) before any stroke is
    rendered, with --styles as without it."""
    # qapp: the tool must find pytest-qt's QApplication; a bare QGuiApplication of its own would
    # make later widget tests abort.
    tool = _tool()
    holdout, empty = tmp_path / "holdout", tmp_path / "no-mnist"
    holdout.mkdir()
    empty.mkdir()
    (holdout / "pendigits_strokes.npz").write_bytes(b"")
    rendered = []
    monkeypatch.setattr(tool, "render_strokes", lambda *a: rendered.append(a) or {})
    monkeypatch.setattr(tool, "_store_cache", lambda *a: None)
    monkeypatch.setattr(sys, "argv", [
        "handwriting_eval.py", str(ROOT / "resources" / "pretrained.npz"), "--styles",
        "--holdout", str(holdout), "--mnist", str(empty), "--cache", str(tmp_path / "cache")])
    with pytest.raises(tool.ToolError):
        tool.main()
    assert rendered == []
