"""The Draw panel's line for a drawing of several digits: the number and each digit's confidence."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget

from ...core.number import UNREAD, NumberReading

__all__ = ["NumberLabel"]


class NumberLabel(QLabel):
    """Shows ``2026`` and ``2 98% · 0 97% · …`` for a reading of two or more digits; empty and
    hidden otherwise (one digit is ``predictionLabel``'s job)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setObjectName("numberLabel")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.font())
        font.setBold(True)  # the panel's own size: at 1024x600 two lines fit above the bars
        self.setFont(font)
        self.setToolTip(self.tr("The drawing holds several digits side by side: each is read on "
                                "its own, with its confidence"))
        self.hide()

    def set_reading(self, reading: NumberReading | None) -> None:
        """Show the number for two or more digits; clear and hide for anything else."""
        if reading is None or len(reading) < 2:
            self.setText("")
            self.hide()
            return
        each = " · ".join(
            UNREAD if p.digit is None else f"{p.digit} {p.confidence:.0%}"
            for p in reading.predictions)
        self.setText(self.tr("Number: {0}").format(reading.text) + "\n" + each)
        self.show()
