"""The log file: where it is, that records reach it, and that no module prints tracebacks."""

from __future__ import annotations

import logging
from pathlib import Path

import appdirs

from digitlab import paths
from digitlab.logfile import LOG_FILE_NAME, configure_logging, log_file_path

PACKAGE = Path(__file__).resolve().parents[1] / "digitlab"


def test_log_folder_follows_the_overrides(monkeypatch, tmp_path):
    """DIGITLAB_LOG_DIR wins, then DIGITLAB_HOME/logs, then appdirs' user log folder."""
    monkeypatch.setenv("DIGITLAB_LOG_DIR", str(tmp_path / "explicit"))
    monkeypatch.setenv("DIGITLAB_HOME", str(tmp_path / "home"))
    assert paths.user_log_dir() == tmp_path / "explicit"
    monkeypatch.setenv("DIGITLAB_LOG_DIR", "")
    assert paths.user_log_dir() == tmp_path / "home" / "logs"
    monkeypatch.setenv("DIGITLAB_HOME", "")
    assert paths.user_log_dir() == Path(appdirs.user_log_dir("DigitLab", appauthor=False))


def test_records_with_tracebacks_reach_the_file_opened_on_first_use(log_dir):
    """configure_logging creates no file until something is logged; then the record and its
    traceback are in it."""
    path = configure_logging()
    assert path == log_dir / LOG_FILE_NAME and log_file_path() == path
    assert not path.exists()
    try:
        raise KeyError("missing thing")
    except KeyError:
        logging.getLogger("digitlab.some.module").exception("it broke")
    text = path.read_text(encoding="utf-8")
    assert "ERROR digitlab.some.module" in text and "it broke" in text
    assert "Traceback (most recent call last)" in text and "KeyError: 'missing thing'" in text


def test_configuring_again_follows_a_new_folder(log_dir, monkeypatch, tmp_path):
    """A second call with another DIGITLAB_LOG_DIR moves the one handler there (no duplicates)."""
    configure_logging()
    monkeypatch.setenv("DIGITLAB_LOG_DIR", str(tmp_path / "elsewhere"))
    moved = configure_logging()
    configure_logging()
    logging.getLogger("digitlab").warning("once")
    assert moved == tmp_path / "elsewhere" / LOG_FILE_NAME
    assert moved.read_text(encoding="utf-8").count("once") == 1
    assert not (log_dir / LOG_FILE_NAME).exists()


def test_no_module_prints_tracebacks_instead_of_logging():
    """Nothing under digitlab/ calls traceback.print_exc or print_exception."""
    offenders = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                 if "print_exc" in p.read_text(encoding="utf-8")]
    assert offenders == []
