"""``digitlab data``: the user's named data sets (import, list, remove), and ``--data`` choices.

``--data`` on ``train`` and ``evaluate`` takes a folder or .npz (MNIST, as before) or a data
choice: ``mnist``, a stored set's ``NAME``, or ``mnist+NAME``. ``--extra-data FILE.npz`` on
``train`` adds a few labelled images (e.g. "my digits") to the training set, oversampled.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from ..core.data import MnistData, load_mnist
from ..core.datasets import list_datasets, load_choice, read_labelled_npz, remove_dataset, with_extra
from ..paths import datasets_dir, resolve_data_dir
from .common import EXIT_OK, print_json
from .progress import ProgressLine

DATA_HELP = ("the data: a data choice (mnist, a stored data set's NAME, or mnist+NAME; see "
             "`digitlab data list`) or an MNIST folder/.npz (default: $DIGITLAB_MNIST_DIR, else "
             "the downloaded copy)")


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "data", help="your own data sets: import, list, remove",
        description="Named data sets: your own labelled digits (a folder with one subfolder per "
                    "digit 0-9 of images, IDX files in MNIST layout, or an .npz with x_train, "
                    "y_train[, x_test, y_test]) stored in DigitLab's data folder. Train or "
                    "evaluate on one with --data NAME, or on MNIST plus it with --data mnist+NAME.")
    commands = p.add_subparsers(title="data commands", metavar="ACTION", required=True)
    q = commands.add_parser("list", help="the stored data sets with their sizes")
    q.add_argument("--json", action="store_true", help="print them as JSON")
    q.set_defaults(run=run_list)
    q = commands.add_parser("import", help="import a folder or file as a named data set")
    add_import_arguments(q)
    q = commands.add_parser("remove", help="delete a stored data set")
    q.add_argument("name", metavar="NAME")
    q.set_defaults(run=run_remove)


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="PATH",
                        help="a folder of digit subfolders 0-9 holding images, a folder of IDX "
                             "files, or an .npz")
    parser.add_argument("--name", required=True, help="the data set's name (letters, digits, _ -)")
    parser.add_argument("--replace", action="store_true",
                        help="replace an existing data set of that name")
    parser.set_defaults(run=run_import)


def run_import(args: argparse.Namespace) -> int:
    from ..dataset_import import import_dataset  # Qt's image plugins, only when importing

    line = ProgressLine()

    def progress(fraction: float | None, text: str = "") -> None:
        if line.is_tty:  # in a log, a failure stays the one line on stderr
            line.update(fraction or 0.0, text)

    try:
        data, skipped = import_dataset(Path(args.source), args.name, datasets_dir(),
                                       replace=args.replace, progress=progress)
    finally:
        line.clear()
    note = f"; skipped {skipped:,} files that are not images" if skipped else ""
    print(f"imported data set {args.name!r}: {data.num_train:,} train + {data.num_test:,} "
               f"test images into {data.source}{note}")
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    infos = list_datasets(datasets_dir())
    if args.json:
        print_json([info.to_dict() for info in infos])
        return EXIT_OK
    if not infos:
        print(f"no data sets yet in {datasets_dir()}; import one with "
              f"`digitlab data import --name NAME PATH`")
    for info in infos:
        if info.problem:
            print(f"{info.name}  unreadable: {info.problem}")
        else:
            print(f"{info.name}  {info.train:,} train + {info.test:,} test  sha256 {info.sha256[:12]}")
    return EXIT_OK


def run_remove(args: argparse.Namespace) -> int:
    path = remove_dataset(datasets_dir(), args.name)
    print(f"removed data set {args.name!r} ({path})")
    return EXIT_OK


def is_data_choice(value: str | None) -> bool:
    """Whether ``--data`` names data sets (``mnist``, ``NAME``, ``mnist+NAME``), not a path."""
    if value is None or not value.strip():
        return False
    return "/" not in value and "\\" not in value and not Path(value).expanduser().exists()


def load_data(value: str | None, extra: str | None = None) -> MnistData:
    """What ``--data`` (and ``--extra-data``) ask for, loaded and checked."""
    if is_data_choice(value):
        data = load_choice(value, resolve_data_dir(None), datasets_dir())
    else:
        data = load_mnist(resolve_data_dir(value))
    if extra is not None:
        path = Path(extra).expanduser()
        images, labels, test_images, test_labels = read_labelled_npz(path)
        if test_images is not None and len(test_images):
            images = np.concatenate([images, test_images])
            labels = np.concatenate([labels, test_labels])
        data = with_extra(data, images, labels, path.stem)
    return data
