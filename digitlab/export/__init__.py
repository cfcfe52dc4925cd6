"""Export a DigitLab model for use without DigitLab: an ONNX graph or a NumPy-only folder.

- ``onnx``: one ``.onnx`` file (opset 17) that takes a batch of 28x28 uint8 MNIST-style
  digits and returns DigitLab's probabilities (:mod:`.onnx_export`; needs ``pip install
  digitlab[onnx]``).
- ``numpy``: a folder with ``predict.py``, ``mnist_style.py`` and ``weights.npz`` that needs
  only NumPy (:mod:`.numpy_export`).

This package is not part of the core (it may import ``onnx``); the core stays NumPy-only.
See docs/export.md.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..core.serialization import SavedModel
from .plan import ExportError

__all__ = ["FORMATS", "ExportError", "export_model"]

#: format name -> what it writes (the CLI's choices and the GUI's file filters)
FORMATS = {"onnx": "an ONNX file (.onnx)", "numpy": "a folder with predict.py and weights.npz"}


def export_model(model: SavedModel, fmt: str, out: str | os.PathLike, *,
                 overwrite: bool = False) -> Path:
    """Write ``model`` to ``out`` in format ``fmt`` (``"onnx"`` or ``"numpy"``).

    Returns the path written. Raises :class:`ExportError` (one line) for a model that cannot be
    exported, a missing ``onnx`` package, or an ``out`` that exists and ``overwrite`` is false.
    """
    out = Path(out)
    if fmt == "onnx":
        from .onnx_export import write_onnx

        return write_onnx(model, out, overwrite=overwrite)
    if fmt == "numpy":
        from .numpy_export import write_standalone

        return write_standalone(model, out, overwrite=overwrite)
    raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
