"""What the Network panel says about its configuration: which preset it is, and what Start
will do with it given the current model. Plain functions of the model record and the next run's
configuration, so the words follow the facts and nothing else."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from ...core.config import TrainConfig
from ...core.presets import PRESETS, matching_preset
from ...core.serialization import SavedModel


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConfigStatus", text)


def preset_label(config: TrainConfig, origin: str | None, opened: Path | None,
                 merged: int = 0) -> tuple[str, str]:
    """(combo text, description): the preset by name when ``config`` equals it;
    "<origin> (modified)" after edits of preset ``origin``; "from file" when it is the
    configuration recorded in the model opened from ``opened`` (for a model of ``merged``
    networks merged into one, the first network's settings with the merged layers); else
    "custom"."""
    name = matching_preset(config)
    if name is not None:
        return name, PRESETS[name][0]
    if origin is not None:
        return (_tr("{0} (modified)").format(origin),
                _tr("Preset {0} with your changes.").format(origin))
    if opened is not None and merged:
        return (_tr("from file"),
                _tr("The opened model ({0}) is {1} networks merged into one: these are the "
                    "settings that trained the first of them, with the merged layers.").format(
                    opened.name, merged))
    if opened is not None:
        return (_tr("from file"),
                _tr("The settings that trained the opened model ({0}).").format(opened.name))
    return _tr("custom"), _tr("Your own configuration.")


def record_names() -> dict[str, str]:
    """The configuration's records in words."""
    return {"network": _tr("layers"), "optimizer": _tr("optimiser"), "schedule": _tr("schedule"),
            "data": _tr("data"), "augment": _tr("augmentation"), "run": _tr("run")}


def describe_next_run(model: SavedModel | None, config: TrainConfig, can_continue: bool) -> str:
    """One sentence on what the next run does with ``config`` and the current ``model``."""
    if model is None or (model.config is None and not model.history):
        return _tr("Start trains a new network with these settings.")
    if not can_continue:
        return _tr("The layers differ from the current model's: Start trains a new network.")
    if model.config is None:
        return _tr("The current model does not record its training settings. Start trains a new "
                   "network; Continue trains the model with these settings.")
    trained = model.config.to_dict()
    changed = [name for name, record in config.to_dict().items() if record != trained[name]]
    if changed:
        return _tr("The next run differs from the current model's training ({0}). Start trains a "
                   "new network; Continue trains the model with these settings.").format(
            ", ".join(record_names()[name] for name in changed))
    if model.merged_members:
        return _tr("The current model is {0} networks merged into one: Continue training trains "
                   "the merged network further with these settings (a new run, as its own "
                   "networks' runs are finished); Start trains a new network.").format(
            len(model.merged_members))
    if model.resume is not None and model.resume.unfinished:
        return _tr("These are the current model's own settings and its run was stopped: Continue "
                   "training goes on exactly where it stopped; Start trains a new network.")
    return _tr("These are the current model's own settings: Continue training trains it for more "
               "epochs (with the same batch order and random numbers it would have had); Start "
               "trains a new network.")
