"""The points map: 2,000 test digits placed by PCA or t-SNE, from the pixels to the last layer.

Two kinds of background job (:mod:`digitlab.gui.jobs`), one at a time: *features* pushes the
digits through the current model once and keeps each stage's principal components
(:func:`~digitlab.core.points_map.map_features`); *embedding* makes one stage's t-SNE map.
PCA maps are the first two components, so they show at once; t-SNE maps are computed when first
shown and kept until the model or the data changes.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from ...core.points_map import MAP_POINTS, MappedDigits, MapStage, choose_digits, embed, map_features
from .. import theme
from ..jobs import Job
from ..plotting import pg
from ..session import Session
from ..widgets.digit_image import digit_icon
from .context import InsideContext

#: one colour per digit (Tableau 10: distinct, and readable on light and dark backgrounds)
DIGIT_COLOURS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                 "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")
#: a hover within this many pixels of a point shows that digit
HOVER_PIXELS = 8


class PointsMapView(QWidget):
    """Test digits as points, coloured by their label; crosses are the ones the model gets wrong."""

    def __init__(self, session: Session, context: InsideContext | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pointsMap")
        self.session = session
        self.context = context
        #: the digits and every stage's features for the current model (None until computed)
        self.mapped: MappedDigits | None = None
        #: (stage index, method) -> (N, 2) coordinates
        self.maps: dict[tuple[int, str], np.ndarray] = {}
        self.job: Job | None = None
        self._job_kind: object = ""  # "features", or (stage, method) of a t-SNE map
        self._shown: np.ndarray | None = None  # coordinates on the plot now
        self._summary = ""  # what the status says once nothing is computing

        self.explanation = QLabel(self.tr(
            "<b>Points map.</b> Each dot is one of 2,000 test digits, coloured by what it really "
            "is; a cross marks a digit the model gets wrong. Digits that the network sees as "
            "alike lie close together. Slide from the input pixels to the last layer and watch "
            "the ten classes pull apart. PCA shows the directions of largest spread (instant); "
            "t-SNE keeps neighbours together (about ten seconds per layer)."))
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet(theme.note_style())
        self.notice = QLabel()
        self.notice.setObjectName("pointsMapNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(theme.note_style(warning=True))

        self.method_box = QComboBox()
        self.method_box.setObjectName("pointsMapMethod")
        self.method_box.addItem(self.tr("PCA"), "pca")
        self.method_box.addItem(self.tr("t-SNE"), "tsne")
        self.method_box.setToolTip(self.tr(
            "PCA: a linear projection on the two directions of largest spread, computed at once. "
            "t-SNE: places digits so that neighbours stay neighbours; clusters are clearer but "
            "distances between clusters mean little."))
        self.method_box.currentIndexChanged.connect(self._show_current)
        self.layer_slider = QSlider(Qt.Orientation.Horizontal)
        self.layer_slider.setObjectName("pointsMapLayer")
        self.layer_slider.setRange(0, 0)
        self.layer_slider.setPageStep(1)
        self.layer_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.layer_slider.setToolTip(self.tr(
            "Where in the network the digits are looked at: 0 is the input pixels, then the "
            "output of each layer in turn"))
        self.layer_slider.valueChanged.connect(self._show_current)
        self.layer_label = QLabel()
        self.layer_label.setObjectName("pointsMapLayerLabel")
        self.layer_label.setMinimumWidth(120)
        self.compute_button = QPushButton(self.tr("Compute map"))
        self.compute_button.setObjectName("pointsMapCompute")
        self.compute_button.setToolTip(self.tr(
            "Push 2,000 test digits through the current model and map them (on a background "
            "thread; the window stays usable)"))
        self.compute_button.clicked.connect(self.compute)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("pointsMapCancel")
        self.cancel_button.setToolTip(self.tr("Stop the computation in progress"))
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setObjectName("pointsMapProgress")
        self.progress.setRange(0, 100)
        self.status = QLabel()
        self.status.setObjectName("pointsMapStatus")
        self.status.setWordWrap(True)

        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Method")))
        controls.addWidget(self.method_box)
        controls.addSpacing(12)
        controls.addWidget(QLabel(self.tr("Layer")))
        controls.addWidget(self.layer_slider, 1)
        controls.addWidget(self.layer_label)
        controls.addWidget(self.compute_button)
        controls.addWidget(self.cancel_button)

        self.plot = pg.PlotWidget(background=theme.plot_background())
        self.plot.setObjectName("pointsMapPlot")
        self.plot.setAspectLocked(True)
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.plot.setMenuEnabled(False)
        self.plot.setToolTip(self.tr("Hover a dot to see its digit and what the model says; click it "
                                     "to make it the digit the other Inside views show; drag to "
                                     "pan, wheel to zoom"))
        legend = self.plot.getPlotItem().addLegend(offset=(8, 8), labelTextSize="9pt",
                                                   colCount=2)
        self.scatters: list[pg.ScatterPlotItem] = []
        for digit, colour in enumerate(DIGIT_COLOURS):
            item = pg.ScatterPlotItem(size=5, pen=None, brush=pg.mkBrush(colour), name=str(digit))
            self.plot.addItem(item)
            self.scatters.append(item)
        self.wrong = pg.ScatterPlotItem(size=9, symbol="x", name=self.tr("wrong"),
                                        pen=pg.mkPen(theme.plot_foreground(), width=1))
        self.plot.addItem(self.wrong)
        # a ring around the digit shown beside the map, so the eye finds it among 2,000
        self.hovered = pg.ScatterPlotItem(size=16, symbol="o", brush=None,
                                          pen=pg.mkPen(theme.plot_foreground(), width=2))
        self.plot.addItem(self.hovered)
        legend.setToolTip(self.tr("Dot colour: the digit's true label. Cross: misclassified"))
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.plot.scene().sigMouseClicked.connect(self._on_mouse_clicked)

        self.hover_image = QLabel()
        self.hover_image.setObjectName("pointsMapDigit")
        self.hover_image.setFixedSize(112, 112)
        self.hover_image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hover_image.setStyleSheet("background: black;")
        self.hover_text = QLabel(self.tr("Hover a dot"))
        self.hover_text.setObjectName("pointsMapHoverText")
        self.hover_text.setWordWrap(True)
        self.hover_text.setFixedWidth(140)
        side = QVBoxLayout()
        side.addWidget(self.hover_image)
        side.addWidget(self.hover_text)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.plot, 1)
        body.addLayout(side)

        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.notice)
        layout.addLayout(controls)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(body, 1)

        session.model_changed.connect(self._on_inputs_changed)
        session.data_changed.connect(self._on_inputs_changed)
        self._on_inputs_changed()

    # -- state ---------------------------------------------------------------------------------
    @property
    def method(self) -> str:
        return self.method_box.currentData()

    @property
    def stage_index(self) -> int:
        return self.layer_slider.value()

    @property
    def is_busy(self) -> bool:
        return self.job is not None

    def _on_inputs_changed(self) -> None:
        """A new model or new data: what was computed no longer describes them."""
        self.cancel()
        self.mapped = None
        self.maps.clear()
        self._clear_plot()
        self.layer_slider.setRange(0, 0)
        self.layer_label.clear()
        self.progress.setValue(0)
        self.status.clear()
        missing = self._missing()
        self.notice.setText(missing)
        self.notice.setVisible(bool(missing))
        self._update_buttons()

    def _missing(self) -> str:
        if self.session.data is None:
            return self.tr("<b>Needs MNIST test digits.</b> None are loaded: open the Data tab to "
                           "download or import them, then press Compute map.")
        if self.session.current_model() is None:
            return self.tr("<b>Needs a model.</b> Train one, or open a model file.")
        return ""

    def _update_buttons(self) -> None:
        self.compute_button.setEnabled(not self.is_busy and not self._missing())
        self.cancel_button.setEnabled(self.is_busy)
        self.progress.setVisible(self.is_busy)

    # -- computing -----------------------------------------------------------------------------
    def compute(self) -> None:
        """Push the test digits through the current model (background), then show the map."""
        missing = self._missing()
        if missing or self.is_busy:
            return
        model = self.session.current_model()
        # a private copy: the layers keep per-call state, and the Draw panel may predict meanwhile
        model = replace(model, network=model.network.copy())
        data = self.session.data
        indices = choose_digits(data, MAP_POINTS)

        def work(progress, should_cancel) -> MappedDigits:
            return map_features(model, data, indices, progress, should_cancel)

        self.mapped = None
        self.maps.clear()
        self._start(work, "features", self.tr("Pushing {0:,} test digits through the model\u2026")
                    .format(indices.size))

    def _start(self, work, kind: object, text: str) -> None:
        job = Job(work, f"points map {kind}")
        job.progressed.connect(self._on_progress)
        job.result_ready.connect(lambda result, j=job: self._on_result(j, result))
        job.failed.connect(lambda message, j=job: self._on_failed(j, message))
        job.cancelled.connect(lambda j=job: self._on_cancelled(j))
        self.job, self._job_kind = job, kind
        self.progress.setValue(0)
        self.status.setText(text)
        job.start()
        self._update_buttons()

    def cancel(self) -> None:
        """Stop the job in progress; what was computed before it stays."""
        if self.job is not None:
            job, self.job = self.job, None
            job.cancel()
            self.status.setText(self.tr("Cancelled."))
            self._update_buttons()

    def wait(self, timeout_ms: int = 60000) -> bool:
        """Block until the current job's thread ended (tests, closing)."""
        return True if self.job is None else self.job.wait(timeout_ms)

    def _on_progress(self, fraction, _text: str) -> None:
        if fraction is not None:
            self.progress.setValue(int(100 * fraction))

    def _on_result(self, job: Job, result) -> None:
        if job is not self.job:  # a job cancelled or replaced meanwhile
            return
        kind, self.job = self._job_kind, None
        if kind == "features":
            self.mapped = result
            self.layer_slider.setRange(0, len(result.stages) - 1)
            self._summary = self.tr("{0:,} digits, accuracy {1:.1f}%, {2:,} wrong (crosses).").format(
                result.labels.size, 100 * result.accuracy, int(result.misclassified.sum()))
        else:
            self.maps[kind] = result
        self.status.setText(self._summary)
        self._update_buttons()
        self._show_current()

    def _on_failed(self, job: Job, message: str) -> None:
        if job is self.job:
            self.job = None
            self.status.setText(message)
            self._update_buttons()

    def _on_cancelled(self, job: Job) -> None:
        if job is self.job:
            self.job = None
            self._update_buttons()

    # -- drawing -------------------------------------------------------------------------------
    def stage_title(self, stage: MapStage) -> str:
        size = "\u00d7".join(map(str, stage.shape))
        if stage.layer is None:
            return self.tr("input pixels ({0})").format(size)
        return self.tr("layer {0}: {1} ({2})").format(stage.layer + 1, stage.kind, size)

    def _show_current(self) -> None:
        mapped = self.mapped
        if mapped is None:
            return
        stage = mapped.stages[self.stage_index]
        self.layer_label.setText(self.stage_title(stage))
        key = (self.stage_index, self.method)
        if key not in self.maps and self.method == "pca":
            self.maps[key] = embed(stage, "pca")
        if key in self.maps:
            self._draw(self.maps[key])
            return
        self._clear_plot()
        if self.is_busy:
            if self._job_kind == key:
                return
            self.cancel()

        def work(progress, should_cancel) -> np.ndarray:
            return embed(stage, "tsne", progress, should_cancel)

        self._start(work, key, self.tr("t-SNE of {0}\u2026").format(self.stage_title(stage)))

    def _clear_plot(self) -> None:
        self._shown = None
        for item in (*self.scatters, self.wrong, self.hovered):
            item.setData([], [])

    def _draw(self, xy: np.ndarray) -> None:
        mapped = self.mapped
        self._shown = xy
        for digit, item in enumerate(self.scatters):
            mask = mapped.labels == digit
            item.setData(xy[mask, 0], xy[mask, 1])
        wrong = mapped.misclassified
        self.wrong.setData(xy[wrong, 0], xy[wrong, 1])
        self.hovered.setData([], [])
        self.plot.getPlotItem().enableAutoRange()

    def nearest_point(self, scene_pos: QPointF) -> int | None:
        """The digit drawn within :data:`HOVER_PIXELS` of ``scene_pos``, nearest first, or None."""
        if self._shown is None:
            return None
        view = self.plot.getPlotItem().getViewBox()
        pixel = view.viewPixelSize()  # data units per screen pixel, (x, y)
        point = view.mapSceneToView(scene_pos)
        dx = (self._shown[:, 0] - point.x()) / pixel[0]
        dy = (self._shown[:, 1] - point.y()) / pixel[1]
        distances = dx * dx + dy * dy
        best = int(np.argmin(distances))
        return best if distances[best] <= HOVER_PIXELS ** 2 else None

    def show_digit(self, i: int) -> None:
        """Show digit ``i`` of the map beside it, with its label and the model's answer."""
        mapped = self.mapped
        label, predicted = int(mapped.labels[i]), int(mapped.predictions[i])
        self.hover_image.setPixmap(digit_icon(mapped.images[i], 4).pixmap(112, 112))
        verdict = self.tr("right") if label == predicted else self.tr("wrong")
        self.hover_text.setText(self.tr(
            "Test digit #{0}\nlabel {1}\nmodel says {2} ({3:.0f}%): {4}").format(
            int(mapped.indices[i]), label, predicted, 100 * mapped.confidences[i], verdict))
        if self._shown is not None:
            self.hovered.setData(self._shown[i:i + 1, 0], self._shown[i:i + 1, 1])
        colour = DIGIT_COLOURS[label] if label == predicted else theme.error_colour().name()
        self.hover_image.setStyleSheet(f"background: black; border: 3px solid {QColor(colour).name()};")

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        i = self.nearest_point(scene_pos)
        if i is not None:
            self.show_digit(i)

    def _on_mouse_clicked(self, event) -> None:
        i = self.nearest_point(event.scenePos())
        if i is not None:
            self.pick(i)

    def pick(self, i: int) -> None:
        """Make digit ``i`` of the map the Inside tab's current digit (the other views follow)."""
        self.show_digit(i)
        if self.context is not None:
            self.context.set_image(self.mapped.images[i] / 255.0)


def make_points_map(session: Session, context: InsideContext) -> PointsMapView:
    """The factory the Inside tab calls."""
    return PointsMapView(session, context)
