"""Pages that fit a 1024x600 netbook without cutting anything off: views side by side or as tabs."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea

from digitlab.core.data import MnistData
from digitlab.gui.app import create_main_window
from digitlab.gui.widgets.fit_screen import TITLE_BAR_ALLOWANCE
from digitlab.gui.widgets.side_by_side import SideBySideOrTabs

#: a 1024x600 screen less the room kept for a title bar
NETBOOK = QSize(1024, 600 - TITLE_BAR_ALLOWANCE)


@pytest.fixture
def netbook_window(qtbot, monkeypatch):
    """The main window at a netbook's size, with a small unlearnable MNIST so every tab has data."""
    monkeypatch.delenv("DIGITLAB_MNIST_DIR", raising=False)
    rng = np.random.default_rng(5)
    images = rng.integers(0, 256, (300, 28, 28), dtype=np.uint8)
    labels = (np.arange(300) % 10).astype(np.uint8)
    window = create_main_window()
    qtbot.addWidget(window)
    window.session.data = MnistData(images[:200], labels[:200], images[200:], labels[200:], "random")
    window.resize(NETBOOK)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.session.stop_and_wait()
    window.session.dirty = False


def _page_scrolls(window, panel) -> bool:
    window.tabs.setCurrentWidget(panel)
    QApplication.processEvents()
    area = window.tabs.currentWidget().parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    assert area is not None
    return area.horizontalScrollBar().isVisible() or area.verticalScrollBar().isVisible()


def test_weights_evaluate_and_runs_pages_fit_a_netbook_without_scrolling(qtbot, netbook_window):
    """At 1024x600 the Weights, Evaluate (after an evaluation) and Runs pages need no scroll bar:
    their views went to tabs instead of being squeezed or pushed out of sight."""
    window = netbook_window
    evaluate = window.evaluate_panel
    window.tabs.setCurrentWidget(evaluate)
    assert evaluate.start_evaluation()
    qtbot.waitUntil(lambda: evaluate.evaluation is not None and not evaluate.is_running, timeout=20000)
    for panel in (window.weights_panel, evaluate, window.runs_panel):
        assert not _page_scrolls(window, panel), panel.objectName()
    assert window.weights_panel.views.is_tabbed() and evaluate.views.is_tabbed()
    assert window.runs_panel.lower_views.is_tabbed()


def test_views_are_side_by_side_on_a_large_screen(qtbot, netbook_window):
    """On a 1920x1080 screen nothing is hidden behind a tab."""
    window = netbook_window
    window.resize(1900, 1000)
    for panel in (window.weights_panel, window.evaluate_panel):
        window.tabs.setCurrentWidget(panel)
        QApplication.processEvents()
        assert not panel.views.is_tabbed(), panel.objectName()
        if panel is window.weights_panel:
            assert panel.norms_stack.isVisible() and panel.mosaic.isVisible()
        else:
            assert not panel.per_class.isHidden() and not panel.gallery_view.isHidden()


def test_clicking_a_confusion_cell_brings_the_gallery_forward_on_a_netbook(qtbot, netbook_window):
    """As tabs, a clicked cell shows its test images at once instead of filling a hidden tab."""
    window = netbook_window
    evaluate = window.evaluate_panel
    window.tabs.setCurrentWidget(evaluate)
    assert evaluate.start_evaluation()
    qtbot.waitUntil(lambda: evaluate.evaluation is not None and not evaluate.is_running, timeout=20000)
    assert evaluate.views.tabs.currentIndex() == 0
    evaluate.confusion.cell_clicked.emit(3, 3)
    assert evaluate.views.tabs.currentWidget() is evaluate.gallery_view
    assert evaluate.gallery.isVisible()


def test_side_by_side_or_tabs_switches_at_its_threshold_and_keeps_the_order(qtbot):
    """Below the threshold each view is one tab (in order, only the current one shown); at or
    above it every view is shown in its group; the minimum is the tabbed one."""
    widget = SideBySideOrTabs(600, 300)
    qtbot.addWidget(widget)
    views = [QLabel(name) for name in ("a", "b", "c")]
    for view in views:
        view.setMinimumSize(250, 120)
    widget.add_view(views[0], "A", group=0)
    widget.add_view(views[1], "B", group=0)
    widget.add_view(views[2], "C", group=1)
    widget.show()
    widget.resize(500, 400)
    QApplication.processEvents()
    assert widget.is_tabbed()
    assert [widget.tabs.tabText(i) for i in range(widget.tabs.count())] == ["A", "B", "C"]
    assert [v.isVisible() for v in views] == [True, False, False]
    assert widget.minimumSizeHint().width() < 2 * 250  # never the side-by-side minimum
    widget.resize(700, 400)
    QApplication.processEvents()
    assert not widget.is_tabbed() and widget.tabs.count() == 0
    assert all(v.isVisible() for v in views)
    assert views[0].geometry().bottom() < views[1].geometry().top() + 1  # group 0 is a column
    widget.resize(700, 250)  # too short is tabs too
    QApplication.processEvents()
    assert widget.is_tabbed()


def test_weights_plots_are_built_when_first_shown(qtbot):
    """A hidden Weights panel defers its per-layer plots (start-up time) and builds them when shown."""
    from digitlab.gui.panels.weights_panel import WeightsPanel
    from digitlab.gui.session import Session

    session = Session()
    session.new_model()
    panel = WeightsPanel(session)
    qtbot.addWidget(panel)
    assert panel._histograms == {}
    panel.show()
    qtbot.waitExposed(panel)
    assert set(panel._histograms) == {name for name in panel._layer_titles if name.endswith(".W")}
    assert panel._histograms
