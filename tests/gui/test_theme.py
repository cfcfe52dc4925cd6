"""DigitLab follows a dark system palette: dark plots, readable axes and muted texts."""

from __future__ import annotations

import re

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from digitlab.gui import theme
from digitlab.gui.app import create_main_window
from digitlab.gui.lab import LabWindow

DARK = {
    QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1e1e1e", QPalette.ColorRole.AlternateBase: "#333333",
    QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#353535",
    QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Mid: "#5a5a5a",
    QPalette.ColorRole.ToolTipBase: "#333333", QPalette.ColorRole.ToolTipText: "#e6e6e6",
}
#: WCAG's minimum contrast for normal text
READABLE = 4.5


@pytest.fixture
def dark_palette(qapp):
    """The application palette of a dark desktop theme, restored afterwards."""
    original = QPalette(qapp.palette())
    options = {k: pg.getConfigOption(k) for k in ("background", "foreground")}
    palette = QPalette(original)
    for role, colour in DARK.items():
        palette.setColor(role, QColor(colour))
    QApplication.setPalette(palette)
    yield palette
    QApplication.setPalette(original)
    pg.setConfigOptions(**options)


def _label_colours(widget, skip=()) -> list[tuple[str, QColor]]:
    found = []
    for label in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton):
        if any(s.isAncestorOf(label) for s in skip):
            continue
        match = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", label.styleSheet())
        if match and label.text():
            found.append((label.objectName() or label.text()[:30], QColor(match.group(1))))
    return found


def test_muted_and_status_colours_are_readable_on_both_themes(qapp, dark_palette):
    """Muted, error and success text keep WCAG contrast against the window, dark or light."""
    for palette in (dark_palette, QPalette(QColor("#efefef"))):
        window = palette.color(QPalette.ColorRole.Window)
        for colour in (theme.muted_colour(palette), theme.error_colour(palette),
                       theme.success_colour(palette), theme.warning_colour(palette)):
            assert theme.contrast_ratio(colour, window) >= READABLE, colour.name()


@pytest.mark.slow
def test_main_window_plots_and_labels_follow_a_dark_palette(qtbot, dark_palette, monkeypatch):
    """Under a dark palette every plot background is dark, axes and muted texts are readable."""
    monkeypatch.delenv("DIGITLAB_MNIST_DIR", raising=False)
    window = create_main_window()
    qtbot.addWidget(window)
    window.show()
    for index in range(window.tabs.count()):  # the tabs are built when first shown
        window.tabs.setCurrentIndex(index)
    background = dark_palette.color(QPalette.ColorRole.Window)
    views = window.findChildren(pg.GraphicsView)
    assert len(views) >= 6
    for view in views:
        brush = view.backgroundBrush()
        # Transparent views show the (dark) window behind them.
        assert brush.style() == pg.QtCore.Qt.BrushStyle.NoBrush or brush.color().lightnessF() < 0.5
    for plot in window.findChildren(pg.PlotWidget):
        for side in ("left", "bottom"):
            pen = plot.getPlotItem().getAxis(side).textPen().color()
            assert theme.contrast_ratio(pen, background) >= READABLE
    # The Network panel is being redesigned elsewhere (its warning colour is reported to the lead).
    labels = _label_colours(window)
    assert labels, "some labels are coloured (status, hints)"
    for name, colour in labels:
        assert theme.contrast_ratio(colour, background) >= READABLE, (name, colour.name())
    canvas = window.draw_panel.canvas
    assert canvas.paper_colour().lightnessF() < 0.3 and canvas.ink_colour().lightnessF() > 0.7


def test_lab_plots_follow_a_dark_palette(qtbot, dark_palette):
    """The Lab's plots and notes take the palette's dark colours too."""
    from digitlab.gui.session import Session

    lab = LabWindow(Session())
    qtbot.addWidget(lab)
    plots = lab.findChildren(pg.PlotWidget)
    assert plots
    for plot in plots:
        assert plot.backgroundBrush().color().lightnessF() < 0.5
    background = dark_palette.color(QPalette.ColorRole.Window)
    for name, colour in _label_colours(lab):  # e.g. the class and network colour buttons
        assert theme.contrast_ratio(colour, background) >= READABLE, (name, colour.name())
    notes = [label for label in lab.findChildren(QLabel) if label.objectName() == "labExplanation"]
    assert notes
    for note in notes:
        colours = re.findall(r"(?<![-\w])(background|color):\s*(#[0-9a-fA-F]{6})", note.styleSheet())
        found = dict(colours)
        assert theme.contrast_ratio(QColor(found["color"]), QColor(found["background"])) >= READABLE


def test_nothing_turns_hidpi_scaling_off():
    """Qt 6 scales to the screen's pixel ratio by default; no DigitLab module may switch it off."""
    from pathlib import Path

    import digitlab

    forbidden = ("QT_ENABLE_HIGHDPI_SCALING", "QT_SCALE_FACTOR", "QT_AUTO_SCREEN_SCALE_FACTOR",
                 "AA_DisableHighDpiScaling", "setHighDpiScaleFactorRoundingPolicy", "QT_FONT_DPI")
    root = Path(digitlab.__file__).parent
    offenders = [f"{path.relative_to(root)}: {name}" for path in root.rglob("*.py")
                 for name in forbidden if name in path.read_text(encoding="utf-8")]
    assert offenders == []
