"""``digitlab download`` and ``digitlab import-data``: get MNIST into the cache."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..download import DownloadProgress, download_mnist, import_mnist
from ..paths import mnist_cache_dir
from . import dataset_commands
from .common import EXIT_OK, UsageError
from .progress import ProgressLine, format_duration


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "download", help="download MNIST from the public mirrors (verified by SHA-256)",
        description="Download the four MNIST files, verify their published SHA-256 and cache them. "
                    "Nothing is ever downloaded unless you ask.")
    p.add_argument("--dest", metavar="DIR", help=f"where to store them (default {mnist_cache_dir()})")
    p.set_defaults(run=run_download)

    p = subparsers.add_parser(
        "import-data", help="copy local MNIST files (IDX or mnist.npz) into the cache, or "
                            "import your own data set (--name)",
        description="Check a folder of MNIST IDX files (.gz or raw) or an mnist.npz and copy it "
                    "into DigitLab's data folder. With --name NAME, import your own labelled "
                    "digits as a named data set instead (as `digitlab data import`).")
    p.add_argument("source", metavar="PATH")
    p.add_argument("--dest", metavar="DIR", help=f"default {mnist_cache_dir()}")
    p.add_argument("--name", help="import PATH as your own data set of this name (a folder of "
                                  "digit subfolders 0-9 of images, IDX files or an .npz)")
    p.add_argument("--replace", action="store_true",
                   help="with --name: replace an existing data set of that name")
    p.set_defaults(run=run_import)


def run_download(args: argparse.Namespace) -> int:
    dest = Path(args.dest) if args.dest else mnist_cache_dir()
    line = ProgressLine()

    def report(p: DownloadProgress) -> None:
        line.update(p.fraction, f"{p.file_name} {p.bytes_done / 1e6:.1f}/{p.bytes_total / 1e6:.1f} MB "
                    f"{p.bytes_per_second / 1e6:.2f} MB/s ETA {format_duration(p.eta_seconds)}")

    folder = download_mnist(dest, progress=report)
    line.print(f"MNIST is ready in {folder}")
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    if args.name is not None:
        if args.dest is not None:
            raise UsageError("--dest is for MNIST; a named data set goes to the data sets folder")
        return dataset_commands.run_import(args)
    dest = Path(args.dest) if args.dest else mnist_cache_dir()
    folder = import_mnist(Path(args.source), dest)
    print(f"imported MNIST into {folder}")
    return EXIT_OK
