"""The digitlab command line: arguments, exit codes, outputs and files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from digitlab import __version__
from digitlab.cli import main
from digitlab.core.serialization import load_model


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_version(capsys):
    """--version prints the package version."""
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_preset_list_names_every_preset(capsys):
    """`train --preset list` describes the presets, including the tutorial nets and mlp."""
    code, out, _ = run_cli(capsys, "train", "--preset", "list")
    assert code == 0
    for name in ("tutorial-relu", "tutorial-sigmoid", "mlp"):
        assert name in out


@pytest.mark.parametrize("argv, words", [
    (["--lr", "-1"], "learning rate"),
    (["--val-split", "1.5"], "val_split"),
    (["--batch-size", "0"], "batch_size"),
    (["--preset", "nonsense"], "unknown preset"),
    (["--augment", "ten"], "--augment"),
    (["--augment", "500,0,0"], "rotation"),
    (["--out", "/nonexistent-folder/model.npz"], "does not exist"),
])
def test_bad_arguments_exit_2_before_loading_data(capsys, tmp_path, argv, words):
    """Bad arguments give exit code 2 and one line naming the problem, before data is loaded."""
    missing_data = tmp_path / "no-data-here"
    code, _, err = run_cli(capsys, "train", "--data", str(missing_data), *argv)
    assert code == 2
    assert words in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_unwritable_out_folder_exits_2(capsys, tmp_path):
    """An --out in a read-only folder is refused up front."""
    if os.geteuid() == 0:
        pytest.skip("root can write to read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    code, _, err = run_cli(capsys, "train", "--out", str(folder / "m.npz"))
    assert code == 2 and "not writable" in err


def test_corrupt_init_model_exits_1(capsys, tmp_path):
    """A corrupt --init file is a bad file: exit 1 with a one-line reason, before any data."""
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 truncated")
    code, _, err = run_cli(capsys, "train", "--init", str(bad))
    assert code == 1 and "not a DigitLab model" in err and err.count("\n") == 1


def test_missing_data_exits_1_and_says_how_to_get_it(capsys, tmp_path):
    """Without MNIST the error says how to get it (download or --data), on one line per cause."""
    code, _, err = run_cli(capsys, "train", "--data", str(tmp_path), "--epochs", "1")
    assert code == 1
    assert "digitlab download" in err and "Traceback" not in err


@pytest.mark.mnist
@pytest.mark.slow
def test_train_json_summary_and_model_file(small_model):
    """train --json ends with one JSON object with the documented keys; the model is saved."""
    path, summary = small_model
    assert set(summary) >= {"test_accuracy", "test_loss", "train_loss", "val_accuracy",
                            "seconds_per_epoch", "samples_per_second", "stopped"}
    assert summary["stopped"] == "completed"
    assert summary["val_accuracy"] is None
    assert 0.9 < summary["test_accuracy"] <= 1.0
    model = load_model(path)
    assert model.training["command"].startswith("digitlab train")
    assert model.training["result"]["test_accuracy"] == summary["test_accuracy"]
    assert len(model.history) == 1


@pytest.mark.mnist
def test_evaluate_matches_training_and_reports_matrix(capsys, small_model, mnist_dir):
    """evaluate --json gives the same test accuracy as training reported, per class and confusion."""
    path, summary = small_model
    code, out, _ = run_cli(capsys, "evaluate", str(path), "--data", str(mnist_dir), "--json")
    assert code == 0
    result = json.loads(out.strip().splitlines()[-1])
    assert result["test_accuracy"] == pytest.approx(summary["test_accuracy"], abs=1e-9)
    matrix = np.array(result["confusion_matrix"])
    assert matrix.shape == (10, 10) and matrix.sum() == 10000
    assert np.trace(matrix) / 10000 == pytest.approx(result["test_accuracy"])
    assert len(result["per_class_accuracy"]) == 10


@pytest.mark.mnist
def test_info_describes_the_model(capsys, small_model):
    """info shows the architecture, parameter count, settings, command and history."""
    path, _ = small_model
    code, out, _ = run_cli(capsys, "info", str(path))
    assert code == 0
    assert "235,146 parameters" in out and "optimizer: adam (lr=" in out and "command:" in out


def test_evaluate_corrupt_model_is_one_line(capsys, tmp_path):
    """A foreign file given to evaluate is a one-line error with exit code 1 (a bad file), found
    before any data is read."""
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, a=np.zeros(3))
    code, _, err = run_cli(capsys, "evaluate", str(foreign), "--data", str(tmp_path / "no-data-here"))
    assert code == 1 and "not a DigitLab model" in err and len(err.strip().splitlines()) == 1


@pytest.mark.mnist
def test_predict_reads_png_and_jpeg_in_either_polarity(capsys, small_model, mnist_dir, tmp_path):
    """predict prints PATH DIGIT CONFIDENCE; enlarged digits in either polarity, PNG or JPEG, get
    the prediction the model makes on the original 28x28 MNIST digit."""
    from digitlab.core.data import load_mnist
    from digitlab.imageio import save_grey_image

    mnist = load_mnist(mnist_dir)
    paths, labels = [], []
    for i in range(12):
        big = np.kron(mnist.test_images[i], np.ones((5, 5), np.uint8))  # 140x140
        if i % 2:
            big = 255 - big  # dark ink on white paper
        path = tmp_path / f"digit{i}.{'png' if i % 3 else 'jpg'}"
        save_grey_image(path, big)
        paths.append(str(path))
        labels.append(int(mnist.test_labels[i]))
    code, out, _ = run_cli(capsys, "predict", str(small_model[0]), *paths)
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 12
    predicted = []
    for line, path in zip(lines, paths, strict=True):
        name, digit, confidence = line.rsplit(" ", 2)
        assert name == path and 0 <= float(confidence) <= 1
        predicted.append(int(digit))
    model = load_model(small_model[0])
    direct = model.network.predict(model.transform.apply(mnist.test_images[:12], (784,)))
    assert predicted == direct.tolist()
    assert np.mean(direct == np.array(labels)) >= 0.75


@pytest.mark.mnist
def test_predict_unreadable_image_fails_with_message(capsys, small_model, tmp_path):
    """A non-image file gives an error line and exit code 1; other images are still read."""
    from digitlab.imageio import save_grey_image

    bad = tmp_path / "notes.png"
    bad.write_text("not an image")
    good = tmp_path / "one.png"
    image = np.zeros((28, 28), np.uint8)
    image[4:24, 13:15] = 255
    save_grey_image(good, image)
    code, out, err = run_cli(capsys, "predict", str(small_model[0]), str(bad), str(good))
    assert code == 1 and "notes.png" in err
    (line,) = out.strip().splitlines()
    assert line.rsplit(" ", 2)[0] == str(good)


@pytest.mark.mnist
def test_gradcheck_preset_passes(capsys, mnist_dir):
    """gradcheck of the tutorial net agrees with backprop to better than 1e-6 on every tensor."""
    code, out, _ = run_cli(capsys, "gradcheck", "--preset", "tutorial-sigmoid", "--samples", "2",
                           "--entries", "200", "--data", str(mnist_dir), "--json")
    assert code == 0
    assert json.loads(out.strip().splitlines()[-1])["worst_relative_error"] < 1e-6


@pytest.mark.mnist
@pytest.mark.slow
def test_numerical_training_estimates_time_first(capsys, mnist_dir, tmp_path):
    """Numerical-gradient training states its estimated time before it starts, then trains."""
    code, out, err = run_cli(capsys, "train", "--preset", "tutorial-numerical", "--data", str(mnist_dir),
                             "--max-iterations", "1", "--batch-size", "2", "--train-limit", "100",
                             "--json")
    assert code == 0
    assert "numerical gradients: about" in err
    assert json.loads(out.strip().splitlines()[-1])["iterations"] == 1


@pytest.mark.mnist
def test_ctrl_c_stops_cleanly_saves_and_exits_130(mnist_dir, tmp_path):
    """SIGINT during training stops after the batch, saves the model and exits with 130."""
    out = tmp_path / "interrupted.npz"
    env = {**os.environ, "DIGITLAB_HOME": str(tmp_path / "home"), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "digitlab", "train", "--preset", "tutorial-relu", "--epochs", "1000",
         "--train-limit", "3000", "--data", str(mnist_dir), "--out", str(out)],
        stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 60
        for line in proc.stderr:
            if line.startswith("epoch 1 ") or time.monotonic() > deadline:
                break
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert "interrupted" in err and "Traceback" not in err
    model = load_model(out)
    assert len(model.history) >= 1 and model.training["result"]["stopped"] == "interrupted"


@pytest.mark.mnist
@pytest.mark.slow
@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_continuing_with_init_equals_one_longer_run(capsys, mnist_dir, tmp_path, optimizer):
    """train 2 epochs == train 1 epoch, then `train --init` 1 more: identical weights; and
    re-running the command a model file records gives identical weights again."""
    import shlex

    import numpy as np

    from digitlab.core.serialization import load_model

    common = ["--preset", "mlp-momentum" if optimizer == "momentum" else "mlp", "--data",
              str(mnist_dir), "--train-limit", "600", "--batch-size", "50", "--schedule",
              "constant", "--no-evaluate-test"]
    straight, half, continued = (tmp_path / f"{n}.npz" for n in ("straight", "half", "continued"))
    assert run_cli(capsys, "train", *common, "--epochs", "2", "--out", str(straight))[0] == 0
    assert run_cli(capsys, "train", *common, "--epochs", "1", "--out", str(half))[0] == 0
    assert run_cli(capsys, "train", "--init", str(half), "--epochs", "1", "--data", str(mnist_dir),
                   "--out", str(continued))[0] == 0
    weights = load_model(straight).network.flat_parameters()
    resumed = load_model(continued)
    np.testing.assert_array_equal(resumed.network.flat_parameters(), weights)
    assert [m.epoch for m in resumed.history] == [1, 2]
    assert resumed.provenance == [{"kind": "trained"}, {"kind": "fine-tuned", "from": str(half)}]
    again = tmp_path / "again.npz"
    argv = shlex.split(load_model(straight).command)[1:]
    argv[argv.index("--out") + 1] = str(again)
    assert run_cli(capsys, *argv)[0] == 0
    np.testing.assert_array_equal(load_model(again).network.flat_parameters(), weights)


def test_a_flag_the_optimizer_does_not_take_exits_2(capsys, tmp_path):
    """--optimizer sgd --momentum 0.9 is refused in one line before any data is read."""
    code, _, err = run_cli(capsys, "train", "--optimizer", "sgd", "--momentum", "0.9",
                           "--data", str(tmp_path / "nowhere"))
    assert code == 2 and err.count("\n") == 1 and "'momentum'" in err and "takes lr" in err


def test_preset_and_init_together_are_refused(capsys, tmp_path):
    """--init continues a model with its own settings: --preset beside it is a bad argument."""
    code, _, err = run_cli(capsys, "train", "--init", str(tmp_path / "m.npz"), "--preset", "cnn")
    assert code == 2 and err.count("\n") == 1 and "--preset and --init" in err
