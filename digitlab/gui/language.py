"""The interface language: which one, loading its translations, and the menu that picks it.

The language is chosen once, at start-up, in this order:

1. ``DIGITLAB_LANG`` in the environment (``zh_CN``, ``en``; handy for tests and screenshots);
2. the choice saved from the View ▸ Language menu (``ui/language`` in the settings file);
3. the system's UI languages (``QLocale.system().uiLanguages()``): the first one DigitLab has,
   any ``zh*`` counting as Simplified Chinese; English otherwise.

Changing the language in the menu saves the choice and applies it the next time DigitLab starts:
the panels set their texts when they are built, and rebuilding the window would lose a running
training, so there is no live switch.

Translations are ``digitlab.resources/digitlab_<code>.qm`` (built by
``packaging/update_translations.py``), plus Qt's own ``qtbase_<code>.qm`` for the standard buttons
and dialogs, when the Qt installation has it.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from ..assets import resource_path

ENV_VAR = "DIGITLAB_LANG"
ENGLISH = "en"
#: The languages DigitLab has, as (code, name in that language). English is the source language.
LANGUAGES: tuple[tuple[str, str], ...] = ((ENGLISH, "English"), ("zh_CN", "简体中文"))
#: What the restart note says, in the language being switched to (its reader may not read the
#: current one), so not through tr().
NEXT_START_NOTE = {
    ENGLISH: "DigitLab will be in English the next time it starts.",
    "zh_CN": "DigitLab 下次启动时将使用简体中文。",
}
#: Property of the QCoreApplication holding the language its translators were installed for.
_APP_PROPERTY = "digitlab_language"


def normalise(code: str | None) -> str | None:
    """A supported language code for a locale name (``zh``, ``zh-Hans-CN``, ``en_GB.UTF-8``...).

    None when the name is empty or DigitLab has no such language.
    """
    if not code:
        return None
    code = code.strip().split(".")[0].split("@")[0].replace("-", "_")
    base = code.split("_")[0].lower()
    if base == "zh":
        return "zh_CN"  # the only Chinese translation: better than English for any Chinese reader
    if base in ("en", "c", "posix"):
        return ENGLISH
    return None


def system_language() -> str:
    """The first of the system's UI languages that DigitLab has; English if none."""
    for name in QLocale.system().uiLanguages():
        code = normalise(name)
        if code is not None:
            return code
    return ENGLISH


def choose_language(saved: str | None = None) -> str:
    """The language to start in: ``DIGITLAB_LANG``, else ``saved`` (the menu's choice), else the system's."""
    for candidate in (os.environ.get(ENV_VAR, ""), saved):
        code = normalise(candidate)
        if code is not None:
            return code
    return system_language()


def qm_folder() -> Path | None:
    """Where DigitLab's ``.qm`` files are (the ``digitlab.resources`` package)."""
    init = resource_path("__init__.py")
    return init.parent if init is not None else None


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install Qt's and DigitLab's translators for ``language`` and return them (keep them alive).

    English installs none. A missing Qt translation is skipped; DigitLab's own is expected.
    """
    installed: list[QTranslator] = []
    app.setProperty(_APP_PROPERTY, language)
    if language == ENGLISH:
        return installed
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    folder = qm_folder()
    ours = QTranslator(app)
    if folder is not None and ours.load(f"digitlab_{language}", str(folder)):
        app.installTranslator(ours)
        installed.append(ours)
    return installed


def active_language() -> str:
    """The language the running application's translators were installed for."""
    app = QCoreApplication.instance()
    value = app.property(_APP_PROPERTY) if app is not None else None
    return value if isinstance(value, str) and value else ENGLISH


class LanguageMenu(QMenu):
    """View ▸ Language: "System default" and one entry per language, saved for the next start.

    Parameters
    ----------
    settings : an object with ``language()`` and ``set_language(code)`` (``AppSettings``).
    """

    def __init__(self, settings, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("&Language"), parent)
        self.setObjectName("languageMenu")
        self.settings = settings
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        entries = [("", self.tr("System default"))] + [(code, name) for code, name in LANGUAGES]
        saved = settings.language()
        for code, name in entries:
            action = QAction(name, self)
            action.setObjectName(f"languageAction_{code or 'system'}")
            action.setCheckable(True)
            action.setChecked(code == saved)
            action.setData(code)
            action.setStatusTip(self.tr("Applies the next time DigitLab starts"))
            self.group.addAction(action)
            self.addAction(action)
        self.group.triggered.connect(self._on_triggered)

    def _on_triggered(self, action: QAction) -> None:
        code = action.data() or ""
        self.settings.set_language(code)
        self.settings.sync()
        target = normalise(code) or system_language()
        forced = os.environ.get(ENV_VAR, "").strip()
        if target == active_language() and not forced:
            return
        text = self.tr("The language changes when DigitLab is restarted.")
        if forced:
            text += "\n" + self.tr("For now {0}={1} is set in the environment and overrides this "
                                   "choice.").format(ENV_VAR, forced)
        text += "\n\n" + NEXT_START_NOTE.get(target, "")
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Language"), text,
                          QMessageBox.StandardButton.Ok, self.parentWidget())
        box.setObjectName("languageMessage")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # window-modal, never blocks
