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


def test_every_checkpoint_carries_the_rule_re_chosen_for_its_weights(capsys, parent, tiny_mnist_npz,
                                                                     tmp_path, monkeypatch):
    """--out is written after each epoch: each of those files declines the parent's share of the
    run's digits with its own weights and threshold, and says how the rule was chosen."""
    import digitlab.cli.train as train_command

    parent_path, child_path, kept = parent(), tmp_path / "child.npz", []
    real_save = train_command.save_model

    def save_and_keep(path, model):  # every version of --out, checkpoints and the final one
        written = real_save(path, model)
        kept.append(load_model(written))
        return written

    monkeypatch.setattr(train_command, "save_model", save_and_keep)
    train(capsys, "--init", str(parent_path), "--data", str(tiny_mnist_npz), "--epochs", "2",
          "--out", str(child_path))
    before = load_model(parent_path)
    images = run_digits(tiny_mnist_npz, before)
    parent_share = share(before, before.decline, images)
    assert [len(model.history) for model in kept] == [2, 3, 3]  # two checkpoints, then the model
    for model in kept:
        assert model.decline is not None
        assert abs(share(model, model.decline, images) - parent_share) <= 1 / len(images) + 1e-9
        assert model.provenance[-1]["decline"]["carried_from"] == before.decline.threshold
    assert kept[0].decline != kept[1].decline  # re-chosen for each epoch's weights


def test_info_says_from_which_threshold_on_how_many_digits_of_which_split(capsys, parent,
                                                                         tiny_mnist_npz, tmp_path):
    parent_path, child_path = parent(), tmp_path / "child.npz"
    train(capsys, "--init", str(parent_path), "--data", str(tiny_mnist_npz), "--epochs", "1",
          "--out", str(child_path))
    threshold = load_model(parent_path).decline.threshold
    assert main(["info", str(child_path)]) == 0
    provenance = next(line for line in capsys.readouterr().out.splitlines()
                      if line.startswith("provenance:"))
    assert provenance.startswith(f"provenance: trained, fine-tuned from {parent_path} (not-a-digit "
                                 f"threshold carried over from {threshold:.4f}, re-chosen to decline ")
    assert provenance.endswith("of 600 training digits as the parent did)")
