"""GUI tests run offscreen, with settings and data folders in a temporary home."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests read English interface text whatever the developer's locale.
os.environ.setdefault("DIGITLAB_LANG", "en")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Every GUI test gets its own DIGITLAB_HOME, so settings never leak between tests."""
    home = tmp_path / "digitlab-home"
    monkeypatch.setenv("DIGITLAB_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def no_job_outlives_its_test():
    """Cancel and join any background job a test left running, so no thread leaks into the next."""
    yield
    from digitlab.gui import jobs

    jobs.cancel_all_and_wait(20000)

@pytest.fixture
def chinese(qapp, monkeypatch):
    """The application's translators installed for DIGITLAB_LANG=zh_CN, removed afterwards."""
    from digitlab.gui import language
    from digitlab.gui.app import install_translators

    monkeypatch.setenv(language.ENV_VAR, "zh_CN")
    translators = install_translators(qapp)
    yield translators
    for translator in translators:
        qapp.removeTranslator(translator)
    language.install_translators(qapp, language.ENGLISH)


@pytest.fixture(scope="session")
def small_config():
    """A 784-16-10 MLP trained with Adam, 2 epochs of batches of 50, every batch reported."""
    from digitlab.core.config import NetworkSpec, TrainConfig

    return TrainConfig(NetworkSpec(({"type": "dense", "units": 16}, {"type": "relu"},
                                    {"type": "dense", "units": 10}, {"type": "softmax"}))
                       ).with_settings(optimizer="adam", lr=0.01, batch_size=50, epochs=2,
                                       report_every=1)


#: A quiet spell this long after pause() means the batch in flight then has finished and reported.
PAUSE_SETTLE_MS = 250
#: How long a paused run is watched for batches that should not come.
PAUSE_HOLD_MS = 400


@pytest.fixture
def assert_run_held(qtbot):
    """``assert_run_held(session, pause, resume)``: pausing holds the run, resuming continues it.

    Call it while ``session`` trains with every batch reported (``small_config``); ``pause`` and
    ``resume`` are how the test pauses and resumes (session methods, button clicks). No batch may
    be reported over a wait while paused, and the first one after resuming must be the next
    iteration: a run that ignores the pause, has ended, or restarts instead of continuing fails.
    """
    def check(session, pause, resume) -> None:
        batches: list = []
        session.batch_finished.connect(batches.append)
        try:
            pause()
            for _ in range(8):  # on a busy machine the batch in flight may report late
                held = len(batches)
                qtbot.wait(PAUSE_SETTLE_MS)
                if len(batches) == held:
                    break
            qtbot.wait(PAUSE_HOLD_MS)
            assert len(batches) == held, f"{len(batches) - held} batches were trained while paused"
            resume()
            qtbot.waitUntil(lambda: len(batches) > held, timeout=5000)
            if held:
                assert batches[held].iteration == batches[held - 1].iteration + 1
        finally:
            session.batch_finished.disconnect(batches.append)

    return check


@pytest.fixture
def make_lab_tab(qtbot):
    """``make_lab_tab(tab_class, data=lambda: None, size=(1100, 700))``: one Lab experiment widget
    on its own (faster than the whole window), shown, and stopped at the end of the test."""
    made = []

    def make(tab_class, data=lambda: None, size=(1100, 700)):
        tab = tab_class(data)
        qtbot.addWidget(tab)
        tab.resize(*size)
        tab.show()
        qtbot.waitExposed(tab)
        made.append(tab)
        return tab

    yield make
    for tab in made:
        tab.stop_and_wait()


@pytest.fixture
def show_inside_view(qtbot, inside_models, inside_data):
    """``show_inside_view(title, kind, data=True, size=(1000, 650))``: the Inside view listed as
    ``title`` on a fresh session holding model ``kind`` (and the small test data), shown;
    returns ``(session, context, view)``."""
    from digitlab.gui.inside.context import InsideContext
    from digitlab.gui.inside.views import INSIDE_VIEWS
    from digitlab.gui.session import Session

    def show(title: str, kind: str, data: bool = True, size: tuple[int, int] = (1000, 650)):
        session = Session()
        session.model = inside_models[kind]
        if data:
            session.data = inside_data
        context = InsideContext()
        view = dict(INSIDE_VIEWS)[title](session, context)
        qtbot.addWidget(view)
        view.resize(*size)
        view.show()
        qtbot.waitExposed(view)
        return session, context, view
    return show


@pytest.fixture
def new_model_draw_panel(qtbot):
    """A shown Draw panel on a session with a new (untrained) model."""
    from digitlab.gui.panels.draw_panel import DrawPanel
    from digitlab.gui.session import Session

    session = Session()
    session.new_model()
    panel = DrawPanel(session)
    qtbot.addWidget(panel)
    panel.resize(800, 500)
    panel.show()
    qtbot.waitExposed(panel)
    return panel
