"""DigitLab: a workbench for neural networks on handwritten digits.

Importing the package has no side effects on the process; the entry points set what they need
(see :mod:`digitlab._env`).
"""

__version__ = "0.1.0"
