"""Exports decline what `digitlab predict` declines: the standalone predict.py applies the
model's "not a digit" rule, and the ONNX file carries it in its metadata."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from digitlab.core import decline, predict
from digitlab.core.predict import predict_image
from digitlab.core.preprocess import to_mnist_style
from digitlab.core.serialization import load_model
from digitlab.export import export_model
from digitlab.export import standalone_predict as standalone


@pytest.fixture(scope="module")
def shipped(pretrained_path):
    model = load_model(pretrained_path)
    assert model.decline is not None
    return model


def pictures() -> dict[str, np.ndarray]:
    """Dark ink on white paper: things that are not digits, a blank page, a dot, and a 1."""
    paper = np.full((60, 60), 255, dtype=np.uint8)
    rng = np.random.default_rng(0)
    square, hash_sign, one = paper.copy(), paper.copy(), paper.copy()
    square[15:45, 15:45] = 0
    for at in (20, 36):
        hash_sign[10:50, at:at + 4] = 0
        hash_sign[at:at + 4, 10:50] = 0
    one[8:52, 28:33] = 0
    dot = np.full((200, 200), 255, dtype=np.uint8)
    dot[100:104, 100:104] = 0
    return {"square": square, "noise": (rng.random((60, 60)) * 255).astype(np.uint8),
            "hash": hash_sign, "blank": paper, "dot": dot, "one": one}


def test_the_standalone_speaks_digitlabs_reasons():
    assert standalone.NO_INK == predict.NO_INK
    assert standalone.TOO_LITTLE_INK == decline.TOO_LITTLE_INK
    assert standalone.UNLIKE_ANY_DIGIT == decline.UNLIKE_ANY_DIGIT


@pytest.mark.parametrize("with_rule", [True, False], ids=["shipped", "no-rule"])
def test_standalone_predict_declines_what_digitlab_predict_declines(shipped, tmp_path, write_png,
                                                                    run_standalone, with_rule):
    """Each picture prints the line `digitlab predict` prints (`PATH ? CONFIDENCE` when no digit
    is named) and --json gives the same digit and reason; the shipped model declines a filled
    square and a hash sign, and a model without a rule only the blank page, the noise and the
    dot."""
    model = shipped if with_rule else replace(shipped, decline=None)
    folder = export_model(model, "numpy", tmp_path / "out")
    paths = []
    for name, grey in pictures().items():
        write_png(tmp_path / f"{name}.png", grey, 0)
        paths.append(str(tmp_path / f"{name}.png"))
    lines, report = run_standalone(folder, *paths, "--json")
    assert report == {"code": 0, "foreign": []}
    *printed, last = lines
    readings = json.loads(last)["predictions"]
    assert len(printed) == len(readings) == len(paths)
    for path, line, reading in zip(paths, printed, readings, strict=True):
        expected = predict_image(model, standalone.read_png(path))
        if expected.digit is None:
            assert line == f"{path} ? {expected.confidence:.2f}"
        else:
            assert line == f"{path} {expected.digit} {expected.confidence:.4f}"
        assert reading["path"] == path and reading["digit"] == expected.digit
        assert reading["reason"] == expected.reason
        assert reading["confidence"] == pytest.approx(expected.confidence, abs=1e-5)
    reasons = {path.rsplit("/", 1)[1]: reading["reason"] for path, reading in zip(paths, readings,
                                                                                  strict=True)}
    assert reasons["blank.png"] == "no ink" and printed[paths.index(str(tmp_path / "blank.png"))] \
        .endswith(" ? 0.00")
    assert reasons["dot.png"] == "too little ink"
    # Uniform random pixels are all noise (the border has as much as the middle): no ink.
    assert reasons["noise.png"] == "no ink"
    for name in ("square.png", "hash.png"):
        assert reasons[name] == ("unlike any digit" if with_rule else None), name


def test_a_batch_declines_blank_and_unlike_digits(shipped, tmp_path, run_standalone):
    """MNIST-style digits in a .npy: an empty one is `? 0.00` (no ink), a filled square `?`
    with its top probability (below the threshold); --save keeps zeros for the empty one."""
    square = np.round(to_mnist_style(pictures()["square"]) * 255).astype(np.uint8)
    batch = np.stack([np.zeros((28, 28), np.uint8), square])
    np.save(tmp_path / "batch.npy", batch)
    folder = export_model(shipped, "numpy", tmp_path / "out")
    lines, report = run_standalone(folder, str(tmp_path / "batch.npy"), "--json", "--save",
                                   str(tmp_path / "p.npy"))
    assert report == {"code": 0, "foreign": []}
    readings = json.loads(lines[-1])["predictions"]
    assert lines[0] == f"{tmp_path / 'batch.npy'}[0] ? 0.00" and readings[0]["reason"] == "no ink"
    assert readings[1]["reason"] == "unlike any digit" and readings[1]["digit"] is None
    assert readings[1]["confidence"] < shipped.decline.threshold
    assert lines[1] == f"{tmp_path / 'batch.npy'}[1] ? {readings[1]['confidence']:.2f}"
    saved = np.load(tmp_path / "p.npy")
    assert not saved[0].any() and saved[1].max() == pytest.approx(readings[1]["confidence"])


def test_onnx_metadata_carries_the_rule_and_a_reader_can_apply_it(shipped, tmp_path):
    """digitlab.decline.method and .threshold round-trip exactly; applied as docs/export.md says
    to onnxruntime's probabilities, the filled square is declined and a model without a rule has
    no such keys."""
    onnx = pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    path = export_model(shipped, "onnx", tmp_path / "m.onnx")
    props = {p.key: p.value for p in onnx.load(str(path)).metadata_props}
    assert props["digitlab.decline.method"] == shipped.decline.method
    assert float(props["digitlab.decline.threshold"]) == shipped.decline.threshold
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    square = np.round(to_mnist_style(pictures()["square"]) * 255).astype(np.uint8)
    probabilities = session.run(None, {"images": square[None]})[0][0]
    assert probabilities.max() < float(props["digitlab.decline.threshold"])
    plain = export_model(replace(shipped, decline=None), "onnx", tmp_path / "plain.onnx")
    assert not any(p.key.startswith("digitlab.decline") for p in onnx.load(str(plain)).metadata_props)
