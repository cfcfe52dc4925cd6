"""PyInstaller's entry point: the bundled ``digitlab`` executable, same as the pip launcher.

``digitlab/__main__.py`` cannot be the entry itself: PyInstaller runs the entry as a top-level
script, where its relative import (``from .cli import main``) has no package to be relative to.
"""

from digitlab.cli import console_main

if __name__ == "__main__":
    console_main()
