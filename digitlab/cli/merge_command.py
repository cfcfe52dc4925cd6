"""``digitlab merge``: several trained dense networks as one model that reads as their average."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from ..core.bounded_json import one_line
from ..core.errors import DataError
from ..core.model_fit import check_fits_mnist
from ..core.model_merge import MAX_MEMBERS, check_mergeable, merged_model
from ..core.serialization import load_model, save_model
from ..core.splits import TrainingData
from .common import EXIT_OK, UsageError, check_writable_file, print_json
from .dataset_commands import DATA_HELP, load_data


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "merge", help="merge trained dense networks into one model that reads as their average",
        description=f"Merge 2 to {MAX_MEMBERS} trained dense networks (the same kinds of layer, trained on "
                    "the same split of the same data, e.g. the same seed and --val-split with "
                    "different augmentation) into one wider network whose scores are the mean "
                    "of theirs: an ensemble in one ordinary model file, read in one pass "
                    "everywhere. The merged model is calibrated on the members' validation "
                    "digits, gets the first member's not-a-digit threshold carried over, and "
                    "records how every member was trained.")
    p.add_argument("models", metavar="MODEL", nargs="+", help="the members' model files (.npz)")
    p.add_argument("--out", required=True, metavar="FILE", help="where to write the merged model")
    p.add_argument("--data", metavar="DATA",
                   help=DATA_HELP + "; the members' own data, for their validation split")
    p.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    p.set_defaults(run=run_merge)


def run_merge(args: argparse.Namespace) -> int:
    if not 2 <= len(args.models) <= MAX_MEMBERS:
        raise UsageError(f"give 2 to {MAX_MEMBERS} models to merge, got {len(args.models)}")
    out = Path(args.out).expanduser()
    check_writable_file(out)
    if out.exists() and any(_same_file(out, Path(m).expanduser()) for m in args.models):
        raise UsageError(f"--out {out} is one of the models being merged; write the merged "
                         f"model to another file")
    members = [load_model(path) for path in args.models]
    for member, path in zip(members, args.models, strict=True):
        check_fits_mnist(member.network, path)
    check_mergeable(members, args.models)  # before the data is loaded
    trained_on = members[0].data or {}
    if args.data is None and trained_on.get("name") != "mnist":
        raise UsageError(f"the members were trained on {_data_name(trained_on)}; give that data "
                         f"with --data")
    mnist = load_data(args.data)
    if mnist.describe().get("sha256") != trained_on.get("sha256"):
        raise DataError(f"the members were trained on {_data_name(trained_on)}, but the data "
                        f"given is {_data_name(mnist.describe())}; give their data with --data")
    assert members[0].config is not None  # check_mergeable
    data = TrainingData.for_config(mnist, members[0].config)
    command = "digitlab " + shlex.join(getattr(args, "argv", None) or ["merge"])
    model = merged_model(members, args.models, data, mnist.test_images, mnist.test_labels,
                         command)
    save_model(out, model)
    result = model.result or {}
    cal = model.calibration
    print(f"merged {len(members)} networks into {model.network.parameter_count:,} parameters: "
          f"test accuracy {result['test_accuracy'] * 100:.2f}%"
          + (f", validation {result['val_accuracy'] * 100:.2f}%" if "val_accuracy" in result else ""))
    print("calibration: " + (f"temperature {cal.temperature:.3f} (ECE {cal.ece_before * 100:.2f}% "
                             f"-> {cal.ece_after * 100:.2f}%)" if cal else "none"))
    print("decline: " + (f"threshold {model.decline.threshold:.4f}, carried over from "
                         f"{Path(args.models[0]).name}'s" if model.decline else "none"))
    print(f"model saved to {out}")
    if args.json:
        print_json({"out": str(out), "members": [Path(m).name for m in args.models],
                    "parameters": model.network.parameter_count, **result,
                    "temperature": cal.temperature if cal else None,
                    "decline_threshold": model.decline.threshold if model.decline else None})
    return EXIT_OK


def _data_name(record: dict | None) -> str:
    if not record:
        return "unknown data"
    return f"{one_line(record.get('name', '?'), 60)} (sha256 {one_line(record.get('sha256', '?'), 12)}…)"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False
