"""`digitlab merge`: trained dense networks as one model file that reads as their average."""

from __future__ import annotations

import json

import numpy as np

from digitlab.cli import main
from digitlab.core.predict import model_probabilities
from digitlab.core.serialization import load_model


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def train(capsys, folder, out, *extra: str) -> None:
    code, _, err = run_cli(capsys, "train", "--preset", "mlp", "--epochs", "2", "--val-split",
                           "0.2", "--data", str(folder), "--out", str(out), *extra)
    assert code == 0, err


def test_merge_writes_one_model_that_reads_as_the_mean_of_its_members(
        capsys, tmp_path, synthetic_mnist_folder):
    train(capsys, synthetic_mnist_folder, tmp_path / "a.npz")
    train(capsys, synthetic_mnist_folder, tmp_path / "b.npz", "--rotation-deg", "10")
    out = tmp_path / "merged.npz"
    code, stdout, err = run_cli(capsys, "merge", str(tmp_path / "a.npz"), str(tmp_path / "b.npz"),
                                "--out", str(out), "--data", str(synthetic_mnist_folder), "--json")
    assert code == 0, err
    summary = json.loads(stdout.strip().splitlines()[-1])
    assert summary["members"] == ["a.npz", "b.npz"] and 0 <= summary["test_accuracy"] <= 1
    merged, a, b = (load_model(p) for p in (out, tmp_path / "a.npz", tmp_path / "b.npz"))
    assert merged.command.startswith("digitlab merge ") and merged.provenance[-1]["kind"] == "merged"
    images = np.random.default_rng(0).integers(0, 256, (40, 28, 28)).astype(np.uint8)

    def log_probabilities(model, calibrated=True):
        saved = model.calibration
        if not calibrated:
            model.calibration = None
        x = model.transform.apply(images, model.network.input_shape, model.network.dtype)
        p = model_probabilities(model, x)
        model.calibration = saved
        return np.log(p)

    mean = (log_probabilities(a) + log_probabilities(b)) / 2
    expected = np.exp(mean - mean.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    got = np.exp(log_probabilities(merged, calibrated=False))
    np.testing.assert_allclose(got, expected, atol=1e-4)
    code, stdout, _ = run_cli(capsys, "info", str(out))
    assert code == 0 and "provenance: merged" in stdout and "settings: the first member's" in stdout


def test_members_of_other_splits_or_a_missing_out_folder_are_one_line_errors(
        capsys, tmp_path, synthetic_mnist_folder):
    train(capsys, synthetic_mnist_folder, tmp_path / "a.npz")
    train(capsys, synthetic_mnist_folder, tmp_path / "b.npz", "--seed", "1")
    members = [str(tmp_path / "a.npz"), str(tmp_path / "b.npz")]
    code, _, err = run_cli(capsys, "merge", *members, "--out", str(tmp_path / "m.npz"),
                           "--data", str(synthetic_mnist_folder))
    assert code == 1 and "another split" in err and len(err.strip().splitlines()) == 1
    code, _, err = run_cli(capsys, "merge", members[0], members[0],
                           "--out", str(tmp_path / "no" / "m.npz"))
    assert code == 2 and "does not exist" in err
    code, _, err = run_cli(capsys, "merge", members[0], "--out", str(tmp_path / "m.npz"))
    assert code == 2 and "2 to 8" in err
    assert not (tmp_path / "m.npz").exists()


def test_out_may_not_be_one_of_the_members(capsys, tmp_path, synthetic_mnist_folder):
    train(capsys, synthetic_mnist_folder, tmp_path / "a.npz")
    before = (tmp_path / "a.npz").read_bytes()
    code, _, err = run_cli(capsys, "merge", str(tmp_path / "a.npz"), str(tmp_path / "a.npz"),
                           "--out", str(tmp_path / "." / "a.npz"),
                           "--data", str(synthetic_mnist_folder))
    assert code == 2 and "one of the models being merged" in err
    assert (tmp_path / "a.npz").read_bytes() == before
