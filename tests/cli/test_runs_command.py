"""``digitlab runs`` and the run history written by ``digitlab train``."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from digitlab.cli import main


def _runs_json(capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["runs", "--json"]) == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_a_cli_run_is_listed_and_shown(tmp_path, tiny_mnist_npz, capsys):
    """`digitlab train` records its run: `runs` lists it completed with its settings and test
    accuracy, `runs show ID` gives its command, model file and per-epoch table."""
    out = tmp_path / "m.npz"
    assert main(["train", "--data", str(tiny_mnist_npz), "--epochs", "2", "--batch-size", "50",
                 "--val-split", "0.2", "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    [run] = _runs_json(capsys)
    assert run["status"] == "completed" and run["source"] == "cli" and run["epochs"] == 2
    assert run["test_accuracy"] == pytest.approx(summary["test_accuracy"])
    assert run["model_path"] == str(out.resolve()) and "batch=50" in run["settings"]
    assert main(["runs"]) == 0
    table = capsys.readouterr().out
    assert "completed" in table and "batch=50 epochs=2" in table
    assert main(["runs", "show", str(run["id"])]) == 0
    shown = capsys.readouterr().out
    assert "--val-split 0.2" in shown and str(out.resolve()) in shown and "val acc" in shown


def test_runs_show_of_an_unknown_id_is_one_line(capsys):
    """An ID that is not in the history: exit 2 and one line, no traceback."""
    assert main(["runs", "show", "42"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no run 42" in err


def test_an_empty_history_says_so(capsys):
    assert main(["runs"]) == 0 and "no runs recorded yet" in capsys.readouterr().out
    assert _runs_json(capsys) == []


def test_a_corrupt_history_does_not_stop_training(run_store, tiny_mnist_npz, capsys):
    """A run-history file that is not a database: `train` warns in one line and trains and
    saves as usual; the file is not overwritten; `runs` reports it in one line."""
    run_store.parent.mkdir(parents=True)
    run_store.write_bytes(b"garbage" * 200)
    assert main(["train", "--data", str(tiny_mnist_npz), "--epochs", "1", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out.strip().splitlines()[-1])["stopped"] == "completed"
    assert "not recorded in the history" in captured.out + captured.err
    assert run_store.read_bytes() == b"garbage" * 200
    assert main(["runs"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.slow
@pytest.mark.mnist
def test_kill_9_during_a_cli_run_leaves_it_interrupted(tmp_path, mnist_dir, run_store, capsys):
    """A `digitlab train` process killed with SIGKILL after its first epoch: the history stays
    readable, that run is listed as interrupted with the epochs it finished."""
    env = {**os.environ, "DIGITLAB_RUN_STORE": str(run_store), "DIGITLAB_HOME": str(tmp_path / "home")}
    child = subprocess.Popen(
        [sys.executable, "-m", "digitlab", "train", "--data", str(mnist_dir), "--train-limit",
         "2000", "--epochs", "500", "--evaluate-test"], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        epochs = 0
        while epochs < 1 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.2)
            if run_store.exists():
                try:
                    with sqlite3.connect(f"file:{run_store}?mode=ro", uri=True) as db:
                        epochs = db.execute("SELECT COUNT(*) FROM epochs").fetchone()[0]
                except sqlite3.Error:
                    pass  # not created yet
        assert epochs >= 1 and child.poll() is None, "the run did not get through an epoch"
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    [run] = _runs_json(capsys)
    assert run["status"] == "interrupted" and run["epochs"] >= 1
    assert run["finished_at"] is not None


def test_rename_tag_and_delete_a_run(tiny_mnist_npz, run_store, capsys):
    """`runs rename`, `runs tag` and `runs delete` change the history; an unknown ID is one line."""
    from digitlab.core.runstore import RunStore

    assert main(["train", "--data", str(tiny_mnist_npz), "--epochs", "1"]) == 0
    [run] = _runs_json(capsys)
    assert main(["runs", "rename", str(run["id"]), "first", "try"]) == 0
    assert main(["runs", "tag", str(run["id"]), "baseline", "mlp"]) == 0
    stored = RunStore(run_store).run(run["id"])
    assert stored["name"] == "first try" and stored["tags"] == ["baseline", "mlp"]
    assert main(["runs", "rename", str(run["id"])]) == 2
    assert main(["runs", "delete", "999"]) == 2
    assert main(["runs", "delete", str(run["id"])]) == 0
    assert _runs_json(capsys) == []
