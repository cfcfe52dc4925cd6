"""Guards against the PySide6 6.12.0 / Python 3.11 bug that over-releases None."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QLabel


def test_tens_of_thousands_of_void_qt_calls_do_not_crash(qtbot):
    """50,000 void-returning Qt calls leave None's refcount intact (6.12.0 aborts after a few thousand)."""
    import sys

    label = QLabel()
    qtbot.addWidget(label)
    image = QImage(32, 32, QImage.Format.Format_ARGB32)
    before = sys.getrefcount(None)
    painter = QPainter(image)
    painter.setPen(QPen(QColor("white"), 2))
    for i in range(20000):
        painter.drawLine(QPointF(0, i % 32), QPointF(31, (i * 7) % 32))
    painter.end()
    for i in range(20000):
        image.fill(i & 0xFF)
    for i in range(10000):
        label.setText(str(i % 10))
    after = sys.getrefcount(None)
    # None is immortal on 3.12+ (huge constant count); on 3.11 the count must not have fallen.
    assert after >= before - 100
