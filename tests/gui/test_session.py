"""The session runs training on a worker thread and owns the model."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.errors import DataError, ModelFileError
from digitlab.gui.session import IDLE, Session


@pytest.fixture
def session(qtbot, synthetic_mnist):
    s = Session()
    s.data = synthetic_mnist()
    yield s
    s.stop_and_wait()


def test_training_runs_on_worker_and_adopts_model(qtbot, session, small_config):
    """A run ends with the trained network adopted, history recorded and the model marked unsaved."""
    epochs = []
    session.epoch_finished.connect(epochs.append)
    with qtbot.waitSignal(session.run_finished, timeout=20000) as finished:
        session.start_training(small_config)
    qtbot.waitUntil(lambda: session.state == IDLE, timeout=5000)
    assert finished.args[0].reason == "completed"
    assert len(epochs) == 2 and len(session.history) == 2
    assert session.history[-1].test_accuracy > 0.9
    assert session.dirty
    probs = session.current_model().network.predict_proba(np.zeros((1, 784), np.float32))
    assert probs.shape == (1, 10)


def test_pause_resume_and_stop(qtbot, session, small_config, assert_run_held):
    """Pause holds the run, resume continues it, stop ends it with reason 'interrupted'."""
    config = small_config.with_settings(epochs=200)
    with qtbot.waitSignal(session.batch_finished, timeout=10000):
        session.start_training(config)
    assert_run_held(session, session.pause, session.resume)
    with qtbot.waitSignal(session.run_finished, timeout=10000) as finished:
        session.stop()
    assert finished.args[0].reason == "interrupted"
    qtbot.waitUntil(lambda: session.state == IDLE, timeout=5000)


def test_save_and_load_round_trip(qtbot, session, small_config, tmp_path):
    """A saved model reopens with the same weights, configuration and history."""
    with qtbot.waitSignal(session.run_finished, timeout=20000):
        session.start_training(small_config)
    qtbot.waitUntil(lambda: session.state == IDLE, timeout=5000)
    path = session.save_model(tmp_path / "m.npz")
    assert not session.dirty
    other = Session()
    other.load_model(path)
    assert other.config == session.config
    assert len(other.history) == 2
    a = session.current_model().network.state_dict()
    b = other.current_model().network.state_dict()
    assert all(np.array_equal(a[k], b[k]) for k in a)


def test_errors_are_reported_not_raised_from_the_thread(qtbot, small_config, tmp_path):
    """Missing data and a bad model file raise clear errors in the caller, no thread is started."""
    s = Session()
    with pytest.raises(DataError):
        s.start_training(small_config)
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelFileError):
        s.load_model(bad)
    assert s.state == IDLE


def test_fresh_training_forgets_the_opened_file(qtbot, session, small_config, tmp_path):
    """Training fresh weights after opening a file is a new model: Save would not overwrite it."""
    with qtbot.waitSignal(session.run_finished, timeout=20000):
        session.start_training(small_config)
    qtbot.waitUntil(lambda: session.state == IDLE, timeout=5000)
    path = session.save_model(tmp_path / "opened.npz")
    session.load_model(path)
    assert session.path == path
    with qtbot.waitSignal(session.run_finished, timeout=20000):
        session.start_training(small_config)
    assert session.path is None
    qtbot.waitUntil(lambda: session.state == IDLE, timeout=5000)


def test_run_end_message_is_translatable_text(qtbot, session, small_config):
    """The status message names why the run ended in the interface's own words."""
    messages = []
    session.message.connect(messages.append)
    with qtbot.waitSignal(session.run_finished, timeout=20000):
        session.start_training(small_config.with_settings(epochs=1))
    assert any("all epochs done" in m for m in messages)
    qtbot.waitUntil(lambda: session.state == IDLE, timeout=5000)
