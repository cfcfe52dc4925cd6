"""``python -m digitlab`` and the ``digitlab`` launcher."""

from __future__ import annotations

import sys


def main() -> int:
    from ._env import set_openblas_thread_timeout

    set_openblas_thread_timeout()  # before .cli, whose commands import NumPy
    from .cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
