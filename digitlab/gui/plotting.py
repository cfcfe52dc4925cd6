"""pyqtgraph, imported when a plot is first needed and set to the palette's colours then.

Every GUI module that plots takes ``pg`` from here rather than importing pyqtgraph itself, so
whichever plot comes first (the Curves tab, the Lab, an Inside view) finds pyqtgraph configured,
and the window can appear before pyqtgraph (about a third of a second) is imported at all.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QGuiApplication

from .theme import configure_pyqtgraph

if QGuiApplication.instance() is not None:  # imported by a test before its QApplication: later
    configure_pyqtgraph()

__all__ = ["pg"]
