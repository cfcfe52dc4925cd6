"""The run history: every training run kept in one SQLite file (standard library only).

One row per run in ``runs`` (its whole configuration as JSON, preset, command, DigitLab version,
status, summary, model file), one row per finished epoch in ``epochs`` and one per progress
report in ``batches``. The file is written as the run goes: the run row at the start, each epoch
when it ends, batch reports in small groups, the outcome at the end; so whatever happens to the
process, the history holds what had happened up to then.

Crash safety: SQLite in WAL mode commits atomically, so a killed process never leaves a half
written row. A run row carries the ``pid`` (and on Linux the process's start time, against pid
reuse) of the process training it; opening the store turns every ``running`` row whose process
is gone into ``interrupted``.

The schema has a version (``schema_version``) and a list of migrations, applied in order when an
older file is opened; a file from a newer DigitLab is refused (:class:`RunStoreError`), never
altered. Every failure of the file (read-only, corrupt, locked, full) is a :class:`RunStoreError`:
callers treat the history as a convenience that must never stop training
(:class:`~digitlab.core.run_recorder.RunRecorder`).
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .errors import DigitLabError
from .events import EpochMetrics
from .train_result import finite_or_none

#: each entry takes the schema from version i to i + 1
MIGRATIONS: list[str] = [
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        source TEXT NOT NULL,
        status TEXT NOT NULL,
        message TEXT,
        started_at REAL NOT NULL,
        finished_at REAL,
        heartbeat REAL,
        pid INTEGER,
        process_start TEXT,
        host TEXT,
        digitlab_version TEXT,
        preset TEXT,
        command TEXT,
        config TEXT NOT NULL,
        data TEXT,
        epochs INTEGER NOT NULL DEFAULT 0,
        iterations INTEGER NOT NULL DEFAULT 0,
        best_val_accuracy REAL,
        test_accuracy REAL,
        train_seconds REAL NOT NULL DEFAULT 0,
        result TEXT,
        model_path TEXT
    );
    CREATE TABLE epochs (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        train_loss REAL, train_accuracy REAL, val_loss REAL, val_accuracy REAL,
        test_loss REAL, test_accuracy REAL, seconds REAL, lr REAL, samples_per_second REAL,
        wall_time REAL NOT NULL,
        PRIMARY KEY (run_id, epoch)
    );
    CREATE TABLE batches (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        iteration INTEGER NOT NULL,
        epoch INTEGER NOT NULL,
        loss REAL, accuracy REAL, lr REAL, elapsed REAL,
        PRIMARY KEY (run_id, iteration)
    );
    CREATE INDEX runs_by_status ON runs(status);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
RUNNING, INTERRUPTED, FAILED = "running", "interrupted", "failed"
EPOCH_COLUMNS = ("epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "test_loss",
                 "test_accuracy", "seconds", "lr", "samples_per_second")
BATCH_COLUMNS = ("iteration", "epoch", "loss", "accuracy", "lr", "elapsed")
#: seconds a writer waits for another one before the store counts as locked
LOCK_TIMEOUT = 2.0


class RunStoreError(DigitLabError):
    """The run history cannot be read or written (one line: which file, what went wrong)."""


def _process_start(pid: int) -> str:
    """The process's start time in clock ticks on Linux (tells a reused pid apart), else ''."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def process_alive(pid: int, start: str = "") -> bool:
    """Whether process ``pid`` (started at ``start``, when known) still runs on this machine."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would end the process on Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, owned by someone else
    return not start or _process_start(pid) in ("", start)


class RunStore:
    """One open run-history file. Every method raises :class:`RunStoreError` on failure.

    Not shared between threads: each thread that records opens its own (SQLite's rule).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise RunStoreError(f"cannot open the run history {self.path}: {exc}") from None
        try:
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA foreign_keys = ON")
            # WAL: readers never block the writer; NORMAL: no fsync per commit, still atomic.
            mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal" and os.access(self.path, os.W_OK):
                raise RunStoreError(f"the run history {self.path} cannot use WAL mode ({mode})")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
            self.mark_interrupted()
        except sqlite3.Error as exc:
            self._db.close()
            raise RunStoreError(f"the run history {self.path} is unusable: {exc}") from None
        except RunStoreError:
            self._db.close()
            raise

    # -- schema ------------------------------------------------------------------------------
    def _migrate(self) -> None:
        db = self._db
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = db.execute("SELECT version FROM schema_version").fetchone()
        version = 0 if row is None else int(row[0])
        if version > SCHEMA_VERSION:
            raise RunStoreError(f"the run history {self.path} was written by a newer DigitLab "
                                f"(schema {version}, this one knows {SCHEMA_VERSION})")
        for step in range(version, SCHEMA_VERSION):
            with self._transaction():
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("DELETE FROM schema_version")
                db.execute("INSERT INTO schema_version VALUES (?)", (step + 1,))

    def _transaction(self):
        return _Transaction(self._db)

    @property
    def schema_version(self) -> int:
        return int(self._query("SELECT version FROM schema_version")[0][0])

    def close(self) -> None:
        self._db.close()

    # -- writing -----------------------------------------------------------------------------
    def _write(self, sql: str, params: Sequence[Any] | Iterable[Sequence[Any]] = (),
               many: bool = False) -> sqlite3.Cursor:
        try:
            with self._transaction():
                if many:
                    return self._db.executemany(sql, params)  # type: ignore[arg-type]
                return self._db.execute(sql, params)  # type: ignore[arg-type]
        except sqlite3.Error as exc:
            raise RunStoreError(f"cannot write the run history {self.path}: {exc}") from None

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise RunStoreError(f"cannot read the run history {self.path}: {exc}") from None

    def start_run(self, config: dict[str, Any], *, source: str, preset: str | None = None,
                  command: str | None = None, data: dict[str, Any] | None = None,
                  version: str = "") -> int:
        """A new ``running`` row owned by this process; returns its id."""
        now = time.time()
        pid = os.getpid()
        cursor = self._write(
            "INSERT INTO runs (source, status, started_at, heartbeat, pid, process_start, host, "
            "digitlab_version, preset, command, config, data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (source, RUNNING, now, now, pid, _process_start(pid), socket.gethostname(), version,
             preset, command, json.dumps(config), None if data is None else json.dumps(data)))
        return int(cursor.lastrowid)

    def add_epoch(self, run_id: int, metrics: EpochMetrics) -> None:
        """One finished epoch (a resumed run finishing an epoch it began replaces that row)."""
        values = [finite_or_none(getattr(metrics, c)) for c in EPOCH_COLUMNS]
        with _Transaction(self._db, self.path):
            self._db.execute(f"INSERT OR REPLACE INTO epochs ({', '.join(EPOCH_COLUMNS)}, run_id, "
                             f"wall_time) VALUES ({', '.join('?' * len(EPOCH_COLUMNS))}, ?, ?)",
                             (*values, run_id, time.time()))
            self._db.execute(
                "UPDATE runs SET heartbeat = ?, epochs = (SELECT COUNT(*) FROM epochs WHERE "
                "run_id = ?), best_val_accuracy = (SELECT MAX(val_accuracy) FROM epochs WHERE "
                "run_id = ?), train_seconds = (SELECT COALESCE(SUM(seconds), 0) FROM epochs "
                "WHERE run_id = ?) WHERE id = ?", (time.time(), run_id, run_id, run_id, run_id))

    def add_batches(self, run_id: int, rows: Sequence[Sequence[Any]]) -> None:
        """Progress reports, each ``(iteration, epoch, loss, accuracy, lr, elapsed)``."""
        if not rows:
            return
        with _Transaction(self._db, self.path):
            self._db.executemany(
                f"INSERT OR REPLACE INTO batches (run_id, {', '.join(BATCH_COLUMNS)}) "
                f"VALUES (?, ?, ?, ?, ?, ?, ?)", [(run_id, *map(finite_or_none, r)) for r in rows])
            self._db.execute("UPDATE runs SET heartbeat = ?, iterations = ? WHERE id = ?",
                             (time.time(), rows[-1][0], run_id))

    def finish_run(self, run_id: int, status: str, *, message: str = "",
                   result: dict[str, Any] | None = None, model_path: str | None = None) -> None:
        """The run's outcome: status, message, the model record's ``result``, the model file."""
        result = result or {}
        self._write(
            "UPDATE runs SET status = ?, message = ?, finished_at = ?, heartbeat = ?, result = ?, "
            "test_accuracy = ?, iterations = COALESCE(?, iterations), "
            "model_path = COALESCE(?, model_path) WHERE id = ?",
            (status, message, time.time(), time.time(), json.dumps(result),
             finite_or_none(result.get("test_accuracy")), result.get("iterations"), model_path, run_id))

    def set_model_path(self, run_id: int, path: str) -> None:
        self._write("UPDATE runs SET model_path = ? WHERE id = ?", (path, run_id))

    def rename(self, run_id: int, name: str | None) -> None:
        self._write("UPDATE runs SET name = ? WHERE id = ?", (name, run_id))

    def set_tags(self, run_id: int, tags: Sequence[str]) -> None:
        self._write("UPDATE runs SET tags = ? WHERE id = ?", (json.dumps(sorted(set(tags))), run_id))

    def delete(self, run_id: int) -> None:
        self._write("DELETE FROM runs WHERE id = ?", (run_id,))

    def mark_interrupted(self) -> int:
        """Every ``running`` row whose process is gone becomes ``interrupted``; returns how many."""
        host = socket.gethostname()
        stale = [row["id"] for row in self._query(
            "SELECT id, pid, process_start, host FROM runs WHERE status = ?", (RUNNING,))
            if row["host"] == host and not process_alive(row["pid"] or 0, row["process_start"] or "")]
        if stale:
            self._write("UPDATE runs SET status = ?, message = ?, finished_at = heartbeat WHERE id = ?",
                        [(INTERRUPTED, "the process ended during the run", i) for i in stale], many=True)
        return len(stale)

    # -- reading -----------------------------------------------------------------------------
    def runs(self) -> list[dict[str, Any]]:
        """Every run, newest first, as plain dicts (``config``, ``data``, ``result``, ``tags``
        decoded from JSON)."""
        return [_decode(row) for row in self._query("SELECT * FROM runs ORDER BY id DESC")]

    def run(self, run_id: int) -> dict[str, Any] | None:
        rows = self._query("SELECT * FROM runs WHERE id = ?", (run_id,))
        return _decode(rows[0]) if rows else None

    def epochs(self, run_id: int) -> list[dict[str, Any]]:
        return [dict(r) for r in self._query(
            f"SELECT {', '.join(EPOCH_COLUMNS)}, wall_time FROM epochs WHERE run_id = ? ORDER BY epoch",
            (run_id,))]

    def batches(self, run_id: int) -> list[dict[str, Any]]:
        return [dict(r) for r in self._query(
            f"SELECT {', '.join(BATCH_COLUMNS)} FROM batches WHERE run_id = ? ORDER BY iteration",
            (run_id,))]


def _decode(row: sqlite3.Row) -> dict[str, Any]:
    run = dict(row)
    for key in ("config", "data", "result", "tags"):
        try:
            run[key] = json.loads(run[key]) if run[key] else None
        except (TypeError, ValueError):
            run[key] = None  # a damaged cell hides itself, never the whole history
    run["tags"] = run["tags"] or []
    return run


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error), errors as RunStoreError."""

    def __init__(self, db: sqlite3.Connection, path: Path | None = None) -> None:
        self._db, self._path = db, path

    def __enter__(self) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            if self._path is None:
                raise
            raise RunStoreError(f"cannot write the run history {self._path}: {exc}") from None

    def __exit__(self, kind, exc, tb) -> bool:
        if kind is None:
            self._db.execute("COMMIT")
            return False
        try:
            self._db.execute("ROLLBACK")
        except sqlite3.Error:
            pass
        if self._path is not None and isinstance(exc, sqlite3.Error):
            raise RunStoreError(f"cannot write the run history {self._path}: {exc}") from None
        return False
