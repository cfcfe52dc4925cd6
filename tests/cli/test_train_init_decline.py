"""`digitlab train --init` keeps the parent's "not a digit" rule, re-chosen for the new weights."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.cli import main
from digitlab.core.data import load_mnist
from digitlab.core.decline import DECLINE_METHOD, DeclineRule, top_probabilities
from digitlab.core.serialization import load_model, save_model
from digitlab.core.splits import TrainingData


def train(capsys, *argv: str) -> str:
    """Run ``digitlab train ARGV``; what it printed (progress goes to stderr)."""
    code = main(["train", *argv])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out + captured.err


@pytest.fixture
def parent(capsys, tiny_mnist_npz, tmp_path):
    """``make(rule=True)``: a model trained 1 epoch on the tiny synthetic MNIST (no validation
    split: the run's digits are its 600 training images), with a rule declining a fifth of them."""
    def make(rule: bool = True):
        path = tmp_path / "parent.npz"
        train(capsys, "--data", str(tiny_mnist_npz), "--epochs", "1", "--out", str(path))
        model = load_model(path)
        assert model.decline is None  # a model trained from scratch has no rule
        if rule:
            top = top_probabilities(model, run_digits(tiny_mnist_npz, model))
            model.decline = DeclineRule(DECLINE_METHOD, float(np.quantile(top, 0.2)))
            save_model(path, model)
        return path
    return make


def run_digits(data_path, model) -> np.ndarray:
    """The digits a run of ``model``'s configuration may use: its training split here."""
    data = TrainingData.for_config(load_mnist(data_path), model.config)
    assert data.validation is None
    return data.train.images


def share(model, rule: DeclineRule, images: np.ndarray) -> float:
    return float(np.mean(rule.declines(top_probabilities(model, images))))


def test_a_continued_model_declines_the_parents_share_of_real_digits(capsys, parent, tiny_mnist_npz,
                                                                     tmp_path):
    parent_path, child_path = parent(), tmp_path / "child.npz"
    out = train(capsys, "--init", str(parent_path), "--data", str(tiny_mnist_npz), "--epochs", "1",
                "--out", str(child_path))
    before, child = load_model(parent_path), load_model(child_path)
    images = run_digits(tiny_mnist_npz, child)
    parent_share = share(before, before.decline, images)
    assert child.decline is not None
    assert abs(share(child, child.decline, images) - parent_share) <= 1 / len(images) + 1e-9
    # Training moved the probabilities: the parent's threshold would decline another share.
    assert abs(share(child, before.decline, images) - parent_share) > 5 / len(images)
    assert child.provenance[-1] == {
        "kind": "fine-tuned", "from": str(parent_path),
        "decline": {"carried_from": before.decline.threshold, "declined_share": parent_share,
                    "digits": len(images), "split": "training"}}
    assert f"threshold {before.decline.threshold:.4f} re-chosen as {child.decline.threshold:.4f}" in out


def test_a_parent_without_a_rule_gives_a_child_without_one(capsys, parent, tiny_mnist_npz, tmp_path):
    child_path = tmp_path / "child.npz"
    out = train(capsys, "--init", str(parent(rule=False)), "--data", str(tiny_mnist_npz),
                "--epochs", "1", "--out", str(child_path))
    child = load_model(child_path)
    assert child.decline is None and "decline" not in child.provenance[-1]
    assert "decline:" not in out
