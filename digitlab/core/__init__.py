"""The pure-NumPy core of DigitLab.

Nothing in this package imports Qt, pyqtgraph or appdirs: it is plain NumPy and the standard
library, so it can be read, taught from and used in scripts on its own.
"""
