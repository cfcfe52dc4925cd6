"""When to name no digit: the one home of the "not a digit" decision.

:func:`digitlab.core.predict.predict_network_input` asks :func:`decline_reason` for every
reading, so ``digitlab predict``, ``digitlab selftest`` and the Draw panel decline the same
drawings for the same reason. Three reasons besides a blank image (``NO_INK`` in
:mod:`.predict`):

- :data:`TOO_LITTLE_INK`: the ink spans less than :data:`MIN_EXTENT` of the drawing area (a
  dot, a speck). Needs the drawing's size, which the 28x28 network input no longer has, so the
  caller measures it (:class:`InkStats`).
- :data:`TOO_MANY_STROKES`: more than :data:`MAX_STROKES` pen strokes (hatching, a grid of
  marks). Only drawings know their strokes.
- :data:`UNLIKE_ANY_DIGIT`: the model's calibrated top probability is below the threshold
  stored in the model file (:class:`DeclineRule`). The shipped model is trained with outlier
  exposure (:mod:`.outlier_exposure`) so non-digits get low top probabilities; the threshold
  is chosen so that at most about 2% of real digits are declined (docs/handwriting.md).

A model file without a rule (written before this existed) declines only blank images and the
ink statistics; it never says "unlike any digit".

The rule belongs to the weights it was chosen for. A model trained further (``digitlab train
--init``, the app's "Fine-tune on my digits") gets a rule carried over from its parent's by
:class:`DeclineCarry`: the threshold is re-chosen so the child declines the same share of the
run's real digits as the parent did, and the child's provenance says so. So does the app's
Continue training, and the checkpoints such a run writes after each epoch carry the rule
re-chosen for the weights they hold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import ModelFileError

if TYPE_CHECKING:  # types only: serialization and predict import this module
    from .serialization import SavedModel
    from .splits import TrainingData

__all__ = ["CARRY_DIGITS", "DECLINE_METHOD", "MAX_STROKES", "MIN_EXTENT", "REASONS",
           "TOO_LITTLE_INK", "TOO_MANY_STROKES", "UNLIKE_ANY_DIGIT", "CarriedRule", "DeclineCarry",
           "DeclineRule", "InkStats", "carry_digits", "decline_reason", "describe_carried",
           "ink_reason", "top_probabilities"]

#: :attr:`Prediction.reason` for a dot or a speck
TOO_LITTLE_INK = "too little ink"
#: :attr:`Prediction.reason` for a drawing of more strokes than any digit needs
TOO_MANY_STROKES = "too many strokes"
#: :attr:`Prediction.reason` when the model is unsure beyond its stored threshold
UNLIKE_ANY_DIGIT = "unlike any digit"
#: every reason this module gives
REASONS = (TOO_LITTLE_INK, TOO_MANY_STROKES, UNLIKE_ANY_DIGIT)

#: ink spanning less than this fraction of the drawing area's longer side is a dot, not a digit
MIN_EXTENT = 0.04
#: more pen strokes than this is not one digit (the most any digit form takes is about four)
MAX_STROKES = 6
#: the only method so far: decline when the calibrated top probability is below the threshold
DECLINE_METHOD = "top-probability"


@dataclass(frozen=True)
class DeclineRule:
    """How a model declines drawings unlike any digit; stored in the model file.

    Attributes
    ----------
    method : str
        :data:`DECLINE_METHOD`: compare the calibrated top probability with ``threshold``.
    threshold : float
        In [0, 1]; a reading whose top probability is below it names no digit.
    """

    method: str
    threshold: float

    def __post_init__(self) -> None:
        if self.method != DECLINE_METHOD:
            raise ModelFileError(f"unknown decline method {self.method!r} (this DigitLab knows "
                                 f"{DECLINE_METHOD!r})")
        if not (isinstance(self.threshold, (int, float)) and math.isfinite(self.threshold)
                and 0.0 <= self.threshold <= 1.0):
            raise ModelFileError(f"the decline threshold must be a number in [0, 1], "
                                 f"got {self.threshold!r}")

    def declines(self, top: np.ndarray | float) -> np.ndarray:
        """Whether each top probability (any shape) is below the threshold: the one comparison."""
        return np.asarray(top) < self.threshold

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "threshold": float(self.threshold)}

    @classmethod
    def from_dict(cls, data: Any) -> DeclineRule:
        """The rule in a model file's metadata; one clear :class:`ModelFileError` if malformed."""
        if not isinstance(data, dict) or set(data) != {"method", "threshold"}:
            raise ModelFileError("the model's decline record must hold exactly 'method' and "
                                 "'threshold'")
        threshold = data["threshold"]
        if isinstance(threshold, bool):
            raise ModelFileError("the decline threshold must be a number in [0, 1]")
        return cls(str(data["method"]), threshold)


