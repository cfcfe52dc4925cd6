"""The Data panel's own-data-sets box: import on a job, choose the training data, evaluate, remove."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab import paths
from digitlab.core.datasets import save_dataset
from digitlab.core.errors import DataError
from digitlab.core.runstore import RunStore
from digitlab.gui.panels.data_panel import DataPanel
from digitlab.gui.session import IDLE, Session


@pytest.fixture
def panel(qtbot, synthetic_mnist):
    session = Session()
    session.data = synthetic_mnist()
    panel = DataPanel(session)
    qtbot.addWidget(panel)
    yield panel
    session.stop_and_wait()


def _own_npz(path, n: int = 30):
    """Synthetic "own digits" in the style of the synthetic MNIST (a bar per label)."""
    rng = np.random.default_rng(4)
    labels = (np.arange(n) % 10).astype(np.uint8)
    images = (rng.random((n, 28, 28)) * 40).astype(np.uint8)
    for i, label in enumerate(labels):
        images[i, 2 + 2 * label: 4 + 2 * label, 4:24] = 255
    np.savez(path, x_train=images, y_train=labels)
    return path


def test_import_choose_train_evaluate_and_remove(qtbot, panel, tmp_path, small_config):
    box = panel.datasets
    assert box.import_from(_own_npz(tmp_path / "own.npz"), "mine")
    qtbot.waitUntil(lambda: not box.is_busy, timeout=20000)
    assert box.list.count() == 1 and "mine" in box.list.item(0).text()
    assert "Imported mine" in box.status_label.text()
    assert (paths.datasets_dir() / "mine.npz").is_file()

    choices = [box.train_on.itemData(i) for i in range(box.train_on.count())]
    assert choices == ["mnist", "mine", "mnist+mine"]
    assert box.choose_training_data("mnist+mine")
    assert panel.session.train_on == "mnist+mine"
    session = panel.session
    with qtbot.waitSignal(session.run_finished, timeout=30000):
        session.start_training(small_config)
    qtbot.waitUntil(lambda: session.state == IDLE, timeout=5000)
    described = session.current_model().data
    assert described["name"] == "mnist+mine" and described["train"] == 600 + 24

    box.list.setCurrentRow(0)
    assert box.evaluate_selected()
    qtbot.waitUntil(lambda: not box.is_busy, timeout=20000)
    assert "Accuracy on mine" in box.status_label.text()

    box.remove_selected()
    assert box.list.count() == 0 and not (paths.datasets_dir() / "mine.npz").exists()
    assert session.train_on == "mnist"  # the removed set is no longer a choice


def test_a_bad_import_is_shown_and_writes_nothing(qtbot, panel, tmp_path):
    box = panel.datasets
    (tmp_path / "src" / "letters").mkdir(parents=True)
    assert box.import_from(tmp_path / "src", "mine")
    qtbot.waitUntil(lambda: not box.is_busy, timeout=20000)
    assert "not a digit" in box.status_label.text()
    assert box.list.count() == 0 and not paths.datasets_dir().exists()


def test_training_on_a_set_alone_needs_no_mnist(qtbot, tmp_path, small_config):
    """"Train on: NAME" runs without MNIST loaded; the run history records the set."""
    data = np.load(_own_npz(tmp_path / "own.npz", n=60))
    save_dataset(paths.datasets_dir(), "mine", data["x_train"], data["y_train"])
    session = Session()
    session.train_on = "mine"
    with qtbot.waitSignal(session.run_finished, timeout=30000):
        session.start_training(small_config)
    qtbot.waitUntil(lambda: session.state == IDLE, timeout=5000)
    assert session.current_model().data["name"] == "mine"
    session.run_history.flush()
    store = RunStore(paths.run_store_path())
    assert store.runs()[0]["data"]["name"] == "mine"
    store.close()
    session.train_on = "mnist"
    with pytest.raises(DataError, match="no MNIST data"):
        session.start_training(small_config)
