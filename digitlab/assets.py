"""Where the files DigitLab ships (icons, the pretrained model, translations) are."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resource_path(name: str) -> Path | None:
    """Path of a shipped resource, or None if it is not there.

    Installed, the top-level ``resources/`` folder is the package ``digitlab.resources``; in a
    source checkout that is not installed it is simply the folder beside ``digitlab/``.
    """
    try:
        candidate = Path(str(resources.files("digitlab.resources") / name))
    except ModuleNotFoundError:
        candidate = Path(__file__).resolve().parent.parent / "resources" / name
    return candidate if candidate.exists() else None


def pretrained_model_path() -> Path | None:
    """The model trained by the project's own CLI and shipped for the Draw panel."""
    return resource_path("pretrained.npz")
