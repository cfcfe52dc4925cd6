"""Start-up imports only what the first window needs: the Lab, exporters, the plotting library
and the CLI's subcommands wait until they are used (benchmarks/bench_startup.py measures the
time)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

#: Modules the first window must not import; each is imported by the action that needs it.
DEFERRED = ("digitlab.gui.lab.lab_window", "digitlab.gui.lab.activations_tab", "digitlab.export",
            "pyqtgraph.exporters", "digitlab.cli.train", "digitlab.cli.export_command",
            "digitlab.gui.panels.evaluate_panel", "digitlab.gui.panels.runs_panel",
            "digitlab.gui.panels.data_panel", "digitlab.download", "pyqtgraph",
            "digitlab.gui.panels.curves_panel", "digitlab.gui.panels.weights_panel")

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
    first_tab = window.tabs.currentWidget() is window.draw_panel
    window.lab_menu.launcher.open("activations")
    window.tabs.setCurrentIndex(window.tabs.count() - 1)  # the Runs tab
    after = [m for m in json.loads(sys.argv[1]) if m in sys.modules]
    print(json.dumps({"before": before, "after": after, "draw_first": first_tab}))
    window.session.stop_and_wait()
    window.lab_menu.launcher.shutdown()
""")


@pytest.mark.slow
def test_the_first_window_defers_the_lab_exporters_and_cli_subcommands(tmp_path):
    """`digitlab` with no arguments shows its window, on the Draw tab, without importing the Lab,
    the exporters, pyqtgraph or the command line's subcommands; opening the Lab imports them."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DIGITLAB_HOME=str(tmp_path))
    env.pop("DIGITLAB_MNIST_DIR", None)
    done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(DEFERRED)], env=env,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["before"] == []
    assert result["draw_first"]
    assert "pyqtgraph" in result["after"]
    assert "digitlab.gui.lab.lab_window" in result["after"]
    assert "digitlab.gui.lab.activations_tab" in result["after"]
    assert "digitlab.gui.panels.runs_panel" in result["after"]


def test_a_deferred_tab_is_built_once_when_first_shown_or_asked_for(qtbot):
    """The builder runs when its tab becomes current (or build_page asks), once; until then the
    tab holds a placeholder."""
    from PySide6.QtWidgets import QLabel

    from digitlab.gui.widgets.fit_screen import ScrollingTabWidget

    built: list[QLabel] = []

    def build() -> QLabel:
        built.append(QLabel("page"))
        return built[-1]

    tabs = ScrollingTabWidget()
    qtbot.addWidget(tabs)
    tabs.addTab(QLabel("first"), "First")
    area = tabs.add_deferred_tab(build, "Later")
    second = tabs.add_deferred_tab(build, "Other")
    tabs.show()
    assert built == []
    tabs.setCurrentIndex(1)
    assert len(built) == 1 and tabs.currentWidget() is built[0] and built[0].isVisible()
    assert tabs.build_page(area) is built[0] and len(built) == 1
    assert tabs.build_page(second) is built[1] and tabs.indexOf(built[1]) == 2


def test_a_deferred_first_tab_waits_while_the_tab_widget_is_hidden(qtbot):
    """Adding the first tab makes it current; a hidden tab widget (a window being built) builds
    nothing until it is shown, and then only the tab current by then."""
    from PySide6.QtWidgets import QLabel

    from digitlab.gui.widgets.fit_screen import ScrollingTabWidget

    built: list[str] = []
    tabs = ScrollingTabWidget()
    qtbot.addWidget(tabs)
    tabs.add_deferred_tab(lambda: (built.append("first"), QLabel("first"))[1], "First")
    tabs.add_deferred_tab(lambda: (built.append("second"), QLabel("second"))[1], "Second")
    tabs.setCurrentIndex(1)
    assert built == []
    tabs.show()
    assert built == ["second"]


def test_only_the_plotting_module_imports_pyqtgraph():
    """Plots take pyqtgraph from digitlab.gui.plotting, which sets the palette's colours on first
    import; a module importing pyqtgraph itself could make a plot before that."""
    import re
    from pathlib import Path

    import digitlab.gui

    root = Path(digitlab.gui.__file__).parent
    pattern = re.compile(r"^\s*(import pyqtgraph|from pyqtgraph(?!\.exporters))", re.MULTILINE)
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if path.name not in ("plotting.py", "theme.py")
                 and pattern.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_lab_menu_lists_the_experiments_in_the_lab_windows_tab_order(qtbot):
    """The menu names its experiments itself (so it imports no Lab module) in the window's order."""
    from PySide6.QtWidgets import QMainWindow

    from digitlab.gui.lab import EXPERIMENT_KEYS, install_lab_menu

    window = QMainWindow()
    qtbot.addWidget(window)
    menu = install_lab_menu(window)
    assert [a.objectName() for a in menu.actions()] == [f"labAction_{k}" for k in EXPERIMENT_KEYS]
