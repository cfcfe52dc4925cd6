"""``digitlab runs``: the run history (every training run, from the app or the command line)."""

from __future__ import annotations

import argparse
import time
from typing import Any

from ..core.runstore import RunStore, RunStoreError
from ..paths import run_store_path
from .common import EXIT_OK, UsageError, print_json
from .progress import format_duration


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "runs", help="list the training runs DigitLab has recorded",
        description="The run history: every training run from the desktop app or `digitlab "
                    "train`, newest first. `digitlab runs show ID` gives one run in detail.")
    p.add_argument("action", nargs="?", choices=["list", "show", "rename", "tag", "delete"],
                   default="list", help="list (default), show ID, rename ID NAME, tag ID [TAG ...] "
                                        "(no tags clears them), delete ID")
    p.add_argument("run_id", nargs="?", type=int, metavar="ID", help="the run")
    p.add_argument("words", nargs="*", metavar="NAME|TAG", help="the new name, or the tags")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(run=run)


def _open() -> RunStore | None:
    path = run_store_path()
    if not path.exists():
        return None
    return RunStore(path)


def run(args: argparse.Namespace) -> int:
    if args.action != "list" and args.run_id is None:
        raise UsageError(f"runs {args.action} needs a run ID (see `digitlab runs`)")
    if args.action == "list" and args.run_id is not None:
        raise UsageError("give `runs show ID` to see one run")
    if args.action == "rename" and not args.words:
        raise UsageError("runs rename needs a name: runs rename ID NAME")
    try:
        store = _open()
    except RunStoreError as exc:
        raise UsageError(str(exc)) from None
    try:
        if args.action == "show":
            return _show(store, args.run_id, args.json)
        if args.action in ("rename", "tag", "delete"):
            return _edit(store, args)
        runs = store.runs() if store is not None else []
    except RunStoreError as exc:
        raise UsageError(str(exc)) from None
    finally:
        if store is not None:
            store.close()
    if args.json:
        print_json([_summary(r) for r in runs])
    elif not runs:
        print(f"no runs recorded yet ({run_store_path()})")
    else:
        _print_table(runs)
    return EXIT_OK


def _edit(store: RunStore | None, args: argparse.Namespace) -> int:
    if store is None or store.run(args.run_id) is None:
        raise UsageError(f"there is no run {args.run_id} in the history (see `digitlab runs`)")
    if args.action == "rename":
        store.rename(args.run_id, " ".join(args.words))
    elif args.action == "tag":
        store.set_tags(args.run_id, args.words)
    else:
        store.delete(args.run_id)
    print(f"run {args.run_id}: {'deleted' if args.action == 'delete' else 'updated'}")
    return EXIT_OK


def key_settings(config: dict[str, Any] | None) -> str:
    """The hyperparameters a list shows: optimiser and rate, batch size, epochs."""
    if not config:
        return "?"
    optimizer = config.get("optimizer", {})
    data, run_spec = config.get("data", {}), config.get("run", {})
    return (f"{optimizer.get('name', '?')} lr={optimizer.get('lr', '?'):g} "
            f"batch={data.get('batch_size', '?')} epochs={run_spec.get('epochs', '?')}")


def _summary(run: dict[str, Any]) -> dict[str, Any]:
    return {key: run[key] for key in ("id", "name", "tags", "source", "status", "started_at",
                                      "finished_at", "preset", "epochs", "iterations",
                                      "best_val_accuracy", "test_accuracy", "train_seconds",
                                      "model_path", "digitlab_version")} | {
        "settings": key_settings(run["config"])}


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.2f}%"


def _date(stamp: float | None) -> str:
    return "-" if stamp is None else time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp))


def _print_table(runs: list[dict[str, Any]]) -> None:
    header = ("ID", "date", "preset", "settings", "epochs", "best val", "test", "time", "status")
    rows = [(str(r["id"]), _date(r["started_at"]), r["preset"] or "-", key_settings(r["config"]),
             str(r["epochs"]), _percent(r["best_val_accuracy"]), _percent(r["test_accuracy"]),
             format_duration(r["train_seconds"] or 0.0), r["status"]) for r in runs]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def _show(store: RunStore | None, run_id: int, as_json: bool) -> int:
    run = store.run(run_id) if store is not None else None
    if run is None:
        raise UsageError(f"there is no run {run_id} in the history (see `digitlab runs`)")
    epochs = store.epochs(run_id)
    if as_json:
        print_json({**run, "epochs_metrics": epochs,
                    "batches_recorded": len(store.batches(run_id))})
        return EXIT_OK
    print(f"run {run['id']}{' ' + repr(run['name']) if run['name'] else ''}: {run['status']}"
          f"{' - ' + run['message'] if run['message'] else ''}")
    print(f"  started {_date(run['started_at'])} from the {run['source']}, DigitLab "
          f"{run['digitlab_version'] or '?'}, preset {run['preset'] or '-'}")
    if run["command"]:
        print(f"  command {run['command']}")
    print(f"  {key_settings(run['config'])}; {run['epochs']} epochs, {run['iterations']:,} updates, "
          f"{format_duration(run['train_seconds'] or 0.0)} of training")
    print(f"  best validation {_percent(run['best_val_accuracy'])}, test {_percent(run['test_accuracy'])}")
    result = run["result"] or {}
    if result.get("best_epoch") is not None:
        print(f"  best epoch {result['best_epoch']} by {result.get('monitor')}"
              f"{' (its weights kept)' if result.get('restored_best') else ''}")
    if run["model_path"]:
        print(f"  model {run['model_path']}")
    if run["tags"]:
        print(f"  tags {', '.join(run['tags'])}")
    for block, values in (run["config"] or {}).items():
        if block != "network":
            print(f"  {block}: " + ", ".join(f"{k}={v}" for k, v in values.items()))
    if epochs:
        print("  epoch  train loss  val loss  val acc   test acc  seconds")
        for m in epochs:
            val_loss = "-" if m["val_loss"] is None else f"{m['val_loss']:.4f}"
            print(f"  {m['epoch']:>5}  {m['train_loss'] or 0:10.4f}  {val_loss:>8}  "
                  f"{_percent(m['val_accuracy']):>7}  {_percent(m['test_accuracy']):>8}  "
                  f"{m['seconds'] or 0:7.2f}")
    return EXIT_OK
