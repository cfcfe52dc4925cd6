"""The pretrained model shipped in resources/ is what its file says it is."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from digitlab.assets import pretrained_model_path
from digitlab.cli import main
from digitlab.core.serialization import load_model


@pytest.fixture(scope="module")
def shipped():
    path = pretrained_model_path()
    assert path is not None, "resources/pretrained.npz must be shipped (the Draw panel needs it)"
    return path, load_model(path)


def test_pretrained_records_how_it_was_trained(shipped):
    """The model file records the digitlab command, settings and result that produced it, and
    its data set by name and hash, never a path on the machine that trained it."""
    _, model = shipped
    assert model.command.startswith("digitlab train ") and "--data" not in model.command
    assert model.config is not None and model.history and model.preset == "mlp"
    assert model.result["stopped"] == "completed"
    assert model.data["name"] == "mnist" and len(model.data["sha256"]) == 64
    assert not any("/" in str(value) for value in model.data.values())


@pytest.mark.mnist
def test_evaluate_reproduces_the_stated_test_accuracy(shipped, mnist_dir, monkeypatch):
    """`digitlab evaluate` on MNIST's test set gives exactly the accuracy the file states."""
    path, model = shipped
    monkeypatch.setenv("DIGITLAB_HOME", "/nonexistent-digitlab-home")
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = main(["evaluate", str(path), "--data", str(mnist_dir), "--json"])
    assert code == 0
    measured = json.loads(stdout.getvalue().strip().splitlines()[-1])["test_accuracy"]
    stated = model.result["test_accuracy"]
    assert measured == pytest.approx(stated, abs=1e-4)
    assert measured >= 0.985
