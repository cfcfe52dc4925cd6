"""The Help menu's user guide: a non-modal window with a first-run walkthrough, the panels, the
keyboard shortcuts and where DigitLab keeps its files.

The shortcut table is read from the main window's menus when the guide opens, so it always lists
the keys the menus really have (in the interface language); the canvas's own keys, which belong
to no menu, are added by hand. The guide never blocks: it is a separate top-level window opened
with ``show()``, beside the main window, and F1 brings it back to the front.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from PySide6.QtCore import QObject, QSize, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QMenu,
    QMenuBar,
    QTextBrowser,
    QWidget,
)

from .. import paths
from .widgets.fit_screen import fit_to_screen

#: The guide's sections in order: anchor name, and the page for it (built by the window).
SECTION_KEYS = ("start", "panels", "shortcuts", "files")


def plain_menu_text(text: str) -> str:
    """A menu text without its accelerator: "&Save" and Chinese "保存(&S)" become "Save", "保存"."""
    text = re.sub(r"\(&\w\)", "", text)
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def menu_shortcuts(menu_bar: QMenuBar) -> list[tuple[str, str]]:
    """``(menu path, key)`` for every action in the menus that has a shortcut, in menu order."""
    rows: list[tuple[str, str]] = []

    def visit(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            text = f"{path} \u25b8 {plain_menu_text(action.text())}"
            if action.menu() is not None:
                visit(action.menu(), text)
            elif not action.shortcut().isEmpty():
                rows.append((text, action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)))

    for action in menu_bar.actions():
        if action.menu() is not None:
            visit(action.menu(), plain_menu_text(action.text()))
    return rows


def open_folder(folder: Path) -> bool:
    """Show ``folder`` in the desktop's file manager, creating it first; False if that failed."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def documentation_folder() -> Path | None:
    """The ``docs`` folder of a source checkout (an editable install has it); None in a wheel."""
    folder = Path(__file__).resolve().parents[2] / "docs"
    return folder if folder.is_dir() else None


