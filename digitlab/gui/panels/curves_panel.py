"""The Curves panel: loss and accuracy of the run, live, zoomable, toggleable and exportable.

Batch losses arrive as often as the trainer reports; the session keeps them
(:mod:`digitlab.gui.run_trace`, so this tab can be built late) and they are drawn on a ~15 Hz
timer into persistent plot items with ``setData`` (clip-to-view and peak downsampling keep a long
run cheap). Per-epoch curves are redrawn from ``session.history``, so a loaded model shows the
curves it was trained with. The x axis is in epochs for every curve: batch ``b`` of epoch ``e``
sits at ``e - 1 + b / batches_per_epoch``, and an epoch's metrics at ``e``.

A legend lists only the curves that have data (no "validation" without a validation split). The
training accuracy is the running average over the epoch, measured with dropout and augmentation
on, while validation and test are measured after it on the final weights; so after the first
epoch the training curve often sits *below* the others. The legend entry says so, and a note
under the plots explains it whenever it happens.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.events import BatchEnd, EpochMetrics
from .. import theme
from ..plotting import pg
from ..session import Session

#: curve name -> (colour, width, symbol); "batch" is drawn translucent under the smoothed line
_STYLE = {
    "batch": ((100, 149, 237, 130), 1, None),
    "smoothed": ("#1565c0", 2, None),
    "train": ("#e65100", 2, "o"),
    "validation": ("#2e7d32", 2, "s"),
    "test": ("#6a1b9a", 2, "t"),
}
def _has_data(item: pg.PlotDataItem) -> bool:
    x = item.xData
    return x is not None and len(x) > 0


def _train_below_held_out(history: list[EpochMetrics]) -> bool:
    """True if some epoch's training accuracy is below its validation or test accuracy."""
    for m in history:
        held_out = [a for a in (m.val_accuracy, m.test_accuracy) if a is not None]
        if m.train_accuracy is not None and held_out and m.train_accuracy < max(held_out):
            return True
    return False


