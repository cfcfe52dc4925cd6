"""The Simplified Chinese translation: complete, current, loaded at start-up, and chosen correctly."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QObject, QTranslator
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton

from digitlab.gui import language
from digitlab.gui.app import create_main_window, install_translators

REPO_ROOT = Path(__file__).resolve().parents[2]
TS_PATH = REPO_ROOT / "translations" / "digitlab_zh_CN.ts"
QM_PATH = REPO_ROOT / "resources" / "digitlab_zh_CN.qm"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _script():
    """packaging/update_translations.py as a module (it is a script, not part of the package)."""
    path = REPO_ROOT / "packaging" / "update_translations.py"
    spec = importlib.util.spec_from_file_location("update_translations", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def _messages() -> list[tuple[str, str, ET.Element]]:
    """(context, source, translation element) of every message in the .ts file."""
    root = ET.parse(TS_PATH).getroot()
    return [(context.findtext("name") or "", message.findtext("source") or "", message.find("translation"))
            for context in root.iter("context") for message in context.iter("message")]


@pytest.fixture
def window(qtbot, monkeypatch):
    monkeypatch.delenv("DIGITLAB_MNIST_DIR", raising=False)
    w = create_main_window()
    qtbot.addWidget(w)
    return w


def _menu_titles(w) -> list[str]:
    return [action.text() for action in w.menuBar().actions() if action.menu() is not None]


def test_qm_is_shipped_and_loads():
    """The compiled translation is in the resources package, loads, and answers a known string."""
    folder = language.qm_folder()
    assert folder is not None and (folder / QM_PATH.name).is_file()
    translator = QTranslator()
    assert translator.load(QM_PATH.stem, str(folder))
    assert not translator.isEmpty()
    assert translator.translate("MainWindow", "&File") == "文件(&F)"


def test_every_message_has_a_finished_translation():
    """No message in the .ts is unfinished, obsolete or empty; most read as Chinese."""
    messages = _messages()
    assert len(messages) > 500
    for context, source, translation in messages:
        assert translation is not None and translation.get("type") is None, (context, source)
        assert translation.text, (context, source)
    chinese = sum(bool(CJK.search(t.text)) for _, _, t in messages)
    assert chinese > 0.95 * len(messages)


def test_placeholders_and_accelerators_are_kept():
    """Every {0}-style field (and %p) of the source is in its translation; menu accelerators stay."""
    script = _script()
    for context, source, translation in _messages():
        fields, text = sorted(script.PLACEHOLDER.findall(source)), translation.text
        assert fields == sorted(script.PLACEHOLDER.findall(text)), (context, source, text)
        key = script.accelerator(source)
        if key is not None:  # Chinese convention: the key in brackets after the text, 文件(&F)
            assert f"(&{key})" in text, (context, source, text)


def test_contexts_are_ones_the_app_asks_for():
    """Each context is a class of the GUI, a literal translate() context, QObject (tr's last try)
    or the core settings' context that the Network panel's controls translate through."""
    script = _script()
    known = {"QObject", script.SETTINGS_CONTEXT}
    from digitlab.gui.widgets import setting_controls

    assert setting_controls.tr_setting.__code__.co_consts.count(script.SETTINGS_CONTEXT) == 1
    for path in script.source_files():
        contexts, classes = script.call_contexts(path)
        known |= classes | {ctx for found in contexts.values() for ctx in found}
    assert {context for context, _, _ in _messages()} <= known


@pytest.mark.skipif(shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent)) is None
                    and shutil.which("pyside6-lupdate") is None, reason="pyside6-lupdate not installed")
def test_translations_are_up_to_date(tmp_path):
    """Re-extracting the strings gives the committed .ts, and the committed .qm says what the .ts says.

    Fails when someone adds or changes a user-visible string: run
    ``python packaging/update_translations.py`` and translate what it reports.
    """
    script = _script()
    fresh_ts = tmp_path / TS_PATH.name
    count, unfinished = script.update("zh_CN", fresh_ts, tmp_path / QM_PATH.name, tmp_path)
    assert not unfinished, f"untranslated: {unfinished[:5]}"
    assert fresh_ts.read_text(encoding="utf-8") == TS_PATH.read_text(encoding="utf-8"), \
        "translations/digitlab_zh_CN.ts is stale: run python packaging/update_translations.py"
    translator = QTranslator()
    assert translator.load(str(QM_PATH))
    messages = _messages()
    assert count == len(messages)
    for context, source, translation in messages:
        assert translator.translate(context, source) == translation.text, (context, source)


def test_main_window_in_chinese(chinese, window):
    """With DIGITLAB_LANG=zh_CN the menus, tabs, docks and training buttons are Chinese."""
    assert language.active_language() == "zh_CN"
    titles = _menu_titles(window)
    for expected in ("文件(&F)", "训练(&T)", "视图(&V)", "帮助(&H)"):
        assert expected in titles
    assert all(CJK.search(title) for title in titles)
    buttons = {name: window.findChild(QPushButton, name).text()
               for name in ("trainButton", "pauseButton", "stopButton")}
    assert buttons == {"trainButton": "开始", "pauseButton": "暂停", "stopButton": "停止"}
    tabs = {window.tabs.tabText(i) for i in range(window.tabs.count())}
    assert {"曲线", "权重", "手写", "评估", "数据"} <= tabs
    assert window.network_dock.windowTitle() == "网络"
    assert window.training_panel.start_action.text() == "开始训练(&S)"


def test_qt_standard_buttons_are_translated(chinese):
    """Qt's own qtbase_zh_CN.qm is loaded too, so standard dialog buttons speak Chinese."""
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if not (folder / "qtbase_zh_CN.qm").exists():
        pytest.skip("this Qt installation has no qtbase_zh_CN.qm")
    assert len(chinese) == 2
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_contexts_resolved_by_the_script_work_at_run_time(chinese, window):
    """Strings lupdate cannot place (module _tr wrappers, tr = self.tr, a tr passed around) translate."""
    from digitlab.gui.lab.lab_window import LabWindow

    menu = window.lab_menu  # made by install_lab_menu's _tr wrapper, context "Lab"
    titles = _menu_titles(window)
    assert menu.title() == "实验室(&L)"
    assert titles.index("实验室(&L)") == titles.index("帮助(&H)") - 1  # before Help, found by name
    lab = LabWindow(None, window)
    labels = {label.text() for label in lab.findChildren(QLabel)}
    assert "小权重的标准差" in labels  # ActivationsTab: tr = self.tr; tr("Tiny weights' std")
    assert QObject().tr("weights") == "权重"  # the QObject context
    lab.close()


def test_main_window_in_english(qapp, monkeypatch, window):
    """With DIGITLAB_LANG=en no translator is installed and the interface is the English source."""
    monkeypatch.setenv(language.ENV_VAR, "en")
    assert install_translators(qapp) == []
    assert language.active_language() == "en"
    assert _menu_titles(window)[:5] == ["&File", "&Training", "&View", "&Lab", "&Help"]
    assert window.findChild(QPushButton, "trainButton").text() == "Start"


@pytest.mark.parametrize(("name", "code"), [
    ("zh_CN", "zh_CN"), ("zh-Hans-CN", "zh_CN"), ("zh_TW.UTF-8", "zh_CN"), ("zh", "zh_CN"),
    ("en_GB", "en"), ("en-US", "en"), ("C", "en"), ("de_DE", None), ("", None), (None, None)])
def test_locale_names_map_to_supported_languages(name, code):
    """Any Chinese locale picks the Simplified Chinese translation; unknown ones pick nothing."""
    assert language.normalise(name) == code


def test_language_is_chosen_from_env_then_settings_then_system(monkeypatch):
    """DIGITLAB_LANG wins over the saved menu choice, which wins over the system locale."""
    monkeypatch.setattr(language, "system_language", lambda: "zh_CN")
    monkeypatch.delenv(language.ENV_VAR, raising=False)
    assert language.choose_language("") == "zh_CN"
    assert language.choose_language("en") == "en"
    monkeypatch.setenv(language.ENV_VAR, "zh_CN")
    assert language.choose_language("en") == "zh_CN"
    monkeypatch.setenv(language.ENV_VAR, "klingon")
    assert language.choose_language("en") == "en"


def test_language_menu_saves_the_choice_for_the_next_start(qtbot, monkeypatch, window):
    """View > Language offers System default, English and 简体中文; a pick is saved and a note says
    (without blocking) that it applies on restart."""
    monkeypatch.delenv(language.ENV_VAR, raising=False)
    menu = window.findChild(language.LanguageMenu, "languageMenu")
    assert [a.text() for a in menu.actions()] == ["System default", "English", "简体中文"]
    assert menu.actions()[0].isChecked()
    menu.actions()[2].trigger()
    assert window.settings.language() == "zh_CN"
    box = window.findChild(QMessageBox, "languageMessage")
    assert box is not None and box.isVisible()
    assert language.NEXT_START_NOTE["zh_CN"] in box.text()
    box.close()
    again = create_main_window()
    qtbot.addWidget(again)
    checked = [a.text() for a in again.findChild(language.LanguageMenu, "languageMenu").actions()
               if a.isChecked()]
    assert checked == ["简体中文"]
    assert language.choose_language(again.settings.language()) == "zh_CN"
    # "On restart": the running interface installs no translator and stays in English.
    assert language.active_language() == "en"
    assert _menu_titles(window)[0] == "&File"