class UserGuideWindow(QMainWindow):
    """The user guide: a list of sections on the left, the selected one on the right.

    Parameters
    ----------
    main_window : the window whose menus the shortcut table describes (and the guide's parent,
        so it closes with it); it stays usable while the guide is open.
    """

    def __init__(self, main_window: QMainWindow) -> None:
        super().__init__(main_window)
        self.setObjectName("userGuide")
        self.setWindowTitle(self.tr("DigitLab user guide"))
        self.main_window = main_window
        self.sections = QListWidget()
        self.sections.setObjectName("userGuideSections")
        titles = {"start": self.tr("Getting started"), "panels": self.tr("The panels"),
                  "shortcuts": self.tr("Keyboard shortcuts"), "files": self.tr("Files and folders")}
        for key in SECTION_KEYS:
            self.sections.addItem(titles[key])
        self.sections.setMaximumWidth(self.sections.sizeHintForColumn(0) + 24)
        self.browser = QTextBrowser()
        self.browser.setObjectName("userGuideText")
        self.browser.setOpenExternalLinks(True)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.sections)
        layout.addWidget(self.browser, 1)
        self.setCentralWidget(central)
        self.sections.currentRowChanged.connect(self._show_row)
        fit_to_screen(self, QSize(760, 520))
        self.sections.setCurrentRow(0)

    def show_section(self, key: str = "start") -> None:
        """Open (or raise) the guide on the section ``key`` (one of :data:`SECTION_KEYS`)."""
        self.sections.setCurrentRow(SECTION_KEYS.index(key))
        self._show_row(SECTION_KEYS.index(key))  # the shortcuts may have changed meanwhile
        self.show()
        self.raise_()
        self.activateWindow()

    def section_html(self, key: str) -> str:
        """The HTML of one section (the shortcut table is read from the menus now)."""
        return {"start": self._getting_started, "panels": self._panels,
                "shortcuts": self._shortcuts, "files": self._files}[key]()

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(SECTION_KEYS):
            self.browser.setHtml(self.section_html(SECTION_KEYS[row]))

    # -- the sections ---------------------------------------------------------------------------
    def _getting_started(self) -> str:
        from ..download import total_bytes  # the downloader's imports (http, ssl) cost start-up

        size = self.tr("{0:.1f} MB").format(total_bytes() / 1e6)
        steps = [
            self.tr("<b>Draw.</b> Open the <i>Draw</i> tab and write a digit with the mouse or a pen. "
                    "The shipped pretrained model reads it as you write; the bars show how sure it "
                    "is. Esc clears the canvas, Ctrl+Z takes back a stroke."),
            self.tr("<b>Get MNIST.</b> Training needs the MNIST digits. In the <i>Data</i> tab, "
                    "<i>Download MNIST</i> fetches them ({0}, checked file by file), or "
                    "<i>Import local files\u2026</i> copies files you already have.").format(size),
            self.tr("<b>Train.</b> Pick a preset in the <i>Network</i> panel on the left (<i>mlp</i> "
                    "learns in seconds), then press <i>Start</i> in the <i>Training</i> panel (F5). "
                    "Watch the loss fall in <i>Curves</i> and the first layer take shape in "
                    "<i>Weights</i>. Pause with F6, stop with Shift+F5."),
            self.tr("<b>Evaluate.</b> In the <i>Evaluate</i> tab, <i>Evaluate on test set</i> measures "
                    "the model on 10,000 digits it never trained on. Click a cell of the confusion "
                    "matrix to see those digits."),
            self.tr("<b>Save.</b> File \u25b8 Save (Ctrl+S) writes the model, its settings and its "
                    "curves to one file in your models folder; File \u25b8 Open brings it back. "
                    "DigitLab asks before it closes with trained weights that are not saved."),
        ]
        items = "".join(f"<li>{step}</li>" for step in steps)
        intro = self.tr("A first session in five steps:")
        lab = self.tr("The Lab menu opens experiments from the tutorials: numerical gradients "
                      "against backpropagation, fitting a function, a decision boundary, two "
                      "losses, and vanishing gradients.")
        title = self.tr("Getting started")
        return f"<h2>{title}</h2><p>{intro}</p><ol>{items}</ol><p>{lab}</p>"

    def _panels(self) -> str:
        panels = [
            (self.tr("Network"), self.tr(
                "The layers (add, remove, reorder, set units and activations), the optimiser, "
                "learning rate and schedule, regularisation, the data split and the number of "
                "epochs. A preset fills it all in. Impossible values are refused in the control.")),
            (self.tr("Training"), self.tr(
                "Start, pause and stop a run; its progress, time left, speed and latest loss. The "
                "learning rate can be changed while the run goes on.")),
            (self.tr("Curves"), self.tr(
                "Loss per batch and per epoch, and accuracy per epoch on training, validation and "
                "test data. Tick a series to show or hide it; export the plots or the numbers.")),
            (self.tr("Weights"), self.tr(
                "The first layer's weights as images (click one to enlarge it), histograms of the "
                "weights and gradients of every layer, and the size of the gradients over time.")),
            (self.tr("Draw"), self.tr(
                "A canvas to write digits on, the 28x28 image the network actually sees, and its "
                "probability for each digit. Load an image file to read a digit from it.")),
            (self.tr("Evaluate"), self.tr(
                "Test accuracy, accuracy per digit, the confusion matrix and a gallery of the "
                "mistakes, most confident first.")),
            (self.tr("Data"), self.tr(
                "Where the MNIST files are, download and import, and sample digits of each class.")),
            (self.tr("Lab"), self.tr(
                "A separate window of small experiments that show why networks learn the way "
                "they do.")),
        ]
        rows = "".join(f"<tr><td><b>{escape(name)}</b></td><td>{escape(text)}</td></tr>"
                       for name, text in panels)
        intro = self.tr("Panels can be moved, closed and brought back from the View menu; "
                        "View \u25b8 Reset layout puts them back. On a small screen a panel "
                        "scrolls.")
        title = self.tr("The panels")
        return f"<h2>{title}</h2><p>{intro}</p><table cellpadding='4'>{rows}</table>"

    def _shortcuts(self) -> str:
        rows = menu_shortcuts(self.main_window.menuBar())
        rows += [(self.tr("Draw canvas: clear"), "Esc"),
                 (self.tr("Draw canvas: undo the last stroke"),
                  QKeySequence(QKeySequence.StandardKey.Undo).toString(
                      QKeySequence.SequenceFormat.NativeText))]
        table = "".join(f"<tr><td>{escape(what)}</td><td><b>{escape(key)}</b></td></tr>"
                        for what, key in rows)
        command, keys, title = self.tr("Command"), self.tr("Keys"), self.tr("Keyboard shortcuts")
        header = f"<tr><th align='left'>{command}</th><th align='left'>{keys}</th></tr>"
        return f"<h2>{title}</h2><table cellpadding='4'>{header}{table}</table>"

    def _files(self) -> str:
        docs = documentation_folder()
        rows = [(self.tr("Models"), str(paths.models_dir())),
                (self.tr("MNIST cache"), str(paths.mnist_cache_dir())),
                (self.tr("Settings"), str(paths.user_config_dir())),
                (self.tr("Documentation"), str(docs) if docs is not None else self.tr(
                    "not installed (it is the docs folder of DigitLab's source)"))]
        table = "".join(f"<tr><td><b>{escape(name)}</b></td><td>{escape(path)}</td></tr>"
                        for name, path in rows)
        intro = self.tr("Help \u25b8 Open models folder and Help \u25b8 Open documentation folder "
                        "show them in the file manager. A model is one .npz file: copy it to "
                        "share it.")
        title = self.tr("Files and folders")
        return f"<h2>{title}</h2><p>{intro}</p><table cellpadding='4'>{table}</table>"


