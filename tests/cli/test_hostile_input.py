"""Issue 12: hostile data files, bad arguments and hostile --out paths on the command line.

Each case runs the real ``digitlab`` command in a subprocess whose peak memory is measured
(``run_cli`` in tests/conftest.py) and checks the contract for bad input: exactly one line on
stderr, exit 2 for bad arguments and 1 for bad files, no traceback, at most 600 MiB.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from digitlab.assets import pretrained_model_path
from digitlab.core.atomic import replace_target

pytestmark = pytest.mark.slow  # each case starts an interpreter (about 0.5 s)

EXIT_FAILURE, EXIT_USAGE = 1, 2


@pytest.fixture(scope="module")
def model() -> str:
    return str(pretrained_model_path())


# --- hostile data files -----------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["idx_gz_bomb", "idx_huge_header", "npz_bomb"])
@pytest.mark.parametrize("command", ["evaluate", "import-data", "train"])
def test_data_bombs_are_one_line_and_bounded(run_cli, hostile_data, model, tmp_path, kind, command):
    """A gzip or zip bomb, or a header declaring billions of images, is refused in bounded memory.

    The bombs expand to 256 MiB-1 GiB; reading only what the header declares (47 MB at most
    here) keeps the peak under 200 MiB, well inside the 600 MiB contract.
    """
    folder = str(hostile_data[kind])
    args = {"evaluate": ["evaluate", model, "--data", folder],
            "import-data": ["import-data", folder, "--dest", str(tmp_path / "cache")],
            "train": ["train", "--data", folder, "--epochs", "1", "--out", str(tmp_path / "m.npz")]}
    line = run_cli(*args[command]).assert_clean_error(EXIT_FAILURE, limit_mib=200)
    assert "train" in line or "x_train" in line  # names the bad file or array
    assert not (tmp_path / "cache").exists() and not (tmp_path / "m.npz").exists()


def test_file_given_as_data_folder_is_named_a_file(run_cli, model, tmp_path):
    """``--data FILE`` says it is a file, not that a folder does not exist."""
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("hello")
    line = run_cli("evaluate", model, "--data", str(not_a_folder)).assert_clean_error(EXIT_FAILURE)
    assert "is a file, not a folder" in line and "does not exist" not in line


def test_import_into_its_own_folder_with_raw_and_gz_deletes_nothing(run_cli, tmp_path, make_mnist):
    """``import-data F --dest F`` with raw and .gz copies of every file keeps all eight."""
    folder = make_mnist(tmp_path / "mnist")
    make_mnist(folder, gz=True)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    run = run_cli("import-data", str(folder), "--dest", str(folder))
    assert run.returncode == 0, run.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert len(before) == 8


# --- --out: refused before any work, or saved ---------------------------------------------------

def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _char_device(path: Path) -> Path:
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a copy of /dev/null
    return path


@pytest.mark.parametrize("make", [_fifo, _char_device, Path.mkdir], ids=["fifo", "device", "folder"])
def test_out_that_is_not_a_regular_file_is_refused_before_work(run_cli, tmp_path, make_mnist, make):
    """A FIFO, a device or a folder at --out: exit 2 at once, and it is still what it was."""
    target = tmp_path / "out.npz"
    make(target)
    kind = stat.S_IFMT(target.lstat().st_mode)
    data = make_mnist(tmp_path / "data")
    run = run_cli("train", "--data", str(data), "--epochs", "1", "--out", str(target), timeout=60)
    assert "folder" in run.assert_clean_error(EXIT_USAGE) or "regular file" in run.stderr
    assert stat.S_IFMT(target.lstat().st_mode) == kind
    assert "epoch" not in run.stdout  # refused before training


def test_dev_null_is_refused(run_cli):
    """``--out /dev/null`` never replaces the system's device (exit 2 before any work)."""
    run_cli("train", "--epochs", "1", "--out", "/dev/null").assert_clean_error(EXIT_USAGE)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_name_too_long_is_refused_up_front(run_cli, tmp_path, make_mnist):
    """A 256-byte name cannot be created: exit 2 before training, nothing written."""
    data = make_mnist(tmp_path / "data")
    out = tmp_path / ("m" * 252 + ".npz")
    line = run_cli("train", "--data", str(data), "--epochs", "1", "--out", str(out)).assert_clean_error(
        EXIT_USAGE)
    assert "longer than" in line


