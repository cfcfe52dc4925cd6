"""Early stopping from the app: the Network panel's rows set it, the session's run ends early."""

from __future__ import annotations

from digitlab.core.config import NetworkSpec, TrainConfig
from digitlab.gui.panels.network_panel import NetworkPanel
from digitlab.gui.session import IDLE, Session


def test_the_network_panel_sets_early_stopping_and_keep_best(qtbot):
    """The Run page has a row per new setting; editing them reaches the next run's config."""
    session = Session()
    panel = NetworkPanel(session)
    qtbot.addWidget(panel)
    for name in ("monitor", "patience", "min_delta", "keep_best", "plateau_factor", "plateau_patience"):
        assert name in panel.controls
    panel.controls["val_split"].setValue(0.2)
    panel.controls["monitor"].setCurrentText("val_accuracy")
    panel.controls["patience"].setValue(3)
    with qtbot.waitSignal(session.config_changed, timeout=3000):
        panel.controls["keep_best"].setChecked(True)
    qtbot.waitUntil(lambda: session.config.run.patience == 3, timeout=3000)
    run = session.config.run
    assert (run.monitor, run.patience, run.keep_best) == ("val_accuracy", 3, True)


def test_a_session_run_that_stops_early_says_so(qtbot, synthetic_mnist):
    """A run whose watched metric never improves enough ends 'early' after `patience` epochs,
    with the status message naming early stopping and the model's result its best epoch."""
    session = Session()
    session.data = synthetic_mnist(400, 100)
    config = TrainConfig(NetworkSpec(({"type": "dense", "units": 10}, {"type": "softmax"}))).with_settings(
        optimizer="sgd", lr=0.1, batch_size=50, epochs=20, monitor="train_loss", min_delta=100.0,
        patience=2, keep_best=True)
    messages: list[str] = []
    session.message.connect(messages.append)
    with qtbot.waitSignal(session.run_finished, timeout=30000) as finished:
        session.start_training(config)
    qtbot.waitUntil(lambda: session.state == IDLE, timeout=10000)
    assert finished.args[0].reason == "early" and len(session.history) == 3
    assert any("early stopping" in m for m in messages)
    assert session.model.result["best_epoch"] == 1 and session.model.result["restored_best"]