@dataclass(frozen=True)
class InkStats:
    """What the drawing or image says about its ink before it is scaled to 28x28.

    Attributes
    ----------
    extent : float
        Longer side of the ink's bounding box over the longer side of the drawing area (0..1).
    strokes : int or None
        Pen strokes of a drawing; ``None`` for an image.
    """

    extent: float
    strokes: int | None = None


def ink_reason(ink: InkStats | None) -> str | None:
    """:data:`TOO_LITTLE_INK`, :data:`TOO_MANY_STROKES` or ``None``, from the ink alone."""
    if ink is None:
        return None
    if ink.extent < MIN_EXTENT:
        return TOO_LITTLE_INK
    if ink.strokes is not None and ink.strokes > MAX_STROKES:
        return TOO_MANY_STROKES
    return None


def decline_reason(probabilities: np.ndarray, rule: DeclineRule | None,
                   ink: InkStats | None) -> str | None:
    """Why no digit should be named for this reading, or ``None`` to name the top digit.

    Parameters
    ----------
    probabilities : np.ndarray, shape (10,)
        The model's calibrated probabilities.
    rule : DeclineRule or None
        The model's stored rule; ``None`` (an older file) skips the model-based check.
    ink : InkStats or None
        The drawing's ink, when the caller knows it.
    """
    reason = ink_reason(ink)
    if reason is not None:
        return reason
    if rule is not None and rule.declines(float(np.max(probabilities))):
        return UNLIKE_ANY_DIGIT
    return None


#: at most this many of the run's digits are read to carry a rule over (0.02 s for the shipped
#: MLP); about 25 of the shipped run's validation digits lie below its threshold, and the few
#: digits in that tail are what the carried threshold rests on (docs/handwriting.md)
CARRY_DIGITS = 5000


def top_probabilities(model: SavedModel, images: np.ndarray, batch_size: int = 1000) -> np.ndarray:
    """The top calibrated probability the model shows for each of ``images``.

    Parameters
    ----------
    model : SavedModel
    images : np.ndarray, shape (N, 28, 28), uint8
        MNIST-style digits, ink = 255.

    Returns
    -------
    np.ndarray, shape (N,), float64
        A reading that is not a number (a diverged network) counts as 0: declined.
    """
    from .predict import model_probabilities  # predict imports this module: no cycle at load

    network = model.network
    tops = [model_probabilities(model, model.transform.apply(images[i:i + batch_size],
                                                             network.input_shape, network.dtype))
            .max(axis=1) for i in range(0, len(images), batch_size)]
    return np.nan_to_num(np.concatenate(tops).astype(np.float64), nan=0.0) if tops else np.zeros(0)


def carry_digits(data: TrainingData, limit: int = CARRY_DIGITS) -> tuple[np.ndarray, str]:
    """The real digits a rule is carried over on, and the split's name.

    The run's validation split when it has one (neither model trained on it when the parent
    used the same split), else its training split; never the test split. At most ``limit``,
    a fixed random sample, so the same call always reads the same digits.
    """
    split, name = ((data.validation, "validation") if data.validation is not None
                   and len(data.validation) else (data.train, "training"))
    images = split.images
    if len(images) > limit:
        images = images[np.sort(np.random.default_rng(0).choice(len(images), limit, replace=False))]
    return images, name


