"""``digitlab train``: train a preset (with overrides) on MNIST and save the model."""

from __future__ import annotations

import argparse
import shlex
import signal
import time
from pathlib import Path
from typing import Any

from ..core.augment import AugmentConfig
from ..core.config import GRADIENT_MODES, SAMPLING_MODES, TrainConfig
from ..core.data import load_mnist
from ..core.errors import ConfigError, ModelFileError
from ..core.events import (
    BatchEnd,
    EpochEnd,
    EpochMetrics,
    Event,
    NumericalProgress,
    RunStarted,
)
from ..core.optimizers import OPTIMIZERS
from ..core.presets import describe_presets, get_preset
from ..core.schedules import SCHEDULES
from ..core.serialization import SavedModel, load_model, save_model
from ..core.training import Trainer, TrainingData, TrainResult
from ..paths import resolve_data_dir
from .common import EXIT_INTERRUPTED, EXIT_OK, UsageError, check_writable_file, print_json
from .progress import ProgressLine, format_duration

#: flag name -> TrainConfig field, for flags that override a preset one to one
OVERRIDES = {
    "epochs": "epochs", "optimizer": "optimizer", "lr": "lr", "momentum": "momentum",
    "batch_size": "batch_size", "l2": "l2", "schedule": "schedule", "decay": "decay",
    "power": "power", "val_split": "val_split", "sampling": "sampling", "seed": "seed",
    "gradients": "gradients", "max_iterations": "max_iterations", "train_limit": "train_limit",
    "loss_threshold": "loss_threshold", "normalize": "normalize",
}


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "train", help="train a network on MNIST and save it",
        description="Train a preset network on MNIST. Flags override the preset's settings. "
                    "Ctrl+C stops after the current batch and still saves the model.")
    p.unset_means = "the preset's"  # --help: a flag not given keeps the preset's value
    p.add_argument("--preset", default=None,
                   help="starting configuration ('list' to describe them; default mlp, or the "
                        "--init model's own settings)")
    p.add_argument("--epochs", type=int, help="passes over the training data")
    p.add_argument("--data", metavar="DIR", help="MNIST folder (default: $DIGITLAB_MNIST_DIR, "
                                                 "else the downloaded copy)")
    p.add_argument("--out", metavar="FILE", help="model file to write (.npz); saved after "
                                                 "every epoch as a checkpoint (default: not saved)")
    p.add_argument("--init", metavar="FILE", help="start from this model's weights (fine-tune; "
                                                  "default: fresh random weights)")
    p.add_argument("--optimizer", choices=list(OPTIMIZERS))
    p.add_argument("--lr", type=float, help="learning rate")
    p.add_argument("--momentum", type=float)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--l2", type=float, help="L2 weight decay coefficient")
    p.add_argument("--schedule", choices=list(SCHEDULES), help="learning-rate schedule")
    p.add_argument("--decay", type=float, help="time-decay coefficient: lr / (1 + decay * t)")
    p.add_argument("--power", type=float, help="power-decay exponent: lr / t**power")
    p.add_argument("--val-split", type=float, help="fraction of training data held out")
    p.add_argument("--sampling", choices=list(SAMPLING_MODES))
    p.add_argument("--seed", type=int)
    p.add_argument("--gradients", choices=list(GRADIENT_MODES))
    p.add_argument("--max-iterations", type=int, help="stop after this many updates")
    p.add_argument("--train-limit", type=int, help="use only the first N training images")
    p.add_argument("--loss-threshold", type=float, help="stop when the epoch loss falls below")
    p.add_argument("--normalize", action=argparse.BooleanOptionalAction,
                   help="standardise pixels with the training mean and std")
    p.add_argument("--augment", metavar="ROT,SHIFT,ZOOM[,SHEAR,ASPECT]",
                   help="on-the-fly augmentation, e.g. 10,0.1,0.1 or 10,0.1,0.1,15,0.2: rotation "
                        "(degrees), shift, zoom (fractions), slant (degrees), width change "
                        "(fraction); 0,0,0 turns it off")
    p.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    p.set_defaults(run=run)


def build_config(args: argparse.Namespace, base: TrainConfig) -> TrainConfig:
    changes: dict[str, Any] = {}
    for flag, field_name in OVERRIDES.items():
        value = getattr(args, flag, None)
        if value is not None:
            changes[field_name] = value
    if args.augment is not None:
        try:
            values = [float(v) for v in args.augment.split(",")]
            if len(values) not in (3, 5):
                raise ValueError
        except ValueError:
            raise UsageError(f"--augment takes ROT,SHIFT,ZOOM[,SHEAR,ASPECT] such as 10,0.1,0.1, "
                             f"got {args.augment!r}") from None
        changes["augment"] = AugmentConfig(*values)
    return base.replace(**changes)


