"""``digitlab data``, ``--data NAME`` / ``mnist+NAME`` and ``--extra-data`` on the command line."""

from __future__ import annotations

import json

import numpy as np
import pytest

from digitlab import paths
from digitlab.cli import main
from digitlab.core.runstore import RunStore
from digitlab.core.serialization import load_model

TINY = ("--preset", "mlp", "--epochs", "1", "--batch-size", "20")


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def own_npz(tmp_path):
    """An .npz of 40 labelled digits, no test split (as a user would write it)."""
    rng = np.random.default_rng(0)
    path = tmp_path / "own.npz"
    np.savez(path, x_train=rng.integers(0, 256, (40, 28, 28), dtype=np.uint8),
             y_train=(np.arange(40) % 10).astype(np.uint8))
    return path


def test_import_list_and_remove(capsys, own_npz):
    code, out, _ = _cli(capsys, "data", "import", "--name", "mine", str(own_npz))
    assert code == 0 and "32 train + 8 test" in out
    code, out, _ = _cli(capsys, "data", "list", "--json")
    [listed] = json.loads(out.strip().splitlines()[-1])
    assert (listed["name"], listed["train"], listed["test"]) == ("mine", 32, 8)
    code, _, err = _cli(capsys, "import-data", "--name", "mine", str(own_npz))
    assert code == 1 and "already exists" in err
    assert _cli(capsys, "data", "remove", "mine")[0] == 0
    code, out, _ = _cli(capsys, "data", "list")
    assert "no data sets yet" in out


def test_train_and_evaluate_on_a_named_set_record_it(capsys, tmp_path, own_npz):
    """`train --data NAME` learns from it (no MNIST needed); the model and the run history say
    which data, by name and SHA-256; `evaluate --data NAME` tests on its test split."""
    assert _cli(capsys, "import-data", "--name", "mine", str(own_npz))[0] == 0
    out = tmp_path / "m.npz"
    code, _, err = _cli(capsys, "train", *TINY, "--data", "mine", "--out", str(out))
    assert code == 0, err
    record = load_model(out).data
    _, listed, _ = _cli(capsys, "data", "list", "--json")
    assert record["name"] == "mine" and record["sha256"] == json.loads(listed)[0]["sha256"]
    store = RunStore(paths.run_store_path())
    assert store.runs()[0]["data"]["name"] == "mine"
    store.close()
    code, text, _ = _cli(capsys, "evaluate", str(out), "--data", "mine", "--json")
    summary = json.loads(text.strip().splitlines()[-1])
    assert code == 0 and summary["data"]["name"] == "mine" and summary["data"]["test"] == 8


def test_train_on_mnist_plus_a_set(capsys, tmp_path, own_npz, make_mnist, monkeypatch):
    monkeypatch.setenv("DIGITLAB_MNIST_DIR", str(make_mnist(tmp_path / "mnist", 100, 20)))
    assert _cli(capsys, "data", "import", "--name", "mine", str(own_npz))[0] == 0
    out = tmp_path / "m.npz"
    code, _, err = _cli(capsys, "train", *TINY, "--data", "mnist+mine", "--out", str(out))
    assert code == 0, err
    data = load_model(out).data
    assert data["name"] == "mnist+mine" and (data["train"], data["test"]) == (132, 28)
    assert [part["name"] for part in data["parts"]] == ["mnist", "mine"]


@pytest.mark.slow
def test_extra_data_is_added_oversampled_and_recorded(capsys, tmp_path, own_npz, make_mnist,
                                                      monkeypatch):
    """`train --init M --extra-data my_digits.npz` (issue 10): the extra images are repeated
    into the training set, and the record says so."""
    mnist = make_mnist(tmp_path / "mnist", 200, 20)
    first = tmp_path / "first.npz"
    assert _cli(capsys, "train", *TINY, "--data", str(mnist), "--out", str(first))[0] == 0
    tuned = tmp_path / "tuned.npz"
    code, _, err = _cli(capsys, "train", "--init", str(first), "--epochs", "1", "--data", str(mnist),
                        "--extra-data", str(own_npz), "--out", str(tuned))
    assert code == 0, err
    model = load_model(tuned)
    extra = model.data["parts"][-1]
    assert (extra["name"], extra["images"], extra["repeats"]) == ("own", 40, 2)
    assert model.data["train"] == 200 + 40 * 2
    assert model.provenance[-1]["kind"] == "fine-tuned" and model.provenance[-1]["on"] == "mnist+own"


def test_bad_data_choices_are_one_line(capsys, tmp_path):
    code, _, err = _cli(capsys, "train", *TINY, "--data", "nosuch")
    assert code == 1 and len(err.strip().splitlines()) == 1 and "no data set named 'nosuch'" in err
    code, _, err = _cli(capsys, "train", *TINY, "--data", "mnist+mnist")
    assert code == 1 and "twice" in err
    code, _, err = _cli(capsys, "train", *TINY, "--extra-data", str(tmp_path / "missing.npz"),
                        "--data", "nosuch")
    assert code == 1 and len(err.strip().splitlines()) == 1


@pytest.mark.slow
def test_a_hostile_folder_is_one_line_in_a_real_process(run_cli, tmp_path):
    """A non-digit subfolder: one stderr line, exit 1, nothing stored, bounded memory."""
    (tmp_path / "src" / "x").mkdir(parents=True)
    (tmp_path / "src" / "x" / "a.png").write_bytes(b"not a png")
    result = run_cli("data", "import", "--name", "mine", str(tmp_path / "src"))
    assert "not a digit" in result.assert_clean_error(1)
    assert not (tmp_path / "cli-home" / "data" / "datasets" / "mine.npz").exists()
