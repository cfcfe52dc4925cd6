"""How the command line reports errors: one line on stderr; a bug's traceback goes to the log."""

from __future__ import annotations

from digitlab.cli import main, model_commands
from digitlab.logfile import LOG_FILE_NAME


def failing_load_model(path):
    raise RuntimeError("kaboom in the loader")


def test_an_unexpected_exception_prints_one_line_and_logs_the_traceback(monkeypatch, capsys, log_dir):
    """A bug (not a DigitLabError) exits 1 with one stderr line naming the log file; the log
    file holds the traceback and the command that failed."""
    monkeypatch.setattr(model_commands, "load_model", failing_load_model)
    code = main(["info", "some-model.npz"])
    err = capsys.readouterr().err
    log_file = log_dir / LOG_FILE_NAME
    assert code == 1
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "RuntimeError: kaboom in the loader" in err and str(log_file) in err
    text = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "failing_load_model" in text
    assert "digitlab info some-model.npz" in text


def test_an_expected_error_prints_one_line_and_writes_no_log(capsys, log_dir, tmp_path):
    """A bad model file is the user's problem, not a bug: one line, exit 2, no log file."""
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    code = main(["info", str(bad)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and str(bad) in err
    assert not (log_dir / LOG_FILE_NAME).exists()
