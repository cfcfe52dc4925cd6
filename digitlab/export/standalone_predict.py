"""Read handwritten digits with a network exported from DigitLab, using nothing but NumPy.

This file was written by ``digitlab export MODEL --format numpy OUT``; it sits next to
``weights.npz`` (the network) and ``mnist_style.py`` (DigitLab's image pipeline, copied).

From the shell::

    python predict.py digit.png [more.png ...]     # any size, either polarity, like `digitlab predict`
    python predict.py batch.npy --save probs.npy   # (N, 28, 28) uint8 MNIST-style digits, ink = 255
    python predict.py digit.png --json             # and a last line of JSON: digit, reason...

Each reading prints ``PATH DIGIT CONFIDENCE``, or ``PATH ? CONFIDENCE`` when no digit is named,
as ``digitlab predict`` does: ``? 0.00`` for a blank or uniform picture, and ``?`` with the top
probability for a dot (ink spanning under ``min_extent`` of a picture) or a reading below the
model's stored threshold ("unlike any digit"). DigitLab's Draw panel also declines drawings of
too many pen strokes; a picture has no strokes, so that reason never appears here.

From Python::

    import predict
    model = predict.load("weights.npz")
    probabilities = predict.predict_proba(model, images)   # images (N, 28, 28) uint8, ink = 255 on 0
    probabilities = predict.read_digit(model, grey)        # grey (H, W): any size, either polarity
    probabilities, reason = predict.read(model, grey)      # reason: None, or why no digit is named

A PNG is read with the standard library only (8-bit grey, grey + alpha, RGB or RGBA, not
interlaced). Each layer below is the plain NumPy form of DigitLab's layer of the same name
(docs/model-format.md in DigitLab describes them); DigitLab checks in its tests that this file
gives the same probabilities as DigitLab itself, to 1e-5.
"""

from __future__ import annotations

import json
import struct
import sys
import zlib
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

WEIGHTS = Path(__file__).with_name("weights.npz")
#: samples per forward pass: bounds the memory of the convolution windows
BATCH = 256
#: why no digit is named: DigitLab's own words (digitlab.core.predict and digitlab.core.decline)
NO_INK = "no ink"
TOO_LITTLE_INK = "too little ink"
UNLIKE_ANY_DIGIT = "unlike any digit"


# -- the network ---------------------------------------------------------------------------------
def load(path: str | Path = WEIGHTS) -> dict:
    """The exported network: ``{"config": {...}, "arrays": {"layers.<i>.<name>": array}}``."""
    with np.load(path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    return {"config": json.loads(str(arrays.pop("config")[()])), "arrays": arrays}


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _per_channel(values: np.ndarray, x: np.ndarray) -> np.ndarray:
    """(C,) -> a shape that broadcasts over (N, C) or (N, C, H, W)."""
    return values.reshape((1, -1) + (1,) * (x.ndim - 2))


def _conv2d(x, layer, p):
    (top, bottom), (left, right) = layer["pads"]
    sh, sw = layer["strides"]
    w = p["W"]                                                            # (out, in, kh, kw)
    padded = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
    windows = sliding_window_view(padded, w.shape[2:], axis=(2, 3))[:, :, ::sh, ::sw]
    y = np.einsum("nchwij,ocij->nohw", windows, w, optimize=True)          # (n, out, oh, ow)
    return y + p["b"][None, :, None, None]


def _pool(x, layer, reduce):
    (ph, pw), (sh, sw) = layer["pool_size"], layer["strides"]
    windows = sliding_window_view(x, (ph, pw), axis=(2, 3))[:, :, ::sh, ::sw]
    return reduce(windows, axis=(4, 5))


def _batch_norm(x, layer, p):
    scale = p["gamma"] / np.sqrt(p["running_var"] + np.float32(layer["eps"]))
    return (x - _per_channel(p["running_mean"], x)) * _per_channel(scale, x) + _per_channel(p["beta"], x)


def _sigmoid(x):
    with np.errstate(over="ignore"):  # exp(-x) overflows to inf for very negative x: 1/inf = 0
        return 1 / (1 + np.exp(-x))


#: type -> forward(x, layer entry, its arrays by name) in inference mode
LAYERS = {
    "dense": lambda x, layer, p: x @ p["W"] + p["b"],
    "conv2d": _conv2d,
    "max_pool2d": lambda x, layer, p: _pool(x, layer, np.max),
    "avg_pool2d": lambda x, layer, p: _pool(x, layer, np.mean),
    "flatten": lambda x, layer, p: x.reshape(len(x), -1),
    "dropout": lambda x, layer, p: x,                                     # identity at inference
    "batch_norm": _batch_norm,
    "relu": lambda x, layer, p: np.maximum(x, 0),
    "leaky_relu": lambda x, layer, p: np.where(x > 0, x, x * np.float32(layer["slope"])),
    "prelu": lambda x, layer, p: np.where(x > 0, x, x * _per_channel(p["alpha"], x)),
    "sigmoid": lambda x, layer, p: _sigmoid(x),
    "tanh": lambda x, layer, p: np.tanh(x),
    "identity": lambda x, layer, p: x,
    "softmax": lambda x, layer, p: _softmax(x),
}


def network_inputs(model: dict, images: np.ndarray) -> np.ndarray:
    """(N, 28, 28) pixels (ink = 255 on 0) -> (N, *input_shape) float32, as DigitLab scales them."""
    pre = model["config"]["preprocessing"]
    x = np.multiply(images, pre["scale"] / pre["std"], dtype=np.float32)
    x -= np.float32(pre["mean"] / pre["std"])
    return x.reshape((len(x), *model["config"]["input_shape"]))


def forward(model: dict, x: np.ndarray) -> np.ndarray:
    """Network inputs (N, *input_shape) -> outputs (N, 10): probabilities, or raw outputs for a
    network without a softmax output (``config["output"] == "raw"``)."""
    config, arrays = model["config"], model["arrays"]
    for layer in config["layers"]:
        prefix = f"layers.{layer['index']}."
        params = {k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)}
        x = LAYERS[layer["type"]](x, layer, params)
    if config["output"] == "softmax":
        # A calibrated model divides its scores by a temperature before the softmax.
        temperature = config.get("temperature")
        return _softmax(x if temperature is None else x / np.float32(temperature))
    return x