def test_longest_legal_name_and_a_symlink_both_save(run_cli, tmp_path, make_mnist):
    """A 255-byte name saves (temporary names stay short); a symlinked --out replaces its target."""
    data = make_mnist(tmp_path / "data")
    longest = tmp_path / ("m" * 251 + ".npz")
    run = run_cli("train", "--data", str(data), "--epochs", "1", "--train-limit", "100",
                  "--out", str(longest))
    assert run.returncode == 0, run.stderr
    assert longest.is_file() and len(longest.name.encode()) == 255
    real = tmp_path / "models" / "real.npz"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "link.npz"
    link.symlink_to(real)
    run = run_cli("train", "--data", str(data), "--epochs", "1", "--train-limit", "100",
                  "--out", str(link))
    assert run.returncode == 0, run.stderr
    assert link.is_symlink() and replace_target(link) == real.resolve()
    assert real.read_bytes()[:2] == b"PK"  # the target holds the new model
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part")) == []


# --- bad arguments ----------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("gradcheck", "--samples", "1000000000"),
    ("gradcheck", "--seed", "-1"),
    ("train", "--lr", "1e400", "--epochs", "1"),
    ("train", "--epochs", "abc"),
    ("predict",),  # IMAGE is required (evaluate and info default to the shipped model)
    ("no-such-command",),
], ids=["gradcheck-samples-1e9", "gradcheck-seed-negative", "lr-1e400", "epochs-not-a-number",
        "missing-argument", "unknown-command"])
def test_bad_arguments_are_one_line_exit_2(run_cli, args):
    """Bad arguments, argparse's own errors included, are one line and exit 2."""
    run_cli(*args).assert_clean_error(EXIT_USAGE)


def test_gradcheck_more_samples_than_images(run_cli, tmp_path, make_mnist):
    """``gradcheck --samples 5000`` on a 2,000-image set says so in one line (exit 2)."""
    data = make_mnist(tmp_path / "data", n_train=2000)
    line = run_cli("gradcheck", "--samples", "5000", "--data", str(data)).assert_clean_error(EXIT_USAGE)
    assert "2,000" in line


# --- anything that escapes a command ----------------------------------------------------------

@pytest.mark.parametrize(("error", "words"), [
    (MemoryError(), "out of memory"),
    (RecursionError("maximum recursion depth exceeded"), "too deeply nested"),
    (OverflowError("int too large to convert to float"), "out of range"),
    (TypeError("unsupported operand\nsecond line"), "unexpected error: TypeError: unsupported operand"),
], ids=["memory", "recursion", "overflow", "unexpected"])
def test_errors_escaping_a_command_are_one_line_exit_1(monkeypatch, capsys, error, words):
    """MemoryError and any other escaping exception become one stderr line and exit 1."""
    from digitlab.cli import gradcheck_command, main

    def explode(args):
        raise error

    monkeypatch.delenv("DIGITLAB_DEBUG", raising=False)
    monkeypatch.setattr(gradcheck_command, "run", explode)
    assert main(["gradcheck"]) == EXIT_FAILURE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and "Traceback" not in err


def test_a_several_line_message_is_printed_as_one_line(capsys):
    """Errors with several lines (every mirror's failure, say) still take one stderr line."""
    from digitlab.cli.common import fail

    fail("Could not download x.gz from any mirror:\n  https://a/: HTTP 404\n  https://b/: timed out\n")
    err = capsys.readouterr().err
    assert err == "digitlab: error: Could not download x.gz from any mirror: https://a/: HTTP 404 " \
                  "https://b/: timed out\n"
