"""The Runs panel: the run history as a table, and several runs compared.

The table lists every recorded run (sortable by any column, filtered by any text in a row).
Selecting runs overlays their curves (one colour per run; a metric, the x axis by epoch, step or
wall time, and TensorBoard-style smoothing) and lists their settings side by side, the ones that
differ first and highlighted. Runs can be renamed, tagged and deleted, a run's saved model
opened, and the table or the selected runs' curves exported as CSV.

The panel reads the history file itself (``digitlab.paths.run_store_path()``) whenever the
session goes idle, so a run appears when it starts and is complete when it ends. The numbers
it shows come from :mod:`digitlab.core.run_compare`.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QSize, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSlider,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import ModelFileError
from ...core.run_compare import hyperparameter_rows, smooth, table_row, write_curves_csv, write_table_csv
from ...core.runstore import RunStore, RunStoreError
from ...paths import run_store_path
from .. import theme
from ..plotting import pg
from ..session import Session
from ..widgets.side_by_side import SideBySideOrTabs

#: metric key -> whether it is per batch (the others are per epoch)
METRICS = {"val_accuracy": False, "test_accuracy": False, "train_loss": False, "val_loss": False,
           "batch_loss": True}
X_AXES = ("epoch", "step", "wall")
#: The smallest area (pixels) where the overlaid curves and the settings table share the row.
LOWER_SIDE_BY_SIDE = QSize(760, 180)
#: background of a setting whose value differs between the compared runs
DIFFERS = QColor(255, 224, 130)
#: one colour per compared run (Tableau 10, readable on white), repeating after ten
RUN_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
               "#7f7f7f", "#bcbd22", "#17becf")


class RunsPanel(QWidget):
    def __init__(self, session: Session, store_path: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.store_path = store_path
        self.runs: dict[int, dict[str, Any]] = {}
        self._build()
        session.state_changed.connect(self._on_state_changed)
        self.refresh()

    # -- construction ------------------------------------------------------------------------
    def _build(self) -> None:
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("runsFilter")
        self.filter_edit.setPlaceholderText(self.tr("Filter: any text in a row (preset, status, tag...)"))
        # Two rows, so that a 1024x600 screen shows the whole filter box and every button.
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.filter_edit, 1)
        buttons = QHBoxLayout()
        for name, text, slot, tip in (
                ("refresh", self.tr("Refresh"), self.refresh, self.tr("Read the run history again")),
                ("rename", self.tr("Rename…"), self.rename_selected,
                 self.tr("Give the selected run a name")),
                ("tags", self.tr("Tags…"), self.tag_selected, self.tr("Set the selected runs' tags")),
                ("delete", self.tr("Delete"), self.delete_selected,
                 self.tr("Remove the selected runs from the history")),
                ("open", self.tr("Open model"), self.open_selected_model,
                 self.tr("Open the model file the selected run saved")),
                ("exportTable", self.tr("Export table…"), self.export_table,
                 self.tr("Save the table as CSV")),
                ("exportCurves", self.tr("Export curves…"), self.export_curves,
                 self.tr("Save the selected runs' per-epoch metrics as CSV"))):
            button = QPushButton(text)
            button.setObjectName(name + "Button")
            button.setToolTip(tip)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            (filter_row if name == "refresh" else buttons).addWidget(button)
        buttons.addStretch(1)
        self.model = QStandardItemModel(0, 0, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setObjectName("runsTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.headers = [self.tr("ID"), self.tr("Name"), self.tr("Date"), self.tr("Preset"),
                        self.tr("Optimiser"), self.tr("Learning rate"), self.tr("Batch"),
                        self.tr("Epochs"), self.tr("Best val."), self.tr("Test"), self.tr("Time"),
                        self.tr("Status"), self.tr("Tags")]
        self.model.setHorizontalHeaderLabels(self.headers)
        self.status_label = QLabel()
        self.status_label.setObjectName("runsStatus")

        self.metric_combo = QComboBox()
        self.metric_combo.setObjectName("runsMetricCombo")
        for key, text in (("val_accuracy", self.tr("validation accuracy")),
                          ("test_accuracy", self.tr("test accuracy")),
                          ("train_loss", self.tr("training loss")),
                          ("val_loss", self.tr("validation loss")),
                          ("batch_loss", self.tr("batch loss"))):
            self.metric_combo.addItem(text, key)
        self.x_combo = QComboBox()
        self.x_combo.setObjectName("runsXCombo")
        for key, text in (("epoch", self.tr("by epoch")), ("step", self.tr("by step")),
                          ("wall", self.tr("by wall time (s)"))):
            self.x_combo.addItem(text, key)
        self.smoothing = QSlider(Qt.Orientation.Horizontal)
        self.smoothing.setObjectName("runsSmoothing")
        self.smoothing.setRange(0, 99)
        self.smoothing.setToolTip(self.tr("Smoothing: an exponential moving average of each curve"))
        for widget in (self.metric_combo, self.x_combo):
            widget.currentIndexChanged.connect(self.redraw)
        self.smoothing.valueChanged.connect(self.redraw)
        controls = QHBoxLayout()
        controls.addWidget(self.metric_combo)
        controls.addWidget(self.x_combo)
        controls.addWidget(QLabel(self.tr("Smoothing:")))
        controls.addWidget(self.smoothing, 1)
        self.plot = pg.PlotWidget()
        self.plot.setObjectName("runsPlot")
        self.plot.setBackground(theme.plot_background())  # the palette's, light or dark
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.legend = self.plot.addLegend()
        self.curves: dict[int, pg.PlotDataItem] = {}
        plot_box = QWidget()
        plot_layout = QVBoxLayout(plot_box)
        plot_layout.setContentsMargins(0, 0, 0, 0)
        plot_layout.addLayout(controls)
        plot_layout.addWidget(self.plot, 1)
        self.hparams = QTableWidget()
        self.hparams.setObjectName("runsHyperparameters")
        self.hparams.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.hparams.verticalHeader().hide()
        # Side by side from 1366x768 up; on a 1024x600 netbook the curves and settings are tabs.
        lower = SideBySideOrTabs(LOWER_SIDE_BY_SIDE.width(), LOWER_SIDE_BY_SIDE.height())
        lower.setObjectName("runsViews")
        lower.add_view(plot_box, self.tr("Curves"), group=0)
        lower.add_view(self.hparams, self.tr("Settings"), group=1)
        lower.set_group_stretch(0, 6)
        lower.set_group_stretch(1, 5)
        self.lower_views = lower
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addLayout(filter_row)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status_label)

    # -- the history ---------------------------------------------------------------------------
    def _open(self) -> RunStore | None:
        path = self.store_path or run_store_path()
        if not path.exists():
            return None
        return RunStore(path)

    def _with_store(self, action) -> Any:
        """Run ``action(store)``; a store problem becomes the status line, never an exception."""
        try:
            store = self._open()
            if store is None:
                return None
            try:
                return action(store)
            finally:
                store.close()
        except RunStoreError as exc:
            self.status_label.setText(self.tr("The run history cannot be read: {0}").format(exc))
            return None

    def refresh(self) -> None:
        """Read the history again, keeping the selection."""
        keep = set(self.selected_ids())
        self.status_label.clear()  # a problem reading the store writes it here
        runs = self._with_store(lambda store: store.runs()) or []
        self.runs = {run["id"]: run for run in runs}
        self.model.setRowCount(0)
        for run in runs:
            self.model.appendRow(self._row_items(table_row(run)))
        self.table.resizeColumnsToContents()
        if not self.status_label.text():
            self.status_label.setText(self.tr("{0} runs recorded").format(len(runs)))
        self.select_ids(keep)

    def _row_items(self, row: dict[str, Any]) -> list[QStandardItem]:
        def item(text: str, sort: Any) -> QStandardItem:
            cell = QStandardItem(text)
            cell.setData(sort if sort is not None else -1, Qt.ItemDataRole.UserRole)
            return cell

        def percent(value: float | None) -> str:
            return "-" if value is None else f"{value * 100:.2f}%"

        started = time.strftime("%Y-%m-%d %H:%M", time.localtime(row["started_at"]))
        return [item(str(row["id"]), row["id"]), item(row["name"], row["name"]),
                item(started, row["started_at"]), item(row["preset"], row["preset"]),
                item(row["optimizer"], row["optimizer"]),
                item("-" if row["lr"] is None else f"{row['lr']:g}", row["lr"]),
                item(str(row["batch_size"] or "-"), row["batch_size"]),
                item(str(row["epochs"]), row["epochs"]),
                item(percent(row["best_val_accuracy"]), row["best_val_accuracy"]),
                item(percent(row["test_accuracy"]), row["test_accuracy"]),
                item(f"{row['train_seconds'] or 0:.1f} s", row["train_seconds"]),
                item(row["status"], row["status"]), item(row["tags"], row["tags"])]

    def selected_ids(self) -> list[int]:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return sorted(int(self.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole)) for r in rows)

    def select_ids(self, ids: set[int] | list[int]) -> None:
        wanted = set(ids)
        selection = self.table.selectionModel()
        selection.clearSelection()
        for r in range(self.proxy.rowCount()):
            if int(self.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole)) in wanted:
                selection.select(self.proxy.index(r, 0), selection.SelectionFlag.Select
                                 | selection.SelectionFlag.Rows)

    def _on_state_changed(self, state: str) -> None:
        # A run's row is written when it starts and completed when it ends.
        self.refresh()

    def _on_selection_changed(self, *_args) -> None:
        ids = self.selected_ids()
        self._fill_hyperparameters(ids)
        self.redraw()

    # -- comparing -----------------------------------------------------------------------------
    def curve_data(self, run_id: int) -> tuple[np.ndarray, np.ndarray]:
        """The selected metric of one run against the selected x axis (smoothed): (n,), (n,)."""
        metric, axis = self.metric_combo.currentData(), self.x_combo.currentData()
        run = self.runs[run_id]
        per_epoch = max(run["iterations"], 1) / max(run["epochs"], 1)
        if METRICS[metric]:
            rows = self._with_store(lambda store: store.batches(run_id)) or []
            y = [r["loss"] for r in rows]
            x = {"epoch": [r["iteration"] / per_epoch for r in rows],
                 "step": [r["iteration"] for r in rows], "wall": [r["elapsed"] for r in rows]}[axis]
        else:
            rows = self._with_store(lambda store: store.epochs(run_id)) or []
            scale = 100.0 if metric.endswith("accuracy") else 1.0  # accuracies in %, as the table
            y = [np.nan if r[metric] is None else r[metric] * scale for r in rows]
            # Epochs of this run from 1, so a continued model's run lines up with a fresh one's.
            first = rows[0]["epoch"] - 1 if rows else 0
            x = {"epoch": [r["epoch"] - first for r in rows],
                 "step": [(r["epoch"] - first) * per_epoch for r in rows],
                 "wall": [r["wall_time"] - run["started_at"] for r in rows]}[axis]
        return np.asarray(x, dtype=np.float64), smooth(y, self.smoothing.value() / 100)

    def redraw(self) -> None:
        for curve in self.curves.values():
            self.plot.removeItem(curve)
        self.curves.clear()
        self.legend.clear()
        ids = self.selected_ids()
        for i, run_id in enumerate(ids):
            x, y = self.curve_data(run_id)
            name = self.runs[run_id]["name"] or self.tr("run {0}").format(run_id)
            colour = RUN_COLOURS[i % len(RUN_COLOURS)]
            self.curves[run_id] = self.plot.plot(x, y, pen=pg.mkPen(colour, width=2), name=name,
                                                 symbol="o", symbolSize=4, symbolBrush=colour)

    def _fill_hyperparameters(self, ids: list[int]) -> None:
        rows = hyperparameter_rows([self.runs[i]["config"] for i in ids]) if ids else []
        self.hparams.clear()
        self.hparams.setColumnCount(1 + len(ids))
        self.hparams.setRowCount(len(rows))
        self.hparams.setHorizontalHeaderLabels(
            [self.tr("Setting")] + [self.tr("run {0}").format(i) for i in ids])
        bold = QFont()
        bold.setBold(True)
        for r, (key, values, differs) in enumerate(rows):
            for c, text in enumerate([key, *("-" if v is None else str(v) for v in values)]):
                cell = QTableWidgetItem(text)
                if differs:
                    cell.setBackground(DIFFERS)
                    cell.setForeground(QColor(0, 0, 0))  # dark text on the pale highlight, any theme
                    cell.setFont(bold)
                cell.setToolTip(text)
                self.hparams.setItem(r, c, cell)
        self.hparams.resizeColumnsToContents()
        for c in range(1, self.hparams.columnCount()):  # the layer list is long: see its tooltip
            self.hparams.setColumnWidth(c, min(self.hparams.columnWidth(c), 140))

    def differing_settings(self) -> list[str]:
        """The settings shown as differing (for tests and tooltips)."""
        return [self.hparams.item(r, 0).text() for r in range(self.hparams.rowCount())
                if self.hparams.item(r, 0).background().color() == DIFFERS]

    # -- editing -------------------------------------------------------------------------------
    def _single_selected(self) -> int | None:
        ids = self.selected_ids()
        if len(ids) != 1:
            self.status_label.setText(self.tr("Select one run first"))
            return None
        return ids[0]

    def rename_selected(self, name: str | None = None) -> None:
        run_id = self._single_selected()
        if run_id is None:
            return
        if name is None:
            name, ok = QInputDialog.getText(self, self.tr("Rename run"), self.tr("Name:"),
                                            text=self.runs[run_id]["name"] or "")
            if not ok:
                return
        self._with_store(lambda store: store.rename(run_id, name.strip() or None))
        self.refresh()

    def tag_selected(self, tags: list[str] | None = None) -> None:
        ids = self.selected_ids()
        if not ids:
            self.status_label.setText(self.tr("Select runs first"))
            return
        if tags is None:
            current = ", ".join(self.runs[ids[0]]["tags"])
            text, ok = QInputDialog.getText(self, self.tr("Tags"), self.tr("Tags, separated by commas:"),
                                            text=current)
            if not ok:
                return
            tags = [t.strip() for t in text.split(",") if t.strip()]
        self._with_store(lambda store: [store.set_tags(i, tags) for i in ids])
        self.refresh()

    def delete_selected(self, confirm: bool = True) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        if confirm and QMessageBox.question(
                self, self.tr("Delete runs"),
                self.tr("Remove {0} runs from the history? Their model files are kept.").format(len(ids))
        ) != QMessageBox.StandardButton.Yes:
            return
        self._with_store(lambda store: [store.delete(i) for i in ids])
        self.refresh()

    def open_selected_model(self) -> None:
        run_id = self._single_selected()
        if run_id is None:
            return
        path = self.runs[run_id]["model_path"]
        if not path:
            self.status_label.setText(self.tr("Run {0} saved no model").format(run_id))
            return
        try:
            self.session.load_model(path)
        except ModelFileError as exc:
            self.status_label.setText(str(exc))

    def export_table(self, path: str | Path | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export runs"), "runs.csv", "CSV (*.csv)")
            if not path:
                return
        visible = [int(self.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole))
                   for r in range(self.proxy.rowCount())]
        self._write(lambda: write_table_csv(path, [self.runs[i] for i in visible]), path)

    def export_curves(self, path: str | Path | None = None) -> None:
        ids = self.selected_ids()
        if not ids:
            self.status_label.setText(self.tr("Select runs first"))
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export curves"), "curves.csv", "CSV (*.csv)")
            if not path:
                return
        curves = self._with_store(lambda store: {i: store.epochs(i) for i in ids}) or {}
        self._write(lambda: write_curves_csv(path, curves), path)

    def _write(self, write, path: str | Path) -> None:
        try:
            write()
        except OSError as exc:
            self.status_label.setText(self.tr("Cannot write {0}: {1}").format(path, exc.strerror or exc))
            return
        self.status_label.setText(self.tr("Saved {0}").format(path))

