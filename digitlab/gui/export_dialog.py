"""File ▸ Export…: write the current model as ONNX or as a NumPy-only folder (docs/export.md).

The export itself is :func:`digitlab.export.export_model`, run as a background job (the first
ONNX export in a session spends about two seconds importing ``onnx``); this module asks where and
in which format, and reports the outcome in the window's usual way (status bar, or the error box).
"""

from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog

from . import jobs

if TYPE_CHECKING:
    from .main_window import MainWindow

def _tr(text: str) -> str:
    return QCoreApplication.translate("ExportDialog", text)


def export_filters() -> dict[str, str]:
    """File-dialog filter -> export format."""
    return {_tr("ONNX model (*.onnx)"): "onnx",
            _tr("Folder with predict.py and weights, NumPy only (*)"): "numpy"}


def export_current_model(window: MainWindow, folder: Path) -> jobs.Job | None:
    """Ask for a format and a name, then export the session's model there.

    An ONNX name gets ``.onnx`` if it has no suffix; the NumPy export makes the chosen name a
    folder. Replacing an existing file was confirmed by the dialog; a folder is written only if
    it is new, empty or an earlier export. Returns the running export job, or ``None`` when
    nothing is exported.
    """
    model = window.session.model
    if model is None:
        window.statusBar().showMessage(_tr("There is no model to export."), 8000)
        return None
    filters = export_filters()
    stem = window.session.path.stem if window.session.path is not None else "model"
    name, chosen = QFileDialog.getSaveFileName(window, _tr("Export model"), str(folder / stem),
                                               ";;".join(filters))
    if not name:
        return None
    fmt = filters.get(chosen, "onnx")
    target = Path(name)
    if fmt == "onnx" and not target.suffix:
        target = target.with_suffix(".onnx")
    # The job works on a copy: the session's network may be trained again while it runs.
    snapshot = dataclasses.replace(model, network=model.network.copy())
    from ..export import export_model  # not at start-up: the exporters are needed here only

    if fmt == "onnx":
        # Import onnx here, on the GUI thread: importing it (its ml_dtypes extension registers
        # NumPy dtypes) on the worker while the GUI thread paints plots with NumPy was seen to
        # hang. A missing package is reported by the job, in one line, as before.
        with contextlib.suppress(ImportError):
            import onnx  # noqa: F401

    job = jobs.Job(lambda progress, should_cancel: export_model(snapshot, fmt, target, overwrite=True),
                   "export")
    job.result_ready.connect(
        lambda written: window.statusBar().showMessage(_tr("Exported to {0}").format(written), 10000))
    job.failed.connect(lambda message: window.show_error(_tr("Could not export the model"), message))
    window.statusBar().showMessage(_tr("Exporting to {0}\u2026").format(target))
    job.start()
    return job
