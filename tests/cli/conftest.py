"""Fixtures for the command-line tests: a small trained model shared by the session.

Tests that use ``small_model`` need MNIST: mark them ``@pytest.mark.mnist`` (conftest enforces it).
"""

from __future__ import annotations

import json

import pytest

from digitlab.cli import main


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Every CLI test gets its own DIGITLAB_HOME (so the data cache is empty there)."""
    monkeypatch.setenv("DIGITLAB_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="session")
def small_model(tmp_path_factory, mnist_session_dir):
    """An MLP trained for one epoch on 10,000 MNIST images through the CLI, and its summary."""
    out = tmp_path_factory.mktemp("model") / "small.npz"
    import contextlib
    import io

    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()):
        code = main(["train", "--preset", "mlp", "--epochs", "1", "--train-limit", "10000",
                     "--data", str(mnist_session_dir), "--out", str(out), "--json"])
    assert code == 0
    return out, json.loads(stdout.getvalue().strip().splitlines()[-1])
