"""The Lab's backprop stepper: Next/Back/Reset through every value and gradient, each gradient
shown beside its numerical derivative."""

from __future__ import annotations

import pytest

from digitlab.gui.lab import EXPERIMENT_KEYS, LabWindow
from digitlab.gui.lab.backprop_tab import BackpropTab


@pytest.fixture
def stepper(make_lab_tab) -> BackpropTab:
    return make_lab_tab(BackpropTab, size=(1100, 720))


def cell(tab: BackpropTab, row: int, column: int) -> str:
    return tab.table.item(row, column).text()


def test_stepper_is_a_lab_experiment_named_backprop_stepper(qtbot):
    """Registered like the other experiments (Lab window tab, menu key), stable objectName."""
    assert "backprop" in EXPERIMENT_KEYS
    window = LabWindow(None)
    qtbot.addWidget(window)
    tab = window.show_experiment("backprop")
    assert tab.objectName() == "backpropStepper" and window.tabs.currentWidget() is tab
    window.close()


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_next_goes_forward_then_backward_and_every_gradient_matches_the_numerical_one(stepper, loss):
    stepper.loss_box.setCurrentIndex(stepper.loss_box.findData(loss))
    assert stepper.position == -1 and stepper.table.rowCount() == 0
    stepper.next_button.click()
    assert stepper.table.rowCount() == 1 and cell(stepper, 0, 1) == "z1[0]"
    assert "z1[0] = W1[0,0]" in stepper.current.text()
    stepper.run_to_end()
    assert stepper.table.rowCount() == len(stepper.steps) == 44
    assert not stepper.next_button.isEnabled()
    assert cell(stepper, 10, 1) == "E" and cell(stepper, 11, 1).startswith("\u2202E/\u2202y")
    for row, step in enumerate(stepper.steps):
        if step.phase == "backward":
            backprop, numerical = float(cell(stepper, row, 4)), float(cell(stepper, row, 5))
            assert backprop == pytest.approx(numerical, rel=1e-5, abs=1e-9), step.label
            assert float(cell(stepper, row, 6)) < 1e-6
        else:
            assert cell(stepper, row, 5) == ""
    assert "relative error" in stepper.current.text()


def test_back_and_reset_undo_steps(stepper):
    for _ in range(3):
        stepper.next_button.click()
    stepper.back_button.click()
    assert stepper.position == 1 and stepper.table.rowCount() == 2
    assert stepper.diagram.done == stepper.steps[:2]
    stepper.reset_button.click()
    assert stepper.position == -1 and stepper.table.rowCount() == 0
    assert not stepper.back_button.isEnabled() and stepper.diagram.done == []


def test_new_sample_draws_new_weights_and_starts_again(stepper):
    before = stepper.net
    stepper.next_button.click()
    stepper.new_button.click()
    assert stepper.seed_box.value() == 1 and stepper.position == -1
    assert not (stepper.net.W1 == before.W1).all()


def test_the_diagram_paints_every_step(stepper, qtbot):
    """Painting at each step (the current step's nodes and edges highlighted) raises nothing."""
    for _ in range(len(stepper.steps)):
        stepper.next()
        stepper.diagram.repaint()
    image = stepper.diagram.grab().toImage()
    assert image.width() > 500 and not image.isNull()


def test_explanation_and_tooltips_in_chinese(make_lab_tab, chinese):
    """Built under the Chinese translator, the explanation, buttons and tooltips are Chinese
    (the formulas are symbols and numbers, the same in every language)."""
    tab = make_lab_tab(BackpropTab)
    assert "反向传播" in tab.explanation.text()
    assert tab.next_button.text() == "下一步"
    for widget in (tab.loss_box, tab.next_button, tab.back_button, tab.reset_button,
                   tab.new_button, tab.table, tab.diagram):
        assert widget.toolTip() and not widget.toolTip().isascii(), widget.objectName()
    tab.next()
    assert tab.table.horizontalHeaderItem(2).text() == "公式"


def test_explanation_and_tooltips_in_english(stepper):
    assert "Backpropagation, step by step" in stepper.explanation.text()
    for widget in (stepper.loss_box, stepper.next_button, stepper.table, stepper.diagram):
        assert len(widget.toolTip()) > 10
