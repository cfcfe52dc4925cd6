"""Refresh DigitLab's translations with Qt's own tools: lupdate extracts, lrelease compiles.

Usage::

    python packaging/update_translations.py            # every language in translations/*.json
    python packaging/update_translations.py zh_CN      # one language
    python packaging/update_translations.py --check    # exit 1 if anything is stale or untranslated

For each language ``<lang>`` it

1. runs ``pyside6-lupdate`` over ``digitlab/gui/**/*.py`` (and the command-line modules that call
   ``tr``) into a fresh, temporary ``.ts`` file;
2. gives each message the context the running app will ask for (see *Contexts* below);
3. fills in the translations from ``translations/<lang>.json`` (the one place translations are
   written; ``--import-ts`` first copies finished translations made in Qt Linguist back into it);
4. writes ``translations/digitlab_<lang>.ts`` and compiles it with ``pyside6-lrelease`` into
   ``resources/digitlab_<lang>.qm``, which the app loads (``digitlab.gui.language``).

A message with no translation is written ``type="unfinished"`` and reported; so is a translation
that drops a ``{0}``-style placeholder or a menu accelerator. The outputs carry no line numbers
or dates, so re-running on unchanged sources changes nothing.

Contexts
--------
PySide6's ``self.tr("...")`` looks the text up under the name of each class in ``type(self).__mro__``
in turn, down to ``QObject``. lupdate names the context after the class around ``self.tr``, and
takes ``QCoreApplication.translate("Context", "...")`` literally. Two idioms in DigitLab it cannot
place, so this script does (from the source's syntax tree):

- ``_tr("...")`` where the module defines ``def _tr(text): return QCoreApplication.translate("Ctx",
  text)``: context ``Ctx`` (lupdate is told ``_tr`` is a ``tr`` so that it extracts them);
- a bare ``tr("...")`` after ``tr = self.tr`` in a method: the enclosing class;
- any other ``something.tr("...")`` or a ``tr`` passed in as an argument: ``QObject``, the last
  context every QObject's ``tr`` tries.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
TS_DIR = REPO_ROOT / "translations"
QM_DIR = REPO_ROOT / "resources"
SOURCE_ROOTS = (REPO_ROOT / "digitlab" / "gui",)
#: Modules outside the GUI package that are scanned when they call ``tr``.
EXTRA_SOURCES = (REPO_ROOT / "digitlab" / "cli" / "selftest_command.py",)
#: The last context PySide6's ``tr`` tries for any QObject.
FALLBACK_CONTEXT = "QObject"
#: what the code fills in: str.format fields, and QProgressBar's %p / %v / %m
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%[pvm]")
#: a menu/button accelerator "&F": not "&&" (a literal &) nor an HTML entity such as "&nbsp;"
ACCELERATOR = re.compile(r"&(?!&|[A-Za-z]+;|#\d+;)(\w)")


@dataclass
class Message:
    source: str
    files: list[str] = field(default_factory=list)  # relative to the .ts file, like lupdate's


# == finding the tools =======================================================================
def qt_tool(name: str) -> str:
    """``pyside6-<name>`` next to this Python (a venv's bin/Scripts folder), else on PATH."""
    folder = Path(sys.executable).parent
    for candidate in (folder / f"pyside6-{name}", folder / f"pyside6-{name}.exe"):
        if candidate.exists():
            return str(candidate)
    found = shutil.which(f"pyside6-{name}")
    if found is None:
        raise SystemExit(f"pyside6-{name} not found: install PySide6 (or PySide6-Essentials)")
    return found


# == sources ==================================================================================
def _calls_tr(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return any(isinstance(node, ast.Call) and _function_name(node) in ("tr", "translate", "_tr")
               for node in ast.walk(tree))


def source_files() -> list[Path]:
    """Every Python file whose strings are translated, sorted for a stable output."""
    files = [path for root in SOURCE_ROOTS for path in root.rglob("*.py")]
    files += [path for path in EXTRA_SOURCES if path.exists() and _calls_tr(path)]
    return sorted(path for path in files if "__pycache__" not in path.parts)


def _function_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _wrappers(tree: ast.Module) -> dict[str, str]:
    """Module-level ``def f(text): return QCoreApplication.translate("Ctx", text)`` -> {f: Ctx}."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            returns = [n for n in ast.walk(node) if isinstance(n, ast.Return)]
            if (len(returns) == 1 and isinstance(returns[0].value, ast.Call)
                    and _function_name(returns[0].value) == "translate" and returns[0].value.args):
                context = _string(returns[0].value.args[0])
                if context is not None:
                    found[node.name] = context
    return found


def _aliases_self_tr(function: ast.AST) -> bool:
    """Whether the function body says ``tr = self.tr``."""
    return any(isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "tr"
                                                    for t in node.targets)
               and isinstance(node.value, ast.Attribute) and node.value.attr == "tr"
               and isinstance(node.value.value, ast.Name) and node.value.value.id == "self"
               for node in ast.walk(function))


def call_contexts(path: Path) -> tuple[dict[str, set[str]], set[str]]:
    """Runtime contexts of each translated literal in one file, and the file's class names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    wrappers = _wrappers(tree)
    contexts: dict[str, set[str]] = {}
    classes: set[str] = set()

    def visit(node: ast.AST, cls: str | None, function: ast.AST | None) -> None:
        if isinstance(node, ast.ClassDef):
            classes.add(node.name)
            cls, function = node.name, None
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            function = node if not isinstance(node, ast.Lambda) else function
        elif isinstance(node, ast.Call):
            name = _function_name(node)
            context = text = None
            if name in ("translate", "QT_TRANSLATE_NOOP") and len(node.args) >= 2:
                context, text = _string(node.args[0]), _string(node.args[1])
            elif name in wrappers and node.args:
                context, text = wrappers[name], _string(node.args[0])
            elif name == "tr" and node.args:
                text = _string(node.args[0])
                func = node.func
                by_self = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                    and func.value.id in ("self", "cls")
                by_alias = isinstance(func, ast.Name) and function is not None \
                    and _aliases_self_tr(function)
                context = cls if cls is not None and (by_self or by_alias) else FALLBACK_CONTEXT
            if context is not None and text is not None:
                contexts.setdefault(text, set()).add(context)
        for child in ast.iter_child_nodes(node):
            visit(child, cls, function)

    visit(tree, None, None)
    return contexts, classes


# == extraction ===============================================================================
def extract(files: list[Path], work: Path) -> dict[str, dict[str, Message]]:
    """{context: {source: Message}} as lupdate finds them, with contexts the app will ask for.

    Locations are relative to ``translations/``, where the .ts files live.
    """
    raw = work / "raw.ts"
    listing = work / "sources.lst"
    listing.write_text("".join(f"{path}\n" for path in files), encoding="utf-8")
    subprocess.run([qt_tool("lupdate"), "-silent", "-no-obsolete", "-locations", "absolute",
                    "-source-language", "en", "-tr-function-alias", "tr+=_tr",
                    f"@{listing}", "-ts", str(raw)], check=True)
    per_file = {path.resolve(): call_contexts(path) for path in files}
    known = set().union(*(classes for _, classes in per_file.values()))
    known |= {ctx for contexts, _ in per_file.values() for found in contexts.values() for ctx in found}
    known.add(FALLBACK_CONTEXT)

    result: dict[str, dict[str, Message]] = {}
    problems = []
    for context_node in ET.parse(raw).getroot().iter("context"):
        lupdate_context = context_node.findtext("name") or ""
        for message in context_node.iter("message"):
            source = message.findtext("source") or ""
            where = [(raw.parent / loc.get("filename", "")).resolve()
                     for loc in message.iter("location")]
            for path in dict.fromkeys(where):
                if lupdate_context in known:
                    targets = {lupdate_context}
                else:  # an idiom lupdate cannot place: ask the syntax tree
                    targets = per_file.get(path, ({}, set()))[0].get(source, set())
                if not targets:
                    problems.append(f"{path}: no context for {source!r} (lupdate: {lupdate_context!r})")
                relative = os.path.relpath(path, TS_DIR).replace(os.sep, "/")
                for context in targets:
                    entry = result.setdefault(context, {}).setdefault(source, Message(source))
                    if relative not in entry.files:
                        entry.files.append(relative)
    if problems:
        raise SystemExit("\n".join(problems))
    return result


# == translations =============================================================================
def load_translations(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data.setdefault("messages", {})
    data.setdefault("contexts", {})
    return data


def translation_for(data: dict, context: str, source: str) -> str | None:
    return data["contexts"].get(context, {}).get(source, data["messages"].get(source))


def check_translation(source: str, text: str) -> list[str]:
    """What a translation breaks: placeholders the code fills in, or the menu accelerator."""
    problems = []
    if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
        problems.append("placeholders differ")
    key = accelerator(source)
    if key is not None and accelerator(text) != key:
        problems.append(f"accelerator &{key} missing (Chinese style: 文件(&F))")
    return problems


def accelerator(text: str) -> str | None:
    """The accelerator key of a label ("S&top" -> "T"), or None."""
    found = ACCELERATOR.search(text)
    return found.group(1).upper() if found else None


def import_ts(ts_path: Path, data: dict) -> int:
    """Copy finished translations from an edited .ts (Qt Linguist) into ``data``; returns how many."""
    if not ts_path.exists():
        return 0
    count = 0
    for context_node in ET.parse(ts_path).getroot().iter("context"):
        for message in context_node.iter("message"):
            node = message.find("translation")
            source = message.findtext("source") or ""
            if node is None or node.get("type") in ("unfinished", "obsolete", "vanished") or not node.text:
                continue
            if translation_for(data, context_node.findtext("name") or "", source) != node.text:
                data["messages"][source] = node.text
                count += 1
    return count


# == writing ==================================================================================
def build_ts(language: str, messages: dict[str, dict[str, Message]], data: dict) -> tuple[str, list]:
    """The .ts text, and the (context, source, reason) of every message left unfinished."""
    root = ET.Element("TS", version="2.1", language=language, sourcelanguage="en")
    unfinished = []
    for context in sorted(messages):
        context_node = ET.SubElement(root, "context")
        ET.SubElement(context_node, "name").text = context
        for source, message in messages[context].items():
            node = ET.SubElement(context_node, "message")
            for filename in message.files:
                ET.SubElement(node, "location", filename=filename)
            ET.SubElement(node, "source").text = source
            translation = ET.SubElement(node, "translation")
            text = translation_for(data, context, source)
            reasons = ["no translation"] if not text else check_translation(source, text)
            if reasons:
                translation.set("type", "unfinished")
                unfinished.append((context, source, ", ".join(reasons)))
            if text:
                translation.text = text
    ET.indent(root, space="    ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", unfinished


def compile_qm(ts_path: Path, qm_path: Path) -> None:
    # -nounfinished: a translation that lost a placeholder must not reach the app
    subprocess.run([qt_tool("lrelease"), "-silent", "-nounfinished", str(ts_path), "-qm", str(qm_path)],
                   check=True)


SETTINGS_CONTEXT = "Settings"


def core_setting_messages() -> dict[str, Message]:
    """The words of the core's declared settings (label, help, "off"-style word), which the
    Network panel shows through ``translate("Settings", ...)``: they live in the core, which
    never imports Qt, so lupdate cannot see them."""
    sys.path.insert(0, str(REPO_ROOT))
    from digitlab.core.augment import AugmentConfig
    from digitlab.core.config import DataSpec, RunSpec
    from digitlab.core.registry import OPTIMIZERS, SCHEDULES

    declared = [*DataSpec.SETTINGS, *RunSpec.SETTINGS, *AugmentConfig.SETTINGS]
    for registry in (OPTIMIZERS, SCHEDULES):
        declared += [s for cls in registry.values() for s in cls.settings]
    found: dict[str, Message] = {}
    for setting in declared:
        for text in (setting.label, setting.help, setting.special):
            if text:
                found.setdefault(text, Message(text, ["../digitlab/core/spec.py"]))
    return found


def update(language: str, out_ts: Path, out_qm: Path, work: Path,
           json_path: Path | None = None) -> tuple[int, list]:
    """Write the .ts and .qm of ``language``; returns (number of messages, unfinished ones)."""
    json_path = json_path or TS_DIR / f"{language}.json"
    messages = extract(source_files(), work)
    messages[SETTINGS_CONTEXT] = core_setting_messages()
    text, unfinished = build_ts(language, messages, load_translations(json_path))
    out_ts.parent.mkdir(parents=True, exist_ok=True)
    out_ts.write_text(text, encoding="utf-8")
    compile_qm(out_ts, out_qm)
    return sum(len(m) for m in messages.values()), unfinished


def unused_translations(language: str, work: Path) -> list[str]:
    """Sources in the JSON that no message uses any more (strings removed from the code)."""
    data = load_translations(TS_DIR / f"{language}.json")
    messages = extract(source_files(), work)
    used = {source for found in messages.values() for source in found}
    return sorted(set(data["messages"]) - used)


def languages() -> list[str]:
    return sorted(path.stem for path in TS_DIR.glob("*.json"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("languages", nargs="*", help="e.g. zh_CN (default: every translations/*.json)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the .ts/.qm are stale or a message is unfinished")
    parser.add_argument("--import-ts", action="store_true",
                        help="first copy finished translations from the .ts (Qt Linguist) into the JSON")
    parser.add_argument("--prune", action="store_true",
                        help="drop translations of strings the code no longer has from the JSON")
    args = parser.parse_args(argv)
    status = 0
    for language in args.languages or languages():
        ts_path = TS_DIR / f"digitlab_{language}.ts"
        qm_path = QM_DIR / f"digitlab_{language}.qm"
        json_path = TS_DIR / f"{language}.json"
        with tempfile.TemporaryDirectory() as folder:
            work = Path(folder)
            if args.import_ts or args.prune:
                data = load_translations(json_path)
                if args.import_ts:
                    count = import_ts(ts_path, data)
                    print(f"{language}: {count} translation(s) imported from {ts_path.name}")
                if args.prune:
                    for source in unused_translations(language, work):
                        del data["messages"][source]
                        print(f"{language}: pruned {source!r}")
                json_path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                     encoding="utf-8")
            if args.check:
                new_ts, new_qm = work / ts_path.name, work / qm_path.name
                count, unfinished = update(language, new_ts, new_qm, work, json_path)
                stale = [path.name for path, new in ((ts_path, new_ts), (qm_path, new_qm))
                         if not path.exists() or path.read_bytes() != new.read_bytes()]
            else:
                count, unfinished = update(language, ts_path, qm_path, work, json_path)
                stale = []
                unused = unused_translations(language, work)
                if unused:
                    print(f"{language}: {len(unused)} translation(s) no longer used "
                          "(--prune removes them)")
        for context, source, reason in unfinished:
            print(f"{language}: unfinished [{context}] {source!r}: {reason}")
        for name in stale:
            print(f"{language}: {name} is out of date: run python packaging/update_translations.py")
        print(f"{language}: {count} messages, {count - len(unfinished)} translated")
        status |= bool(unfinished or stale)
    return status


if __name__ == "__main__":
    sys.exit(main())
