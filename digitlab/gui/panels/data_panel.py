"""Where MNIST is and how to get it: status, download with progress, import, sample digits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ... import paths
from ...core.data import HOW_TO_GET_MNIST, MNIST_FILE_NAMES, NPZ_FILE_NAME, find_mnist_files
from ...core.errors import DataError
from ...download import (
    DEFAULT_MIRRORS,
    IMPORT_HINT,
    MNIST_FILES,
    DownloadProgress,
    PublishedFile,
    download_mnist,
    import_mnist,
    total_bytes,
)
from .. import theme
from ..jobs import Job, Work
from ..session import Session
from ..widgets.image_grid import ImageGrid
from .datasets_box import DataSetsBox

#: sample digits shown per class
SAMPLES_PER_DIGIT = 12



def _tr(text: str) -> str:
    return QCoreApplication.translate("DataPanel", text)


def without_command_line_hints(message: str) -> str:
    """``message`` without the advice meant for the command line (``digitlab download``, ``--data``).

    The core's and the downloader's errors end with what to type in a terminal; in the app the
    panel's own buttons are the way, and it says so itself.
    """
    for hint in (IMPORT_HINT, HOW_TO_GET_MNIST):
        message = message.replace(hint, "")
    return "\n".join(line.rstrip() for line in message.strip().splitlines() if line.strip())


def megabytes(count: float) -> str:
    return _tr("{0:.1f} MB").format(count / 1e6)


def duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds >= 60:
        return _tr("{0} min {1:02d} s").format(seconds // 60, seconds % 60)
    return _tr("{0} s").format(seconds)


def describe_download(report: DownloadProgress) -> str:
    """One line: bytes done of total, speed, time left, file (called on the download's thread)."""
    parts = [_tr("{0} of {1}").format(megabytes(report.bytes_done), megabytes(report.bytes_total))]
    if report.bytes_per_second > 0:
        parts.append(_tr("{0}/s").format(megabytes(report.bytes_per_second)))
    if report.eta_seconds is not None:
        parts.append(_tr("about {0} left").format(duration(report.eta_seconds)))
    parts.append(report.file_name)
    return " · ".join(parts)


class DataPanel(QWidget):
    """MNIST: where it is, whether it is complete, how to get it, and what it looks like.

    ``mirrors`` and ``files`` are passed to :func:`digitlab.download.download_mnist`; tests point
    them at a local server.
    """

    def __init__(self, session: Session, parent: QWidget | None = None, *,
                 mirrors: Sequence[str] = DEFAULT_MIRRORS,
                 files: Sequence[PublishedFile] = MNIST_FILES) -> None:
        super().__init__(parent)
        self.setObjectName("dataPanel")
        self.session = session
        self.mirrors = tuple(mirrors)
        self.files = tuple(files)
        self._job: Job | None = None
        self._dialog: QFileDialog | None = None
        #: the folder shown while no data is loaded
        self.folder: Path = session.data_dir or paths.resolve_data_dir()

        title = QLabel(self.tr("MNIST handwritten digits"), self)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        self.folder_label = QLabel(self)
        self.folder_label.setObjectName("dataFolderLabel")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("dataStatusLabel")
        self.status_label.setWordWrap(True)
        self.help_label = QLabel(self)
        self.help_label.setObjectName("dataHelpLabel")
        self.help_label.setWordWrap(True)
        self.help_label.setTextFormat(Qt.TextFormat.RichText)
        self.help_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.help_label.setMargin(8)

        #: what Download fetches, in bytes: the button and the help text both show it
        self.download_bytes = total_bytes(self.files)
        self.download_button = QPushButton(
            self.tr("Download MNIST ({0})").format(megabytes(self.download_bytes)), self)
        self.download_button.setObjectName("downloadButton")
        self.download_button.setToolTip(self.tr(
            "Fetch the four MNIST files from the public mirrors into {0}; each file's checksum "
            "is verified").format(paths.mnist_cache_dir()))
        self.import_button = QPushButton(self.tr("Import local files…"), self)
        self.import_button.setObjectName("importButton")
        self.import_button.setToolTip(self.tr(
            "Copy MNIST files you already have (a folder of IDX files, or mnist.npz) into "
            "DigitLab's data folder"))
        menu = QMenu(self.import_button)
        menu.addAction(self.tr("A folder of IDX files…"), self._choose_import_folder)
        menu.addAction(self.tr("An mnist.npz file…"), self._choose_import_npz)
        self.import_button.setMenu(menu)
        self.choose_button = QPushButton(self.tr("Choose folder…"), self)
        self.choose_button.setObjectName("chooseFolderButton")
        self.choose_button.setToolTip(self.tr("Use MNIST files from another folder, without copying"))

        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("downloadProgress")
        self.progress_bar.setRange(0, 1000)
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("downloadProgressLabel")
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setToolTip(self.tr("Stop the download; files already verified are kept"))
        self.error_label = QLabel(self)
        self.error_label.setObjectName("dataErrorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet(theme.colour_style(theme.error_colour()))

        self.samples_title = QLabel(self)
        self.samples = ImageGrid(self)
        self.samples.setObjectName("sampleGrid")
        self.samples.setMinimumSize(300, 260)

        #: the user's own named data sets and the choice of training data
        self.datasets = DataSetsBox(session, self)
        self._build_layout(title)

        self.download_button.clicked.connect(self.start_download)
        self.cancel_button.clicked.connect(self.cancel_download)
        self.choose_button.clicked.connect(self._choose_folder)
        session.data_changed.connect(self._on_data_changed)
        self._show_progress(False)
        self.error_label.hide()
        self._on_data_changed()

    def _build_layout(self, title: QLabel) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.download_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.choose_button)
        buttons.addStretch(1)
        progress = QHBoxLayout()
        progress.addWidget(self.progress_bar, 2)
        progress.addWidget(self.progress_label, 2)
        progress.addWidget(self.cancel_button)

        info = QGridLayout()
        info.addWidget(QLabel(self.tr("Folder:"), self), 0, 0, Qt.AlignmentFlag.AlignTop)
        info.addWidget(self.folder_label, 0, 1)
        info.addWidget(QLabel(self.tr("Status:"), self), 1, 0, Qt.AlignmentFlag.AlignTop)
        info.addWidget(self.status_label, 1, 1)
        info.setColumnStretch(1, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(info)
        layout.addWidget(self.help_label)
        layout.addLayout(buttons)
        layout.addLayout(progress)
        layout.addWidget(self.error_label)
        layout.addWidget(self.samples_title)
        layout.addWidget(self.samples, 1)
        layout.addWidget(self.datasets)
        layout.addStretch(0)

    # -- status ------------------------------------------------------------------------------
    def _on_data_changed(self) -> None:
        data = self.session.data
        if self.session.data_dir is not None:
            self.folder = self.session.data_dir
        self.folder_label.setText(str(self.folder))
        if data is not None:
            self.status_label.setText(self.tr(
                "✔ Loaded: {0:,} training and {1:,} test images (28x28 grey, labels 0-9).")
                .format(data.num_train, data.num_test))
            self.status_label.setStyleSheet(theme.colour_style(theme.success_colour()))
            self.help_label.hide()
            self.error_label.hide()  # an error about getting the data is no longer true
            self._show_samples()
        else:
            self.status_label.setText(self._describe_folder(self.folder))
            self.status_label.setStyleSheet("")
            self.help_label.setText(self._how_to_get_mnist())
            self.help_label.show()
            self.samples.clear_images()
            self.samples.hide()
            self.samples_title.setText(self.tr("Sample digits appear here once MNIST is loaded."))
        self._update_buttons()

    def _describe_folder(self, folder: Path) -> str:
        found = find_mnist_files(folder)
        if not folder.is_dir():
            return self.tr("✘ Not found: this folder does not exist yet.")
        if found is None:
            return self.tr("✘ Not found: the folder holds no MNIST files.")
        missing = [names[0] + "[.gz]" for role, names in MNIST_FILE_NAMES.items() if found[role] is None]
        if missing:
            return self.tr("✘ Incomplete: missing {0}.").format(", ".join(missing))
        return self.tr("The MNIST files are there but not loaded.")

    def _how_to_get_mnist(self) -> str:
        return self.tr(
            "<b>DigitLab trains and evaluates on MNIST</b>, 70,000 handwritten digits ({1} to download)."
            " Drawing already works with the pretrained model. To get MNIST:<ul>"
            "<li><b>Download</b> fetches it from the public mirrors and checks every file.</li>"
            "<li><b>Import local files…</b> copies files you already have: a folder with "
            "<tt>train-images-idx3-ubyte.gz</tt>, <tt>train-labels-idx1-ubyte.gz</tt>, "
            "<tt>t10k-images-idx3-ubyte.gz</tt> and <tt>t10k-labels-idx1-ubyte.gz</tt> "
            "(or unpacked), or a Keras <tt>{0}</tt>.</li>"
            "<li><b>Choose folder…</b> uses such a folder where it is.</li></ul>"
            "Without internet, copy those files from another computer and import them.").format(
                NPZ_FILE_NAME, megabytes(self.download_bytes))

    def _show_samples(self) -> None:
        data = self.session.data
        assert data is not None
        tiles, labels = [], []
        for digit in range(10):
            indices = np.flatnonzero(data.train_labels == digit)[:SAMPLES_PER_DIGIT]
            row = np.zeros((SAMPLES_PER_DIGIT, 28, 28), np.float32)
            row[:len(indices)] = data.train_images[indices] / 255.0
            tiles.append(row)
            labels.append(str(digit))
        self.samples.show()
        self.samples.set_images(np.concatenate(tiles), SAMPLES_PER_DIGIT, levels=(0.0, 1.0),
                                row_labels=labels)
        self.samples_title.setText(self.tr("The first {0} training images of each digit:")
                                   .format(SAMPLES_PER_DIGIT))

    # -- background jobs ---------------------------------------------------------------------
    @property
    def is_busy(self) -> bool:
        return self._job is not None

    def _run(self, work: Work, name: str, on_success: Callable[[Any], None], progress: bool) -> None:
        job = Job(work, name)
        job.progressed.connect(self._on_progress)
        job.result_ready.connect(on_success)
        job.cancelled.connect(self._on_cancelled)
        job.failed.connect(self._on_failed)
        job.finished.connect(self._on_job_finished)
        self._job = job
        self.error_label.hide()
        self._show_progress(True, cancellable=progress)
        self._update_buttons()
        job.start()

    def _on_job_finished(self) -> None:
        self._job = None
        self._show_progress(False)
        self._update_buttons()

    def _show_progress(self, visible: bool, cancellable: bool = True) -> None:
        self.progress_bar.setVisible(visible)
        self.progress_label.setVisible(visible)
        self.cancel_button.setVisible(visible and cancellable)
        self.cancel_button.setEnabled(True)
        if visible:
            self.progress_bar.setValue(0)
            self.progress_label.setText(self.tr("Starting…"))
            if not cancellable:
                self.progress_bar.setRange(0, 0)  # busy: importing has no byte count
            else:
                self.progress_bar.setRange(0, 1000)

    def _update_buttons(self) -> None:
        idle = not self.is_busy
        for button in (self.download_button, self.import_button, self.choose_button):
            button.setEnabled(idle)

    def _on_progress(self, fraction: float | None, text: str) -> None:
        if fraction is not None:
            self.progress_bar.setValue(round(fraction * 1000))
        if text:
            self.progress_label.setText(text)

    def _on_cancelled(self) -> None:
        self._show_error(self.tr("Download cancelled. Files already verified are kept; "
                                 "Download again to fetch the rest."))

    def _on_failed(self, message: str) -> None:
        self._show_error(without_command_line_hints(message) + "\n" + self.tr(
            "In DigitLab, use Import local files… to copy MNIST files you already have."))

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    # -- download ----------------------------------------------------------------------------
    def start_download(self) -> bool:
        """Download MNIST into the user's cache folder on a worker thread, then load it."""
        if self.is_busy:
            return False
        dest = paths.mnist_cache_dir()
        mirrors, files = self.mirrors, self.files

        def work(progress, should_cancel) -> Path:
            return download_mnist(
                dest, mirrors=mirrors, files=files, should_cancel=should_cancel,
                progress=lambda report: progress(report.fraction, describe_download(report)))

        self._run(work, "download", self._on_downloaded, progress=True)
        return True

    def cancel_download(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText(self.tr("Cancelling…"))

    def _on_downloaded(self, folder: Path) -> None:
        self.load_folder(folder)

    # -- import and folders ------------------------------------------------------------------
    def _open_dialog(self, dialog: QFileDialog, slot: Callable[[str], None]) -> None:
        dialog.fileSelected.connect(slot)
        self._dialog = dialog
        dialog.open()  # not exec(): never block the event loop

    def _choose_folder(self) -> None:
        dialog = QFileDialog(self, self.tr("Folder holding the MNIST files"), str(self.folder))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        self._open_dialog(dialog, self.load_folder)

    def _choose_import_folder(self) -> None:
        dialog = QFileDialog(self, self.tr("Folder of MNIST IDX files to import"))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        self._open_dialog(dialog, self.import_from)

    def _choose_import_npz(self) -> None:
        dialog = QFileDialog(self, self.tr("mnist.npz file to import"), "",
                             self.tr("NumPy archives (*.npz);;All files (*)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        self._open_dialog(dialog, self.import_from)

    def import_from(self, source: str | Path) -> bool:
        """Copy MNIST from ``source`` (IDX folder or .npz) into the cache, then load it."""
        if self.is_busy:
            return False
        dest = paths.mnist_cache_dir()

        def work(_progress, _should_cancel) -> Path:
            return import_mnist(source, dest)

        self._run(work, "import", self._on_downloaded, progress=False)
        self.progress_label.setText(self.tr("Checking and copying {0}…").format(source))
        return True

    def load_folder(self, folder: str | Path) -> bool:
        """Load MNIST from ``folder`` into the session; problems are shown inline."""
        folder = Path(folder)
        self.error_label.hide()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.session.load_data(folder)
        except DataError as exc:
            self.folder = folder
            self._on_data_changed()
            self._show_error(without_command_line_hints(str(exc)))  # the help above says what to do
            return False
        finally:
            QApplication.restoreOverrideCursor()
        return True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        # The folder may have been filled from outside (the command line) meanwhile.
        if self.session.data is None and not self.is_busy:
            QTimer.singleShot(0, self._on_data_changed)
