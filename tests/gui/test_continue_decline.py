"""The app's Continue training keeps the model's "not a digit" rule, re-chosen for the new
weights: in the model it adopts (never visible without it) and in every checkpoint."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.decline import DECLINE_METHOD, DeclineRule, carry_digits, top_probabilities
from digitlab.core.serialization import load_model
from digitlab.core.splits import TrainingData
from digitlab.gui.session import IDLE, Session


@pytest.fixture
def config(small_config):
    """One epoch, no validation split: a calibration fitted on these easy digits would make
    every top probability exactly 1, leaving no share of them to decline."""
    return small_config.with_settings(epochs=1)


@pytest.fixture
def session(qtbot, synthetic_mnist, config, tmp_path):
    """A session whose model was trained one epoch, writing checkpoints to tmp_path."""
    s = Session()
    s.data = synthetic_mnist()
    s.checkpoint_path = tmp_path / "checkpoint.npz"
    with qtbot.waitSignal(s.run_finished, timeout=30000):
        s.start_training(config)
    qtbot.waitUntil(lambda: s.state == IDLE, timeout=5000)
    yield s
    s.stop_and_wait()


def run_digits(session: Session) -> np.ndarray:
    """The digits the next run carries a rule over on: its training split here."""
    images, split = carry_digits(TrainingData.for_config(session.data, session.config))
    assert split == "training"
    return images


def share(model, images: np.ndarray) -> float:
    """The share of ``images`` the model's own rule declines with its own weights."""
    return float(np.mean(model.decline.declines(top_probabilities(model, images))))


def give_a_rule(session: Session) -> tuple[DeclineRule, float]:
    """The current model gets a rule declining a fifth of the run's digits; (rule, its share)."""
    parent = session.current_model()
    top = top_probabilities(parent, run_digits(session))
    parent.decline = DeclineRule(DECLINE_METHOD, float(np.quantile(top, 0.2)))
    return parent.decline, float(np.mean(parent.decline.declines(top)))


def save_when_idle(session: Session, path) -> list:
    """Save the model the moment the run is over (what a quick Ctrl+S does); the saved records."""
    saved = []
    session.state_changed.connect(
        lambda state: saved.append(load_model(session.save_model(path))) if state == IDLE else None)
    return saved


def test_continue_training_adopts_the_model_with_the_rule_re_chosen(qtbot, session, tmp_path):
    """Continue from current weights: the adopted model declines the parent's share of the run's
    digits with its own threshold, its provenance says so as `train --init` writes it, and a
    save the moment the run ends already holds the rule."""
    rule, parent_share = give_a_rule(session)
    images = run_digits(session)
    saved = save_when_idle(session, tmp_path / "continued.npz")
    with qtbot.waitSignal(session.run_finished, timeout=30000):
        session.start_training(continue_training=True)
    qtbot.waitUntil(lambda: session.state == IDLE, timeout=5000)
    child = session.current_model()
    assert child.decline is not None
    assert abs(share(child, images) - parent_share) <= 1 / len(images) + 1e-9
    note = {"carried_from": rule.threshold, "declined_share": parent_share, "digits": len(images),
            "split": "training"}
    assert child.provenance[-1] == {"kind": "continued", "decline": note}
    assert len(saved) == 1
    assert saved[0].decline == child.decline and saved[0].provenance == child.provenance


def test_a_checkpoint_of_a_continued_run_carries_the_rule_for_its_weights(qtbot, session):
    """The checkpoint written after the epoch holds its own re-chosen rule and the note saying
    how it was chosen."""
    rule, parent_share = give_a_rule(session)
    images = run_digits(session)
    with qtbot.waitSignal(session.run_finished, timeout=30000):
        session.start_training(continue_training=True)
    qtbot.waitUntil(lambda: session.state == IDLE, timeout=5000)
    checkpoint = load_model(session.checkpoint_path)
    assert len(checkpoint.history) == 2
    assert checkpoint.decline is not None
    assert abs(share(checkpoint, images) - parent_share) <= 1 / len(images) + 1e-9
    assert checkpoint.provenance[-1]["decline"]["carried_from"] == rule.threshold


def test_a_new_run_has_no_rule_even_when_the_model_had_one(qtbot, session, config):
    """A new network's weights have nothing to do with the old rule: no rule, in the model or
    the checkpoint."""
    give_a_rule(session)
    with qtbot.waitSignal(session.run_finished, timeout=30000):
        session.start_training(config)
    qtbot.waitUntil(lambda: session.state == IDLE, timeout=5000)
    assert session.current_model().decline is None
    assert session.current_model().provenance == [{"kind": "trained"}]
    assert load_model(session.checkpoint_path).decline is None
