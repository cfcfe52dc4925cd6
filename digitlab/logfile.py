"""DigitLab's log file: where unexpected errors are written with their traceback.

Every module logs through ``logging.getLogger(__name__)``; only the entry points (the desktop app
and the command line) call :func:`configure_logging`, once, which sends the ``digitlab`` loggers
to a rotating file ``digitlab.log`` in :func:`digitlab.paths.user_log_dir` (``DIGITLAB_LOG_DIR``
moves it, for tests). The core never configures logging: a library that did would fight
whichever program embeds it.

The file is opened when the first record arrives, so a command that logs nothing leaves no file.
If the folder cannot be created, records go to stderr instead: a traceback shown is better
than a traceback lost.
"""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from . import paths

LOG_FILE_NAME = "digitlab.log"
#: the file rotates at this size, keeping BACKUP_COUNT older ones (digitlab.log.1 ...)
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

#: the logger every DigitLab module's logger hangs under (``digitlab.gui.jobs``, ...)
ROOT_LOGGER = "digitlab"


class _DigitLabHandler(RotatingFileHandler):
    """The one file handler configure_logging installs (recognised by its class)."""


def configure_logging(level: int = logging.INFO) -> Path | None:
    """Send DigitLab's log records to the rotating log file; returns its path (None: stderr).

    Calling it again is cheap: the handler is kept, or moved if the log folder has changed
    (tests change ``DIGITLAB_LOG_DIR`` between runs in one process).
    """
    logger = logging.getLogger(ROOT_LOGGER)
    logger.setLevel(level)
    path = paths.user_log_dir() / LOG_FILE_NAME
    current = _installed_handler()
    if current is not None and Path(current.baseFilename) == path.absolute():
        return path
    stop_logging_to_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = _DigitLabHandler(path, maxBytes=MAX_BYTES,
                                                    backupCount=BACKUP_COUNT, encoding="utf-8",
                                                    delay=True)
        result: Path | None = path
    except OSError as exc:
        handler = logging.StreamHandler(sys.stderr)
        handler.set_name(_DigitLabHandler.__name__)
        result = None
        sys.stderr.write(f"digitlab: cannot write the log file {path}: {exc.strerror or exc}\n")
    handler.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(handler)
    return result


def log_file_path() -> Path | None:
    """The file configure_logging writes to, or None if it has not been called (or fell back)."""
    handler = _installed_handler()
    return Path(handler.baseFilename) if isinstance(handler, RotatingFileHandler) else None


def stop_logging_to_file() -> None:
    """Remove and close the handler configure_logging installed (tests; embedding programs)."""
    handler = _installed_handler()
    if handler is not None:
        logging.getLogger(ROOT_LOGGER).removeHandler(handler)
        handler.close()


def _installed_handler() -> logging.Handler | None:
    for handler in logging.getLogger(ROOT_LOGGER).handlers:
        if isinstance(handler, _DigitLabHandler) or handler.get_name() == _DigitLabHandler.__name__:
            return handler
    return None
