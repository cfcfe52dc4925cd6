"""Colours taken from the system palette, so text and plots stay readable on light and dark themes.

The rule: DigitLab never hard-codes a grey for text or a white for a plot. Text colours come from
the palette (``muted`` is the window text blended towards the window colour, which keeps enough
contrast whatever the theme); plots take their background and foreground from the palette's
``Base`` and ``Text`` roles; the status colours (error, success) have a light-theme and a
dark-theme shade. Data colours (curves, bars) keep their hue: they are chosen to read on both.

HiDPI needs nothing here: Qt 6 scales by the screen's device pixel ratio by default, and DigitLab
sets no attribute or environment variable that would turn it off.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

#: how far the muted text colour moves from the window text towards the window (0..1)
MUTED_BLEND = 0.4


def palette(widget: QWidget | None = None) -> QPalette:
    """The widget's palette, or the application's."""
    return widget.palette() if widget is not None else QGuiApplication.palette()


def is_dark(pal: QPalette | None = None) -> bool:
    """True when the window background is dark (a dark system theme)."""
    pal = pal or palette()
    return pal.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def blend(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved a fraction ``t`` of the way towards ``b``."""
    return QColor.fromRgbF(*(x + (y - x) * t for x, y in zip(a.getRgbF()[:3], b.getRgbF()[:3],
                                                                 strict=True)))


def muted_colour(pal: QPalette | None = None) -> QColor:
    """Secondary text (hints, placeholders): softer than normal text, still readable."""
    pal = pal or palette()
    return blend(pal.color(QPalette.ColorRole.WindowText), pal.color(QPalette.ColorRole.Window),
                 MUTED_BLEND)


def error_colour(pal: QPalette | None = None) -> QColor:
    return QColor("#ff8a80" if is_dark(pal) else "#c62828")


def warning_colour(pal: QPalette | None = None) -> QColor:
    return QColor("#ffb74d" if is_dark(pal) else "#a04f00")


def success_colour(pal: QPalette | None = None) -> QColor:
    return QColor("#81c784" if is_dark(pal) else "#1e7d32")


def readable(colour: QColor | str, pal: QPalette | None = None, ratio: float = 4.5) -> QColor:
    """``colour`` (a data colour used for text) moved towards the window text until it reads.

    A dark purple legend label is fine on white but vanishes on a dark theme; this keeps its hue
    recognisable while giving it ``ratio`` contrast against the window.
    """
    pal = pal or palette()
    colour, window = QColor(colour), pal.color(QPalette.ColorRole.Window)
    text = pal.color(QPalette.ColorRole.WindowText)
    for step in range(11):
        candidate = blend(colour, text, step / 10)
        if contrast_ratio(candidate, window) >= ratio:
            return candidate
    return text


def text_colour(pal: QPalette | None = None) -> QColor:
    return (pal or palette()).color(QPalette.ColorRole.WindowText)


def plot_background(pal: QPalette | None = None) -> QColor:
    return (pal or palette()).color(QPalette.ColorRole.Base)


def plot_foreground(pal: QPalette | None = None) -> QColor:
    return (pal or palette()).color(QPalette.ColorRole.Text)


def note_style(pal: QPalette | None = None, warning: bool = False) -> str:
    """Style sheet of a framed note (the Lab's explanations and notices) in the palette's colours."""
    pal = pal or palette()
    base = pal.color(QPalette.ColorRole.AlternateBase if not warning else QPalette.ColorRole.Base)
    accent = error_colour(pal) if warning else pal.color(QPalette.ColorRole.Mid)
    return (f"QLabel {{ background: {base.name()}; color: {text_colour(pal).name()}; "
            f"border: 1px solid {accent.name()}; border-radius: 4px; padding: 8px; }}")


def colour_style(colour: QColor) -> str:
    """A QLabel style sheet giving its text ``colour``."""
    return f"color: {colour.name()};"


def configure_pyqtgraph(pal: QPalette | None = None) -> None:
    """New plots take the palette's Base as background and its Text as axes and labels."""
    import pyqtgraph as pg  # here, not at the top: the theme is needed long before any plot

    pg.setConfigOptions(antialias=True, background=plot_background(pal),
                        foreground=plot_foreground(pal))


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio between two colours (1 = none, 21 = black on white)."""
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        r, g, b_ = (channel(v) for v in c.getRgbF()[:3])
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
