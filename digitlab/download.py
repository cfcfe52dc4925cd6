"""Getting MNIST onto the user's machine: download the published archives, or import a copy.

Only the standard library's urllib is used. Each file is streamed to a temporary file in the
destination folder, checked against its published size and SHA-256, and only then moved into
place with ``os.replace``, so an interrupted or bad download never replaces a good file.
Imported copies are checked structurally instead (``digitlab.mnist_import``, re-exported here),
because faithful rebuilds of MNIST have other bytes than the published archives.

(About 440 lines, most of them the per-file, per-mirror download loop with its checks and
messages; the transfer watchdog and the import live in their own modules.)
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import http.client
import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from http.client import HTTPException, HTTPResponse
from pathlib import Path
from typing import BinaryIO

from digitlab import __version__
from digitlab.core.atomic import atomic_write
from digitlab.core.errors import Cancelled, DownloadError
from digitlab.mnist_import import import_mnist
from digitlab.transfer_watchdog import CANCELLED, TransferLimits, TransferWatchdog

__all__ = ["DEFAULT_MIRRORS", "MNIST_FILES", "DownloadCancelled", "DownloadProgress", "PublishedFile",
           "TransferLimits", "download_mnist", "import_mnist"]

DEFAULT_MIRRORS: tuple[str, ...] = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)

_CHUNK_BYTES = 64 * 1024
@dataclass(frozen=True)
class PublishedFile:
    """One file a mirror serves: its name, exact size in bytes and SHA-256 (lowercase hex)."""

    name: str
    size: int
    sha256: str


# The published archives. The sizes and hashes are the ones torchvision, TensorFlow and others
# pin; three were re-checked against local copies of the published files.
MNIST_FILES: tuple[PublishedFile, ...] = (
    PublishedFile(
        "train-images-idx3-ubyte.gz",
        9_912_422,
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    ),
    PublishedFile(
        "train-labels-idx1-ubyte.gz",
        28_881,
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    ),
    PublishedFile(
        "t10k-images-idx3-ubyte.gz",
        1_648_877,
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    ),
    PublishedFile(
        "t10k-labels-idx1-ubyte.gz",
        4_542,
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    ),
)


def total_bytes(files: Sequence[PublishedFile] = MNIST_FILES) -> int:
    """Bytes a download of ``files`` fetches: every size DigitLab shows for it comes from here."""
    return sum(published.size for published in files)


IMPORT_HINT = (
    "If you already have the MNIST files, import them with `digitlab import-data PATH` "
    "(a folder of IDX files or an mnist.npz), or point `--data DIR` at them."
)


class DownloadCancelled(DownloadError, Cancelled):
    """The user asked to stop; temporary files were removed and existing files kept."""


@dataclass(frozen=True)
class DownloadProgress:
    """A progress report over the whole download (all files together).

    Attributes
    ----------
    file_name : str
        The file being fetched (or the last one, in the final report).
    bytes_done : int
        Bytes of all files done so far, including files already present. Never decreases:
        after a failed mirror it holds still while the next mirror catches up.
    bytes_total : int
        Sum of the sizes of all files.
    bytes_per_second : float
        Average network speed since the download started.
    eta_seconds : float or None
        Estimated seconds left, or None before the speed is known.
    """

    file_name: str
    bytes_done: int
    bytes_total: int
    bytes_per_second: float
    eta_seconds: float | None

    @property
    def fraction(self) -> float:
        """``bytes_done / bytes_total`` in 0..1 (1 when there is nothing to fetch)."""
        return self.bytes_done / self.bytes_total if self.bytes_total else 1.0


class _ProgressReporter:
    """Turns byte counts into throttled, never-decreasing ``DownloadProgress`` reports."""

    def __init__(
        self,
        callback: Callable[[DownloadProgress], None] | None,
        bytes_total: int,
        min_interval: float,
    ) -> None:
        self._callback = callback
        self._bytes_total = bytes_total
        self._min_interval = min_interval
        self._started = time.monotonic()
        self._last_report = float("-inf")
        self._bytes_completed = 0  # files finished or skipped
        self._bytes_in_attempt = 0  # the current mirror attempt
        self._bytes_received = 0  # every byte off the network, for the speed
        self._high_water = 0

    def file_done(self, size: int) -> None:
        self._bytes_completed += size
        self._bytes_in_attempt = 0

    def attempt_failed(self) -> None:
        self._bytes_in_attempt = 0

    def received(self, file_name: str, num_bytes: int) -> None:
        self._bytes_in_attempt += num_bytes
        self._bytes_received += num_bytes
        if time.monotonic() - self._last_report >= self._min_interval:
            self._report(file_name)

    def finish(self, file_name: str) -> None:
        self._report(file_name)

    def _report(self, file_name: str) -> None:
        now = time.monotonic()
        self._last_report = now
        done = min(self._bytes_total, self._bytes_completed + self._bytes_in_attempt)
        self._high_water = max(self._high_water, done)
        elapsed = now - self._started
        speed = self._bytes_received / elapsed if elapsed > 0 else 0.0
        eta = (self._bytes_total - self._high_water) / speed if speed > 0 else None
        if self._callback is not None:
            self._callback(DownloadProgress(file_name, self._high_water, self._bytes_total, speed, eta))


class _MirrorFailed(Exception):
    """One mirror could not deliver one file; the next mirror may still succeed."""

    def __init__(self, reason: str, offline: bool = False) -> None:
        super().__init__(reason)
        self.offline = offline


def download_mnist(
    dest: str | os.PathLike[str],
    mirrors: Sequence[str] = DEFAULT_MIRRORS,
    progress: Callable[[DownloadProgress], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    timeout: float = 30,
    files: Sequence[PublishedFile] = MNIST_FILES,
    progress_interval: float = 0.1,
    limits: TransferLimits = TransferLimits(),  # noqa: B008 - frozen, so sharing is safe
) -> Path:
    """Download the MNIST archives into ``dest``, verifying each one's size and SHA-256.

    Parameters
    ----------
    dest : str or PathLike
        Destination folder, created if needed. Files already there with the right hash are
        kept and not fetched again.
    mirrors : sequence of str
        Base URLs tried in order for each file; the file name is appended.
    progress : callable, optional
        Called with a ``DownloadProgress`` at most once per ``progress_interval`` seconds, and
        once more when everything is done.
    should_cancel : callable, optional
        Polled between chunks and, by a watchdog thread, every 0.1 s while a read is blocked;
        returning True stops the download with ``DownloadCancelled`` within about a second.
        It must be safe to call from another thread (e.g. read a flag).
    timeout : float
        Seconds to wait for a connection, for the response headers or for the next chunk.
    files : sequence of PublishedFile
        What to fetch; the published MNIST archives by default.
    progress_interval : float
        Minimum seconds between progress reports (0 reports every chunk).
    limits : TransferLimits
        The overall deadline per file and mirror, and the minimum transfer rate; a mirror that
        misses either is abandoned for the next one.

    Returns
    -------
    Path
        ``dest``.

    Raises
    ------
    DownloadCancelled
        If ``should_cancel`` returned True. No temporary file is left behind.
    DownloadError
        If every mirror failed for some file; the message lists each mirror's failure, says
        when the computer seems to be offline, and how to import local files instead.
    """
    if not mirrors:
        raise ValueError("mirrors must name at least one base URL")
    dest = Path(dest)
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"cannot create the folder {dest}: {exc.strerror or exc}") from exc
    reporter = _ProgressReporter(progress, total_bytes(files), progress_interval)
    for published in files:
        _raise_if_cancelled(should_cancel)
        if _has_published_content(dest / published.name, published):
            reporter.file_done(published.size)
            continue
        _download_from_first_working_mirror(published, dest, mirrors, timeout, reporter, should_cancel,
                                            limits)
        reporter.file_done(published.size)
    reporter.finish(files[-1].name if files else "")
    return dest


def _has_published_content(path: Path, published: PublishedFile) -> bool:
    """True if ``path`` exists with the published size and hash (cheap size check first)."""
    try:
        if path.stat().st_size != published.size:
            return False
        digest = hashlib.sha256()
        with path.open("rb") as existing:
            for chunk in iter(lambda: existing.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return False
    return digest.hexdigest() == published.sha256


def _download_from_first_working_mirror(
    published: PublishedFile,
    dest: Path,
    mirrors: Sequence[str],
    timeout: float,
    reporter: _ProgressReporter,
    should_cancel: Callable[[], bool] | None,
    limits: TransferLimits,
) -> None:
    failures: list[tuple[str, _MirrorFailed]] = []
    for mirror in mirrors:
        url = mirror.rstrip("/") + "/" + published.name
        try:
            _fetch_verified(url, published, dest, timeout, reporter, should_cancel, limits)
            return
        except _MirrorFailed as failure:
            reporter.attempt_failed()
            failures.append((url, failure))
    raise DownloadError(_all_mirrors_failed_message(published.name, failures))


def _all_mirrors_failed_message(file_name: str, failures: list[tuple[str, _MirrorFailed]]) -> str:
    lines = [f"Could not download {file_name} from any mirror:"]
    lines += [f"  {url}: {failure}" for url, failure in failures]
    if all(failure.offline for _, failure in failures):
        lines.append(
            "This computer seems to have no network connection (host names could not be "
            "resolved or the network is unreachable)."
        )
    lines.append(IMPORT_HINT)
    return "\n".join(lines)


def _fetch_verified(
    url: str,
    published: PublishedFile,
    dest: Path,
    timeout: float,
    reporter: _ProgressReporter,
    should_cancel: Callable[[], bool] | None,
    limits: TransferLimits,
) -> None:
    """Stream ``url`` to a temporary file in ``dest``, verify it, then move it into place.

    A cancelled, failed or interrupted download never leaves a partial file behind."""
    chunks = _stream(url, published, timeout, should_cancel, limits)
    try:
        # closing(): release the connection at once if writing or a callback fails.
        with atomic_write(dest / published.name) as temp_file, contextlib.closing(chunks):
            digest = hashlib.sha256()
            for chunk in chunks:
                digest.update(chunk)
                _write(temp_file, chunk, dest / published.name)
                reporter.received(published.name, len(chunk))
            received = temp_file.tell()
            if received != published.size:
                raise _MirrorFailed(
                    f"incomplete: received {received} of {published.size} bytes (connection cut?)"
                )
            if digest.hexdigest() != published.sha256:
                raise _MirrorFailed(
                    f"SHA-256 mismatch: got {digest.hexdigest()}, expected {published.sha256}")
    except OSError as exc:
        raise DownloadError(f"cannot write in {dest}: {exc.strerror or exc}") from exc


def _stream(
    url: str,
    published: PublishedFile,
    timeout: float,
    should_cancel: Callable[[], bool] | None,
    limits: TransferLimits,
) -> Iterator[bytes]:
    """Yield the body of ``url`` in chunks; network trouble becomes ``_MirrorFailed``."""
    # The watchdog runs from before the request: once connected it can cut a wait for the
    # headers as well as for the body.
    watchdog = TransferWatchdog(None, should_cancel, limits, time.monotonic())
    try:
        with watchdog, _open_url(url, timeout, on_connect=watchdog.watch_socket) as response:
            announced = response.headers.get("Content-Length", "")
            if announced.isdigit() and int(announced) != published.size:
                raise _MirrorFailed(f"server offers {announced} bytes, expected {published.size}")
            received = 0
            while True:
                _raise_if_tripped(watchdog)
                # read1: whatever has arrived (up to a chunk), so a trickle still reaches the
                # watchdog's byte count instead of filling one big read.
                chunk = response.read1(_CHUNK_BYTES)
                _raise_if_tripped(watchdog)
                if not chunk:
                    return
                watchdog.bytes_received += len(chunk)
                received += len(chunk)
                if received > published.size:
                    raise _MirrorFailed(f"server sent more than the expected {published.size} bytes")
                yield chunk
    except urllib.error.HTTPError as exc:
        exc.close()
        raise _MirrorFailed(f"HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        _raise_if_tripped(watchdog)  # the watchdog cut the connection
        raise _MirrorFailed(str(exc.reason), offline=_looks_offline(exc.reason)) from exc
    except (HTTPException, OSError) as exc:
        # Cut connections (IncompleteRead), resets and timeouts while reading the body.
        _raise_if_tripped(watchdog)
        raise _MirrorFailed(f"{type(exc).__name__}: {exc}", offline=_looks_offline(exc)) from exc


def _raise_if_tripped(watchdog: TransferWatchdog) -> None:
    reason = watchdog.reason()
    if reason == CANCELLED:
        raise DownloadCancelled("download cancelled")
    if reason is not None:
        raise _MirrorFailed(reason)


def _open_url(url: str, timeout: float,
              on_connect: Callable[[socket.socket], None] | None = None) -> HTTPResponse:
    """Open ``url`` with a fresh opener, so proxy settings are read from the current env.

    ``on_connect`` receives the connection's socket as soon as it exists (before the request
    is sent), so a watchdog can cut a server that never answers.
    """
    request = urllib.request.Request(url, headers={"User-Agent": f"DigitLab/{__version__}"})
    handlers = [_ReportingHTTPHandler(on_connect), _ReportingHTTPSHandler(on_connect)] if on_connect else []
    return urllib.request.build_opener(*handlers).open(request, timeout=timeout)


def _reporting(connection_class: type, on_connect: Callable[[socket.socket], None]) -> Callable:
    """A connection factory for ``do_open`` that hands each new socket to ``on_connect``."""

    class Reporting(connection_class):  # type: ignore[misc, valid-type]
        def connect(self) -> None:
            super().connect()
            on_connect(self.sock)

    return Reporting


class _ReportingHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, on_connect: Callable[[socket.socket], None]) -> None:
        super().__init__()
        self._on_connect = on_connect

    def http_open(self, req: urllib.request.Request) -> HTTPResponse:
        return self.do_open(_reporting(http.client.HTTPConnection, self._on_connect), req)


class _ReportingHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, on_connect: Callable[[socket.socket], None]) -> None:
        super().__init__()
        self._on_connect = on_connect

    def https_open(self, req: urllib.request.Request) -> HTTPResponse:
        return self.do_open(_reporting(http.client.HTTPSConnection, self._on_connect), req,
                            context=self._context)


def _looks_offline(reason: object) -> bool:
    """True for the errors a machine without network gives: no DNS, no route."""
    if isinstance(reason, socket.gaierror):
        return True
    unreachable = (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN)
    return isinstance(reason, OSError) and reason.errno in unreachable


def _write(temp_file: BinaryIO, chunk: bytes, temp_path: Path) -> None:
    """Write to the temporary file; a local disk problem is not the mirror's fault."""
    try:
        temp_file.write(chunk)
    except OSError as exc:
        raise DownloadError(f"cannot write {temp_path}: {exc.strerror or exc}") from exc


def _raise_if_cancelled(should_cancel: Callable[[], bool] | None) -> None:
    if should_cancel is not None and should_cancel():
        raise DownloadCancelled("download cancelled")
