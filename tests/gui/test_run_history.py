"""Runs started from the app are recorded in the run history next to command-line runs."""

from __future__ import annotations

import pytest

from digitlab.cli import main
from digitlab.core.config import NetworkSpec, TrainConfig
from digitlab.core.runstore import RunStore
from digitlab.gui.session import IDLE, Session

CONFIG = TrainConfig(NetworkSpec(({"type": "dense", "units": 16}, {"type": "relu"},
                                  {"type": "dense", "units": 10}, {"type": "softmax"}))).with_settings(
    optimizer="adam", lr=0.01, batch_size=50, epochs=2, report_every=1, val_split=0.2,
    patience=1, keep_best=True)


@pytest.mark.slow
def test_gui_and_cli_runs_both_appear_in_the_history(qtbot, tmp_path, run_store, tiny_mnist_npz,
                                                     synthetic_mnist):
    """A run from the session and one from `digitlab train` are both in the history, each with
    its source, status, epochs and (for the saved GUI model) the model file; the GUI run's
    result carries the keep-best record."""
    session = Session()
    session.data = synthetic_mnist(400, 100)
    with qtbot.waitSignal(session.run_finished, timeout=30000):
        session.start_training(CONFIG)
    qtbot.waitUntil(lambda: session.state == IDLE, timeout=10000)
    saved = session.save_model(tmp_path / "gui.npz")
    assert main(["train", "--data", str(tiny_mnist_npz), "--epochs", "1"]) == 0
    store = RunStore(run_store)
    cli_run, gui_run = store.runs()  # newest first
    assert (gui_run["source"], gui_run["status"], gui_run["epochs"]) == ("gui", "completed", 2)
    assert gui_run["model_path"] == str(saved.resolve())
    assert gui_run["result"]["monitor"] == "val_loss" and gui_run["result"]["best_epoch"] in (1, 2)
    assert TrainConfig.from_dict(gui_run["config"]) == CONFIG
    # every progress report: 320 training images in batches of 50 are 7 updates, twice
    assert [b["iteration"] for b in store.batches(gui_run["id"])] == list(range(1, 15))
    assert (cli_run["source"], cli_run["status"]) == ("cli", "completed")


def test_a_broken_history_is_one_status_message_and_training_goes_on(qtbot, run_store, synthetic_mnist):
    """With a corrupt history file the session says so once on the status bar and the run
    completes."""
    run_store.parent.mkdir(parents=True)
    run_store.write_bytes(b"garbage" * 100)
    session = Session()
    session.data = synthetic_mnist(400, 100)
    messages: list[str] = []
    session.message.connect(messages.append)
    with qtbot.waitSignal(session.run_finished, timeout=30000) as finished:
        session.start_training(CONFIG.with_settings(patience=0, keep_best=False))
    qtbot.waitUntil(lambda: session.state == IDLE, timeout=10000)
    assert finished.args[0].reason == "completed"
    assert len([m for m in messages if "Run history not written" in m]) == 1
