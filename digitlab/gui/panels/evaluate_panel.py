"""Evaluate the current model on the MNIST test set: accuracy, confusion matrix, mistakes."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.evaluation import Evaluation, evaluate
from .. import theme
from ..jobs import Job
from ..session import Session
from ..settings import AppSettings
from ..status_text import DATA, ERROR, MUTED, TRAINED, StatusText
from ..widgets.confusion_matrix import ConfusionMatrixView
from ..widgets.digit_image import digit_icon
from ..widgets.per_class_bars import PerClassBars
from ..widgets.side_by_side import SideBySideOrTabs

#: images per gallery page
PAGE_SIZE = 120
#: each 28x28 digit is shown this many times larger in the gallery
ICON_SCALE = 2
#: The smallest results area (pixels) where the matrix, the bars and the gallery share it.
VIEWS_SIDE_BY_SIDE = QSize(760, 400)

class EvaluatePanel(QWidget):
    """Test accuracy, per-class accuracy, a confusion matrix and a gallery of mistakes."""

    def __init__(self, session: Session, parent: QWidget | None = None,
                 settings: AppSettings | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluatePanel")
        self.session = session
        self.settings = settings
        #: the model changed after the evaluation shown (its results describe an earlier model)
        self.stale = False
        #: the last completed evaluation (None before the first one)
        self.evaluation: Evaluation | None = None
        self._labels: np.ndarray | None = None
        self._images: np.ndarray | None = None
        self._job: Job | None = None
        self._evaluated_data = None
        #: gallery contents: test-set indices in display order, and the current page
        self.gallery_indices = np.zeros(0, dtype=np.int64)
        self.page = 0
        self.cell: tuple[int, int] | None = None

        self.evaluate_button = QPushButton(self.tr("Evaluate on test set"), self)
        self.evaluate_button.setObjectName("evaluateButton")
        self.evaluate_button.setToolTip(self.tr(
            "Run the current model on the 10,000 MNIST test images (in the background)"))
        self.busy = QProgressBar(self)
        self.busy.setObjectName("evaluateBusy")
        self.busy.setRange(0, 1000)
        self.busy.setMaximumWidth(160)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelEvaluationButton")
        self.cancel_button.setToolTip(self.tr("Stop the evaluation; the previous results stay"))
        self.cancel_button.hide()
        self.status_label = QLabel(self)
        self.status_label.setObjectName("evaluateStatus")
        self.status_label.setWordWrap(True)
        # Before the panel's own slots: a failure message goes when the model or data changes.
        self.status = StatusText(self.status_label, session, self._describe_state)
        self.accuracy_label = QLabel(self)
        self.accuracy_label.setObjectName("testAccuracyLabel")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.accuracy_label.setFont(font)
        self.accuracy_label.setWordWrap(True)  # never wider than the window

        self.confusion = ConfusionMatrixView(self)
        self.confusion.setObjectName("confusionMatrix")
        self.confusion.setMinimumSize(220, 200)  # small screens: the tab fits 1024x600
        self.confusion.setToolTip(self.tr("Click a cell to see those test images"))
        self.per_class = PerClassBars(self)
        self.per_class.setObjectName("perClassAccuracy")
        self.per_class.setMinimumHeight(100)
        self.normalised_check = QCheckBox(self.tr("Row percentages"), self)
        self.normalised_check.setObjectName("normalisedCheck")
        self.normalised_check.setToolTip(self.tr(
            "Show each cell as a percentage of its row, the test images of that true digit, "
            "instead of a count"))
        self.normalised_check.setChecked(settings.confusion_normalised() if settings else False)
        self.confusion.set_normalised(self.normalised_check.isChecked())

        self.gallery_title = QLabel(self)
        self.gallery_title.setObjectName("galleryTitle")
        self.gallery_title.setWordWrap(True)
        # Room for two lines whatever the title says, so choosing a cell never moves the gallery.
        self.gallery_title.setFixedHeight(2 * self.gallery_title.fontMetrics().lineSpacing() + 4)
        self.gallery_title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.show_all_button = QPushButton(self.tr("Show all mistakes"), self)
        self.show_all_button.setObjectName("showAllMistakesButton")
        self.show_all_button.setToolTip(self.tr("Leave the selected cell and list every mistake"))
        self.gallery = QListWidget(self)
        self.gallery.setObjectName("misclassifiedGallery")
        self.gallery.setViewMode(QListView.ViewMode.IconMode)
        self.gallery.setResizeMode(QListView.ResizeMode.Adjust)
        self.gallery.setMovement(QListView.Movement.Static)
        self.gallery.setUniformItemSizes(True)
        self.gallery.setIconSize(QSize(28 * ICON_SCALE, 28 * ICON_SCALE))
        self.gallery.setGridSize(QSize(28 * ICON_SCALE + 34, 28 * ICON_SCALE + 40))
        self.gallery.setSpacing(2)
        self.gallery.setWordWrap(True)
        self.previous_button = QPushButton(self.tr("◀ Previous"), self)
        self.previous_button.setObjectName("previousPageButton")
        self.next_button = QPushButton(self.tr("Next ▶"), self)
        self.next_button.setObjectName("nextPageButton")
        self.page_label = QLabel(self)
        self.page_label.setObjectName("pageLabel")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_label.setWordWrap(True)  # a long page summary must not widen the window

        self._build_layout()

        self.evaluate_button.clicked.connect(self.start_evaluation)
        self.cancel_button.clicked.connect(self.cancel)
        self.confusion.cell_clicked.connect(self.show_cell)
        # As tabs, a clicked cell would fill a gallery out of sight: bring it forward.
        self.confusion.cell_clicked.connect(lambda *_: self.views.show_view(self.gallery_view))
        self.show_all_button.clicked.connect(self.show_mistakes)
        self.normalised_check.toggled.connect(self._on_normalised_toggled)
        self.previous_button.clicked.connect(lambda: self.set_page(self.page - 1))
        self.next_button.clicked.connect(lambda: self.set_page(self.page + 1))
        session.data_changed.connect(self._on_data_changed)
        session.model_changed.connect(self._on_model_changed)
        session.weights_updated.connect(self._on_model_changed)  # training changes the weights
        self._clear_results()
        self._update_state()

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.evaluate_button)
        top.addWidget(self.busy)
        top.addWidget(self.cancel_button)
        top.addWidget(self.status_label, 1)

        matrix = QWidget(self)
        matrix_layout = QVBoxLayout(matrix)
        matrix_layout.setContentsMargins(0, 0, 0, 0)
        matrix_header = QHBoxLayout()
        matrix_header.addWidget(QLabel(self.tr("Confusion matrix (click a cell)"), matrix), 1)
        matrix_header.addWidget(self.normalised_check)
        matrix_layout.addLayout(matrix_header)
        matrix_layout.addWidget(self.confusion, 1)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.addWidget(self.gallery_title, 1)
        header.addWidget(self.show_all_button)
        right_layout.addLayout(header)
        right_layout.addWidget(self.gallery, 1)
        pages = QHBoxLayout()
        pages.addWidget(self.previous_button)
        pages.addWidget(self.page_label, 1)
        pages.addWidget(self.next_button)
        right_layout.addLayout(pages)

        # Side by side from 1366x768 up; on a 1024x600 netbook each view gets the page as a tab.
        self.views = SideBySideOrTabs(VIEWS_SIDE_BY_SIDE.width(), VIEWS_SIDE_BY_SIDE.height(),
                                      parent=self)
        self.views.setObjectName("evaluateViews")
        self.views.add_view(matrix, self.tr("Confusion matrix"), group=0, stretch=3)
        self.views.add_view(self.per_class, self.tr("Accuracy per digit"), group=0, stretch=1)
        self.views.add_view(right, self.tr("Test images"), group=1)
        self.gallery_view = right
        results = QWidget(self)
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(self.accuracy_label)
        results_layout.addWidget(self.views, 1)
        # Until there is a result, a sentence instead of an empty matrix and blank boxes.
        self.placeholder = QLabel(self)
        self.placeholder.setObjectName("evaluatePlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet(theme.colour_style(theme.muted_colour()) + " font-size: 13pt;")
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.placeholder)
        self.pages.addWidget(results)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)

    # -- running -----------------------------------------------------------------------------
    @property
    def is_running(self) -> bool:
        return self._job is not None

    def start_evaluation(self) -> bool:
        """Evaluate the current model on the test set in the background. False if impossible."""
        data, model = self.session.data, self.session.current_model()
        if self.is_running or data is None or model is None:
            self._update_state()
            return False
        self._images, self._labels = data.test_images, data.test_labels
        # A private copy: training may replace the session's network while this runs.
        network, transform = model.network.copy(), model.transform
        temperature = model.calibration.temperature if model.calibration is not None else None
        images, labels = data.test_images, data.test_labels

        def work(progress, should_cancel) -> Evaluation:
            return evaluate(network, transform, images, labels, on_progress=progress,
                            should_stop=should_cancel, temperature=temperature)

        job = Job(work, "evaluation")
        job.progressed.connect(self._on_progress)
        job.result_ready.connect(self._on_result)
        job.failed.connect(self._on_failed)
        job.cancelled.connect(self._on_cancelled)
        job.finished.connect(self._on_job_finished)
        self._job = job
        self._evaluated_data = data
        self.busy.setValue(0)
        self.busy.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.status.clear()  # "Evaluating…" comes from the state; an old failure is over
        self._update_state()
        job.start()
        return True

    def cancel(self) -> None:
        """Stop the evaluation in progress (its partial results are dropped)."""
        if self._job is not None:
            self._job.cancel()
            self.cancel_button.setEnabled(False)

    def _on_progress(self, fraction: float | None, _text: str) -> None:
        if fraction is not None:
            self.busy.setValue(round(fraction * 1000))

    def _on_cancelled(self) -> None:
        self.status.show(self.tr("Evaluation cancelled."), MUTED, until=(TRAINED, DATA))

    def _on_failed(self, message: str) -> None:
        # Stays until the model or the data changes (or the next evaluation starts).
        self.status.show(self.tr("Evaluation failed: {0}").format(message), ERROR,
                         until=(TRAINED, DATA))

    def _on_job_finished(self) -> None:
        self._job = None
        self.busy.hide()
        self.cancel_button.hide()
        self._update_state()  # the failure or cancellation message stays (see gui.status_text)

    def _on_result(self, evaluation: Evaluation) -> None:
        if self._evaluated_data is not self.session.data:
            return  # the data changed while it ran: these results would mislead
        self.evaluation = evaluation
        self.stale = False
        total = len(evaluation.predictions)
        correct = int(np.trace(evaluation.confusion))
        self.accuracy_label.setText(self.tr("Test accuracy {0:.2%}  ({1:,} of {2:,} right, {3:,} "
                                            "mistakes) · loss {4:.4f}")
                                    .format(evaluation.accuracy, correct, total, total - correct,
                                            evaluation.loss))
        self.status.refresh()
        self.pages.setCurrentIndex(1)
        self.confusion.set_counts(evaluation.confusion)
        self.per_class.set_accuracies(evaluation.per_class_accuracy)
        self.show_mistakes()

    # -- gallery -----------------------------------------------------------------------------
    def show_mistakes(self) -> None:
        """Fill the gallery with every misclassified test digit, most confident first."""
        self.cell = None
        self.confusion.set_selected(None)
        if self.evaluation is None or self._labels is None:
            self._set_gallery(np.zeros(0, np.int64), self.tr("No evaluation yet."))
            return
        wrong = np.flatnonzero(self.evaluation.predictions != self._labels)
        order = wrong[np.argsort(-self.evaluation.confidences[wrong], kind="stable")]
        self._set_gallery(order, self.tr("All {0:,} misclassified test digits, most confident "
                                         "mistakes first").format(len(order)))

    def show_cell(self, true_class: int, predicted: int) -> None:
        """Fill the gallery with the test digits of one confusion-matrix cell."""
        if self.evaluation is None or self._labels is None:
            return
        self.cell = (true_class, predicted)
        self.confusion.set_selected(self.cell)
        chosen = np.flatnonzero((self._labels == true_class) & (self.evaluation.predictions == predicted))
        confidences = self.evaluation.confidences[chosen]
        if true_class == predicted:
            # Right answers: the least confident ones are the instructive ones.
            order = chosen[np.argsort(confidences, kind="stable")]
            title = self.tr("{0:,} test images of a {1} read correctly, least confident first")
            title = title.format(len(order), true_class)
        else:
            order = chosen[np.argsort(-confidences, kind="stable")]
            title = self.tr("{0:,} test images of a {1} read as {2}, most confident first")
            title = title.format(len(order), true_class, predicted)
        self._set_gallery(order, title)

    def _set_gallery(self, indices: np.ndarray, title: str) -> None:
        self.gallery_indices = indices
        self.gallery_title.setText(title)
        # Disabled rather than hidden: a button appearing would shift the layout.
        self.show_all_button.setEnabled(self.cell is not None)
        self.set_page(0)

    @property
    def page_count(self) -> int:
        return max(1, -(-len(self.gallery_indices) // PAGE_SIZE))

    def set_page(self, page: int) -> None:
        self.page = min(max(page, 0), self.page_count - 1)
        self.gallery.clear()
        start = self.page * PAGE_SIZE
        shown = self.gallery_indices[start:start + PAGE_SIZE]
        if self.evaluation is not None and self._images is not None and self._labels is not None:
            for index in shown:
                predicted = int(self.evaluation.predictions[index])
                true = int(self._labels[index])
                confidence = float(self.evaluation.confidences[index])
                item = QListWidgetItem(digit_icon(self._images[index], ICON_SCALE),
                                       self.tr("{0} → {1}\n{2:.0%}").format(true, predicted, confidence))
                item.setToolTip(self.tr("Test image #{0}: a {1}, read as {2} with {3:.1%} confidence")
                                .format(int(index), true, predicted, confidence))
                item.setData(Qt.ItemDataRole.UserRole, int(index))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.gallery.addItem(item)
        total = len(self.gallery_indices)
        if total:
            self.page_label.setText(self.tr("{0:,}–{1:,} of {2:,}   (true → predicted, confidence)")
                                    .format(start + 1, start + len(shown), total))
        else:
            self.page_label.setText("")
        self.previous_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < self.page_count - 1)

    # -- session events ----------------------------------------------------------------------
    def _on_normalised_toggled(self, on: bool) -> None:
        self.confusion.set_normalised(on)
        if self.settings is not None:
            self.settings.set_confusion_normalised(on)

    def _clear_results(self) -> None:
        self.pages.setCurrentIndex(0)
        self.evaluation = None
        self.stale = False
        self.cell = None
        self.accuracy_label.setText("")
        self.confusion.set_counts(np.zeros((10, 10), np.int64))
        self.confusion.set_selected(None)
        self.per_class.set_accuracies(None)
        self._set_gallery(np.zeros(0, np.int64), "")

    def _on_data_changed(self) -> None:
        self._clear_results()
        self._update_state()

    def _on_model_changed(self, *_args) -> None:
        if self.evaluation is not None and not self.stale:
            self.stale = True
            self.status.refresh()
        self._update_state()

    def _describe_state(self) -> tuple[str, str]:
        """The status line from the panel's and the session's state (see gui.status_text)."""
        data, model = self.session.data, self.session.current_model()
        if self.is_running and data is not None:
            return self.tr("Evaluating {0:,} test images…").format(data.num_test), MUTED
        if data is None:
            return self.tr("No MNIST data is loaded: open the Data panel to download or import it, "
                           "then evaluate here."), MUTED
        if model is None:
            return self.tr("There is no model to evaluate: train one or open a model file."), MUTED
        if self.evaluation is not None and self.stale:
            return self.tr("The model has changed since this evaluation: evaluate again to "
                           "update it."), MUTED
        if self.evaluation is not None:
            return self.tr("Evaluated the current model on the MNIST test set."), MUTED
        return self.tr("Ready: evaluate the current model on the {0:,} test images.").format(
            data.num_test), MUTED

    def _update_state(self) -> None:
        data, model = self.session.data, self.session.current_model()
        self.evaluate_button.setEnabled(not self.is_running and data is not None and model is not None)
        self.status.refresh()
        if self.evaluation is None:
            self.placeholder.setText(self.tr(
                "Evaluate on test set runs the model on MNIST's test digits, which it never "
                "trained on, and shows its accuracy, which digits it confuses, and its mistakes.")
                if data is not None and model is not None else self._describe_state()[0])
