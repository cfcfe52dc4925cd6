"""A model trained further keeps a "not a digit" rule: core.decline.DeclineCarry."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from digitlab.core.calibration import Calibration
from digitlab.core.decline import (
    DECLINE_METHOD,
    DeclineCarry,
    DeclineRule,
    carry_digits,
    describe_carried,
    top_probabilities,
)
from digitlab.core.serialization import load_model, save_model
from digitlab.core.splits import TrainingData


@pytest.fixture
def parent(pretrained_path):
    """The shipped model with its stored rule, and a record of one training step."""
    model = load_model(pretrained_path)
    assert model.decline is not None
    return replace(model, provenance=[{"kind": "trained"}])


@pytest.fixture
def run_data(synthetic_mnist) -> TrainingData:
    """The run's splits: 600 synthetic digits, a fifth of them held out for validation."""
    return TrainingData.from_mnist(synthetic_mnist(600, 100), val_split=0.2, seed=0)


def trained_further(parent):
    """What training does to a model, as far as its rule cares: other weights (noise) and
    another calibration (softer probabilities), in a new record with a new provenance step."""
    network = parent.network.copy()
    rng = np.random.default_rng(5)
    for value in network.named_parameters().values():
        value += rng.normal(0, 0.02, value.shape).astype(value.dtype)
    return replace(parent, network=network, decline=None,
                   calibration=Calibration(2.0, 0.1, 0.05, "validation split", 100),
                   provenance=[*parent.provenance, {"kind": "fine-tuned", "from": "parent.npz"}])


def declined_share(model, rule: DeclineRule, images: np.ndarray) -> float:
    return float(np.mean(rule.declines(top_probabilities(model, images))))


def test_the_child_declines_the_parents_share_of_the_same_digits(parent, run_data):
    """Re-chosen on the run's validation digits: the child's rule declines the share the
    parent's declined there (within one digit), where the parent's threshold would not."""
    carry = DeclineCarry.measure(parent, run_data)
    images = run_data.validation.images
    assert carry.split == "validation" and np.array_equal(carry.images, images)
    assert carry.declined_share == declined_share(parent, parent.decline, images)
    assert 0.05 < carry.declined_share < 0.95  # the synthetic bars are not MNIST digits
    child = trained_further(parent)
    rule = carry.apply(child)
    assert child.decline is rule and rule.method == DECLINE_METHOD
    tolerance = 1 / len(images) + 1e-9
    assert abs(declined_share(child, rule, images) - carry.declined_share) <= tolerance
    # The parent's own threshold would decline another share of them: re-choosing matters.
    assert abs(declined_share(child, parent.decline, images) - carry.declined_share) > 5 * tolerance


def test_the_record_says_the_rule_was_carried_over_and_survives_save_and_load(parent, run_data,
                                                                              tmp_path):
    carry = DeclineCarry.measure(parent, run_data)
    child = trained_further(parent)
    carry.apply(child)
    note = {"carried_from": parent.decline.threshold, "declined_share": carry.declined_share,
            "digits": len(run_data.validation), "split": "validation"}
    assert child.provenance[-1] == {"kind": "fine-tuned", "from": "parent.npz", "decline": note}
    assert child.provenance[:-1] == parent.provenance
    loaded = load_model(save_model(tmp_path / "child.npz", child))
    assert loaded.decline == child.decline
    assert loaded.provenance == child.provenance


def test_a_parent_without_a_rule_gives_a_child_without_one(parent, run_data):
    assert DeclineCarry.measure(replace(parent, decline=None), run_data) is None


def test_a_parent_that_declines_everything_gives_a_threshold_within_0_and_1(parent, run_data):
    carry = DeclineCarry.measure(replace(parent, decline=DeclineRule(DECLINE_METHOD, 1.0)), run_data)
    assert carry.declined_share == 1.0
    rule = carry.apply(trained_further(parent))
    assert 0.0 <= rule.threshold <= 1.0


def test_the_digits_are_the_runs_validation_split_else_training_never_test(synthetic_mnist):
    data = synthetic_mnist(600, 100)
    with_validation = TrainingData.from_mnist(data, val_split=0.1)
    images, split = carry_digits(with_validation)
    assert split == "validation" and np.array_equal(images, with_validation.validation.images)
    without = TrainingData.from_mnist(data)
    images, split = carry_digits(without, limit=100)
    assert split == "training" and len(images) == 100
    assert np.array_equal(images, carry_digits(without, limit=100)[0])  # the same sample each time
    train_rows = {row.tobytes() for row in without.train.images}
    assert all(row.tobytes() in train_rows for row in images)


def test_choosing_leaves_the_child_alone_until_attached(parent, run_data):
    """The app chooses on the worker thread and attaches on the GUI thread: choose() changes
    nothing, attach() gives exactly what apply() gives."""
    carry = DeclineCarry.measure(parent, run_data)
    child, other = trained_further(parent), trained_further(parent)
    carried = carry.choose(child)
    assert child.decline is None and "decline" not in child.provenance[-1]
    assert carried.attach(child) == carry.apply(other)
    assert child.decline == other.decline and child.provenance == other.provenance


def test_the_provenance_says_where_a_carried_rule_came_from(parent, run_data):
    carry = DeclineCarry.measure(parent, run_data)
    child = trained_further(parent)
    carry.apply(child)
    assert child.describe_provenance() == (
        f"trained, fine-tuned from parent.npz (not-a-digit threshold carried over from "
        f"{parent.decline.threshold:.4f}, re-chosen to decline {carry.declined_share * 100:.2f}% "
        f"of 120 validation digits as the parent did)")


@pytest.mark.parametrize("note", [None, "0.5", [], {}, {"carried_from": 0.5},
                                  {"carried_from": True, "declined_share": 0.1, "digits": 9,
                                   "split": "training"},
                                  {"carried_from": 0.5, "declined_share": 0.1, "digits": 9,
                                   "split": "test\nsplit"}])
def test_a_malformed_carry_note_is_still_one_plain_line(note):
    """A model file comes from anywhere: its note is described without a traceback or a
    second line."""
    text = describe_carried(note)
    assert text == "not-a-digit threshold carried over (its record is incomplete)"


def test_a_threshold_chosen_by_the_handwriting_tool_is_described_as_such():
    from digitlab.core.decline import CHOSEN_BY_TOOL

    text = describe_carried({"chosen_by": CHOSEN_BY_TOOL, "declined_share": 0.02})
    assert "chosen by tools/handwriting_eval.py" in text and "2.00%" in text
