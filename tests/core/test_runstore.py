"""The run history: what a run leaves in it, crash marking, schema migrations, and that a broken
history file never stops a run."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys

import numpy as np
import pytest

from digitlab.core import runstore
from digitlab.core.config import NetworkSpec, TrainConfig
from digitlab.core.data import MnistData
from digitlab.core.events import BatchEnd, EpochMetrics
from digitlab.core.run_recorder import RunRecorder
from digitlab.core.runstore import RunStore, RunStoreError
from digitlab.core.splits import TrainingData
from digitlab.core.training import Trainer

CONFIG = TrainConfig(NetworkSpec(({"type": "dense", "units": 8}, {"type": "relu"},
                                  {"type": "dense", "units": 10}, {"type": "softmax"}))).with_settings(
    optimizer="sgd", lr=0.1, batch_size=20, epochs=2, report_every=1, evaluate_test=True)


def _data() -> TrainingData:
    rng = np.random.default_rng(0)
    labels = (np.arange(120) % 10).astype(np.uint8)
    images = rng.integers(0, 40, (120, 28, 28), dtype=np.uint8)
    images[np.arange(120), 4 + 2 * labels.astype(np.int64), 4:24] = 255
    return TrainingData.from_mnist(MnistData(images[:100], labels[:100], images[100:], labels[100:], "bars"))


def _dead_pid() -> int:
    """The pid of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_recorded_run_keeps_config_epochs_batches_and_outcome(tmp_path):
    """A trainer's events through a recorder leave one finished run with its whole config, one
    row per epoch (with metrics), every progress report, and the summary; the file is in WAL
    mode at the current schema version."""
    path = tmp_path / "runs.sqlite3"
    recorder = RunRecorder(path, "cli", flush_seconds=1e9)  # batches written at epoch ends
    run_id = recorder.start(CONFIG, preset="mlp", command="digitlab train", data={"name": "bars"})
    result = Trainer(CONFIG, _data()).run(recorder)
    recorder.finish(result.reason, message=result.message, result=result.summary(),
                    model_path=tmp_path / "m.npz")
    recorder.close()
    store = RunStore(path)
    run = store.run(run_id)
    assert run["status"] == "completed" and run["source"] == "cli" and run["preset"] == "mlp"
    assert TrainConfig.from_dict(run["config"]) == CONFIG
    assert run["epochs"] == 2 and run["iterations"] == result.iterations == 10
    assert run["test_accuracy"] == pytest.approx(result.history[-1].test_accuracy)
    assert run["model_path"] == str(tmp_path / "m.npz") and run["digitlab_version"]
    assert [e["epoch"] for e in store.epochs(run_id)] == [1, 2]
    assert store.epochs(run_id)[1]["train_loss"] == pytest.approx(result.history[1].train_loss)
    assert [b["iteration"] for b in store.batches(run_id)] == list(range(1, 11))
    assert store.schema_version == runstore.SCHEMA_VERSION
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_a_running_run_of_a_dead_process_is_marked_interrupted_on_open(tmp_path):
    """Opening the store turns 'running' rows whose process is gone into 'interrupted' and
    leaves the row of a live process (this one) running."""
    path = tmp_path / "runs.sqlite3"
    store = RunStore(path)
    mine = store.start_run({"x": 1}, source="cli")
    crashed = store.start_run({"x": 2}, source="gui")
    store.add_epoch(crashed, EpochMetrics(1, 0.5, 0.8))
    store._db.execute("UPDATE runs SET pid = ?, process_start = '' WHERE id = ?", (_dead_pid(), crashed))
    store.close()
    reopened = RunStore(path)
    assert reopened.run(crashed)["status"] == "interrupted"
    assert reopened.run(crashed)["epochs"] == 1  # what it had done is kept
    assert reopened.run(mine)["status"] == "running"


