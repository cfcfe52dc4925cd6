"""Evaluate panel views: honest per-digit bars, a steady layout, a row-normalised confusion matrix."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from digitlab.gui.panels.evaluate_panel import EvaluatePanel
from digitlab.gui.session import Session
from digitlab.gui.settings import AppSettings
from digitlab.gui.widgets.per_class_bars import PerClassBars


@pytest.fixture
def session(qtbot, synthetic_mnist_folder):
    s = Session()
    s.load_data(synthetic_mnist_folder)
    s.new_model()
    return s


def _panel(qtbot, session, settings=None) -> EvaluatePanel:
    panel = EvaluatePanel(session, settings=settings)
    qtbot.addWidget(panel)
    panel.resize(1000, 640)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def _evaluate(qtbot, panel) -> None:
    assert panel.start_evaluation()
    qtbot.waitUntil(lambda: panel.evaluation is not None and not panel.is_running, timeout=10000)


def test_per_digit_axis_starts_at_zero(qtbot):
    """Bars of 91-99 % are drawn from 0, so their heights compare honestly."""
    bars = PerClassBars()
    qtbot.addWidget(bars)
    bars.set_accuracies(np.linspace(0.91, 0.99, 10))
    low, high = bars.getPlotItem().viewRange()[1]
    assert low <= 0.0 and high >= 0.99


@pytest.mark.parametrize("width", [260, 420])
def test_per_digit_labels_do_not_collide(qtbot, width):
    """Every digit's value label is inside its own slot: no two labels overlap, even narrow."""
    bars = PerClassBars()
    qtbot.addWidget(bars)
    bars.resize(width, 170)
    bars.show()
    qtbot.waitExposed(bars)
    bars.set_accuracies(np.array([0.999, 0.991, 0.2, 0.985, 0.978, 0.5, 0.99, 0.97, 0.96, 0.95]))
    QTest.qWait(20)
    rects = [t.sceneBoundingRect() for t in bars._texts]
    assert all(r.width() > 0 for r in rects)
    for i in range(10):
        for j in range(i + 1, 10):
            assert not rects[i].intersects(rects[j]), (i, j)


def test_clicking_a_cell_does_not_move_the_layout(qtbot, session):
    """Choosing a confusion cell changes the gallery's content, not where things are."""
    panel = _panel(qtbot, session)
    _evaluate(qtbot, panel)
    QTest.qWait(20)
    widgets = (panel.confusion, panel.gallery, panel.per_class, panel.show_all_button)
    before = [w.geometry() for w in widgets]
    counts = panel.confusion.counts.copy()
    np.fill_diagonal(counts, 0)
    row, col = np.unravel_index(np.argmax(counts), counts.shape)
    position = panel.confusion.cell_center_in_widget(int(row), int(col))
    QTest.mouseClick(panel.confusion.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, position)
    qtbot.waitUntil(lambda: panel.cell == (row, col), timeout=1000)
    QTest.qWait(20)
    assert [w.geometry() for w in widgets] == before
    panel.show_mistakes()
    QTest.qWait(20)
    assert [w.geometry() for w in widgets] == before


def test_row_percentages_toggle_and_are_remembered(qtbot, session, isolated_home):
    """The check box shows each cell as a percentage of its row, and the choice is kept."""
    settings = AppSettings()
    panel = _panel(qtbot, session, settings)
    _evaluate(qtbot, panel)
    counts = panel.confusion.counts
    row = int(np.argmax(counts.sum(axis=1)))
    col = int(np.argmax(counts[row]))
    assert panel.confusion._texts[row * 10 + col].textItem.toPlainText() == str(counts[row, col])
    panel.normalised_check.setChecked(True)
    percent = 100 * counts[row, col] / counts[row].sum()
    shown = panel.confusion._texts[row * 10 + col].textItem.toPlainText()
    assert abs(float(shown) - percent) < 0.51
    np.testing.assert_allclose(panel.confusion.row_percentages().sum(axis=1)[counts.sum(axis=1) > 0], 100)
    settings.sync()
    again = _panel(qtbot, session, AppSettings())
    assert again.normalised_check.isChecked() and again.confusion.normalised
