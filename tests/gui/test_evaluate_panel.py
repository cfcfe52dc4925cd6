"""The Evaluate panel: background evaluation, confusion matrix, filtered gallery of mistakes."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from digitlab.core.metrics import confusion_matrix
from digitlab.gui.panels.evaluate_panel import PAGE_SIZE, EvaluatePanel
from digitlab.gui.session import Session


@pytest.fixture
def session(qtbot, synthetic_mnist):
    s = Session()
    s.data = synthetic_mnist(n_train=100, n_test=300)
    s.new_model()  # untrained: plenty of mistakes to show
    return s


@pytest.fixture
def panel(qtbot, session):
    panel = EvaluatePanel(session)
    qtbot.addWidget(panel)
    panel.resize(1100, 700)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def evaluate(qtbot, panel):
    QTest.mouseClick(panel.evaluate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.evaluation is not None and not panel.is_running, timeout=10000)


def expected_predictions(session):
    model = session.current_model()
    x = model.transform.apply(session.data.test_images, model.network.input_shape)
    return model.network.predict(x)


def test_evaluation_runs_in_background_and_shows_counts(qtbot, panel, session):
    """The button evaluates on a worker thread; accuracy and the confusion counts are exact."""
    QTest.mouseClick(panel.evaluate_button, Qt.MouseButton.LeftButton)
    assert panel.is_running and not panel.evaluate_button.isEnabled()  # returned at once
    qtbot.waitUntil(lambda: panel.evaluation is not None and not panel.is_running, timeout=10000)
    predicted = expected_predictions(session)
    labels = session.data.test_labels
    expected = confusion_matrix(predicted, labels, 10)
    np.testing.assert_array_equal(panel.confusion.counts, expected)
    accuracy = np.mean(predicted == labels)
    assert f"{accuracy:.2%}" in panel.accuracy_label.text()
    row, col = np.unravel_index(np.argmax(expected), expected.shape)
    assert panel.confusion._texts[row * 10 + col].textItem.toPlainText() == str(expected[row, col])
    assert panel.evaluate_button.isEnabled() and not panel.busy.isVisible()


def test_gallery_holds_mistakes_sorted_by_confidence_and_paged(qtbot, panel, session):
    """Every mistake is listed, most confident first, PAGE_SIZE per page."""
    evaluate(qtbot, panel)
    wrong = int(np.sum(expected_predictions(session) != session.data.test_labels))
    assert len(panel.gallery_indices) == wrong
    confidences = panel.evaluation.confidences[panel.gallery_indices]
    assert np.all(np.diff(confidences) <= 0)
    assert wrong > PAGE_SIZE  # the untrained model makes enough mistakes for a second page
    assert panel.gallery.count() == PAGE_SIZE
    QTest.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    assert panel.page == 1 and panel.gallery.count() == min(wrong - PAGE_SIZE, PAGE_SIZE)


def test_clicking_a_cell_filters_the_gallery(qtbot, panel, session):
    """A click on a confusion-matrix cell shows exactly the test images of that cell."""
    evaluate(qtbot, panel)
    counts = panel.confusion.counts.copy()
    np.fill_diagonal(counts, 0)
    true_class, predicted = np.unravel_index(np.argmax(counts), counts.shape)
    assert counts[true_class, predicted] > 0
    position = panel.confusion.cell_center_in_widget(int(true_class), int(predicted))
    QTest.mouseClick(panel.confusion.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, position)
    qtbot.waitUntil(lambda: panel.cell == (true_class, predicted), timeout=1000)
    assert len(panel.gallery_indices) == counts[true_class, predicted]
    shown = [panel.gallery.item(i).data(Qt.ItemDataRole.UserRole) for i in range(panel.gallery.count())]
    assert all(session.data.test_labels[i] == true_class for i in shown)
    assert all(panel.evaluation.predictions[i] == predicted for i in shown)
    assert panel.show_all_button.isEnabled()
    QTest.mouseClick(panel.show_all_button, Qt.MouseButton.LeftButton)
    assert panel.cell is None and not panel.show_all_button.isEnabled()


def test_without_data_the_panel_says_how_to_get_it(qtbot):
    """With no data loaded the button is disabled and the message points to the Data panel."""
    session = Session()
    session.new_model()
    panel = EvaluatePanel(session)
    qtbot.addWidget(panel)
    assert not panel.evaluate_button.isEnabled()
    assert "Data panel" in panel.status_label.text()
    assert not panel.start_evaluation()


def test_model_change_marks_results_stale(qtbot, panel, session):
    """After the model changes, the panel says its results are from an earlier model."""
    evaluate(qtbot, panel)
    session.new_model()
    assert "evaluate again" in panel.status_label.text()
