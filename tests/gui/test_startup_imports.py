"""Start-up imports only what the first window needs: the Lab, exporters and the CLI's
subcommands wait until they are used (benchmarks/bench_startup.py measures the time)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

#: Modules the first window must not import; each is imported by the action that needs it.
DEFERRED = ("digitlab.gui.lab.lab_window", "digitlab.gui.lab.activations_tab", "digitlab.export",
            "pyqtgraph.exporters", "digitlab.cli.train", "digitlab.cli.export_command")

CHILD = textwrap.dedent("""
    import json, sys
    from PySide6.QtWidgets import QApplication
    import digitlab.gui.app as app_module

    windows = []

    def run_gui(argv):  # what `digitlab` with no arguments reaches, without the event loop
        app = QApplication(argv)
        windows.append(app_module.create_main_window())
        windows[0].show()
        return 0

    app_module.run_gui = run_gui
    from digitlab.cli import main
    assert main([]) == 0
    window = windows[0]
    before = [m for m in json.loads(sys.argv[1]) if m in sys.modules]
    window.lab_menu.launcher.open("activations")
    after = [m for m in json.loads(sys.argv[1]) if m in sys.modules]
    print(json.dumps({"before": before, "after": after}))
    window.session.stop_and_wait()
    window.lab_menu.launcher.shutdown()
""")


@pytest.mark.slow
def test_the_first_window_defers_the_lab_exporters_and_cli_subcommands(tmp_path):
    """`digitlab` with no arguments shows its window without importing the Lab, the exporters or
    the command line's subcommands; opening the Lab imports it."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DIGITLAB_HOME=str(tmp_path))
    env.pop("DIGITLAB_MNIST_DIR", None)
    done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(DEFERRED)], env=env,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["before"] == []
    assert "digitlab.gui.lab.lab_window" in result["after"]
    assert "digitlab.gui.lab.activations_tab" in result["after"]


def test_lab_menu_lists_the_experiments_in_the_lab_windows_tab_order(qtbot):
    """The menu names its experiments itself (so it imports no Lab module) in the window's order."""
    from PySide6.QtWidgets import QMainWindow

    from digitlab.gui.lab import EXPERIMENT_KEYS, install_lab_menu

    window = QMainWindow()
    qtbot.addWidget(window)
    menu = install_lab_menu(window)
    assert [a.objectName() for a in menu.actions()] == [f"labAction_{k}" for k in EXPERIMENT_KEYS]
