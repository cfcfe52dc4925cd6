"""Status texts that are always current: they describe the current model and data, or are cleared.

One rule for every status line in DigitLab. A panel's status label is owned by a
:class:`StatusText`. It shows either

- a *message* set with :meth:`StatusText.show`, naming the session changes that make it untrue
  (``until``): when one of them happens the message is dropped; or, when there is no message,
- the panel's *description* of the current state, recomputed by the ``describe`` function the
  panel gives (called again on every session change, and by :meth:`refresh`).

So "Evaluation failed" stays until the model or the data changes, instead of being overwritten
by "Ready" a moment later, and "Finished after 2 epochs" goes when another model is opened.

The changes a message can wait for:

``MODEL``   another model was opened or created (File > Open, New, the pretrained model) while
            no run is going on; the run's own updates of the model are not a change of model
``TRAINED`` the model's weights changed in any way, a running training included
``DATA``    MNIST was loaded or replaced
``RUN``     a training run started
``CONFIG``  the configuration in the Network panel changed
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from . import theme
from .session import Session

MODEL, TRAINED, DATA, RUN, CONFIG = "model", "trained", "data", "run", "config"
INFO, MUTED, ERROR, SUCCESS = "info", "muted", "error", "success"

#: what ``describe`` returns: the text, or (text, kind)
Description = str | tuple[str, str]


def style_for(kind: str) -> str:
    """The label style sheet of a kind of text, in the current palette's colours."""
    if kind == ERROR:
        return theme.colour_style(theme.error_colour())
    if kind == SUCCESS:
        return theme.colour_style(theme.success_colour())
    if kind == MUTED:
        return theme.colour_style(theme.muted_colour())
    return ""


class StatusText(QObject):
    """The one owner of a status label's text (see the module docstring for the rule)."""

    def __init__(self, label: QLabel, session: Session,
                 describe: Callable[[], Description] | None = None) -> None:
        super().__init__(label)
        self.label = label
        self.session = session
        self._describe = describe
        self._message: tuple[str, str] | None = None
        self._until: frozenset[str] = frozenset()
        # Bound methods, not lambdas: Qt drops these connections when the label (and with it
        # this object) is destroyed, so a session that lives on never calls into a dead label.
        session.model_changed.connect(self._on_model_changed)
        session.history_changed.connect(self._on_model_changed)
        session.data_changed.connect(self._on_data_changed)
        session.run_started.connect(self._on_run_started)
        session.config_changed.connect(self._on_config_changed)
        self.refresh()

    @property
    def message(self) -> str | None:
        """The message shown, or None while the label shows the description of the state."""
        return None if self._message is None else self._message[0]

    def show(self, text: str, kind: str = INFO, until: Iterable[str] = (MODEL, DATA)) -> None:
        """Show ``text`` until one of the changes in ``until`` happens (or :meth:`clear`)."""
        self._message = (text, kind)
        self._until = frozenset(until)
        self._paint(text, kind)

    def clear(self) -> None:
        """Drop the message; the label shows the description of the state again."""
        self._message = None
        self.refresh()

    def refresh(self) -> None:
        """Recompute the label from the message or the state (call when the state changed)."""
        if self._message is not None:
            self._paint(*self._message)
            return
        described = self._describe() if self._describe is not None else ""
        text, kind = (described, INFO) if isinstance(described, str) else described
        self._paint(text, kind)

    def _paint(self, text: str, kind: str) -> None:
        self.label.setStyleSheet(style_for(kind))
        self.label.setText(text)

    def _on_model_changed(self) -> None:
        self._on_change(TRAINED)
        if not self.session.is_running:
            self._on_change(MODEL)

    def _on_data_changed(self) -> None:
        self._on_change(DATA)

    def _on_run_started(self, _event: object) -> None:
        self._on_change(RUN)

    def _on_config_changed(self, _config: object) -> None:
        self._on_change(CONFIG)

    def _on_change(self, change: str) -> None:
        if self._message is not None and change in self._until:
            self._message = None
        self.refresh()
