"""Export numbers: time to export, file sizes, and agreement with DigitLab on 1,000 MNIST digits.

For the shipped pretrained model and a freshly initialised network of each preset architecture
(``mlp``, ``lenet``, ``cnn``, ``tutorial-cnn``, with a transform fitted on 10,000 training
images), it exports to ONNX and to the NumPy folder and reports

- the export time (median of ``--repeats``; the first ONNX export also pays for ``import onnx``,
  reported apart), and the size on disk;
- the largest |difference| from DigitLab's probabilities on the first 1,000 test digits and
  whether the argmax agrees everywhere, for onnxruntime and for ``predict.py`` run in its own
  interpreter (as a user would), with each one's time for the 1,000 digits.

    python benchmarks/bench_export.py [--repeats 5] [--json]

Needs ``onnx`` and ``onnxruntime`` (``pip install -e ".[test]"``); MNIST from
``$DIGITLAB_MNIST_DIR`` or ``<repo>/../shared/mnist``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from digitlab.assets import pretrained_model_path  # noqa: E402
from digitlab.core.data import load_mnist  # noqa: E402
from digitlab.core.inputs import InputTransform  # noqa: E402
from digitlab.core.presets import get_preset  # noqa: E402
from digitlab.core.serialization import SavedModel, load_model  # noqa: E402
from digitlab.export import export_model  # noqa: E402

ARCHITECTURES = ("mlp", "lenet", "cnn", "tutorial-cnn")


def size_on_disk(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir()) if path.is_dir() else path.stat().st_size


def timed_export(model: SavedModel, fmt: str, out: Path, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        export_model(model, fmt, out, overwrite=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(name: str, model: SavedModel, images: np.ndarray, folder: Path, repeats: int) -> dict:
    import onnxruntime as ort

    network = model.network
    expected = network.predict_proba(model.transform.apply(images, network.input_shape))
    row: dict = {"model": name}
    onnx_file = folder / f"{name}.onnx"
    row["onnx_export_s"] = timed_export(model, "onnx", onnx_file, repeats)
    row["onnx_bytes"] = size_on_disk(onnx_file)
    session = ort.InferenceSession(str(onnx_file), providers=["CPUExecutionProvider"])
    started = time.perf_counter()
    got = session.run(None, {"images": images})[0]
    row["onnxruntime_1000_s"] = time.perf_counter() - started
    row["onnx_max_abs_diff"] = float(np.abs(got - expected).max())
    row["onnx_same_argmax"] = bool((got.argmax(1) == expected.argmax(1)).all())

    standalone = folder / f"{name}-numpy"
    row["numpy_export_s"] = timed_export(model, "numpy", standalone, repeats)
    row["numpy_bytes"] = size_on_disk(standalone)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-E", "-s", str(standalone / "predict.py"),
                    str(folder / "digits.npy"), "--save", str(folder / "p.npy")],
                   check=True, capture_output=True, cwd=folder)
    row["predict_py_1000_s"] = time.perf_counter() - started  # includes starting Python + NumPy
    got = np.load(folder / "p.npy")
    row["numpy_max_abs_diff"] = float(np.abs(got - expected).max())
    row["numpy_same_argmax"] = bool((got.argmax(1) == expected.argmax(1)).all())
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    mnist_dir = os.environ.get("DIGITLAB_MNIST_DIR") or str(REPO.parent / "shared" / "mnist")
    mnist = load_mnist(mnist_dir)
    images = np.array(mnist.test_images[:1000])
    transform = InputTransform.fitted(mnist.train_images[:10000])
    models = {name: SavedModel(get_preset(name).build_network(np.random.default_rng(7)), transform)
              for name in ARCHITECTURES}
    shipped = pretrained_model_path()
    if shipped is not None:
        models = {"pretrained": load_model(shipped), **models}
    started = time.perf_counter()
    import onnx  # noqa: F401 - timed apart: the first ONNX export in a process pays for it
    import_seconds = time.perf_counter() - started
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        np.save(folder / "digits.npy", images)
        for name, model in models.items():
            rows.append(measure(name, model, images, folder, args.repeats))
    print(f"import onnx: {import_seconds:.2f} s (once per process)")
    print(f"{'model':<13}{'onnx MB':>8}{'export s':>9}{'max|diff|':>11}{'argmax':>7}"
          f"{'numpy MB':>9}{'export s':>9}{'max|diff|':>11}{'argmax':>7}{'ort 1k s':>9}{'py 1k s':>8}")
    for r in rows:
        print(f"{r['model']:<13}{r['onnx_bytes'] / 1e6:>8.3f}{r['onnx_export_s']:>9.3f}"
              f"{r['onnx_max_abs_diff']:>11.2e}{'same' if r['onnx_same_argmax'] else 'DIFF':>7}"
              f"{r['numpy_bytes'] / 1e6:>9.3f}{r['numpy_export_s']:>9.3f}"
              f"{r['numpy_max_abs_diff']:>11.2e}{'same' if r['numpy_same_argmax'] else 'DIFF':>7}"
              f"{r['onnxruntime_1000_s']:>9.3f}{r['predict_py_1000_s']:>8.2f}")
    if args.json:
        print(json.dumps({"import_onnx_s": import_seconds, "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