class CurvesPanel(QWidget):
    """Loss (per batch, smoothed, per epoch) and accuracy (per epoch) of the session's runs."""

    REFRESH_MS = 66  # ~15 Hz

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curvesPanel")
        self.session = session
        self.batch_losses = session.batch_losses  # their one home; the plot follows it
        self._drawn_batches = 0
        self._epochs_stale = True
        self._timer = QTimer(self)
        self._timer.setInterval(self.REFRESH_MS)
        self._timer.timeout.connect(self.flush)
        self._build_ui()
        session.history_changed.connect(self._on_history_changed)
        session.batch_finished.connect(self._on_batch_finished)
        session.epoch_finished.connect(self._on_epoch_finished)
        session.run_finished.connect(lambda _event: self._schedule())
        self._on_history_changed()

    # == construction ======================================================================
    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        bar = QHBoxLayout()
        self.toggles: dict[str, QCheckBox] = {}
        labels = {"batch": self.tr("Batch"), "smoothed": self.tr("Smoothed"),
                  "train": self.tr("Train"), "validation": self.tr("Validation"),
                  "test": self.tr("Test")}
        tips = {"batch": self.tr("Loss of each reported training batch"),
                "smoothed": self.tr("Exponential moving average of the batch loss"),
                "train": self.tr("Loss and accuracy on the training data, per epoch. The training "
                                 "accuracy is a running average during the epoch, with dropout and "
                                 "augmentation on, so it can be below validation and test"),
                "validation": self.tr("Loss and accuracy on the held-out validation data, per epoch"),
                "test": self.tr("Accuracy on the MNIST test set, per epoch")}
        for name, text in labels.items():
            check = QCheckBox(text)
            check.setObjectName(f"show_{name}")
            check.setChecked(True)
            check.setToolTip(tips[name] + self.tr(" (clicking its legend entry also toggles it)"))
            colour = _STYLE[name][0]
            colour = colour if isinstance(colour, str) else "#6495ed"
            check.setStyleSheet(f"QCheckBox {{ color: {theme.readable(colour).name()}; font-weight: bold; }}")
            check.toggled.connect(lambda on, n=name: self.set_curve_visible(n, on))
            self.toggles[name] = check
            bar.addWidget(check)
        bar.addSpacing(12)
        self.log_check = QCheckBox(self.tr("Log scale"))
        self.log_check.setObjectName("logScaleCheck")
        self.log_check.setToolTip(self.tr("Show the loss axis on a logarithmic scale"))
        self.log_check.toggled.connect(self._on_log_toggled)
        bar.addWidget(self.log_check)
        bar.addStretch(1)
        self.export_button = QToolButton()
        self.export_button.setObjectName("exportButton")
        self.export_button.setText(self.tr("Export"))
        self.export_button.setToolTip(self.tr("Save the plots as PNG or the numbers as CSV"))
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        self.png_action = menu.addAction(self.tr("Plots as PNG image\u2026"), self._ask_export_png)
        self.png_action.setToolTip(self.tr("Save both plots as a PNG image"))
        self.csv_action = menu.addAction(self.tr("History as CSV\u2026"), self._ask_export_csv)
        self.csv_action.setToolTip(self.tr(
            "Save the per-epoch history, and the batch losses in a second file ending in -batches.csv"))
        self.export_button.setMenu(menu)
        bar.addWidget(self.export_button)
        layout.addLayout(bar)

        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setObjectName("curvesPlots")
        self.plots.setToolTip(self.tr("Drag to pan, scroll to zoom, right-click for more; "
                                      "click a legend entry to hide or show its curve"))
        layout.addWidget(self.plots, 1)
        self.loss_plot = self.plots.addPlot(row=0, col=0, title=self.tr("Loss"))
        self.accuracy_plot = self.plots.addPlot(row=0, col=1, title=self.tr("Accuracy"))
        self.loss_plot.setLabel("left", self.tr("cross-entropy loss"))
        self.accuracy_plot.setLabel("left", self.tr("accuracy"), units="%")
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.getAxis("left").enableAutoSIPrefix(False)  # no "(x0.001)" on a plain loss
            plot.setLabel("bottom", self.tr("epoch"))
            # No grid: a grid is painted by the axes over the whole plot, so every new batch
            # point would repaint the axes too (5x the cost of a frame while training).
        self.loss_legend = self.loss_plot.addLegend(offset=(-10, 10))
        self.accuracy_legend = self.accuracy_plot.addLegend(offset=(-10, -10))
        #: (legend, curve, label) in legend order; an entry is listed only while it has data
        self._legend_entries: list[tuple[pg.LegendItem, pg.PlotDataItem, str]] = []
        self.items: dict[str, list[pg.PlotDataItem]] = {name: [] for name in _STYLE}
        self.items["batch"].append(self._curve(self.loss_plot, "batch", self.tr("batch")))
        self.items["smoothed"].append(self._curve(self.loss_plot, "smoothed", self.tr("smoothed")))
        self.loss_train = self._curve(self.loss_plot, "train", self.tr("train (epoch)"))
        self.loss_val = self._curve(self.loss_plot, "validation", self.tr("validation"))
        self.acc_train = self._curve(self.accuracy_plot, "train", self.tr("train (running average)"))
        self.acc_val = self._curve(self.accuracy_plot, "validation", self.tr("validation"))
        self.acc_test = self._curve(self.accuracy_plot, "test", self.tr("test"))
        self.items["train"] += [self.loss_train, self.acc_train]
        self.items["validation"] += [self.loss_val, self.acc_val]
        self.items["test"].append(self.acc_test)
        for batch_item in self.items["batch"] + self.items["smoothed"]:
            batch_item.setClipToView(True)
            batch_item.setDownsampling(auto=True, method="peak")
        self.loss_hint = self._hint(self.loss_plot, self.tr(
            "No training yet.\nPress Start (F5) to watch the loss fall."))
        self.accuracy_hint = self._hint(self.accuracy_plot, self.tr(
            "Accuracy appears after the first epoch."))
        self.train_note = QLabel(self.tr(
            "Train accuracy is a running average during the epoch, with dropout and augmentation "
            "on; validation and test are measured after the epoch. That is why train can be lower."),
            self)
        self.train_note.setObjectName("trainAccuracyNote")
        self.train_note.setWordWrap(True)
        self.train_note.setStyleSheet(theme.colour_style(theme.muted_colour()))
        self.train_note.hide()
        layout.addWidget(self.train_note)

    def _curve(self, plot: pg.PlotItem, name: str, label: str) -> pg.PlotDataItem:
        colour, width, symbol = _STYLE[name]
        # No name: the legend entry is added by _sync_legends once the curve has data.
        item = plot.plot([], [], pen=pg.mkPen(colour, width=width), symbol=symbol,
                         symbolSize=6, symbolBrush=colour, symbolPen=None, connect="finite")
        item.visibleChanged.connect(lambda n=name, i=item: self._on_item_visibility(n, i))
        item.setToolTip(label)
        self._legend_entries.append((plot.legend, item, label))
        return item

    def _sync_legends(self) -> None:
        """List exactly the curves that hold data, in their fixed order."""
        for legend in (self.loss_legend, self.accuracy_legend):
            wanted = [(item, label) for owner, item, label in self._legend_entries
                      if owner is legend and _has_data(item)]
            listed = [(sample.item, label.text) for sample, label in legend.items]
            if listed != wanted:
                legend.clear()
                for item, label in wanted:
                    legend.addItem(item, label)

    def legend_labels(self, plot: pg.PlotItem) -> list[str]:
        """The labels the legend of ``plot`` lists now."""
        return [label.text for _sample, label in plot.legend.items]

    @staticmethod
    def _hint(plot: pg.PlotItem, text: str) -> pg.TextItem:
        hint = pg.TextItem(text, color=theme.muted_colour(), anchor=(0.5, 0.5))
        plot.addItem(hint, ignoreBounds=True)
        hint.setPos(0.5, 0.5)
        return hint

    # == visibility =========================================================================
    def set_curve_visible(self, name: str, visible: bool) -> None:
        """Show or hide a curve family: batch, smoothed, train, validation or test."""
        for item in self.items[name]:
            item.setVisible(visible)
        if self.toggles[name].isChecked() != visible:
            self.toggles[name].setChecked(visible)

    def _on_item_visibility(self, name: str, item: pg.PlotDataItem) -> None:
        # A legend click hides one item; apply it to the family and the check box.
        self.set_curve_visible(name, item.isVisible())

    def _on_log_toggled(self, on: bool) -> None:
        self.loss_plot.setLogMode(y=on)
        self.loss_plot.enableAutoRange()

    # == data ================================================================================
    def _on_history_changed(self) -> None:
        self._drawn_batches = -1  # the session cleared its batch losses: redraw them all
        self._epochs_stale = True
        self.flush()

    def _on_batch_finished(self, _event: BatchEnd) -> None:
        self._schedule()

    def _on_epoch_finished(self, _event) -> None:
        self._epochs_stale = True
        self._schedule()

    def _schedule(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Draw what arrived since the last refresh; the timer stops when there is nothing new."""
        if self._drawn_batches == len(self.batch_losses) and not self._epochs_stale:
            self._timer.stop()
            return
        if self._drawn_batches != len(self.batch_losses):
            self._drawn_batches = len(self.batch_losses)
            x = self.batch_losses.positions()
            self.items["batch"][0].setData(x, self.batch_losses.losses())
            self.items["smoothed"][0].setData(x, self.batch_losses.smoothed())
        if self._epochs_stale:
            self._epochs_stale = False
            self._draw_epochs(self.session.history)
        has_loss = len(self.batch_losses) > 0 or bool(self.session.history)
        self.loss_hint.setVisible(not has_loss)
        self.accuracy_hint.setVisible(not self.session.history)
        self._sync_legends()
        self.train_note.setVisible(_train_below_held_out(self.session.history))

    def _draw_epochs(self, history: list[EpochMetrics]) -> None:
        def column(attr: str, scale: float = 1.0) -> np.ndarray:
            return np.array([np.nan if getattr(m, attr) is None else getattr(m, attr) * scale
                             for m in history], dtype=float)

        x = np.array([m.epoch for m in history], dtype=float)
        for item, attr, scale in ((self.loss_train, "train_loss", 1), (self.loss_val, "val_loss", 1),
                                  (self.acc_train, "train_accuracy", 100),
                                  (self.acc_val, "val_accuracy", 100),
                                  (self.acc_test, "test_accuracy", 100)):
            y = column(attr, scale)
            finite = np.isfinite(y)
            # An absent metric (no validation split) is no curve at all, not a row of NaNs.
            item.setData(x if finite.any() else [], y if finite.any() else [])
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.enableAutoRange()
        if not history and len(self.batch_losses) == 0:
            for plot in (self.loss_plot, self.accuracy_plot):
                plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)

    # == export =============================================================================
    def export_png(self, path: str | Path, width: int = 1600) -> Path:
        """Both plots as one PNG image, ``width`` pixels wide."""
        from pyqtgraph.exporters import ImageExporter  # not at start-up: used on Export only

        self.flush()
        exporter = ImageExporter(self.plots.ci)
        exporter.parameters()["width"] = int(width)
        exporter.export(str(path))
        return Path(path)

    def export_csv(self, path: str | Path) -> list[Path]:
        """Per-epoch history to ``path``; batch losses to ``<stem>-batches.csv`` beside it."""
        self.flush()
        path = Path(path)
        fields = list(EpochMetrics.__dataclass_fields__)
        with open(path, "w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(fields)
            for metrics in self.session.history:
                row = metrics.to_dict()
                writer.writerow(["" if row[f] is None else row[f] for f in fields])
        batches = path.with_name(f"{path.stem}-batches.csv")
        with open(batches, "w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(["epoch_position", "loss", "smoothed_loss"])
            losses = self.batch_losses
            for row in zip(losses.positions(), losses.losses(), losses.smoothed(),
                           strict=True):
                writer.writerow([f"{v:.6g}" for v in row])
        return [path, batches]

    def _ask_export_png(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export curves as PNG"),
                                              str(Path.home() / "digitlab-curves.png"),
                                              self.tr("PNG images (*.png)"))
        if name:
            self._export(lambda: [self.export_png(name)])

    def _ask_export_csv(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export curves as CSV"),
                                              str(Path.home() / "digitlab-history.csv"),
                                              self.tr("CSV files (*.csv)"))
        if name:
            self._export(lambda: self.export_csv(name))

    def _export(self, write) -> None:
        try:
            written = write()
        except OSError as exc:
            self.session.message.emit(self.tr("Could not export: {0}").format(exc.strerror or exc))
            return
        self.session.message.emit(self.tr("Exported {0}").format(", ".join(str(p) for p in written)))
