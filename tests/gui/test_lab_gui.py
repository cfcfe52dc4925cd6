"""The Lab window: every experiment runs to the end from its Start button on a worker thread."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QMainWindow, QTableWidget

from digitlab.gui.lab import EXPERIMENT_KEYS, LabWindow, install_lab_menu
from digitlab.gui.lab.activations_tab import ActivationsTab
from digitlab.gui.lab.boundary_tab import BoundaryTab
from digitlab.gui.lab.fitting_tab import FittingTab
from digitlab.gui.lab.losses_tab import LossesTab
from digitlab.gui.lab.numerical_tab import NumericalTab
from digitlab.gui.session import Session

RUN_TIMEOUT_MS = 30000
#: A stopped run ends well within this; 5000 fitting epochs run far longer (about 30 s).
STOP_TIMEOUT_MS = 15000  # a 5000-epoch fitting run takes ~30 s: one that did not stop would still run


@pytest.fixture
def session(qtbot, synthetic_mnist):
    s = Session()
    s.data = synthetic_mnist(n_train=300, n_test=100)
    return s


@pytest.fixture
def lab(qtbot, session):
    window = LabWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.stop_all()


@pytest.fixture
def make_tab(make_lab_tab, session):
    """Build one experiment widget on its own (faster than the whole window), data from ``session``."""
    return lambda tab_class: make_lab_tab(tab_class, lambda: session.data)


def run_to_end(qtbot, tab) -> object:
    """Click Start and wait until the run has ended and its result is shown."""
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    assert tab.is_running, tab.status.text()
    qtbot.waitUntil(lambda: not tab.is_running and tab.last_result is not None, timeout=RUN_TIMEOUT_MS)
    return tab.last_result


def test_numerical_vs_backprop_runs_and_shows_the_factor(qtbot, make_tab):
    """The comparison runs from Start; the loss and time curves, the slowdown factor and a
    colour-coded gradient-check row per tensor are shown."""
    tab = make_tab(NumericalTab)
    tab.net_box.setCurrentIndex(tab.net_box.findData("tiny"))
    tab.iterations_box.setValue(3)
    tab.batch_box.setValue(4)
    result = run_to_end(qtbot, tab)
    assert len(result.steps) == 3 and result.slowdown > 100
    assert len(tab.numerical_loss.getData()[0]) == 3 and len(tab.backprop_time.getData()[0]) == 3
    assert "faster" in tab.headline.text()
    assert tab.check_table.rowCount() == 4
    assert tab.check_table.item(0, 4).text() == "excellent"
    assert tab.check_table.item(0, 0).background().color().name() == "#c8e6c9"
    assert tab.progress.value() == 100
    assert "Expected" in tab.eta_label.text() or tab._eta_timer.isActive()


def test_gradient_check_button(qtbot, make_tab):
    """'Check gradients' runs only the float64 check and fills the table."""
    tab = make_tab(NumericalTab)
    tab.net_box.setCurrentIndex(tab.net_box.findData("tiny"))
    tab.batch_box.setValue(3)
    qtbot.mouseClick(tab.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.is_running and tab.last_result is not None, timeout=RUN_TIMEOUT_MS)
    assert tab.check_table.rowCount() == 4
    assert all(row.relative_error < 1e-6 for row in tab.last_result)


def test_function_fitting_shows_target_and_surface(qtbot, make_tab):
    """Fitting runs to the end and shows the target, the network surface, the points and the
    error curve; the status reports the error ratio."""
    tab = make_tab(FittingTab)
    tab.epochs_box.setValue(5)
    tab.batches_box.setValue(20)
    result = run_to_end(qtbot, tab)
    assert len(result.errors) == 6 and result.final_error < result.initial_error
    assert tab.target_plot.image.image.shape == (41, 41)
    assert tab.network_plot.image.image.shape == (41, 41)
    assert len(tab.network_plot.scatter.data) == 100
    assert len(tab.error_curve.getData()[0]) == 6
    assert "of the starting error" in tab.status.text()


def test_decision_boundary_trains_on_the_points(qtbot, make_tab):
    """The classifier trains on the example points and draws its probability map."""
    tab = make_tab(BoundaryTab)
    tab.epochs_box.setValue(40)
    tab.slow_box.setChecked(False)
    result = run_to_end(qtbot, tab)
    assert len(result.losses) == 40
    assert tab.canvas.image.image.shape == (61, 61)
    assert len(tab.loss_curve.getData()[0]) == 8
    assert "Done" in tab.status.text()


def test_clicking_the_canvas_adds_points(qtbot, make_tab):
    """A left click adds a point of the selected class where it lands; a right click the other class."""
    tab = make_tab(BoundaryTab)
    tab.clear_points()
    view = tab.canvas.getPlotItem().getViewBox()
    qtbot.wait(50)

    def click(x: float, y: float, button) -> None:
        scene = view.mapViewToScene(QPointF(x, y))
        pos = tab.canvas.mapFromScene(scene)
        qtbot.mouseClick(tab.canvas.viewport(), button, pos=pos)

    tab.class_group.button(1).setChecked(True)
    click(1.0, -0.5, Qt.MouseButton.LeftButton)
    click(-1.0, 1.0, Qt.MouseButton.RightButton)
    assert len(tab.points) == 2
    assert list(tab.labels) == [1, 0]
    assert tab.points[0] == pytest.approx([1.0, -0.5], abs=0.1)
    assert "1 orange and 1 blue" in tab.status.text()


def test_loss_race_and_worked_values(qtbot, make_tab):
    """The worked values are in the table; the race draws both loss and accuracy curves."""
    tab = make_tab(LossesTab)
    table = tab.findChild(QTableWidget, "workedLossTable")
    assert [table.item(0, 1).text(), table.item(0, 2).text()] == ["0.0975", "0.5108"]
    assert [table.item(1, 1).text(), table.item(1, 2).text()] == ["0.5975", "2.3026"]
    tab.hidden_box.setValue(8)
    tab.iterations_box.setValue(20)
    tab.batch_box.setValue(20)
    result = run_to_end(qtbot, tab)
    assert len(result.steps) == 20
    assert len(tab.mse_curve.getData()[0]) == 20 and len(tab.ce_accuracy.getData()[0]) >= 2
    assert "Test accuracy" in tab.status.text()


def test_activations_show_histograms_and_gradient_norms(qtbot, make_tab):
    """Per-layer histograms and gradient norms appear; sigmoid with std 0.01 shows a vanishing
    first-layer gradient in the status line."""
    tab = make_tab(ActivationsTab)
    tab.depth_box.setValue(3)
    tab.width_box.setValue(20)
    tab.batch_box.setValue(20)
    tab.iterations_box.setValue(4)
    result = run_to_end(qtbot, tab)
    assert len(result.reports) == 4
    assert tab.table.columnCount() == 4 and tab.table.item(0, 0) is not None
    assert sum(plot.isVisible() for plot in tab.histogram_plots) == 3
    bars = [i for i in tab.histogram_plots[0].getPlotItem().items if isinstance(i, pg.BarGraphItem)]
    assert len(bars) == 1 and bars[0].opts["height"].sum() == pytest.approx(1.0)
    assert len(tab.norm_curves["relu_he"].getData()[0]) == 4
    assert "larger" in tab.status.text()


def test_experiments_without_mnist_say_so(qtbot, lab, session):
    """With no MNIST loaded, the digit experiments show a notice and refuse to start with a reason."""
    session.data = None
    session.data_changed.emit()
    tab = lab.show_experiment("losses")
    assert tab.mnist_notice.isVisible()
    assert not lab.experiments["fitting"].mnist_notice.isVisible()
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    assert not tab.is_running
    assert "no MNIST data is loaded" in tab.status.text()


def test_stop_ends_a_run_early(qtbot, make_tab):
    """Stop ends a long run between steps; the results so far stay."""
    tab = make_tab(FittingTab)
    tab.epochs_box.setValue(5000)
    tab.threshold_box.setValue(0.0)  # never converge early: only Stop can end this run
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(tab._errors) > 2, timeout=RUN_TIMEOUT_MS)
    qtbot.mouseClick(tab.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.is_running, timeout=RUN_TIMEOUT_MS)
    assert tab.last_result.reason == "interrupted"
    assert "stopped" in tab.status.text()
    assert tab.start_button.isEnabled() and not tab.stop_button.isEnabled()


def test_install_lab_menu_adds_one_action_per_experiment(qtbot, session):
    """install_lab_menu puts a Lab menu before Help with one action per experiment; each opens
    the Lab window on its tab; closing the window stops its runs."""
    window = QMainWindow()
    window.session = session
    window.menuBar().addMenu("&File")
    help_menu = window.menuBar().addMenu("&Help")
    qtbot.addWidget(window)
    menu = install_lab_menu(window)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("&Lab") == titles.index("&Help") - 1 and help_menu is not None
    actions = {a.objectName(): a for a in menu.actions()}
    assert set(actions) == {f"labAction_{key}" for key in EXPERIMENT_KEYS}
    actions["labAction_activations"].trigger()
    lab = menu.launcher.window
    qtbot.addWidget(lab)
    assert lab.isVisible() and lab.tabs.currentWidget() is lab.experiments["activations"]
    actions["labAction_fitting"].trigger()
    assert menu.launcher.window is lab and lab.tabs.currentWidget() is lab.experiments["fitting"]
    tab = lab.experiments["fitting"]
    tab.epochs_box.setValue(5000)
    tab.threshold_box.setValue(0.0)  # never converge early: only closing can end this run
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    assert tab.is_running
    lab.close()
    qtbot.waitUntil(lambda: not tab.is_running, timeout=STOP_TIMEOUT_MS)


def test_closing_the_main_window_closes_the_lab(qtbot, session):
    """When the main window closes, the Lab window closes too and its run is stopped."""
    window = QMainWindow()
    window.session = session
    qtbot.addWidget(window)
    window.show()
    menu = install_lab_menu(window)
    lab = menu.launcher.open("fitting")
    qtbot.addWidget(lab)
    tab = lab.experiments["fitting"]
    tab.epochs_box.setValue(5000)
    tab.threshold_box.setValue(0.0)  # never converge early: only closing can end this run
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    assert tab.is_running
    window.close()
    qtbot.waitUntil(lambda: not lab.isVisible() and not tab.is_running, timeout=STOP_TIMEOUT_MS)