def test_a_reused_pid_does_not_keep_a_dead_run_running(tmp_path):
    """A row whose pid now belongs to another process (a different start time) is interrupted."""
    if not runstore._process_start(1):
        pytest.skip("process start times are read from /proc (Linux)")
    store = RunStore(tmp_path / "runs.sqlite3")
    run_id = store.start_run({}, source="cli")
    store._db.execute("UPDATE runs SET process_start = 'not-the-same' WHERE id = ?", (run_id,))
    assert store.mark_interrupted() == 1 and store.run(run_id)["status"] == "interrupted"


def test_an_older_schema_is_migrated_and_a_newer_one_refused(tmp_path, monkeypatch):
    """Opening a version-1 file with a migration list of two applies the second and keeps the
    runs; a file from a newer DigitLab is refused, not changed."""
    path = tmp_path / "runs.sqlite3"
    store = RunStore(path)
    run_id = store.start_run({"kept": True}, source="cli")
    store.close()
    monkeypatch.setattr(runstore, "MIGRATIONS", [*runstore.MIGRATIONS,
                                                 "ALTER TABLE runs ADD COLUMN notes TEXT"])
    monkeypatch.setattr(runstore, "SCHEMA_VERSION", len(runstore.MIGRATIONS))
    migrated = RunStore(path)
    assert migrated.schema_version == 2 and migrated.run(run_id)["config"] == {"kept": True}
    assert "notes" in migrated.run(run_id)
    migrated.close()
    monkeypatch.setattr(runstore, "SCHEMA_VERSION", 1)
    with pytest.raises(RunStoreError, match="newer DigitLab"):
        RunStore(path)


def _train_recording(path, caplog) -> tuple[object, list[str]]:
    warnings: list[str] = []
    recorder = RunRecorder(path, "cli", on_warning=warnings.append)
    with caplog.at_level(logging.WARNING, logger="digitlab"):
        recorder.start(CONFIG)
        result = Trainer(CONFIG, _data()).run(recorder)
        recorder.finish(result.reason, result=result.summary())
    return result, warnings


def test_a_corrupt_store_warns_once_and_the_run_goes_on(tmp_path, caplog):
    """A history file that is not a database: one warning, the run completes, the file is left
    as it was (never overwritten)."""
    path = tmp_path / "runs.sqlite3"
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    result, warnings = _train_recording(path, caplog)
    assert result.reason == "completed"
    assert len(warnings) == 1 and "not recorded" in warnings[0]
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1
    assert path.read_bytes() == garbage


def test_a_locked_store_warns_once_and_the_run_goes_on(tmp_path, caplog, monkeypatch):
    """Another program holding the history's write lock delays the run by at most the lock
    timeout, once: one warning and the run completes."""
    monkeypatch.setattr(runstore, "LOCK_TIMEOUT", 0.05)
    path = tmp_path / "runs.sqlite3"
    RunStore(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result, warnings = _train_recording(path, caplog)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.reason == "completed" and len(warnings) == 1


def test_a_store_in_an_unwritable_place_warns_once_and_the_run_goes_on(tmp_path, caplog):
    """A history path whose folder cannot be made (a file is in the way): one warning."""
    (tmp_path / "blocker").write_text("a file, not a folder")
    result, warnings = _train_recording(tmp_path / "blocker" / "runs.sqlite3", caplog)
    assert result.reason == "completed" and len(warnings) == 1


def test_progress_reports_are_written_in_groups(tmp_path):
    """Reports wait in memory until flush_seconds has passed (here: never) and are written at
    the epoch end, so a report costs no database write of its own."""
    recorder = RunRecorder(tmp_path / "runs.sqlite3", "cli", flush_seconds=1e9)
    run_id = recorder.start(CONFIG)
    for i in range(1, 4):
        recorder(BatchEnd(1, i, i, 5, 10, 1.0, 0.5, 0.1, 100.0, 0.1 * i, 1.0))
    store = RunStore(tmp_path / "runs.sqlite3")
    assert store.batches(run_id) == []
    recorder.flush()
    assert [b["iteration"] for b in store.batches(run_id)] == [1, 2, 3]
