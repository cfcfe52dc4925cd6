"""DigitLab: a workbench for neural networks on handwritten digits."""

import os

# Idle OpenBLAS threads otherwise busy-wait ~0.1 s after every matrix product, holding the other
# core that the convolution copies and the GUI thread need (benchmarks/bench_cnn.py measured it).
# Set before NumPy is first imported; a value the user chose is kept.
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")

__version__ = "0.1.0"
