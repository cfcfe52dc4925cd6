"""``digitlab train``: train a preset (with overrides) on MNIST and save the model."""

from __future__ import annotations

import argparse
import shlex
import signal
import time
from pathlib import Path
from typing import Any

from ..core.augment import AugmentConfig
from ..core.config import (
    DataSpec,
    RunSpec,
    TrainConfig,
    all_optimizer_settings,
    all_schedule_settings,
)
from ..core.decline import DeclineCarry
from ..core.errors import ConfigError
from ..core.events import (
    BatchEnd,
    EpochEnd,
    EpochMetrics,
    Event,
    NumericalProgress,
    RunStarted,
)
from ..core.model_fit import check_fits_mnist
from ..core.presets import describe_presets, get_preset
from ..core.registry import OPTIMIZERS, SCHEDULES
from ..core.resume import continuation
from ..core.run_recorder import RunRecorder
from ..core.serialization import SavedModel, load_model, save_model
from ..core.spec import Setting
from ..core.splits import TrainingData
from ..core.training import Trainer, TrainResult
from ..paths import run_store_path
from .common import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, UsageError, check_writable_file, print_json
from .dataset_commands import DATA_HELP, load_data
from .progress import ProgressLine, format_duration


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _add_setting_flag(parser: argparse.ArgumentParser, setting: Setting, extra_help: str = "") -> None:
    """One flag per declared setting; its default is the preset's, so none is set here."""
    text = setting.help + (f" {setting.bounds_text()}" if setting.bounds_text() else "") + extra_help
    if setting.kind is bool:
        parser.add_argument(_flag(setting.name), action=argparse.BooleanOptionalAction, help=text)
    elif setting.kind is str:
        parser.add_argument(_flag(setting.name), choices=list(setting.choices), help=text)
    else:
        parser.add_argument(_flag(setting.name), type=setting.kind, help=text,
                            metavar=setting.name.upper())


def setting_flags() -> dict[str, Setting]:
    """Every configuration setting that has a flag, by its argparse destination."""
    found: dict[str, Setting] = {s.name: s for s in (*RunSpec.SETTINGS, *DataSpec.SETTINGS,
                                                     *AugmentConfig.SETTINGS)}
    found.update(all_optimizer_settings())
    found.update(all_schedule_settings())
    return found


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "train", help="train a network on MNIST and save it",
        description="Train a preset network on MNIST. Flags override the preset's settings (or, "
                    "with --init, the model's own). Ctrl+C stops after the current batch and "
                    "still saves the model.")
    p.unset_means = "the preset's"  # --help: a flag not given keeps the preset's (or model's) value
    p.add_argument("--preset", default=None,
                   help="starting configuration ('list' to describe them; default mlp, or the "
                        "--init model's own settings)")
    p.add_argument("--data", metavar="DATA", help=DATA_HELP)
    p.add_argument("--extra-data", metavar="FILE.npz",
                   help="extra labelled images (x_train, y_train[, x_test, y_test] as in "
                        "my_digits.npz) added to the training set, repeated until they are "
                        "about a fifth of it")
    p.add_argument("--out", metavar="FILE", help="model file to write (.npz); saved after "
                                                 "every epoch as a checkpoint (default: not saved)")
    p.add_argument("--init", metavar="MODEL",
                   help="continue training this model: its weights, settings, optimiser state "
                        "and random generators (an interrupted run goes on exactly where it "
                        "stopped); flags still override settings")
    p.add_argument("--optimizer", choices=list(OPTIMIZERS),
                   help="the update rule; starts from its own default settings")
    p.add_argument("--schedule", choices=list(SCHEDULES), help="learning-rate schedule")
    # Every other flag is derived from the declared settings of the configuration records.
    for name, setting in setting_flags().items():
        owners = [o for o, cls in (*OPTIMIZERS.items(), *SCHEDULES.items())
                  if name in {s.name for s in cls.settings}]
        _add_setting_flag(p, setting, f" (for {', '.join(owners)})" if owners else "")
    p.add_argument("--augment", metavar="ROT,SHIFT,ZOOM[,SHEAR,ASPECT]",
                   help="on-the-fly augmentation, e.g. 10,0.1,0.1 or 10,0.1,0.1,15,0.2: rotation "
                        "(degrees), shift, zoom (fractions), slant (degrees), width change "
                        "(fraction); 0,0,0 turns it off")
    p.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    p.set_defaults(run=run)


def build_config(args: argparse.Namespace, base: TrainConfig) -> TrainConfig:
    """``base`` with every flag that was given applied; a setting the chosen optimiser or
    schedule does not take is a :class:`UsageError`."""
    changes: dict[str, Any] = {key: getattr(args, key) for key in setting_flags()
                               if getattr(args, key, None) is not None}
    for key in ("optimizer", "schedule"):
        if getattr(args, key, None) is not None:
            changes[key] = getattr(args, key)
    if args.augment is not None:
        try:
            values = [float(v) for v in args.augment.split(",")]
            if len(values) not in (3, 5):
                raise ValueError
        except ValueError:
            raise UsageError(f"--augment takes ROT,SHIFT,ZOOM[,SHEAR,ASPECT] such as 10,0.1,0.1, "
                             f"got {args.augment!r}") from None
        try:
            changes.update(AugmentConfig(*values).to_dict())
        except ConfigError as exc:
            raise UsageError(str(exc)) from None
    try:
        return base.with_settings(**changes)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def _starting_point(args: argparse.Namespace) -> tuple[TrainConfig, SavedModel | None, str | None]:
    """The configuration flags apply to, the model to continue (if any) and the preset name."""
    initial: SavedModel | None = None
    if args.init and args.preset is not None:
        raise UsageError("--preset and --init cannot go together: --init continues the model with "
                         "its own settings (flags still change single settings)")
    if args.init:
        initial = load_model(args.init)  # a bad file: ModelFileError, exit 1
        check_fits_mnist(initial.network, args.init)
    try:
        if initial is None:
            preset = args.preset or "mlp"
            base = get_preset(preset)
        else:
            preset = initial.preset
            base = initial.config or get_preset("mlp")
        if initial is not None:
            base = base.replace(network=base.network.from_dict(initial.network.get_config()))
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    return base, initial, preset


