"""Errors nobody caught: logged with their traceback, shown to the user as one line.

An exception escaping a Qt slot does not stop the app; PySide6 hands it to ``sys.excepthook``,
whose default prints a traceback on a console the user usually cannot see. The desktop app
installs an :class:`ErrorReporter` instead, for the GUI thread (``sys.excepthook``) and for
Python threads (``threading.excepthook``): the traceback goes to the log file and
``error_reported`` carries one line (what failed, where the details are) to the main window.
"""

from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QObject, Signal

from ..logfile import log_file_path

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ErrorReporter", text)


def unexpected_error_message(exc: BaseException) -> str:
    """One line for the user about an exception nobody expected: what, and where the details are."""
    line = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    path = log_file_path()
    return _tr("{0} (details in {1})").format(line, path) if path is not None else line


class ErrorReporter(QObject):
    """Replaces the exception hooks while installed; emits one line per uncaught exception."""

    #: one line for the user; emitted on the thread that failed, so connect widgets normally
    #: (the connection is then queued to the GUI thread)
    error_reported = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._previous_hook = None
        self._previous_thread_hook = None

    def install(self) -> ErrorReporter:
        self._previous_hook, sys.excepthook = sys.excepthook, self.handle_exception
        self._previous_thread_hook, threading.excepthook = threading.excepthook, self.handle_thread_exception
        return self

    def uninstall(self) -> None:
        if self._previous_hook is not None:
            sys.excepthook, self._previous_hook = self._previous_hook, None
        if self._previous_thread_hook is not None:
            threading.excepthook, self._previous_thread_hook = self._previous_thread_hook, None

    def handle_exception(self, exc_type: type[BaseException], exc: BaseException,
                         tb: TracebackType | None) -> None:
        """``sys.excepthook``: log with the traceback, report one line (Ctrl+C keeps its default)."""
        if issubclass(exc_type, KeyboardInterrupt):
            (self._previous_hook or sys.__excepthook__)(exc_type, exc, tb)
            return
        log.critical("uncaught exception", exc_info=(exc_type, exc, tb))
        self.error_reported.emit(unexpected_error_message(exc))

    def handle_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        """``threading.excepthook``: the same for an exception that ended a Python thread."""
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "?"
        log.critical("uncaught exception in thread %s", name,
                     exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
        self.error_reported.emit(unexpected_error_message(args.exc_value))
