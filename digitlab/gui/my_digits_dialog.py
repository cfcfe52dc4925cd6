""""My digits": keep drawings with their true labels, browse them, and fine-tune on them.

The Draw panel's "Add to my digits" button carries the menu made by :func:`my_digits_menu`
(one entry per digit, typed or clicked); its last entry opens :class:`MyDigitsDialog`, which
shows the digits, relabels and deletes them, and fine-tunes the current model for a few
seconds on MNIST plus them through the session's normal training path. The accuracy on the
held-out part of the digits (never trained on) is shown before and after. A model with a
"not a digit" rule keeps one, re-chosen for the fine-tuned weights by the session's training
path (:class:`~digitlab.core.decline.DeclineCarry`, as for any continued run); the result
says what the threshold became.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .. import paths
from ..core.errors import DigitLabError
from ..core.my_digits import (
    FINE_TUNE_ITERATIONS,
    MyDigits,
    accuracy_on,
    fine_tune_config,
    fine_tune_data,
    held_out,
    load_my_digits,
    save_my_digits,
)
from ..core.serialization import SavedModel
from . import theme
from .jobs import Job
from .session import IDLE, Session

_ICON_SIDE = 56


def _tr(text: str) -> str:
    return QCoreApplication.translate("MyDigits", text)


def add_my_digit(image: np.ndarray | None, label: int, path: Path | None = None) -> str:
    """Append ``image`` (the 28x28 network input) with ``label`` to the file; a status line.

    Raises
    ------
    DigitLabError
        The canvas is empty, the file is damaged or cannot be written (it is left as it was).
    """
    if image is None:
        raise DigitLabError(_tr("Draw a digit first."))
    path = path or paths.my_digits_path()
    digits = load_my_digits(path)
    digits.add(image, label)
    save_my_digits(path, digits)
    return _tr("Added to my digits as {0} ({1} digits kept).").format(label, len(digits))


def my_digits_menu(parent: QWidget, session: Session, current_input: Callable[[], np.ndarray | None],
                   show_message: Callable[[str, bool], None]) -> QMenu:
    """The "Add to my digits" menu: "&0" ... "&9" (type the digit or click it), then the browser."""
    menu = QMenu(parent)
    menu.setObjectName("myDigitsMenu")
    for digit in range(10):
        action = menu.addAction(_tr("It is a &{0}").format(digit))
        action.setObjectName(f"addMyDigit{digit}")
        action.triggered.connect(lambda _checked=False, d=digit: _add(d))
    menu.addSeparator()
    browse = menu.addAction(_tr("Browse and fine-tune…"))
    browse.setObjectName("browseMyDigits")
    browse.triggered.connect(lambda: open_my_digits_dialog(parent, session))

    def _add(digit: int) -> None:
        try:
            show_message(add_my_digit(current_input(), digit), False)
        except DigitLabError as exc:
            show_message(str(exc), True)

    return menu


def open_my_digits_dialog(parent: QWidget, session: Session) -> MyDigitsDialog:
    """Show the browser (one per parent: opening it again brings it back up to date)."""
    dialog = parent.findChild(MyDigitsDialog)
    if dialog is None:
        dialog = MyDigitsDialog(session, parent)
    dialog.reload()
    dialog.show()
    dialog.raise_()
    return dialog


def _icon(image: np.ndarray) -> QIcon:
    grey = np.ascontiguousarray(image, dtype=np.uint8)
    qimage = QImage(grey.data, 28, 28, 28, QImage.Format.Format_Grayscale8).copy()
    return QIcon(QPixmap.fromImage(qimage).scaled(_ICON_SIDE, _ICON_SIDE))


class MyDigitsDialog(QDialog):
    """Browse, relabel and delete the user's digits, and fine-tune the model on them."""

    def __init__(self, session: Session, parent: QWidget | None = None,
                 path: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("myDigitsDialog")
        self.setWindowTitle(self.tr("My digits"))
        self.session = session
        self.path = path or paths.my_digits_path()
        self.digits = MyDigits()
        self._fine_tuning = False
        self._previous_config = None
        #: (before, after) accuracy on the held-out digits of the last fine-tuning
        self.last_result: tuple[float | None, float | None] | None = None
        self._before: float | None = None
        self._measure = None
        self._job: Job | None = None

        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("myDigitsSummary")
        self.summary_label.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("myDigitsList")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(_ICON_SIDE, _ICON_SIDE))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.setMinimumSize(420, 260)
        self.label_choice = QComboBox(self)
        self.label_choice.setObjectName("myDigitsLabelChoice")
        self.label_choice.addItems([str(d) for d in range(10)])
        self.relabel_button = QPushButton(self.tr("Relabel as"), self)
        self.relabel_button.setObjectName("myDigitsRelabelButton")
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.setObjectName("myDigitsDeleteButton")
        self.fine_tune_button = QPushButton(self.tr("Fine-tune on my digits"), self)
        self.fine_tune_button.setObjectName("fineTuneButton")
        self.fine_tune_button.setToolTip(self.tr(
            "Train the current model for {0} updates on MNIST plus your digits (repeated so "
            "they count), then compare its accuracy on the digits kept aside").format(
                FINE_TUNE_ITERATIONS))
        self.result_label = QLabel(self)
        self.result_label.setObjectName("fineTuneResultLabel")
        self.result_label.setWordWrap(True)

        edit = QHBoxLayout()
        edit.addWidget(self.relabel_button)
        edit.addWidget(self.label_choice)
        edit.addWidget(self.delete_button)
        edit.addStretch(1)
        edit.addWidget(self.fine_tune_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.list, 1)
        layout.addLayout(edit)
        layout.addWidget(self.result_label)

        self.relabel_button.clicked.connect(lambda: self.relabel_selected(self.label_choice.currentIndex()))
        self.delete_button.clicked.connect(self.delete_selected)
        self.fine_tune_button.clicked.connect(self.fine_tune)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        session.state_changed.connect(self._on_state_changed)
        session.run_failed.connect(self._on_run_failed)

    # -- the digits --------------------------------------------------------------------------
    def reload(self) -> None:
        try:
            self.digits = load_my_digits(self.path)
        except DigitLabError as exc:
            self.digits = MyDigits()
            self._say(str(exc), error=True)
        self._show_digits()

    def _show_digits(self, keep: list[int] | None = None) -> None:
        self.list.clear()
        held = self.digits.held_out_mask() if len(self.digits) else np.zeros(0, bool)
        for index, (image, label) in enumerate(zip(self.digits.images, self.digits.labels, strict=True)):
            item = QListWidgetItem(_icon(image), str(int(label)), self.list)
            item.setData(Qt.ItemDataRole.UserRole, index)
            if held[index]:  # shown apart: these are what the before/after accuracy is measured on
                item.setToolTip(self.tr("Kept aside to measure fine-tuning"))
                item.setForeground(theme.muted_colour())
                font = item.font()
                font.setItalic(True)
                item.setFont(font)
            if keep and index in keep:
                item.setSelected(True)
        self.summary_label.setText(self.tr(
            "{0} digits drawn by you; {1} of them (labels in grey italics) are kept aside, never "
            "trained on, to measure fine-tuning. Select digits to relabel or delete them.").format(
                len(self.digits), int(held.sum())))
        self._update_buttons()

    def selected_indices(self) -> list[int]:
        return sorted(item.data(Qt.ItemDataRole.UserRole) for item in self.list.selectedItems())

    def relabel_selected(self, label: int) -> None:
        indices = self.selected_indices()
        for index in indices:
            self.digits.relabel(index, label)
        self._save(keep=indices)

    def delete_selected(self) -> None:
        self.digits.delete(self.selected_indices())
        self._save()

    def _save(self, keep: list[int] | None = None) -> None:
        try:
            save_my_digits(self.path, self.digits)
        except DigitLabError as exc:
            self._say(str(exc), error=True)
            self.reload()  # show what the file really holds
            return
        self._show_digits(keep)

    def _update_buttons(self) -> None:
        selected = bool(self.list.selectedItems())
        idle = not self._fine_tuning and self.session.state == IDLE
        self.relabel_button.setEnabled(selected)
        self.delete_button.setEnabled(selected and idle)
        self.fine_tune_button.setEnabled(idle and len(self.digits) >= 2)

    def _say(self, text: str, error: bool = False) -> None:
        self.result_label.setText(text)
        self.result_label.setStyleSheet(theme.colour_style(theme.error_colour()) if error else "")

    # -- fine-tuning -------------------------------------------------------------------------
    def fine_tune(self) -> bool:
        """Start a short run on MNIST + the digits (worker thread); False if it cannot start."""
        model, mnist = self.session.current_model(), self.session.data
        if model is None:
            self._say(self.tr("There is no model to fine-tune: train or open one first."), error=True)
            return False
        if mnist is None:
            self._say(self.tr("Fine-tuning also shows the network MNIST, so it is not forgotten: "
                              "load MNIST in the Data panel first."), error=True)
            return False
        digits = MyDigits(self.digits.images.copy(), self.digits.labels.copy())
        try:
            measure = held_out(digits)
            config = fine_tune_config(model.config or self.session.config)
        except DigitLabError as exc:
            self._say(str(exc), error=True)
            return False
        network, transform = model.network.copy(), model.transform

        def data():  # on the worker thread: measuring and joining with MNIST take a moment
            self._before = accuracy_on(network, transform, measure)
            return fine_tune_data(mnist, digits)

        self._previous_config, self._measure, self._before = self.session.config, measure, None
        try:
            self.session.start_training(config, continue_training=True, data=data,
                                       keep_optimizer_state=False)
        except DigitLabError as exc:
            self.session.set_config(self._previous_config)
            self._say(str(exc), error=True)
            return False
        self._fine_tuning = True
        self._say(self.tr("Fine-tuning on MNIST and {0} of your digits…").format(
            len(digits) - len(measure)))
        self._update_buttons()
        return True

    def _on_run_failed(self, message: str) -> None:
        if self._fine_tuning:
            self._measure = None  # nothing to compare: the model was not changed
            self._say(self.tr("Fine-tuning failed: {0}").format(message), error=True)

    def _on_state_changed(self, state: str) -> None:
        if state == IDLE and self._fine_tuning:
            self._fine_tuning = False
            self.session.set_config(self._previous_config)  # the Network panel's settings stay
            self._measure_after()
        self._update_buttons()

    def _measure_after(self) -> None:
        model, measure = self.session.current_model(), self._measure
        if model is None or measure is None:
            return
        # A private copy of the weights: the worker thread never touches the session's model.
        network, transform = model.network.copy(), model.transform

        def work(_progress, _cancelled) -> float | None:
            return accuracy_on(network, transform, measure)

        self._job = Job(work, "my-digits-measure")
        self._job.result_ready.connect(lambda after: self._show_result(model, after))
        self._job.failed.connect(lambda message: self._say(message, error=True))
        self._job.start()

    def _show_result(self, model: SavedModel, after: float | None) -> None:
        self._job = None
        self.last_result = (self._before, after)
        kept = ""
        # The session adopted the fine-tuned model with its own rule, noted in the run's step.
        note = model.provenance[-1].get("decline") if model.provenance else None
        if model.decline is not None and isinstance(note, dict) and "carried_from" in note:
            kept = " " + self.tr("Its threshold for declining non-digits is now {0:.3f} (it was "
                                 "{1:.3f}), so it declines as many real digits as before.").format(
                                     model.decline.threshold, note["carried_from"])
        if self._before is None or after is None:
            self._say(self.tr("Fine-tuning ended before it could be measured.") + kept)
            return
        self._say(self.tr("Accuracy on your {0} held-out digits: {1:.0%} before, {2:.0%} after "
                          "fine-tuning. Save the model to keep it.").format(
                              len(self._measure), self._before, after) + kept)
