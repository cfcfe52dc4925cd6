"""The ``digitlab`` command: the desktop app with no arguments, subcommands for scripts."""

from __future__ import annotations

import argparse
import logging
import sys

from .. import __version__
from .._env import set_openblas_thread_timeout
from ..core.errors import DigitLabError
from ..logfile import configure_logging
from . import desktop_command
from .common import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, Parser, UsageError, fail

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    # The subcommands import NumPy, so they are imported here rather than with this package:
    # console_main must set the process environment before NumPy loads.
    from . import (
        data_commands,
        dataset_commands,
        export_command,
        gradcheck_command,
        merge_command,
        model_commands,
        runs_command,
        selftest_command,
        train,
    )

    parser = Parser(  # its subcommands' parsers are Parsers too: --help shows every default
        prog="digitlab",
        description="DigitLab: a workbench for neural networks on handwritten digits. "
                    "Run without arguments to open the desktop app.")
    parser.add_argument("--version", action="version", version=f"DigitLab {__version__}")
    desktop_command.add_arguments(parser)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    train.add_parser(subparsers)
    model_commands.add_parsers(subparsers)
    merge_command.add_parser(subparsers)
    export_command.add_parser(subparsers)
    gradcheck_command.add_parser(subparsers)
    data_commands.add_parsers(subparsers)
    dataset_commands.add_parsers(subparsers)
    selftest_command.add_parser(subparsers)
    runs_command.add_parser(subparsers)
    gui = subparsers.add_parser("gui", help="open the desktop app (the default)")
    gui.set_defaults(run=None)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:
        # The desktop app: building the parser would import every subcommand's modules first,
        # about 0.08 s of the app's start-up (benchmarks/bench_startup.py).
        from ..gui.app import run_gui

        return run_gui([sys.argv[0]])
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = argv  # recorded in model files as the command that made them
    if desktop_command.requested(args):
        return desktop_command.run(args)
    command = getattr(args, "run", None)
    log_path = configure_logging()
    try:
        if command is None:
            from ..gui.app import run_gui  # Qt is imported only when the app is wanted

            return run_gui([sys.argv[0], *argv[1:]] if argv[:1] == ["gui"] else [sys.argv[0]])
        return command(args)
    except UsageError as exc:
        fail(str(exc))
        return EXIT_USAGE
    except DigitLabError as exc:
        fail(str(exc))
        return EXIT_FAILURE
    except KeyboardInterrupt:
        fail("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `digitlab runs | head -1`: the reader has gone, which is not an error. Point stdout at
        # nothing so that Python's own flush at exit does not complain either.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
        return EXIT_FAILURE
    except MemoryError:
        fail("out of memory: the input or the settings ask for more memory than this computer has")
        return EXIT_FAILURE
    except (RecursionError, OverflowError) as exc:
        fail(f"the input is too deeply nested or a number is out of range ({type(exc).__name__})")
        return EXIT_FAILURE
    except Exception as exc:  # noqa: BLE001 - a bug: one line here, the traceback in the log
        log.exception("unexpected error in: digitlab %s", " ".join(argv))
        where = f"; details in {log_path}" if log_path is not None else ""
        fail(f"unexpected error: {type(exc).__name__}: {exc}{where}")
        return EXIT_FAILURE


def console_main() -> None:
    """Entry point of the ``digitlab`` launcher."""
    set_openblas_thread_timeout()  # first: nothing has imported NumPy yet
    sys.exit(main())
