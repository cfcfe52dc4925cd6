"""The NumPy export: a folder anyone can run with NumPy alone.

``OUT/`` receives

- ``predict.py``: the forward pass of every layer type in plain NumPy, a PNG reader written with
  the standard library, and a small command line (a verbatim copy of
  :mod:`digitlab.export.standalone_predict`);
- ``mnist_style.py``: DigitLab's image pipeline (:mod:`digitlab.core.preprocess`, copied with
  its one DigitLab import replaced), so a PNG of any size is prepared as DigitLab prepares it;
- ``weights.npz``: ``config`` (JSON: input shape, layers with their resolved padding and strides,
  output kind, temperature, preprocessing, the "not a digit" rule ``decline`` and the ink
  extent ``min_extent`` below which a picture is a dot) and float32 arrays named as in the
  model file (``layers.<index>.<name>``).

Nothing in the folder imports DigitLab; the tests run it in a separate interpreter and check.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from .. import __version__
from ..core import preprocess
from ..core.atomic import atomic_write
from ..core.decline import MIN_EXTENT
from ..core.serialization import SavedModel
from . import standalone_predict
from .plan import ExportError, ExportPlan, ExportStep, plan_export

#: what the folder holds; a folder holding anything else is never written into
FILES = ("predict.py", "mnist_style.py", "weights.npz")
STANDALONE_FORMAT = 1
# The one line of core/preprocess.py that is DigitLab's own; the copy defines the names itself.
_CORE_IMPORT = "from digitlab.core.errors import DataError, ModelFileError"
_STANDALONE_ERRORS = ('class DataError(ValueError):\n'
                      '    """An image that cannot be read as a digit."""\n\n\n'
                      'ModelFileError = DataError')


def standalone_layer(step: ExportStep) -> dict[str, Any]:
    """A layer's entry in ``weights.npz``: its DigitLab settings, its index, and the geometry
    resolved for its input (``pads`` per side, ``strides``, ``pool_size`` as pairs)."""
    entry = {**step.layer.get_config(), "index": step.index}
    if step.type_name == "conv2d":
        entry["pads"] = [list(p) for p in step.layer.pads(*step.input_shape[1:])]
        entry["strides"] = list(step.layer.stride)
    elif step.type_name in ("max_pool2d", "avg_pool2d"):
        entry["pool_size"] = list(step.layer.pool_size)
        entry["strides"] = list(step.layer.stride)
    return entry


def weights_archive(plan: ExportPlan, model: SavedModel) -> dict[str, np.ndarray]:
    """The arrays of ``weights.npz``: ``config`` (JSON) and ``layers.<index>.<name>``."""
    config = {"format": "digitlab-standalone", "format_version": STANDALONE_FORMAT,
              "digitlab_version": __version__, "input_shape": list(plan.input_shape),
              "layers": [standalone_layer(step) for step in plan.steps],
              "output": "softmax" if plan.softmax_output else "raw",
              "temperature": plan.temperature, "preprocessing": model.transform.to_dict(),
              # What `digitlab predict` declines, for predict.py to decline the same pictures.
              "decline": plan.decline.to_dict() if plan.decline is not None else None,
              "min_extent": MIN_EXTENT}
    arrays = {f"layers.{step.index}.{name}": value
              for step in plan.steps for name, value in step.arrays().items()}
    arrays["config"] = np.array(json.dumps(config))
    return arrays


def module_source(module: ModuleType) -> str:
    """The Python source of one of DigitLab's modules, which the export copies."""
    path = Path(module.__file__ or "").with_suffix(".py")
    try:
        return path.read_text(encoding="utf-8")
    except OSError:  # a frozen bundle that kept only compiled modules
        raise ExportError(f"the NumPy export copies {path.name} from DigitLab's sources, which this "
                          "installation does not include") from None


def pipeline_source() -> str:
    """``core/preprocess.py`` made free of DigitLab (its error classes defined in place)."""
    source = module_source(preprocess)
    if source.count(_CORE_IMPORT) != 1:
        raise ExportError("the image pipeline's source changed its imports; the standalone export "
                          "cannot copy it (a DigitLab bug: please report it)")
    header = (f"# DigitLab {__version__}'s image pipeline {preprocess.PIPELINE_NAME!r}, copied from "
              "digitlab/core/preprocess.py by `digitlab export`.\n")
    return header + source.replace(_CORE_IMPORT, _STANDALONE_ERRORS)


def write_standalone(model: SavedModel, out: Path, *, overwrite: bool = False) -> Path:
    """Write the folder ``out`` (created; an existing one must be empty or, with ``overwrite``,
    an earlier export). The files are written to a temporary folder first and moved in at the
    end, so a failed export leaves ``out`` as it was (a folder it created is removed again)."""
    plan = plan_export(model)
    plan.require_supported(standalone_predict.LAYERS, "the NumPy export")
    _check_target_folder(out, overwrite)
    sources = {"predict.py": module_source(standalone_predict), "mnist_style.py": pipeline_source()}
    arrays = weights_archive(plan, model)
    created = not out.exists()
    staging = None
    try:
        out.mkdir(exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
        for name, text in sources.items():
            (staging / name).write_text(text, encoding="utf-8")
        with atomic_write(staging / "weights.npz") as stream:
            np.savez(stream, **arrays)
        for name in FILES:
            os.replace(staging / name, out / name)
    except OSError as exc:
        if created:
            shutil.rmtree(out, ignore_errors=True)
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return out


def _check_target_folder(out: Path, overwrite: bool) -> None:
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file; the NumPy export writes a folder (give a new name)")
    if out.is_dir():
        present = {p.name for p in out.iterdir()}
        if present and not overwrite:
            raise ExportError(f"{out} is not empty; choose a new folder or pass --force to replace "
                              "an earlier export there")
        if present - set(FILES):
            raise ExportError(f"{out} holds other files ({', '.join(sorted(present - set(FILES))[:3])}); "
                              "the export only replaces an earlier export's files: choose a new folder")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {out}: folder {folder} does not exist")
