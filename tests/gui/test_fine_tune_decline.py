""""Fine-tune on my digits" keeps the model's "not a digit" rule, re-chosen for the new weights."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab import paths
from digitlab.core.decline import DECLINE_METHOD, DeclineRule, carry_digits, top_probabilities
from digitlab.core.my_digits import fine_tune_config, fine_tune_data, save_my_digits
from digitlab.core.serialization import load_model
from digitlab.core.splits import TrainingData
from digitlab.gui.my_digits_dialog import MyDigitsDialog
from digitlab.gui.session import IDLE, Session


@pytest.fixture
def trained_session(qtbot, synthetic_mnist, small_config):
    """A session whose model was trained for one epoch on the synthetic MNIST (the parent)."""
    session = Session()
    session.data = synthetic_mnist()
    with qtbot.waitSignal(session.run_finished, timeout=30000):
        session.start_training(small_config.with_settings(epochs=1))
    qtbot.waitUntil(lambda: session.state == IDLE, timeout=5000)
    yield session
    session.stop_and_wait()


@pytest.mark.slow
@pytest.mark.parametrize("with_rule", [True, False], ids=["rule", "no-rule"])
def test_fine_tuning_in_the_app_carries_the_rule_over(qtbot, trained_session, column_digits, with_rule):
    """A model with a rule: the fine-tuned one has its own, declining the share of the run's
    digits the model declined before, and its provenance says so. Without one: still none."""
    session = trained_session
    parent = session.current_model()
    digits = column_digits(40)
    # The digits the fine-tuning run may use: the same data and configuration the dialog gives it.
    run = TrainingData.for_config(fine_tune_data(session.data, digits), fine_tune_config(parent.config))
    images = carry_digits(run)[0]
    if with_rule:
        top = top_probabilities(parent, images)
        parent.decline = DeclineRule(DECLINE_METHOD, float(np.quantile(top, 0.2)))
        parent_share = float(np.mean(parent.decline.declines(top)))
    save_my_digits(paths.my_digits_path(), digits)
    dialog = MyDigitsDialog(session)
    qtbot.addWidget(dialog)
    dialog.reload()
    assert dialog.fine_tune()
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=60000)
    child = session.current_model()
    assert child is not parent
    if not with_rule:
        assert child.decline is None and "decline" not in child.provenance[-1]
        return
    assert child.decline is not None
    child_share = float(np.mean(child.decline.declines(top_probabilities(child, images))))
    assert abs(child_share - parent_share) <= 1 / len(images) + 1e-9
    note = child.provenance[-1]["decline"]
    assert note["carried_from"] == parent.decline.threshold and note["digits"] == len(images)
    assert child.provenance[-1]["on"] == "mnist+my_digits"
    assert f"{child.decline.threshold:.3f}" in dialog.result_label.text()


@pytest.mark.slow
def test_a_save_the_moment_fine_tuning_ends_holds_the_rule(qtbot, trained_session, column_digits,
                                                          tmp_path):
    """The fine-tuned model is adopted with its rule: saved as soon as the run is over (before
    the dialog has measured anything), the file already has the rule and its provenance note."""
    session = trained_session
    parent = session.current_model()
    parent.decline = DeclineRule(DECLINE_METHOD, 0.9)
    save_my_digits(paths.my_digits_path(), column_digits(40))
    dialog = MyDigitsDialog(session)
    qtbot.addWidget(dialog)
    dialog.reload()
    saved = []
    session.state_changed.connect(lambda state: saved.append(
        load_model(session.save_model(tmp_path / "tuned.npz"))) if state == IDLE else None)
    assert dialog.fine_tune()
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=60000)
    assert len(saved) == 1
    assert saved[0].decline is not None and saved[0].decline == session.current_model().decline
    assert saved[0].provenance[-1]["decline"]["carried_from"] == 0.9
