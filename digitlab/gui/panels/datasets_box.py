"""The Data panel's "Your own data sets" box: import, list and remove named data sets, pick
what the next run trains on (MNIST, a set, MNIST + a set) and evaluate the model on a set."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QWidget,
)

from ... import paths
from ...core.datasets import JOIN, MNIST_NAME, DataSetInfo, list_datasets, load_dataset, remove_dataset
from ...core.errors import DataError
from ...core.evaluation import evaluate
from ...dataset_import import import_dataset
from .. import theme
from ..jobs import Job, Work
from ..session import Session


class DataSetsBox(QGroupBox):
    """Named data sets in the user data folder (``digitlab data``'s, the same files)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Your own data sets"))
        self.setObjectName("dataSetsBox")
        self.session = session
        self._job: Job | None = None
        self._dialog: QFileDialog | None = None
        self.infos: list[DataSetInfo] = []

        self.list = QListWidget(self)
        self.list.setObjectName("dataSetList")
        self.list.setMaximumHeight(110)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("dataSetNameEdit")
        self.name_edit.setPlaceholderText(self.tr("name for the import, e.g. my_scans"))
        self.import_folder_button = QPushButton(self.tr("Import folder…"), self)
        self.import_folder_button.setObjectName("importDataSetFolderButton")
        self.import_folder_button.setToolTip(self.tr(
            "A folder with one subfolder per digit (0 to 9) holding images of any size, or a "
            "folder of IDX files in MNIST layout (EMNIST digits…); images are prepared like "
            "drawings"))
        self.import_file_button = QPushButton(self.tr("Import .npz…"), self)
        self.import_file_button.setObjectName("importDataSetFileButton")
        self.import_file_button.setToolTip(self.tr(
            "An .npz with x_train (N, 28, 28) uint8 and y_train digits, and x_test, y_test if it "
            "has a test split"))
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setObjectName("removeDataSetButton")
        self.train_on = QComboBox(self)
        self.train_on.setObjectName("trainOnCombo")
        self.train_on.setToolTip(self.tr("What the next training run learns from"))
        self.evaluate_button = QPushButton(self.tr("Evaluate the model on it"), self)
        self.evaluate_button.setObjectName("evaluateDataSetButton")
        self.evaluate_button.setToolTip(self.tr("Accuracy of the current model on the selected "
                                                "data set's test images"))
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("dataSetStatusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        grid = QGridLayout(self)
        grid.addWidget(self.list, 0, 0, 1, 4)
        grid.addWidget(self.name_edit, 1, 0)
        grid.addWidget(self.import_folder_button, 1, 1)
        grid.addWidget(self.import_file_button, 1, 2)
        grid.addWidget(self.remove_button, 1, 3)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Train on:"), self))
        row.addWidget(self.train_on, 1)
        row.addWidget(self.evaluate_button)
        grid.addLayout(row, 2, 0, 1, 4)
        busy = QHBoxLayout()
        busy.addWidget(self.progress, 1)
        busy.addWidget(self.cancel_button)
        grid.addLayout(busy, 3, 0, 1, 4)
        grid.addWidget(self.status_label, 4, 0, 1, 4)

        self.import_folder_button.clicked.connect(self._choose_folder)
        self.import_file_button.clicked.connect(self._choose_file)
        self.remove_button.clicked.connect(self.remove_selected)
        self.evaluate_button.clicked.connect(self.evaluate_selected)
        self.cancel_button.clicked.connect(self._cancel)
        self.train_on.currentIndexChanged.connect(self._on_train_on_changed)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self._show_busy(False)
        self.refresh()

    # -- the list and the choice -------------------------------------------------------------
    def refresh(self) -> None:
        """Read the data sets folder again and rebuild the list and the "Train on" choices."""
        self.infos = list_datasets(paths.datasets_dir())
        selected = self.selected_name()
        self.list.clear()
        for info in self.infos:
            text = (self.tr("{0}: unreadable ({1})").format(info.name, info.problem) if info.problem
                    else self.tr("{0}: {1:,} training and {2:,} test images").format(
                        info.name, info.train, info.test))
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, info.name)
            if info.name == selected:
                self.list.setCurrentItem(item)
        choice = self.session.train_on
        self.train_on.blockSignals(True)
        self.train_on.clear()
        self.train_on.addItem(self.tr("MNIST"), MNIST_NAME)
        for info in self.infos:
            if not info.problem:
                self.train_on.addItem(info.name, info.name)
                self.train_on.addItem(self.tr("MNIST + {0}").format(info.name),
                                      f"{MNIST_NAME}{JOIN}{info.name}")
        index = self.train_on.findData(choice)
        self.train_on.setCurrentIndex(max(index, 0))
        self.train_on.blockSignals(False)
        self._on_train_on_changed()
        self._update_buttons()

    def selected_name(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def choose_training_data(self, choice: str) -> bool:
        """Select ``choice`` ("mnist", "NAME", "mnist+NAME") in the "Train on" list."""
        index = self.train_on.findData(choice)
        if index >= 0:
            self.train_on.setCurrentIndex(index)
        return index >= 0

    def _on_train_on_changed(self, *_args) -> None:
        self.session.train_on = self.train_on.currentData() or MNIST_NAME

    def _update_buttons(self) -> None:
        idle = self._job is None
        has_selection = self.selected_name() is not None
        for button in (self.import_folder_button, self.import_file_button):
            button.setEnabled(idle)
        self.remove_button.setEnabled(idle and has_selection)
        self.evaluate_button.setEnabled(idle and has_selection)

    def _say(self, text: str, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(theme.colour_style(theme.error_colour()) if error else "")

    # -- background work ---------------------------------------------------------------------
    def _run(self, work: Work, name: str, on_success: Callable[[Any], None]) -> None:
        job = Job(work, name)
        job.progressed.connect(self._on_progress)
        job.result_ready.connect(on_success)
        job.failed.connect(lambda message: self._say(message, error=True))
        job.cancelled.connect(lambda: self._say(self.tr("Cancelled; nothing was written.")))
        job.finished.connect(self._on_job_finished)
        self._job = job
        self._show_busy(True)
        self._update_buttons()
        job.start()

    def _on_job_finished(self) -> None:
        self._job = None
        self._show_busy(False)
        self._update_buttons()

    def _show_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.progress.setValue(0)

    def _on_progress(self, fraction: float | None, text: str) -> None:
        if fraction is not None:
            self.progress.setValue(round(fraction * 1000))
        if text:
            self.status_label.setText(text)

    def _cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()

    @property
    def is_busy(self) -> bool:
        return self._job is not None

    # -- import, remove, evaluate ------------------------------------------------------------
    def _choose_folder(self) -> None:
        dialog = QFileDialog(self, self.tr("Folder of digit subfolders (0-9) or IDX files"))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        self._open(dialog)

    def _choose_file(self) -> None:
        dialog = QFileDialog(self, self.tr("Labelled digits (.npz)"), "",
                             self.tr("NumPy archives (*.npz);;All files (*)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        self._open(dialog)

    def _open(self, dialog: QFileDialog) -> None:
        dialog.fileSelected.connect(lambda path: self.import_from(path, self.name_edit.text()))
        self._dialog = dialog
        dialog.open()  # never block the event loop

    def import_from(self, source: str | Path, name: str) -> bool:
        """Import ``source`` as the data set ``name`` on a worker thread; False if busy."""
        if self.is_busy:
            return False
        name = name.strip() or Path(source).stem
        store = paths.datasets_dir()

        def work(progress, should_cancel):
            return import_dataset(source, name, store, progress=progress, should_cancel=should_cancel)

        self._say(self.tr("Importing {0} as {1}…").format(source, name))
        self._run(work, "dataset-import", self._on_imported)
        return True

    def _on_imported(self, result: tuple) -> None:
        data, skipped = result
        self.refresh()
        text = self.tr("Imported {0}: {1:,} training and {2:,} test images.").format(
            data.name, data.num_train, data.num_test)
        if skipped:
            text += " " + self.tr("Skipped {0:,} files that are not images.").format(skipped)
        self._say(text)

    def remove_selected(self) -> None:
        name = self.selected_name()
        if name is None or self.is_busy:
            return
        try:
            remove_dataset(paths.datasets_dir(), name)
        except DataError as exc:
            self._say(str(exc), error=True)
            return
        self.refresh()
        self._say(self.tr("Removed {0}.").format(name))

    def evaluate_selected(self) -> bool:
        """Evaluate the current model on the selected set's test split (worker thread)."""
        name, model = self.selected_name(), self.session.current_model()
        if name is None or self.is_busy:
            return False
        if model is None:
            self._say(self.tr("There is no model to evaluate yet."), error=True)
            return False
        network, transform = model.network.copy(), model.transform
        temperature = model.calibration.temperature if model.calibration else None
        store = paths.datasets_dir()

        def work(progress, should_cancel):
            data = load_dataset(store, name)
            result = evaluate(network, transform, data.test_images, data.test_labels,
                              on_progress=progress, should_stop=should_cancel,
                              temperature=temperature)
            return name, data.num_test, result.accuracy

        self._run(work, "dataset-evaluate", self._on_evaluated)
        return True

    def _on_evaluated(self, result: tuple) -> None:
        name, count, accuracy = result
        self._say(self.tr("Accuracy on {0}'s {1:,} test images: {2:.1%}").format(name, count, accuracy))
