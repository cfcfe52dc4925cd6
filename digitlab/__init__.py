"""DigitLab: a workbench for neural networks on handwritten digits."""

__version__ = "0.1.0"