def run(args: argparse.Namespace) -> int:
    if args.preset == "list":
        print(describe_presets())
        return EXIT_OK
    # Everything about the arguments is checked before any data is loaded.
    base, initial, preset = _starting_point(args)
    config = build_config(args, base)
    if initial is not None:
        # The input scaling is part of the model: the record says what it is, not the flag.
        scaled = initial.transform.mean != 0.0 or initial.transform.std != 1.0
        if getattr(args, "normalize", None) is not None and args.normalize != scaled:
            raise UsageError("--normalize cannot change when continuing a model: its input "
                             "scaling is part of the model")
        if config.data.normalize != scaled:
            config = config.with_settings(normalize=scaled)
    out = Path(args.out) if args.out else None
    if out is not None:
        check_writable_file(out)
    mnist = load_data(args.data, args.extra_data)
    try:
        data = TrainingData.for_config(mnist, config)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    # The decline rule belongs to the weights: how often the parent declines the run's own
    # digits is measured now, before training changes its network, and carried over to each
    # checkpoint and to the final model, re-chosen for the weights each holds.
    carry = DeclineCarry.measure(initial, data) if initial is not None and out is not None else None
    # The saved optimiser state belongs to the saved optimiser: another one starts afresh.
    resume = continuation(initial.config, config, initial.resume) if initial is not None else None
    trainer = Trainer(config, data, initial.network if initial else None,
                      initial.transform if initial else None,
                      initial.history if initial else None, resume=resume)
    command = "digitlab " + shlex.join(getattr(args, "argv", None) or ["train"])
    provenance = list(initial.provenance) if initial is not None else []
    step: dict[str, Any] = ({"kind": "fine-tuned", "from": str(args.init)} if initial is not None
                            else {"kind": "trained"})
    if mnist.describe()["name"] != "mnist":  # on what else, when not on MNIST alone
        step["on"] = mnist.describe()["name"]
    provenance.append(step)
    reporter = TrainReporter(config, trainer)
    # The run history: one warning if it cannot be written, and the run goes on.
    history = RunRecorder(run_store_path(), "cli", on_warning=lambda m: reporter.progress.print(
        f"warning: {m}"))
    history.start(config, preset=preset, command=command, data=mnist.describe())

    def record(history: list[EpochMetrics], result: dict[str, Any] | None = None) -> SavedModel:
        return SavedModel(trainer.network, trainer.transform, config, list(history), preset=preset,
                          command=command, provenance=provenance, data=mnist.describe(),
                          result=result, resume=trainer.resume_state())

    def on_event(event: Event) -> None:
        reporter(event)
        history(event)
        if isinstance(event, EpochEnd) and out is not None:
            checkpoint = record(trainer.history)
            if carry is not None:  # a forward pass over at most 5,000 digits: under 1% of an epoch
                carry.apply(checkpoint)
            save_model(out, checkpoint)

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
    except KeyboardInterrupt:  # a second Ctrl+C: the run is recorded as interrupted
        history.finish("interrupted", message="aborted with a second Ctrl+C")
        raise
    finally:
        signal.signal(signal.SIGINT, previous)
    reporter.progress.clear()
    summary = result.summary()
    if out is not None:
        saved = record(result.history, summary)
        saved.resume, saved.calibration = result.resume, result.calibration
        if carry is not None:
            carry.apply(saved)
            reporter.report_carry(carry, saved)
        save_model(out, saved)
    history.finish(result.reason, message=result.message, result=summary, model_path=out)
    history.close()
    reporter.finish(result, out)
    if args.json:
        print_json(summary)
    if result.reason == "interrupted":
        return EXIT_INTERRUPTED
    return EXIT_FAILURE if result.reason == "diverged" else EXIT_OK


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
                f"{event.total_iterations:,} iterations of batch {self.config.data.batch_size}")
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

    def report_carry(self, carry: DeclineCarry, saved: SavedModel) -> None:
        self.progress.print(
            f"decline: threshold {carry.rule.threshold:.4f} re-chosen as {saved.decline.threshold:.4f}"
            f", so the model declines {carry.declined_share * 100:.2f}% of {len(carry.images):,} "
            f"{carry.split} digits as its parent did")

    def finish(self, result: TrainResult, out: Path | None) -> None:
        where = f"; model saved to {out}" if out is not None else " (no --out: model not saved)"
        total = format_duration(time.monotonic() - self.started)
        self.progress.print(f"{result.reason}: {result.message} after {total}{where}")
        cal = result.calibration
        if cal is not None:
            self.progress.print(
                f"calibration: temperature {cal.temperature:.3f} fitted on the {cal.fitted_on}: "
                f"expected calibration error {cal.ece_before * 100:.2f}% -> {cal.ece_after * 100:.2f}%")
        else:
            self.progress.print("calibration: none (it needs a validation split of at least 100 "
                                "images, --val-split, and must lower the calibration error)")