def predict_proba(model: dict, images: np.ndarray) -> np.ndarray:
    """MNIST-style digits (N, 28, 28), uint8 ink = 255 on 0 -> probabilities (N, 10) float32."""
    images = np.asarray(images)
    if images.ndim == 2:
        images = images[None]
    outputs = [forward(model, network_inputs(model, images[i:i + BATCH]))
               for i in range(0, len(images), BATCH)]
    return np.concatenate(outputs).astype(np.float32)


def decline_reason(model: dict, probabilities: np.ndarray | None,
                   extent: float | None = None) -> str | None:
    """Why no digit should be named for a reading, or ``None``: a dot (the ink spans less than
    ``min_extent`` of the picture; ``extent`` is unknown for an MNIST-style digit), else a top
    probability below the model's stored threshold (``decline`` is null for a model without
    one; ``probabilities`` None: the ink alone is judged)."""
    config = model["config"]
    if extent is not None and extent < config.get("min_extent", 0.0):
        return TOO_LITTLE_INK
    rule = config.get("decline")
    if probabilities is not None and rule is not None \
            and float(np.max(probabilities)) < rule["threshold"]:
        return UNLIKE_ANY_DIGIT
    return None


def read(model: dict, grey: np.ndarray) -> tuple[np.ndarray, str | None]:
    """A grey image of one digit, any size and polarity -> (probabilities (10,), reason), the
    reason ``None`` when the top digit is the reading. It is first made MNIST-style as DigitLab
    does (mnist_style.py); a picture without ink gets zero probabilities."""
    from mnist_style import prepare_picture  # the sibling file this export wrote

    digit28, extent = prepare_picture(grey)
    if not digit28.any():
        return np.zeros(10, dtype=np.float32), decline_reason(model, None, extent) or NO_INK
    pixels = digit28 / np.float32(model["config"]["preprocessing"]["scale"])
    probabilities = forward(model, network_inputs(model, pixels[None]))[0]
    return probabilities, decline_reason(model, probabilities, extent)


def read_digit(model: dict, grey: np.ndarray) -> np.ndarray | None:
    """A grey image of one digit, any size and polarity -> probabilities (10,), or ``None``
    when it has no ink (see :func:`read` for whether a digit should be named)."""
    probabilities, reason = read(model, grey)
    return None if reason is not None and not probabilities.any() else probabilities


