"""predict, evaluate and info default to the shipped model; MODEL/IMAGE names; every default in --help."""

from __future__ import annotations

import argparse
import re
import shutil

import pytest

from digitlab.assets import pretrained_model_path, resource_path
from digitlab.cli import build_parser, main
from digitlab.cli.model_commands import model_and_images

SHIPPED = pretrained_model_path()
needs_shipped = pytest.mark.skipif(SHIPPED is None, reason="resources/pretrained.npz is missing")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def image(tmp_path):
    """Any readable picture will do: the app's 64 px icon, copied away from the resources."""
    target = tmp_path / "picture.png"
    shutil.copy(resource_path("icons/digitlab-64.png"), target)
    return target


@needs_shipped
def test_info_without_a_model_describes_the_shipped_one(capsys):
    """`digitlab info` works as the README says: the shipped model, its command and history."""
    code, out, err = run(capsys, "info")
    assert code == 0, err
    assert out.startswith("pretrained.npz: DigitLab model") and "command: " in out
    assert run(capsys, "info", str(SHIPPED))[1] == out  # the positional form is the same model


@needs_shipped
def test_predict_with_and_without_a_model_agree(capsys, image):
    """`predict IMAGE` reads with the shipped model, exactly as `predict MODEL IMAGE` does."""
    code, without, err = run(capsys, "predict", str(image))
    assert code == 0, err
    # The icon is no digit: the shipped model may decline it ("? CONFIDENCE") or name one.
    assert re.fullmatch(rf"{re.escape(str(image))} (\d 0\.\d{{4}}|\? [01]\.\d{{2}})\n", without)
    code, with_model, _ = run(capsys, "predict", str(SHIPPED), str(image), str(image))
    assert code == 0 and with_model == without * 2


def test_first_npz_argument_is_the_model():
    """Only a first argument ending in .npz is a model; a model alone is a usage error."""
    assert model_and_images(["a.png", "b.png"]) == (None, ["a.png", "b.png"])
    assert model_and_images(["m.NPZ", "a.png"]) == ("m.NPZ", ["a.png"])
    assert model_and_images(["a.png", "m.npz"]) == (None, ["a.png", "m.npz"])


def test_predict_with_only_a_model_says_an_image_is_missing(capsys, tmp_path):
    """`predict model.npz` exits 2 with one line naming IMAGE, before loading anything."""
    code, out, err = run(capsys, "predict", str(tmp_path / "model.npz"))
    assert code == 2 and out == "" and err.count("\n") == 1 and "IMAGE" in err


def test_argument_names_say_model_and_image(capsys):
    """The usage lines name MODEL and IMAGE, never FILE, for the three model commands."""
    for command in ("predict", "evaluate", "info"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        usage = capsys.readouterr().out.split("\n\n")[0]
        assert "MODEL" in usage and "FILE" not in usage
        assert ("IMAGE" in usage) == (command == "predict")


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def test_every_flag_of_every_command_shows_its_default():
    """Each option's --help entry states its default, including flags that had no help at all."""
    parser = build_parser()
    parsers = {"digitlab": parser, **_subcommands(parser)}
    assert {"train", "predict", "evaluate", "info", "gradcheck", "download", "selftest"} <= set(parsers)
    missing = []
    for name, sub in parsers.items():
        formatter = sub._get_formatter()
        for action in sub._actions:
            if not action.option_strings or isinstance(action, (argparse._HelpAction,
                                                                argparse._VersionAction)):
                continue
            entry = formatter._format_action(action)
            if "default" not in entry.lower():
                missing.append(f"{name} {action.option_strings[0]}")
    assert missing == []
    epochs = next(a for a in parsers["train"]._actions if "--epochs" in a.option_strings)
    assert epochs.help and "default" not in epochs.help  # a real help text; the default is added


@pytest.mark.mnist
@needs_shipped
def test_evaluate_without_a_model_uses_the_shipped_one(capsys, mnist_dir):
    """`digitlab evaluate` evaluates the shipped model (about 98.6% on the MNIST test set)."""
    code, out, err = run(capsys, "evaluate", "--data", str(mnist_dir))
    assert code == 0, err
    accuracy = float(re.search(r"test accuracy ([\d.]+)%", out).group(1))
    assert accuracy > 98.0
