"""Start the desktop app: display and X11 checks, logging, QApplication, translations,
main window (pyqtgraph is imported, and set to the palette, with the first plot:
``digitlab.gui.plotting``)."""

from __future__ import annotations

import logging
import os
import platform
import sys
from pathlib import Path

log = logging.getLogger(__name__)

NO_DISPLAY_MESSAGE = ("digitlab: no display found; run `digitlab --help` for the command line, "
                      "or set QT_QPA_PLATFORM=offscreen")


def display_available() -> bool:
    """False on X11/Wayland systems with neither a display nor an explicit Qt platform."""
    if sys.platform in ("win32", "darwin"):
        return True
    return any(os.environ.get(name, "").strip()
               for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def configure_pyqtgraph() -> None:
    """Plots in the system palette's colours (light or dark theme), with smooth lines."""
    from .theme import configure_pyqtgraph as configure

    configure()


def install_translators(app, language: str | None = None) -> list:
    """Load Qt's own and DigitLab's translations for the interface language; see ``gui.language``.

    ``language`` defaults to ``DIGITLAB_LANG``, else the View > Language choice in the settings,
    else the system locale. The translators are returned so they stay alive.
    """
    from .language import choose_language
    from .language import install_translators as install

    if language is None:
        from .settings import AppSettings

        language = choose_language(AppSettings().language())
    return install(app, language)


def app_icon(resource_path) -> object:
    """The window icon: the SVG, plus the rendered PNGs for sizes where SVG is unavailable."""
    from PySide6.QtGui import QIcon

    icon = QIcon()
    svg = resource_path("icon.svg")
    if svg is not None:
        icon.addFile(str(svg))
    folder = resource_path("icons")
    if folder is not None:
        for png in sorted(folder.glob("digitlab-*.png")):
            icon.addFile(str(png))
    return icon


def create_main_window(model_path: str | Path | None = None):
    """The main window, configured as the app would show it (not shown yet)."""
    from .main_window import MainWindow

    if "pyqtgraph" in sys.modules:  # imported before the QApplication (a test): set its colours
        configure_pyqtgraph()       # now; otherwise digitlab.gui.plotting does on first import
    return MainWindow(model_path)


def _model_argument(argv: list[str]) -> Path | None:
    for arg in argv[1:]:
        if not arg.startswith("-") and Path(arg).suffix == ".npz":
            return Path(arg)
    return None


def run_gui(argv: list[str] | None = None) -> int:
    """Open the main window and run the event loop; returns the exit status."""
    argv = list(sys.argv if argv is None else argv)
    if not display_available():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 1
    from .xcb_check import xcb_problem

    problem = xcb_problem()  # Qt would abort the process; say what to install instead
    if problem is not None:
        print(f"digitlab: {problem}", file=sys.stderr)
        return 1
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from .. import __version__
    from ..assets import resource_path
    from ..logfile import configure_logging
    from . import jobs
    from .errors import ErrorReporter

    log_path = configure_logging()
    log.info("DigitLab %s starting (Python %s, PySide6 %s, %s); log file %s", __version__,
             platform.python_version(), pyside_version, platform.platform(), log_path)

    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("DigitLab")
    app.setOrganizationName("DigitLab")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("digitlab")
    translators = install_translators(app)  # noqa: F841 - kept alive for the app's lifetime
    reporter = ErrorReporter(app).install()
    app.aboutToQuit.connect(jobs.cancel_all_and_wait)  # e.g. quit from the session manager
    window = create_main_window(_model_argument(argv))
    reporter.error_reported.connect(window.show_unexpected_error)
    window.show()
    # The icon (an SVG and its PNGs) after the window: Qt gives it to the open window too.
    QTimer.singleShot(0, lambda: app.setWindowIcon(app_icon(resource_path)))
    try:
        return app.exec()
    finally:
        reporter.uninstall()