# -- PNG with the standard library ---------------------------------------------------------------
def _unfilter(raw: bytes, width: int, height: int, channels: int) -> np.ndarray:
    stride = width * channels
    rows = np.zeros((height + 1, stride), dtype=np.uint8)  # row 0: the zero row above the first
    pos = 0
    for y in range(1, height + 1):
        kind, line = raw[pos], np.frombuffer(raw, np.uint8, stride, pos + 1).astype(np.int32)
        pos += 1 + stride
        up = rows[y - 1].astype(np.int32)
        if kind in (0, 2):  # None, Up
            rows[y] = (line + (up if kind == 2 else 0)) & 255
            continue
        if kind == 1:  # Sub: a running sum along the row, per channel
            rows[y] = (np.cumsum(line.reshape(-1, channels), axis=0) & 255).reshape(-1)
            continue
        out = np.zeros(stride, dtype=np.int32)
        for i in range(stride):  # Average and Paeth depend on the byte just decoded
            a = int(out[i - channels]) if i >= channels else 0
            b, c = int(up[i]), int(up[i - channels]) if i >= channels else 0
            if kind == 3:
                pred = (a + b) // 2
            else:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            out[i] = (int(line[i]) + pred) & 255
        rows[y] = out
    return rows[1:].reshape(height, width, channels)


def read_png(path: str | Path) -> np.ndarray:
    """An 8-bit PNG as grey levels (H, W) uint8; transparency is composited onto white."""
    data = Path(path).read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG file")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if header is None:
        raise ValueError(f"{path}: no PNG header")
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"{path}: only 8-bit grey, grey+alpha, RGB or RGBA PNGs without "
                         f"interlacing are read here (bit depth {depth}, colour type {colour})")
    pixels = _unfilter(zlib.decompress(b"".join(idat)), width, height, channels).astype(np.float32)
    if channels >= 3:
        grey = pixels[..., :3] @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    else:
        grey = pixels[..., 0]
    if channels in (2, 4):
        alpha = pixels[..., -1] / 255
        grey = grey * alpha + 255 * (1 - alpha)
    return np.clip(np.rint(grey), 0, 255).astype(np.uint8)


# -- command line --------------------------------------------------------------------------------
def _reading(name: str, probabilities: np.ndarray, reason: str | None) -> dict:
    """Print one reading as `digitlab predict` does; its JSON record."""
    confidence = float(np.max(probabilities))
    if reason is not None:
        print(f"{name} ? {confidence:.2f}")
    else:
        print(f"{name} {int(np.argmax(probabilities))} {confidence:.4f}")
    return {"path": name, "digit": None if reason is not None else int(np.argmax(probabilities)),
            "confidence": confidence, "probabilities": [float(p) for p in probabilities],
            "reason": reason}


def main(argv: list[str]) -> int:
    save, as_json = None, "--json" in argv
    argv = [arg for arg in argv if arg != "--json"]
    if "--save" in argv:
        at = argv.index("--save")
        save, argv = argv[at + 1], argv[:at] + argv[at + 2:]
    if not argv or argv[0].startswith("-"):
        print(__doc__.split("From Python")[0].strip())
        return 2
    try:
        model = load()
    except (OSError, ValueError, KeyError) as exc:
        print(f"predict.py: error: cannot read {WEIGHTS}: {exc}", file=sys.stderr)
        return 1
    results, readings = [], []
    for name in argv:
        try:
            if name.endswith(".npy"):  # a batch of MNIST-style digits
                digits = np.load(name, allow_pickle=False)
                if digits.shape[-2:] != (28, 28) or digits.ndim not in (2, 3):
                    raise ValueError(f"{name}: expected (N, 28, 28) MNIST-style digits, got shape "
                                     f"{digits.shape}")
                digits = digits.reshape(-1, 28, 28)
                probabilities = predict_proba(model, digits)
                blank = ~digits.reshape(len(digits), -1).any(axis=1)
                probabilities[blank] = 0  # no ink: no digit to read, as DigitLab reads it
                for i, row in enumerate(probabilities):
                    reason = NO_INK if blank[i] else decline_reason(model, row)
                    readings.append(_reading(f"{name}[{i}]", row, reason))
                results.append(probabilities)
                continue
            row, reason = read(model, read_png(name))
        except (OSError, ValueError, zlib.error, struct.error) as exc:
            print(f"predict.py: error: {exc}", file=sys.stderr)
            return 1
        readings.append(_reading(name, row, reason))
        results.append(row[None])
    if save:
        np.save(save, np.concatenate(results))
    if as_json:
        print(json.dumps({"predictions": readings}, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
