"""Tests for digitlab.download against a real HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import gzip
import hashlib
import socket
import struct
import threading
import time
import urllib.error
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from digitlab import download
from digitlab.core.data import load_mnist
from digitlab.core.errors import DataError, DownloadError
from digitlab.download import (
    DEFAULT_MIRRORS,
    MNIST_FILES,
    DownloadCancelled,
    DownloadProgress,
    PublishedFile,
    download_mnist,
    import_mnist,
)


@dataclass
class Route:
    """What the test server answers for one path."""

    body: bytes
    content_length: int | None = -1  # -1: the true length; None: no header
    cut_after: int | None = None  # stop sending after this many bytes, then close
    bytes_per_second: float | None = None  # trickle the body at this rate
    stall_seconds: float = 0.0  # send the headers, then nothing for this long
    silent_seconds: float = 0.0  # accept the request, then send nothing (not even headers)


@dataclass
class MirrorServer:
    """A local HTTP server; ``routes`` maps request paths to answers, 404 otherwise."""

    base_url: str
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)  # ends slow answers

    def mirror(self, name: str) -> str:
        return f"{self.base_url}/{name}/"

    def serve(self, mirror_name: str, files: dict[str, bytes]) -> None:
        for file_name, body in files.items():
            self.routes[f"/{mirror_name}/{file_name}"] = Route(body)


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests to 127.0.0.1 must never be routed through a proxy from the environment."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def server() -> Iterator[MirrorServer]:
    """A threaded HTTP server on 127.0.0.1 with an OS-chosen port."""
    state = MirrorServer(base_url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            state.requests.append(self.path)
            route = state.routes.get(self.path)
            if route is None:
                self.send_error(404, "Not Found")
                return
            if route.silent_seconds and state.stop.wait(route.silent_seconds):
                return
            self.send_response(200)
            if route.content_length is not None:
                length = len(route.body) if route.content_length == -1 else route.content_length
                self.send_header("Content-Length", str(length))
            self.end_headers()
            body = route.body[: route.cut_after]
            try:
                if route.stall_seconds:
                    self.wfile.flush()
                    state.stop.wait(route.stall_seconds)
                if route.bytes_per_second:
                    for i in range(len(body)):
                        if state.stop.wait(1 / route.bytes_per_second):
                            return
                        self.wfile.write(body[i:i + 1])
                        self.wfile.flush()
                    return
                self.wfile.write(body)
            except OSError:
                pass  # the client hung up, as a client that gives up should

        def log_message(self, *args: object) -> None:
            pass  # keep test output clean

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    # A short poll interval keeps shutdown() (and so each test) fast.
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield state
    state.stop.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def payloads() -> dict[str, bytes]:
    """Four synthetic 'archives'; the first spans several 64 KiB chunks."""
    rng = np.random.default_rng(7)
    sizes = (300_000, 2_000, 50_000, 500)
    return {f.name: rng.bytes(size) for f, size in zip(MNIST_FILES, sizes, strict=True)}


@pytest.fixture
def table(payloads: dict[str, bytes]) -> tuple[PublishedFile, ...]:
    """The checksum table for the synthetic payloads."""
    return tuple(
        PublishedFile(name, len(body), hashlib.sha256(body).hexdigest()) for name, body in payloads.items()
    )


def leftover_temp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.part"))


# --- downloading ----------------------------------------------------------------------------


def test_downloads_and_verifies_every_file(server, payloads, table, tmp_path: Path) -> None:
    """All files arrive byte-exact under their names, with no temporary files left."""
    server.serve("m1", payloads)
    dest = tmp_path / "cache"
    assert download_mnist(dest, [server.mirror("m1")], files=table, timeout=5) == dest
    for name, body in payloads.items():
        assert (dest / name).read_bytes() == body
    assert leftover_temp_files(dest) == []


def test_missing_file_on_first_mirror_falls_back(server, payloads, table, tmp_path) -> None:
    """A 404 on the first mirror makes the second mirror serve the file."""
    server.serve("m2", payloads)
    download_mnist(tmp_path, [server.mirror("m1"), server.mirror("m2")], files=table, timeout=5)
    assert all((tmp_path / name).read_bytes() == body for name, body in payloads.items())
    assert f"/m1/{table[0].name}" in server.requests


def test_wrong_hash_on_first_mirror_falls_back(server, payloads, table, tmp_path) -> None:
    """Same-size but different content on the first mirror is rejected; the second is used."""
    server.serve("m1", {name: bytes(len(body)) for name, body in payloads.items()})
    server.serve("m2", payloads)
    download_mnist(tmp_path, [server.mirror("m1"), server.mirror("m2")], files=table, timeout=5)
    assert all((tmp_path / name).read_bytes() == body for name, body in payloads.items())


@pytest.mark.parametrize("announced", [-1, None], ids=["content-length-too-big", "no-length"])
def test_truncated_response_leaves_no_partial_file(
    server, payloads, table, tmp_path, announced: int | None
) -> None:
    """A body cut short is an error, and neither a temporary nor a target file remains."""
    first = table[0]
    server.routes[f"/m1/{first.name}"] = Route(
        payloads[first.name], content_length=announced, cut_after=first.size // 2
    )
    with pytest.raises(DownloadError, match="127.0.0.1"):
        download_mnist(tmp_path, [server.mirror("m1")], files=table[:1], timeout=5)
    assert list(tmp_path.iterdir()) == []


def test_oversized_response_is_rejected(server, payloads, table, tmp_path) -> None:
    """A server sending more bytes than published (no Content-Length) fails that mirror."""
    first = table[0]
    server.routes[f"/m1/{first.name}"] = Route(payloads[first.name] + b"x", content_length=None)
    with pytest.raises(DownloadError, match="more than the expected"):
        download_mnist(tmp_path, [server.mirror("m1")], files=table[:1], timeout=5)
    assert list(tmp_path.iterdir()) == []


def test_all_mirrors_failing_lists_each_mirror(server, payloads, table, tmp_path) -> None:
    """When every mirror fails, the error names each URL with its reason and the import route."""
    name = table[0].name
    server.routes[f"/m2/{name}"] = Route(bytes(table[0].size))  # right size, wrong hash
    server.routes[f"/m3/{name}"] = Route(b"short")  # announces the wrong size
    mirrors = [server.mirror("m1"), server.mirror("m2"), server.mirror("m3")]
    with pytest.raises(DownloadError) as info:
        download_mnist(tmp_path, mirrors, files=table, timeout=5)
    message = str(info.value)
    assert f"{server.mirror('m1')}{name}: HTTP 404" in message
    assert f"{server.mirror('m2')}{name}: SHA-256 mismatch" in message
    assert f"{server.mirror('m3')}{name}: server offers 5 bytes" in message
    assert "digitlab import-data" in message and "--data DIR" in message
    assert "no network" not in message
    assert list(tmp_path.iterdir()) == []


def test_no_network_is_recognised(monkeypatch: pytest.MonkeyPatch, table, tmp_path) -> None:
    """Name-resolution failures on every mirror produce a 'no network' hint and the import route."""

    def unresolvable(url: str, timeout: float, **kwargs):
        raise urllib.error.URLError(socket.gaierror(-2, "Name or service not known"))

    monkeypatch.setattr(download, "_open_url", unresolvable)
    with pytest.raises(DownloadError) as info:
        download_mnist(tmp_path, ["https://a.invalid/", "https://b.invalid/"], files=table)
    message = str(info.value)
    assert "https://a.invalid/" in message and "https://b.invalid/" in message
    assert "no network connection" in message and "digitlab import-data PATH" in message


def test_cancel_removes_temp_files_and_keeps_existing(server, payloads, table, tmp_path) -> None:
    """Cancelling mid-file raises DownloadCancelled, leaves no temp file, keeps older files."""
    server.serve("m1", payloads)
    old = tmp_path / table[0].name
    old.write_bytes(b"an older copy")
    polls = 0

    def cancel_after_two_chunks() -> bool:
        nonlocal polls
        polls += 1
        return polls > 3  # one poll before the file, then one per chunk

    with pytest.raises(DownloadCancelled) as info:
        download_mnist(
            tmp_path,
            [server.mirror("m1")],
            files=table,
            should_cancel=cancel_after_two_chunks,
            timeout=5,
        )
    assert isinstance(info.value, DownloadError)
    assert leftover_temp_files(tmp_path) == []
    assert old.read_bytes() == b"an older copy"
    assert sorted(p.name for p in tmp_path.iterdir()) == [old.name]


def test_progress_is_monotonic_and_ends_complete(server, payloads, table, tmp_path) -> None:
    """Progress bytes never decrease, even across a failed mirror, and end at the total."""
    server.serve("m1", {table[0].name: bytes(table[0].size)})  # fails only after a full read
    server.serve("m2", payloads)
    reports: list[DownloadProgress] = []
    download_mnist(
        tmp_path,
        [server.mirror("m1"), server.mirror("m2")],
        files=table,
        progress=reports.append,
        progress_interval=0,
        timeout=5,
    )
    done = [report.bytes_done for report in reports]
    total = sum(f.size for f in table)
    assert len(reports) > 5
    assert done == sorted(done)
    assert reports[-1].bytes_done == total and reports[-1].fraction == 1.0
    assert all(report.bytes_total == total for report in reports)
    assert all(report.bytes_per_second >= 0 for report in reports)
    assert {report.file_name for report in reports} == {f.name for f in table}


def test_progress_is_throttled(server, payloads, table, tmp_path) -> None:
    """With the default interval, reports arrive at most about ten times a second."""
    server.serve("m1", payloads)
    reports: list[DownloadProgress] = []
    started = time.monotonic()
    download_mnist(tmp_path, [server.mirror("m1")], files=table, progress=reports.append, timeout=5)
    elapsed = time.monotonic() - started
    assert 1 <= len(reports) <= 2 + 10 * elapsed


def test_files_with_the_right_hash_are_not_fetched(server, payloads, table, tmp_path) -> None:
    """A file already present and verified is kept; a wrong local copy is replaced."""
    server.serve("m1", payloads)
    first, second = table[0], table[1]
    (tmp_path / first.name).write_bytes(payloads[first.name])
    (tmp_path / second.name).write_bytes(b"stale")
    download_mnist(tmp_path, [server.mirror("m1")], files=table, timeout=5)
    assert f"/m1/{first.name}" not in server.requests
    assert (tmp_path / second.name).read_bytes() == payloads[second.name]


def test_published_table_and_mirrors() -> None:
    """The default table pins the four published archives and the mirrors are tried in order."""
    assert [f.name for f in MNIST_FILES] == [
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
    ]
    assert [f.size for f in MNIST_FILES] == [9_912_422, 28_881, 1_648_877, 4_542]
    assert all(len(f.sha256) == 64 and int(f.sha256, 16) >= 0 for f in MNIST_FILES)
    assert DEFAULT_MIRRORS[0].startswith("https://ossci-datasets.s3.amazonaws.com/")
    assert DEFAULT_MIRRORS[-1] == "http://yann.lecun.com/exdb/mnist/"


@pytest.mark.mnist
@pytest.mark.parametrize("published", MNIST_FILES[1:], ids=lambda f: f.name)
def test_published_hashes_match_local_published_files(mnist_dir: Path, published) -> None:
    """The pinned size and SHA-256 match the local copies of the published archives."""
    path = mnist_dir / published.name
    if not path.is_file():
        pytest.skip(f"{path} not present")
    body = path.read_bytes()
    assert (len(body), hashlib.sha256(body).hexdigest()) == (published.size, published.sha256)


# --- importing ------------------------------------------------------------------------------


def idx_bytes(array: np.ndarray) -> bytes:
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.tobytes()


def synthetic_mnist(folder: Path, names: dict[str, str], compress: bool) -> dict[str, np.ndarray]:
    """Write a tiny valid MNIST under the given names; return its arrays by role."""
    rng = np.random.default_rng(3)
    arrays = {
        "train_images": rng.integers(0, 256, (6, 28, 28), dtype=np.uint8),
        "train_labels": rng.integers(0, 10, 6, dtype=np.uint8),
        "test_images": rng.integers(0, 256, (4, 28, 28), dtype=np.uint8),
        "test_labels": rng.integers(0, 10, 4, dtype=np.uint8),
    }
    folder.mkdir(parents=True, exist_ok=True)
    for role, name in names.items():
        payload = idx_bytes(arrays[role])
        (folder / name).write_bytes(gzip.compress(payload) if compress else payload)
    return arrays


DOTTED_NAMES = {
    "train_images": "train-images.idx3-ubyte",
    "train_labels": "train-labels.idx1-ubyte",
    "test_images": "t10k-images.idx3-ubyte",
    "test_labels": "t10k-labels.idx1-ubyte",
}


def test_import_copies_idx_files_under_standard_names(tmp_path: Path) -> None:
    """Dotted raw IDX files are copied under the standard names and load from the cache."""
    arrays = synthetic_mnist(tmp_path / "src", DOTTED_NAMES, compress=False)
    dest = import_mnist(tmp_path / "src", tmp_path / "cache")
    assert sorted(p.name for p in dest.iterdir()) == sorted(
        name.replace(".idx", "-idx") for name in DOTTED_NAMES.values()
    )
    np.testing.assert_array_equal(load_mnist(dest).train_images, arrays["train_images"])


def test_import_npz_replaces_shadowing_idx_files(tmp_path: Path) -> None:
    """Importing an npz removes old IDX files in the cache so the npz is what loads next."""
    dotted_gz = {role: name + ".gz" for role, name in DOTTED_NAMES.items()}
    old = synthetic_mnist(tmp_path / "cache", dotted_gz, compress=True)
    rng = np.random.default_rng(9)
    new_labels = rng.integers(0, 10, 6, dtype=np.uint8)
    np.savez(
        tmp_path / "new.npz",
        x_train=old["train_images"],
        y_train=new_labels,
        x_test=old["test_images"],
        y_test=old["test_labels"],
    )
    dest = import_mnist(tmp_path / "new.npz", tmp_path / "cache")
    assert [p.name for p in dest.iterdir()] == ["mnist.npz"]
    np.testing.assert_array_equal(load_mnist(dest).train_labels, new_labels)


def test_import_refuses_invalid_source_and_writes_nothing(tmp_path: Path) -> None:
    """A broken source raises DataError before the cache is created or touched."""
    synthetic_mnist(tmp_path / "src", DOTTED_NAMES, compress=False)
    (tmp_path / "src" / DOTTED_NAMES["test_labels"]).write_bytes(b"\x00\x00\x08\x01garbage")
    with pytest.raises(DataError):
        import_mnist(tmp_path / "src", tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_import_from_the_cache_itself_is_harmless(tmp_path: Path) -> None:
    """Importing a folder into itself keeps every file intact."""
    names = {role: name.replace(".idx", "-idx") + ".gz" for role, name in DOTTED_NAMES.items()}
    arrays = synthetic_mnist(tmp_path, names, compress=True)
    import_mnist(tmp_path, tmp_path)
    np.testing.assert_array_equal(load_mnist(tmp_path).test_labels, arrays["test_labels"])
    assert leftover_temp_files(tmp_path) == []


# --- issue 12: slow and stalled mirrors -------------------------------------------------------

def test_mirror_sending_20_bytes_per_second_is_abandoned(server, payloads, table, tmp_path) -> None:
    """A trickling mirror misses the minimum rate and the next mirror delivers the file."""
    slow_name = table[3].name
    server.routes[f"/slow/{slow_name}"] = Route(payloads[slow_name], bytes_per_second=20)
    server.serve("good", payloads)
    limits = download.TransferLimits(deadline=30, min_bytes_per_second=100, rate_window=0.5)
    download_mnist(tmp_path, [server.mirror("slow"), server.mirror("good")], files=table[3:],
                   limits=limits, timeout=5)
    assert (tmp_path / slow_name).read_bytes() == payloads[slow_name]
    assert server.requests == [f"/slow/{slow_name}", f"/good/{slow_name}"]


def test_overall_deadline_abandons_a_mirror_that_keeps_trickling(server, payloads, table, tmp_path):
    """Even a rate above the minimum cannot hold a file past the deadline; the error says so."""
    name = table[3].name
    server.routes[f"/slow/{name}"] = Route(payloads[name], bytes_per_second=50)
    limits = download.TransferLimits(deadline=0.5, min_bytes_per_second=1, rate_window=10)
    with pytest.raises(DownloadError, match="gave up after"):
        download_mnist(tmp_path, [server.mirror("slow")], files=table[3:], limits=limits, timeout=5)
    assert leftover_temp_files(tmp_path) == []


@pytest.mark.parametrize("stall", ["body", "headers"])
def test_cancel_interrupts_a_stalled_read_within_a_second(server, payloads, table, tmp_path, stall) -> None:
    """Cancel during a read that gets no data ends the download promptly, leaving nothing behind.

    The 30 s socket timeout alone would hold the read; the watchdog cuts it instead. (The bound
    is loose on purpose: it separates "about a second" from "30 seconds" on a busy machine.)
    """
    name = table[3].name
    server.routes[f"/stall/{name}"] = (Route(payloads[name], stall_seconds=30) if stall == "body"
                                       else Route(payloads[name], silent_seconds=30))
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(DownloadCancelled):
        download_mnist(tmp_path, [server.mirror("stall")], files=table[3:],
                       should_cancel=cancel.is_set, timeout=30)
    assert time.monotonic() - started < 10
    assert leftover_temp_files(tmp_path) == []
