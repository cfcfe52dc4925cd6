"""`digitlab predict`: blank images name no digit, --json, and models that cannot read images."""

from __future__ import annotations

import json

import numpy as np
import pytest

from digitlab.assets import pretrained_model_path
from digitlab.cli import main
from digitlab.core.serialization import save_model
from digitlab.imageio import save_grey_image


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _transparent_png(path) -> None:
    """A PNG whose every pixel is fully transparent (black where it is not)."""
    from PySide6.QtGui import QColor, QImage

    image = QImage(40, 30, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    assert image.save(str(path))


@pytest.fixture
def blank_images(tmp_path) -> list[str]:
    """All white, all black, 1x1, uniform grey (JPEG) and fully transparent image files."""
    paths = []
    for name, array in [("white.png", np.full((60, 40), 255, np.uint8)),
                        ("black.png", np.zeros((60, 40), np.uint8)),
                        ("dot.png", np.zeros((1, 1), np.uint8)),
                        ("one-white-pixel.png", np.full((1, 1), 255, np.uint8)),
                        ("grey.jpg", np.full((50, 50), 140, np.uint8))]:
        save_grey_image(tmp_path / name, array)
        paths.append(str(tmp_path / name))
    _transparent_png(tmp_path / "transparent.png")
    paths.append(str(tmp_path / "transparent.png"))
    return paths


def _model_files(tmp_path, constant_model) -> list[str]:
    """A model that is sure of one digit whatever it sees, and the shipped model if present."""
    sure = save_model(tmp_path / "always-one.npz", constant_model(digit=1))
    shipped = pretrained_model_path()
    return [str(sure)] + ([str(shipped)] if shipped is not None else [])


def test_blank_and_uniform_images_print_a_question_mark(capsys, tmp_path, constant_model,
                                                        blank_images):
    """Every blank or uniform image prints 'PATH ? 0.00' with exit 0, whatever the model."""
    for model in _model_files(tmp_path, constant_model):
        code, out, err = run_cli(capsys, "predict", model, *blank_images)
        assert code == 0 and err == ""
        assert out.splitlines() == [f"{path} ? 0.00" for path in blank_images]


def test_json_gives_the_reason_and_the_probabilities(capsys, tmp_path, constant_model,
                                                     blank_images):
    """--json: per image the digit (null for none), confidence, ten probabilities and the reason."""
    inked = np.full((60, 40), 255, np.uint8)
    inked[10:50, 18:23] = 0
    save_grey_image(tmp_path / "bar.png", inked)
    model = save_model(tmp_path / "always-one.npz", constant_model(digit=1))
    code, out, _ = run_cli(capsys, "predict", str(model), str(tmp_path / "bar.png"),
                           blank_images[0], "--json")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith(f"{tmp_path / 'bar.png'} 1 0.9")
    readings = json.loads(lines[-1])["predictions"]
    assert readings[0]["digit"] == 1 and readings[0]["reason"] is None
    assert len(readings[0]["probabilities"]) == 10
    assert readings[0]["confidence"] == pytest.approx(max(readings[0]["probabilities"]))
    assert readings[1] == {"path": blank_images[0], "digit": None, "confidence": 0.0,
                           "probabilities": [0.0] * 10, "reason": "no ink"}


def test_unknown_pipeline_is_refused_with_one_line(capsys, tmp_path, constant_model,
                                                   blank_images):
    """A model recording an image pipeline this DigitLab lacks: exit 1 (a bad file), one line naming it."""
    model = save_model(tmp_path / "other.npz", constant_model(pipeline="deskew-bbox16"))
    code, out, err = run_cli(capsys, "predict", str(model), blank_images[0])
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "deskew-bbox16" in err and "other.npz" in err


def test_a_declined_image_prints_a_question_mark_and_its_confidence(capsys, tmp_path,
                                                                    constant_model):
    """Below the model's stored threshold: 'PATH ? CONFIDENCE' (the top calibrated
    probability), exit 0, and --json names the reason."""
    from digitlab.core.decline import DECLINE_METHOD, UNLIKE_ANY_DIGIT, DeclineRule

    inked = np.full((60, 40), 255, np.uint8)
    inked[10:50, 18:23] = 0
    save_grey_image(tmp_path / "bar.png", inked)
    unsure = constant_model(digit=1)
    unsure.decline = DeclineRule(DECLINE_METHOD, 0.99)  # the model is only ~94% sure
    model = save_model(tmp_path / "unsure.npz", unsure)
    code, out, err = run_cli(capsys, "predict", str(model), str(tmp_path / "bar.png"), "--json")
    assert code == 0 and err == ""
    lines = out.strip().splitlines()
    path, mark, confidence = lines[0].split(" ")
    assert (path, mark) == (str(tmp_path / "bar.png"), "?")
    assert 0.9 < float(confidence) < 0.99
    reading = json.loads(lines[-1])["predictions"][0]
    assert reading["digit"] is None and reading["reason"] == UNLIKE_ANY_DIGIT
    assert reading["confidence"] == pytest.approx(max(reading["probabilities"]))


# -- --number: several digits side by side ---------------------------------------------------------
def _three_bars(path) -> None:
    """Three dark bars on white paper, far apart: three 'digits'."""
    picture = np.full((40, 130), 240, np.uint8)
    for left in (10, 55, 100):
        picture[6:34, left:left + 6] = 15
    save_grey_image(path, picture)


def test_number_prints_the_number_and_each_confidence(capsys, tmp_path, constant_model):
    """--number prints 'PATH NUMBER CONF1,CONF2,...', one confidence per digit."""
    model = save_model(tmp_path / "always-seven.npz", constant_model(digit=7))
    image = tmp_path / "bars.png"
    _three_bars(image)
    code, out, err = run_cli(capsys, "predict", "--number", str(model), str(image))
    assert code == 0 and err == ""
    path, number, confidences = out.split()
    assert path == str(image) and number == "777"
    values = [float(c) for c in confidences.split(",")]
    assert len(values) == 3 and all(0.9 < v <= 1 for v in values)


def test_number_json_gives_digits_confidences_and_boxes(capsys, tmp_path, constant_model):
    """--number --json: the number, and per digit its digit, confidence and box, left to right."""
    model = save_model(tmp_path / "always-seven.npz", constant_model(digit=7))
    image = tmp_path / "bars.png"
    _three_bars(image)
    code, out, _ = run_cli(capsys, "predict", "--number", "--json", str(model), str(image))
    assert code == 0
    record = json.loads(out.splitlines()[-1])["predictions"][0]
    assert record["number"] == "777"
    boxes = [d["box"] for d in record["digits"]]
    assert [d["digit"] for d in record["digits"]] == [7, 7, 7]
    assert all(0.9 < d["confidence"] <= 1 for d in record["digits"])
    assert [round(b[0]) for b in boxes] == [10, 55, 100] and [round(b[2]) for b in boxes] == [16, 61, 106]


def test_number_on_a_blank_image_and_without_the_flag(capsys, tmp_path, constant_model,
                                                      blank_images):
    """A blank image still prints 'PATH ? 0.00' with --number; without --number the three bars
    are read as one digit, as before."""
    model = str(save_model(tmp_path / "always-seven.npz", constant_model(digit=7)))
    code, out, _ = run_cli(capsys, "predict", model, blank_images[0], "--number")
    assert code == 0 and out.splitlines() == [f"{blank_images[0]} ? 0.00"]
    image = tmp_path / "bars.png"
    _three_bars(image)
    code, out, _ = run_cli(capsys, "predict", model, str(image))
    path, digit, confidence = out.split()
    assert digit == "7" and "," not in confidence


def test_number_with_the_shipped_model_reads_a_drawn_number(capsys, tmp_path, pretrained_path,
                                                            number_strokes):
    """A picture of '2026' written with pen strokes reads 2026 with the shipped model."""
    strokes = number_strokes("2026", left=0.0, top=0.0, height=1.0)
    rows, cols = np.mgrid[0:80, 0:240]
    ink = np.zeros((80, 240), bool)
    for stroke in strokes:
        for (ax, ay), (bx, by) in zip(stroke[:-1], stroke[1:], strict=True):
            ax, ay, bx, by = 12 + 50 * ax, 15 + 50 * ay, 12 + 50 * bx, 15 + 50 * by
            d = np.array([bx - ax, by - ay])
            t = np.clip(((cols - ax) * d[0] + (rows - ay) * d[1]) / max(d @ d, 1e-9), 0, 1)
            ink |= np.hypot(cols - ax - t * d[0], rows - ay - t * d[1]) <= 2.5
    image = tmp_path / "2026.png"
    save_grey_image(image, np.where(ink, 30, 225).astype(np.uint8))
    code, out, _ = run_cli(capsys, "predict", "--number", str(pretrained_path), str(image))
    assert code == 0 and out.split()[1] == "2026"
