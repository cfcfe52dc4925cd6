"""DigitLab desktop app (PySide6 + pyqtgraph)."""