class HelpActions(QObject):
    """The Help menu's entries before About: the guide (F1), the shortcuts, the two folders."""

    def __init__(self, main_window: QMainWindow, menu: QMenu) -> None:
        super().__init__(main_window)
        self.setObjectName("helpActions")
        self.main_window = main_window
        self.guide: UserGuideWindow | None = None
        tr = self.tr
        self.guide_action = self._add(menu, tr("&User guide"), tr("How DigitLab works, step by step"),
                                      lambda: self.show_guide("start"))
        self.guide_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.shortcuts_action = self._add(menu, tr("&Keyboard shortcuts"),
                                          tr("Every key DigitLab answers to"),
                                          lambda: self.show_guide("shortcuts"))
        menu.addSeparator()
        self.docs_action = self._add(menu, tr("Open &documentation folder"),
                                     tr("The guides and notes that come with DigitLab"),
                                     self.open_documentation)
        if documentation_folder() is None:
            self.docs_action.setEnabled(False)
            self.docs_action.setStatusTip(tr("This installation has no documentation folder"))
        self.models_action = self._add(menu, tr("Open &models folder"),
                                       tr("Where File \u25b8 Save puts your models"),
                                       self.open_models)
        menu.addSeparator()

    def _add(self, menu: QMenu, text: str, tip: str, slot) -> QAction:
        action = QAction(text, self.main_window)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def show_guide(self, section: str = "start") -> UserGuideWindow:
        """Open the guide (created on first use) on ``section``; it never blocks the main window."""
        if self.guide is None:
            self.guide = UserGuideWindow(self.main_window)
        self.guide.show_section(section)
        return self.guide

    def open_documentation(self) -> bool:
        folder = documentation_folder()
        return folder is not None and self._open(folder)

    def open_models(self) -> bool:
        return self._open(paths.models_dir())

    def _open(self, folder: Path) -> bool:
        if open_folder(folder):
            return True
        self.main_window.statusBar().showMessage(self.tr("Could not open {0}").format(folder), 10000)
        return False
