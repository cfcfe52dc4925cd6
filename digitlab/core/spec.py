"""Declared settings: the one home of a setting's name, default, range and meaning.

An optimiser, a schedule or a block of the training configuration lists its settings as
:class:`Setting` records. Everything else derives from that list: the constructor validates
with it, the command line makes one flag per setting, the Network panel makes one control per
setting, and a model file's JSON is checked against it. A setting that is not declared is an
error wherever it appears, never silently dropped.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True)
class Setting:
    """One setting: its ``kind`` (``float``, ``int``, ``bool`` or ``str``), default and bounds.

    ``low``/``high`` bound numbers (``low_open``/``high_open`` make a bound exclusive);
    ``choices`` lists the allowed words of a ``str`` setting; ``optional`` lets ``None`` mean
    "not set" (e.g. no iteration limit). ``help`` is one sentence for tooltips and ``--help``;
    ``special`` names the lowest value in a form ("all", "no limit", "off").
    """

    name: str
    default: Any
    kind: type = float
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    choices: tuple[str, ...] = ()
    optional: bool = False
    help: str = ""
    #: a word for the lowest value in a form: ``None`` if optional, else ``low`` (e.g. "off")
    special: str = ""
    #: the name in words, where the short name needs it (``lr``: "learning rate")
    title: str = ""

    @property
    def label(self) -> str:
        """The name as words, e.g. ``min_lr`` -> ``min lr``, or the ``title``."""
        return self.title or self.name.replace("_", " ")

    def bounds_text(self) -> str:
        if self.low is None and self.high is None:
            return ""
        def number(value: float) -> str:
            return f"{value:,}" if self.kind is int else f"{value:g}"

        lo = "-inf" if self.low is None else number(self.low)
        hi = "inf" if self.high is None else number(self.high)
        return f"{'(' if self.low_open or self.low is None else '['}{lo}, {hi}" \
               f"{')' if self.high_open or self.high is None else ']'}"

    def check(self, value: Any, owner: str = "") -> Any:
        """Return ``value`` converted to the setting's kind, or raise :class:`ConfigError`."""
        what = f"{owner} {self.title} ({self.name})" if self.title else f"{owner} {self.name}"
        what = what.strip()
        if value is None:
            if self.optional:
                return None
            raise ConfigError(f"{what} must be set, got None")
        if self.kind is bool:
            if isinstance(value, bool) or type(value).__name__ == "bool_":
                return bool(value)
            raise ConfigError(f"{what} must be true or false, got {value!r}")
        if self.kind is str:
            if not isinstance(value, str) or (self.choices and value not in self.choices):
                options = f"; choose one of {', '.join(self.choices)}" if self.choices else ""
                raise ConfigError(f"{what} must be a word{options}, got {value!r}")
            return value
        whole = self.kind is int
        expected = numbers.Integral if whole else numbers.Real
        if isinstance(value, bool) or not isinstance(value, expected) or not math.isfinite(value):
            raise ConfigError(f"{what} must be {'a whole number' if whole else 'a finite number'}, "
                              f"got {value!r}")
        value = int(value) if whole else float(value)
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            raise ConfigError(f"{what} must be in {self.bounds_text()}, got {value!r}")
        if self.high is not None and (value >= self.high if self.high_open else value > self.high):
            raise ConfigError(f"{what} must be in {self.bounds_text()}, got {value!r}")
        return value


def check_settings(owner: str, declared: Iterable[Setting], given: Mapping[str, Any]) -> dict[str, Any]:
    """Every declared setting, from ``given`` or its default, validated; unknown names refused."""
    declared = tuple(declared)
    names = [s.name for s in declared]
    unknown = sorted(set(given) - set(names))
    if unknown:
        takes = f"it takes {', '.join(names)}" if names else "it takes no settings"
        raise ConfigError(f"{owner} has no setting {', '.join(map(repr, unknown))}; {takes}")
    return {s.name: s.check(given.get(s.name, s.default), owner) for s in declared}


class SettingsRecord:
    """A frozen record whose fields are exactly the class's ``SETTINGS``, validated on creation.

    Subclasses list their settings once; construction (positional in that order, or by name),
    ``replace``, ``to_dict``/``from_dict`` and equality all follow from the list.
    """

    SETTINGS: tuple[Setting, ...] = ()
    #: how messages name this record, e.g. "data"
    OWNER = ""

    def __init__(self, *args: Any, **values: Any) -> None:
        if len(args) > len(self.SETTINGS):
            raise ConfigError(f"{self.OWNER or type(self).__name__} takes at most "
                              f"{len(self.SETTINGS)} values, got {len(args)}")
        for setting, value in zip(self.SETTINGS, args, strict=False):
            if setting.name in values:
                raise ConfigError(f"{setting.name} given twice")
            values[setting.name] = value
        checked = check_settings(self.OWNER or type(self).__name__, self.SETTINGS, values)
        for key, value in checked.items():
            object.__setattr__(self, key, value)
        self._check_together()

    def _check_together(self) -> None:
        """Checks that involve several settings at once (none by default)."""

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen; use replace()")

    def replace(self, **changes: Any):  # -> Self
        return type(self)(**{**self.to_dict(), **changes})

    def to_dict(self) -> dict[str, Any]:
        return {s.name: getattr(self, s.name) for s in self.SETTINGS}

    @classmethod
    def from_dict(cls, data: Any):  # -> Self
        if not isinstance(data, Mapping):
            raise ConfigError(f"{cls.OWNER or cls.__name__} settings must be a mapping, got {data!r}")
        return cls(**data)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(s.name for s in cls.SETTINGS)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.to_dict() == self.to_dict()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), tuple(self.to_dict().items())))

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.to_dict().items())
        return f"{type(self).__name__}({inner})"
