"""Registries: one name -> object table per kind (layers, optimisers, schedules, initialisers).

A class or function joins its registry with a decorator in its own module::

    @OPTIMIZERS.register
    class Lion(Optimizer):
        name = "lion"

and from then on the command line, the Network panel and model files know it by that name. So
that a new module needs no import added anywhere else, a registry imports every module of
``digitlab.core`` the first time a name is looked up (the modules are plain NumPy and cheap).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar

from .errors import ConfigError

T = TypeVar("T")

_discovered = False


def _discover() -> None:
    """Import every module of ``digitlab.core`` once, so their registrations have run."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    package = importlib.import_module(__package__)
    for module in pkgutil.iter_modules(package.__path__):
        if not module.ispkg:
            importlib.import_module(f"{__package__}.{module.name}")


class Registry(Mapping[str, T], Generic[T]):
    """Objects of one ``kind`` by name; behaves as a read-only mapping in registration order."""

    def __init__(self, kind: str, name_attribute: str = "name") -> None:
        self.kind = kind
        self._name_attribute = name_attribute
        self._entries: dict[str, T] = {}

    def register(self, obj: T | None = None, *, name: str | None = None) -> Any:
        """Add ``obj`` under ``name`` (default: its ``name_attribute`` or ``__name__``);
        usable as ``@registry.register`` or ``@registry.register(name=...)``."""
        def add(item: T) -> T:
            key = name or getattr(item, self._name_attribute, None) or item.__name__
            if key in self._entries and self._entries[key] is not item:
                raise ValueError(f"a {self.kind} named {key!r} is registered already")
            self._entries[key] = item
            return item

        return add if obj is None else add(obj)

    def get(self, name: Any, default: Any = None) -> T:  # type: ignore[override]
        """The object named ``name``; an unknown name is a :class:`ConfigError` listing the options."""
        if name not in self:
            raise ConfigError(f"unknown {self.kind} {name!r}; choose one of {', '.join(self)}")
        return self._entries[name]

    def __getitem__(self, name: str) -> T:
        _discover()
        return self._entries[name]

    def __contains__(self, name: object) -> bool:
        _discover()
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        _discover()
        return iter(list(self._entries))

    def __len__(self) -> int:
        _discover()
        return len(self._entries)

    def names(self) -> list[str]:
        return list(self)


#: layer classes (``Layer`` subclasses, activations included) by ``type_name``
LAYERS: Registry[Any] = Registry("layer type", "type_name")
#: activation layers by ``type_name`` (also in LAYERS): the choices for an activation row
ACTIVATIONS: Registry[Any] = Registry("activation", "type_name")
#: optimiser classes by ``name``
OPTIMIZERS: Registry[Any] = Registry("optimizer")
#: learning-rate schedule classes by ``name``
SCHEDULES: Registry[Any] = Registry("schedule")
#: weight initialisers: functions ``(shape, scale) -> std`` by name
INITIALIZERS: Registry[Callable[..., float]] = Registry("initialiser")

def build_layer(entry: dict[str, Any]) -> Any:
    """Make a layer from its config entry, e.g. ``{"type": "dense", "units": 50}``."""
    if not isinstance(entry, dict) or "type" not in entry:
        raise ConfigError(f"a layer entry must be a dict with a 'type', got {entry!r}")
    settings = dict(entry)
    kind = settings.pop("type")
    cls = LAYERS.get(kind)
    try:
        return cls(**settings)
    except TypeError as exc:
        raise ConfigError(f"bad settings for a {kind} layer {settings!r}: {exc}") from None
