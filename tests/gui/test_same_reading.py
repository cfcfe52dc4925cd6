"""`selftest`, `predict` and the Draw panel read the same drawing to the same probabilities."""

from __future__ import annotations

import json

import numpy as np
import pytest

from digitlab.assets import pretrained_model_path
from digitlab.cli import main, selftest_command
from digitlab.cli.selftest_command import run_selftest
from digitlab.gui.app import create_main_window
from digitlab.gui.panels.draw_panel import DrawPanel
from digitlab.gui.stroke_prediction import stroke_image
from digitlab.imageio import save_grey_image


@pytest.mark.slow
@pytest.mark.skipif(pretrained_model_path() is None, reason="resources/pretrained.npz is missing")
def test_selftest_predict_and_draw_panel_agree_to_1e6(qtbot, tmp_path, monkeypatch, capsys):
    """For each digit the selftest draws, its probabilities, the Draw panel's, and those
    `digitlab predict` gives for a PNG of the drawing's network rendering agree to 1e-6."""
    monkeypatch.delenv("DIGITLAB_MNIST_DIR", raising=False)
    model_path = pretrained_model_path()
    window = create_main_window(model_path)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    panel = window.findChild(DrawPanel, "drawPanel")

    # What the Draw panel showed for each drawing, taken just before the selftest clears it.
    shown: list[tuple[list, np.ndarray]] = []
    clear = selftest_command._clear

    def record_then_clear(canvas, label):
        shown.append((canvas.strokes(), panel.probabilities.copy()))
        clear(canvas, label)

    monkeypatch.setattr(selftest_command, "_clear", record_then_clear)
    readings = run_selftest(window)
    shown.append((panel.canvas.strokes(), panel.probabilities.copy()))

    assert [r.drawn for r in readings] == [r.read for r in readings] == [7, 1]
    for reading, (strokes, panel_probabilities) in zip(readings, shown, strict=True):
        png = tmp_path / f"drawn-{reading.drawn}.png"
        save_grey_image(png, stroke_image(strokes))
        capsys.readouterr()
        assert main(["predict", str(model_path), str(png), "--json"]) == 0
        cli = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["predictions"][0]
        np.testing.assert_allclose(reading.probabilities, panel_probabilities, rtol=0, atol=1e-6)
        np.testing.assert_allclose(cli["probabilities"], panel_probabilities, rtol=0, atol=1e-6)
        assert cli["digit"] == reading.drawn