@dataclass(frozen=True, eq=False)  # arrays have no single truth value to compare
class DeclineCarry:
    """A parent's rule and the share of real digits it declines, measured before training
    changes the weights; :meth:`apply` gives the trained child its own rule from it.

    Training moves the child's probabilities, so the parent's threshold would decline another
    share of real digits (and of non-digits). The child's threshold is instead the quantile of
    its own top probabilities on the same digits at the share the parent declined there,
    clipped to [0, 1]: the same promise ("declines about this many real digits") for new
    weights.

    Attributes
    ----------
    rule : DeclineRule
        The parent's.
    images : np.ndarray, shape (N, 28, 28), uint8
        The digits both are measured on (:func:`carry_digits`).
    split : str
        Where they come from: ``"validation"`` or ``"training"``.
    declined_share : float
        The fraction of ``images`` the parent declines.
    """

    rule: DeclineRule
    images: np.ndarray
    split: str
    declined_share: float

    @classmethod
    def measure(cls, parent: SavedModel, data: TrainingData,
                limit: int = CARRY_DIGITS) -> DeclineCarry | None:
        """Measure ``parent`` (before training touches its network) on ``data``, the run's
        splits; ``None`` when the parent has no rule, so the child gets none either."""
        if parent.decline is None:
            return None
        images, split = carry_digits(data, limit)
        share = float(np.mean(parent.decline.declines(top_probabilities(parent, images))))
        return cls(parent.decline, images, split, share)

    def choose(self, child: SavedModel) -> CarriedRule:
        """The rule carried over to ``child``'s weights and the note saying how, without
        changing ``child`` (the app chooses on the worker thread and attaches the rule to the
        record it adopts on the GUI thread)."""
        top = top_probabilities(child, self.images)
        threshold = float(np.clip(np.quantile(top, self.declined_share), 0.0, 1.0))
        note = {"carried_from": float(self.rule.threshold), "declined_share": self.declined_share,
                "digits": int(len(self.images)), "split": self.split}
        return CarriedRule(DeclineRule(self.rule.method, threshold), note)

    def apply(self, child: SavedModel) -> DeclineRule:
        """Set ``child.decline`` to the carried rule and record how it was chosen.

        The record is a ``"decline"`` entry in the child's last provenance step (the run that
        made it): ``{"carried_from": parent threshold, "declined_share": s, "digits": N,
        "split": "validation"}`` (docs/model-format.md).
        """
        return self.choose(child).attach(child)


@dataclass(frozen=True)
class CarriedRule:
    """A rule re-chosen for new weights (:meth:`DeclineCarry.choose`) and its provenance note.

    Attributes
    ----------
    rule : DeclineRule
        The child's.
    note : dict
        ``{"carried_from", "declined_share", "digits", "split"}`` (docs/model-format.md).
    """

    rule: DeclineRule
    note: dict[str, Any]

    def attach(self, model: SavedModel) -> DeclineRule:
        """Make it ``model``'s rule, noted in its last provenance step (the run that made it)."""
        model.decline = self.rule
        steps = list(model.provenance) or [{"kind": "continued"}]
        model.provenance = [*steps[:-1], {**steps[-1], "decline": dict(self.note)}]
        return self.rule


#: the splits a rule is carried over on (:func:`carry_digits`)
_CARRY_SPLITS = ("validation", "training")


def describe_carried(note: Any) -> str:
    """A provenance step's ``"decline"`` note in words, for ``digitlab info``: from which
    threshold, on how many digits of which split. A malformed note (a model file comes from
    anywhere) still gives one plain line."""
    def number(key: str) -> float | None:
        value = note.get(key)
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        return float(value) if ok else None

    if isinstance(note, dict):
        parent, share, digits = number("carried_from"), number("declined_share"), number("digits")
        if (parent is not None and share is not None and digits is not None
                and note.get("split") in _CARRY_SPLITS):
            return (f"not-a-digit threshold carried over from {parent:.4f}, re-chosen to decline "
                    f"{share * 100:.2f}% of {int(digits):,} {note['split']} digits as the parent did")
        if note.get("chosen_by") == CHOSEN_BY_TOOL and share is not None:
            return (f"not-a-digit threshold chosen by {CHOSEN_BY_TOOL} to decline at most "
                    f"{share * 100:.2f}% of the drawn real digits it may use")
    return "not-a-digit threshold carried over (its record is incomplete)"


#: the tool that chooses a threshold on drawn digits and non-digits; its ``--write`` notes it
#: as ``{"chosen_by": CHOSEN_BY_TOOL, "declined_share": s}`` in the last provenance step
CHOSEN_BY_TOOL = "tools/handwriting_eval.py --choose-threshold"