def run(args: argparse.Namespace) -> int:
    if args.preset == "list":
        print(describe_presets())
        return EXIT_OK
    # Everything about the arguments is checked before any data is loaded.
    initial: SavedModel | None = None
    if args.init:
        try:
            initial = load_model(args.init)
        except ModelFileError as exc:
            raise UsageError(str(exc)) from None
    try:
        if args.preset is not None or initial is None:
            base = get_preset(args.preset or "mlp")
        else:
            saved = initial.training.get("config")
            base = TrainConfig.from_dict(saved) if saved else get_preset("mlp")
        if initial is not None:
            net_config = initial.network.get_config()
            base = base.replace(layers=tuple(net_config["layers"]),
                                input_shape=tuple(net_config["input_shape"]), loss=net_config["loss"])
        config = build_config(args, base)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    out = Path(args.out) if args.out else None
    if out is not None:
        check_writable_file(out)
    data_dir = resolve_data_dir(args.data)
    mnist = load_mnist(data_dir)
    try:
        data = TrainingData.from_mnist(mnist, config.val_split, config.seed, config.train_limit)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    trainer = Trainer(config, data, initial.network if initial else None,
                      initial.transform if initial else None,
                      initial.history if initial else None)
    command = "digitlab " + shlex.join(getattr(args, "argv", None) or ["train"])
    reporter = TrainReporter(config, trainer)

    def saved_model(history: list[EpochMetrics], result: dict[str, Any] | None = None) -> SavedModel:
        training: dict[str, Any] = {"config": config.to_dict(), "command": command,
                                    "data": mnist.source}
        if result is not None:
            training["result"] = result
        return SavedModel(trainer.network, trainer.transform, training, list(history))

    def on_event(event: Event) -> None:
        reporter(event)
        if isinstance(event, EpochEnd) and out is not None:
            save_model(out, saved_model(trainer.history))  # checkpoint

    previous = signal.getsignal(signal.SIGINT)

    def interrupt(signum, frame):
        if trainer.control.stop_requested:  # a second Ctrl+C: stop right now
            signal.signal(signal.SIGINT, previous)
            raise KeyboardInterrupt
        reporter.progress.print("stopping after this batch (Ctrl+C again to abort)...")
        trainer.control.request_stop()

    signal.signal(signal.SIGINT, interrupt)
    try:
        result = trainer.run(on_event)
    finally:
        signal.signal(signal.SIGINT, previous)
    reporter.progress.clear()
    summary = summarize(result)
    if out is not None:
        save_model(out, saved_model(result.history, summary))
    reporter.finish(result, out)
    if args.json:
        print_json(summary)
    return EXIT_INTERRUPTED if result.reason == "interrupted" else EXIT_OK


def summarize(result: TrainResult) -> dict[str, Any]:
    last = result.history[-1] if result.history else None
    seconds = result.seconds_per_epoch
    return {
        "test_accuracy": last.test_accuracy if last else None,
        "test_loss": last.test_loss if last else None,
        "train_loss": last.train_loss if last else None,
        "val_accuracy": last.val_accuracy if last else None,
        "seconds_per_epoch": seconds,
        "samples_per_second": (last.samples_per_second if last else None),
        "stopped": result.reason,
        "epochs": len(result.epoch_seconds),
        "iterations": result.iterations,
    }


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.2f}%"


class TrainReporter:
    """Turns training events into a progress bar and one line of metrics per epoch."""

    def __init__(self, config: TrainConfig, trainer: Trainer) -> None:
        self.config = config
        self.trainer = trainer
        self.progress = ProgressLine()
        self.started = time.monotonic()
        self.iteration_estimate: float | None = None

    def __call__(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            self.progress.print(
                f"training {event.parameter_count:,} parameters on {event.train_size:,} images "
                f"({event.val_size:,} validation, {event.test_size:,} test), "
                f"{event.total_iterations:,} iterations of batch {self.config.batch_size}")
            if event.seconds_per_iteration_estimate is not None:
                self.iteration_estimate = event.seconds_per_iteration_estimate
                total = event.seconds_per_iteration_estimate * event.total_iterations
                self.progress.print(
                    f"numerical gradients: about {format_duration(event.seconds_per_iteration_estimate)}"
                    f" per iteration, {format_duration(total)} in all")
        elif isinstance(event, BatchEnd):
            fraction = event.iteration / event.total_iterations
            acc = f" acc {event.accuracy * 100:.1f}%" if event.accuracy is not None else ""
            self.progress.update(fraction, f"epoch {event.epoch} {event.batch}/{event.batches_per_epoch}"
                                 f" loss {event.loss:.4f}{acc} {event.samples_per_second:,.0f}"
                                 f" samples/s ETA {format_duration(event.eta)}")
        elif isinstance(event, NumericalProgress):
            self.progress.update(event.done / event.total,
                                 f"iteration {event.iteration}: numerical gradient "
                                 f"{event.done:,}/{event.total:,} parameters")
        elif isinstance(event, EpochEnd):
            m = event.metrics
            parts = [f"epoch {m.epoch}", f"train loss {m.train_loss:.4f} acc {_percent(m.train_accuracy)}"]
            if m.val_loss is not None:
                parts.append(f"val loss {m.val_loss:.4f} acc {_percent(m.val_accuracy)}")
            if m.test_loss is not None:
                parts.append(f"test loss {m.test_loss:.4f} acc {_percent(m.test_accuracy)}")
            parts.append(f"{m.seconds:.2f} s ({m.samples_per_second:,.0f} samples/s)")
            self.progress.print("  ".join(parts))

    def finish(self, result: TrainResult, out: Path | None) -> None:
        where = f"; model saved to {out}" if out is not None else " (no --out: model not saved)"
        total = format_duration(time.monotonic() - self.started)
        self.progress.print(f"{result.reason}: {result.message} after {total}{where}")
