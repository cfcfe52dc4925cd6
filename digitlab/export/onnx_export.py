"""The ONNX export: a graph (opset 17) from 28x28 uint8 digits to DigitLab's probabilities.

Graph, for a batch of ``N`` MNIST-style digits (ink = 255 on a black background)::

    images uint8 (N, 28, 28) -> Cast float -> Mul input_scale -> Sub input_shift
      -> Reshape (N, *input_shape) -> the layers -> [Div temperature] -> Softmax -> probabilities (N, 10)

``input_scale = scale / std`` and ``input_shift = mean / std`` are DigitLab's
``(pixels * scale - mean) / std`` in the arithmetic DigitLab itself uses (``InputTransform``),
so the graph's inputs are bit for bit DigitLab's. Initialisers keep the model file's names
(``layers.3.W``), nodes are named ``layer3_conv2d``, and the metadata records the
preprocessing, so the file reads well in a viewer such as Netron. The metadata also carries the
"not a digit" rule (``digitlab.decline.method`` and ``digitlab.decline.threshold``), which a
reader applies to the probabilities (docs/export.md).

``onnx`` is imported only here, lazily; without it the export is one line asking for
``pip install digitlab[onnx]``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..core.atomic import atomic_write
from ..core.serialization import SavedModel
from .plan import ExportError, ExportPlan, ExportStep, plan_export

#: the ONNX operator set the graph uses (17, from 2022: onnxruntime 1.11 and later run it)
OPSET = 17
#: IR version 8 is the one paired with opset 17, so older runtimes read the file too
IR_VERSION = 8
INPUT_NAME = "images"
OUTPUT_NAME = "probabilities"


def _onnx() -> Any:
    try:
        import onnx
    except ImportError:
        raise ExportError("the ONNX export needs the onnx package: pip install digitlab[onnx]") from None
    return onnx


class _GraphBuilder:
    """Collects nodes and initialisers; each ``add`` returns the name of its output."""

    def __init__(self, onnx: Any) -> None:
        self.onnx = onnx
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []

    def constant(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(self.onnx.numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def add(self, op: str, inputs: list[str], name: str, doc: str = "", **attributes: Any) -> str:
        node = self.onnx.helper.make_node(op, inputs, [name], name=name, **attributes)
        if doc:
            node.doc_string = doc
        self.nodes.append(node)
        return name


def _per_channel(values: np.ndarray, step: ExportStep) -> np.ndarray:
    """(C,) as (C, 1, 1) for an image input, so it broadcasts over (N, C, H, W)."""
    return values.reshape((-1,) + (1,) * (len(step.input_shape) - 1))


# Each converter adds the nodes of one layer type: (graph, step, input name, node name) -> output.
Converter = Callable[[_GraphBuilder, ExportStep, str, str], str]


def _dense(g: _GraphBuilder, step: ExportStep, x: str, name: str) -> str:
    p = step.arrays()
    return g.add("Gemm", [x, g.constant(f"layers.{step.index}.W", p["W"]),
                          g.constant(f"layers.{step.index}.b", p["b"])], name)


def _conv2d(g: _GraphBuilder, step: ExportStep, x: str, name: str) -> str:
    p = step.arrays()
    (top, bottom), (left, right) = step.layer.pads(*step.input_shape[1:])
    return g.add("Conv", [x, g.constant(f"layers.{step.index}.W", p["W"]),
                          g.constant(f"layers.{step.index}.b", p["b"])], name,
                 kernel_shape=list(step.layer.kernel_size), strides=list(step.layer.stride),
                 pads=[top, left, bottom, right])


def _pool(op: str) -> Converter:
    def convert(g: _GraphBuilder, step: ExportStep, x: str, name: str) -> str:
        return g.add(op, [x], name, kernel_shape=list(step.layer.pool_size),
                     strides=list(step.layer.stride))
    return convert


def _batch_norm(g: _GraphBuilder, step: ExportStep, x: str, name: str) -> str:
    p = step.arrays()
    names = [g.constant(f"layers.{step.index}.{k}", p[k])
             for k in ("gamma", "beta", "running_mean", "running_var")]
    return g.add("BatchNormalization", [x, *names], name, epsilon=step.layer.eps)


def _prelu(g: _GraphBuilder, step: ExportStep, x: str, name: str) -> str:
    alpha = _per_channel(step.arrays()["alpha"], step)
    return g.add("PRelu", [x, g.constant(f"layers.{step.index}.alpha", alpha)], name)


def _simple(op: str, **attributes: Any) -> Converter:
    def convert(g: _GraphBuilder, step: ExportStep, x: str, name: str) -> str:
        return g.add(op, [x], name, **attributes)
    return convert


#: DigitLab layer type -> its ONNX nodes (inference mode). A type missing here cannot be exported;
#: tests/export checks that every registered layer type is here.
CONVERTERS: dict[str, Converter] = {
    "dense": _dense,
    "conv2d": _conv2d,
    "max_pool2d": _pool("MaxPool"),
    "avg_pool2d": _pool("AveragePool"),
    "flatten": _simple("Flatten", axis=1),  # (N, C, H, W) -> (N, C*H*W), C order like DigitLab
    "dropout": _simple("Identity"),          # inverted dropout: nothing to do at inference
    "batch_norm": _batch_norm,
    "relu": _simple("Relu"),
    "leaky_relu": lambda g, step, x, name: g.add("LeakyRelu", [x], name, alpha=step.layer.slope),
    "prelu": _prelu,
    "sigmoid": _simple("Sigmoid"),
    "tanh": _simple("Tanh"),
    "identity": _simple("Identity"),
    "softmax": _simple("Softmax", axis=1),   # DigitLab's softmax normalises over axis 1
}


def build_onnx(model: SavedModel) -> Any:
    """The ``onnx.ModelProto`` of ``model`` (checked by ``onnx.checker``)."""
    onnx = _onnx()
    plan = plan_export(model)
    plan.require_supported(CONVERTERS, "the ONNX export")
    g = _GraphBuilder(onnx)
    x = _input_nodes(g, plan)
    for step in plan.steps:
        layer_config = json.dumps(step.layer.get_config())
        x = CONVERTERS[step.type_name](g, step, x, f"layer{step.index}_{step.type_name}")
        g.nodes[-1].doc_string = layer_config  # each layer is one node: Netron shows its settings
    x = _output_nodes(g, plan, x)
    helper, tensor = onnx.helper, onnx.TensorProto
    images = helper.make_tensor_value_info(INPUT_NAME, tensor.UINT8, ["N", 28, 28])
    outputs = helper.make_tensor_value_info(x, tensor.FLOAT, ["N", *plan.output_shape])
    graph = helper.make_graph(g.nodes, "digitlab", [images], [outputs], g.initializers)
    graph.doc_string = ("28x28 MNIST-style digits (uint8, ink = 255 on a black background) -> "
                        f"{'probabilities' if plan.softmax_output else 'outputs'} per digit")
    proto = helper.make_model(graph, producer_name="DigitLab", producer_version=__version__,
                              opset_imports=[helper.make_opsetid("", OPSET)])
    proto.ir_version = IR_VERSION
    helper.set_model_props(proto, {
        "preprocessing": json.dumps(model.transform.to_dict()),
        "input": "uint8 (N, 28, 28) MNIST-style: crop, fit 20x20, centre by mass in 28x28; ink = 255",
        "temperature": "none" if plan.temperature is None else repr(plan.temperature),
        "provenance": model.describe_provenance(),
        **decline_metadata(plan),
    })
    onnx.checker.check_model(proto, full_check=True)
    return proto


#: metadata_props keys of the "not a digit" rule (absent for a model without one)
DECLINE_METHOD_KEY = "digitlab.decline.method"
DECLINE_THRESHOLD_KEY = "digitlab.decline.threshold"


def decline_metadata(plan: ExportPlan) -> dict[str, str]:
    """The rule as metadata: a reading whose top probability is below the threshold names no
    digit, as does an all-zero (blank) input. ``repr`` keeps the float exactly."""
    if plan.decline is None:
        return {}
    return {DECLINE_METHOD_KEY: plan.decline.method,
            DECLINE_THRESHOLD_KEY: repr(float(plan.decline.threshold))}


def _input_nodes(g: _GraphBuilder, plan: ExportPlan) -> str:
    """uint8 images -> the network's input, scaled exactly as ``InputTransform.apply`` does."""
    pixels = g.add("Cast", [INPUT_NAME], "pixels", to=g.onnx.TensorProto.FLOAT)
    scale = g.constant("input_scale", np.array(plan.scale / plan.std, dtype=np.float32))
    shift = g.constant("input_shift", np.array(plan.mean / plan.std, dtype=np.float32))
    scaled = g.add("Mul", [pixels, scale], "scaled", doc="pixels * scale / std")
    standardised = g.add("Sub", [scaled, shift], "standardised", doc="- mean / std")
    shape = g.constant("input_shape", np.array([-1, *plan.input_shape], dtype=np.int64))
    return g.add("Reshape", [standardised, shape], "network_input")


