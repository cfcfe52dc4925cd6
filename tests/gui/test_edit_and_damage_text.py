"""The Neuron lab and Robustness views speak English and Chinese, explanations and tooltips alike."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from digitlab.gui import language
from digitlab.gui.app import install_translators
from digitlab.gui.inside.context import InsideContext
from digitlab.gui.inside.views import INSIDE_VIEWS
from digitlab.gui.session import Session

CJK = re.compile(r"[\u4e00-\u9fff]")
VIEWS = {"Neuron lab": "neuronLab", "Robustness": "robustnessPanel"}


@pytest.fixture
def chinese_ui(qapp, monkeypatch):
    """DigitLab's translators for DIGITLAB_LANG=zh_CN, English again afterwards."""
    monkeypatch.setenv(language.ENV_VAR, "zh_CN")
    translators = install_translators(qapp)
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    language.install_translators(qapp, language.ENGLISH)


def _view(qtbot, title: str, model) -> QWidget:
    session = Session()
    session.model = model
    view = dict(INSIDE_VIEWS)[title](session, InsideContext())
    qtbot.addWidget(view)
    return view


def _texts(view: QWidget) -> tuple[list[str], list[str]]:
    """(visible label/button texts, tooltips) of the view's widgets."""
    texts = [w.text() for kind in (QLabel, QPushButton) for w in view.findChildren(kind) if w.text().strip()]
    tips = [w.toolTip() for w in view.findChildren(QWidget) if w.toolTip()]
    return texts, tips


@pytest.mark.parametrize("title", list(VIEWS))
def test_the_view_has_english_text_and_tooltips(qtbot, title, inside_models):
    """In English every control explains itself: a sentence of explanation and several tooltips."""
    view = _view(qtbot, title, inside_models["mlp"])
    assert view.objectName() == VIEWS[title]
    texts, tips = _texts(view)
    assert any(len(text) > 120 for text in texts), "the view needs a sentence saying what it shows"
    assert len(tips) >= 6 and not any(CJK.search(t) for t in texts + tips)


@pytest.mark.parametrize("title", list(VIEWS))
def test_the_view_speaks_chinese(qtbot, chinese_ui, title, inside_models):
    """With the Chinese translation every text and tooltip shown contains Chinese (numbers aside)."""
    view = _view(qtbot, title, inside_models["mlp"])
    texts, tips = _texts(view)
    words = [t for t in texts + tips if re.search(r"[A-Za-z]{3,}", t)]
    untranslated = [t for t in words if not CJK.search(t) and "DigitLab" not in t]
    assert not untranslated
    assert CJK.search(" ".join(tips))
