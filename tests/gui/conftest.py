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