def _output_nodes(g: _GraphBuilder, plan: ExportPlan, scores: str) -> str:
    """Scores -> probabilities: ``softmax(scores / temperature)``, or the raw outputs."""
    if not plan.softmax_output:
        return g.add("Identity", [scores], OUTPUT_NAME)
    if plan.temperature is not None:  # calibration (a model record's ``temperature``)
        t = g.constant("temperature", np.array(plan.temperature, dtype=np.float32))
        scores = g.add("Div", [scores, t], "calibrated_scores")
    return g.add("Softmax", [scores], OUTPUT_NAME, axis=1)


def write_onnx(model: SavedModel, out: Path, *, overwrite: bool = False) -> Path:
    """Build the graph and write it to ``out`` atomically (a failed export leaves ``out`` as it was)."""
    check_target_file(out, overwrite)
    data = build_onnx(model).SerializeToString()
    try:
        with atomic_write(out) as stream:
            stream.write(data)
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    return out


def check_target_file(out: Path, overwrite: bool) -> None:
    """Refuse to replace a folder or, without ``overwrite``, an existing file."""
    if out.is_dir():
        raise ExportError(f"{out} is a folder; give a file name such as {out / 'model.onnx'}")
    if out.exists() and not overwrite:
        raise ExportError(f"{out} exists; choose another name or pass --force to replace it")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {out}: folder {folder} does not exist")
