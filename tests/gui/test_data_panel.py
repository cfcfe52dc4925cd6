"""The Data panel: status and help when MNIST is missing, download, cancel, import, errors."""

from __future__ import annotations

import gzip
import hashlib
import struct
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from digitlab import paths
from digitlab.download import PublishedFile
from digitlab.gui.panels.data_panel import SAMPLES_PER_DIGIT, DataPanel
from digitlab.gui.session import Session

NAMES = {"train_images": "train-images-idx3-ubyte.gz", "train_labels": "train-labels-idx1-ubyte.gz",
         "test_images": "t10k-images-idx3-ubyte.gz", "test_labels": "t10k-labels-idx1-ubyte.gz"}


def idx_gz(array: np.ndarray) -> bytes:
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return gzip.compress(header + array.tobytes())


def synthetic_files() -> dict[str, bytes]:
    """A tiny valid MNIST (every digit present) as gzip IDX payloads by file name."""
    rng = np.random.default_rng(5)
    labels = np.arange(40, dtype=np.uint8) % 10
    return {NAMES["train_images"]: idx_gz(rng.integers(0, 256, (40, 28, 28), dtype=np.uint8)),
            NAMES["train_labels"]: idx_gz(labels),
            NAMES["test_images"]: idx_gz(rng.integers(0, 256, (10, 28, 28), dtype=np.uint8)),
            NAMES["test_labels"]: idx_gz(labels[:10])}


def published(files: dict[str, bytes]) -> tuple[PublishedFile, ...]:
    return tuple(PublishedFile(name, len(body), hashlib.sha256(body).hexdigest())
                 for name, body in files.items())


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch):
    """Requests to 127.0.0.1 never go through a proxy from the environment."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def server() -> Iterator[tuple[str, dict[str, bytes], dict[str, float]]]:
    """A local mirror: (base URL, files by name, per-file delay between 16 KB chunks)."""
    files: dict[str, bytes] = {}
    delays: dict[str, float] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            body = files.get(self.path.rsplit("/", 1)[-1])
            if body is None:
                self.send_error(404, "Not Found")
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            delay = delays.get(self.path.rsplit("/", 1)[-1], 0.0)
            try:
                for start in range(0, len(body), 16384):
                    self.wfile.write(body[start:start + 16384])
                    time.sleep(delay)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client cancelled

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/mnist/", files, delays
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def make_panel(qtbot, **kwargs) -> DataPanel:
    panel = DataPanel(Session(), **kwargs)
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_missing_data_explains_how_to_get_mnist(qtbot, monkeypatch):
    """With no MNIST the panel names the folder, says it is missing and how to get it."""
    monkeypatch.delenv("DIGITLAB_MNIST_DIR", raising=False)  # CI points it at real data
    panel = make_panel(qtbot)
    assert str(paths.mnist_cache_dir()) in panel.folder_label.text()
    assert "Not found" in panel.status_label.text()
    help_text = panel.help_label.text()
    assert panel.help_label.isVisible()
    assert "Download" in help_text and "Import local files" in help_text
    assert "train-images-idx3-ubyte.gz" in help_text and "mnist.npz" in help_text
    assert panel.samples.count == 0


def test_download_shows_progress_then_loads_and_shows_samples(qtbot, server):
    """Download from a local mirror reports progress, loads the data and fills the sample grid."""
    base, files, _ = server
    files.update(synthetic_files())
    panel = make_panel(qtbot, mirrors=[base], files=published(files))
    progress = []
    panel.progress_bar.valueChanged.connect(progress.append)
    with qtbot.waitSignal(panel.session.data_changed, timeout=10000):
        QTest.mouseClick(panel.download_button, Qt.MouseButton.LeftButton)
        assert panel.progress_bar.isVisible() and not panel.download_button.isEnabled()
    qtbot.waitUntil(lambda: not panel.is_busy, timeout=5000)
    assert progress and progress[-1] == 1000
    assert panel.session.data.num_train == 40
    assert panel.session.data_dir == paths.mnist_cache_dir()
    assert "Loaded" in panel.status_label.text() and not panel.help_label.isVisible()
    assert panel.samples.count == 10 * SAMPLES_PER_DIGIT
    assert not panel.progress_bar.isVisible() and panel.download_button.isEnabled()


def test_cancel_stops_the_download_and_leaves_no_partial_file(qtbot, server):
    """Cancel stops a slow download promptly, says so, and leaves no temporary file."""
    base, files, delays = server
    body = np.random.default_rng(1).bytes(2_000_000)
    files["train-images-idx3-ubyte.gz"] = body
    delays["train-images-idx3-ubyte.gz"] = 0.02
    panel = make_panel(qtbot, mirrors=[base], files=published(files))
    panel.start_download()
    qtbot.waitUntil(lambda: panel.progress_bar.value() > 0, timeout=5000)
    QTest.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.is_busy, timeout=5000)
    assert "cancelled" in panel.error_label.text().lower() and panel.error_label.isVisible()
    assert panel.session.data is None
    leftovers = list(paths.mnist_cache_dir().glob("*")) if paths.mnist_cache_dir().exists() else []
    assert leftovers == []


def test_unreachable_mirror_shows_the_error_inline(qtbot):
    """No server answering gives an inline error mentioning how to import local files."""
    panel = make_panel(qtbot, mirrors=["http://127.0.0.1:9/"],
                       files=published({NAMES["train_labels"]: b"x"}))
    panel.start_download()
    qtbot.waitUntil(lambda: not panel.is_busy, timeout=10000)
    assert panel.error_label.isVisible()
    assert "Could not download" in panel.error_label.text()
    assert "Import local files" in panel.error_label.text()
    assert panel.download_button.isEnabled()


def test_import_a_folder_of_idx_files(qtbot, tmp_path):
    """Importing a folder of IDX files copies them into the cache and loads them."""
    source = tmp_path / "my-mnist"
    source.mkdir()
    for name, body in synthetic_files().items():
        (source / name).write_bytes(body)
    panel = make_panel(qtbot)
    with qtbot.waitSignal(panel.session.data_changed, timeout=10000):
        assert panel.import_from(source)
    qtbot.waitUntil(lambda: not panel.is_busy, timeout=5000)
    assert (paths.mnist_cache_dir() / NAMES["train_images"]).is_file()
    assert panel.session.data.num_test == 10
    assert panel.samples.count == 10 * SAMPLES_PER_DIGIT


def test_bad_folders_show_errors_without_blocking(qtbot, tmp_path):
    """Choosing or importing a folder without MNIST reports it inline; nothing modal opens."""
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / NAMES["train_images"]).write_bytes(b"not gzip")
    panel = make_panel(qtbot)
    assert not panel.load_folder(empty)
    assert panel.error_label.isVisible() and str(empty) in panel.error_label.text()
    assert "Incomplete" in panel.status_label.text()
    assert panel.import_from(tmp_path / "nowhere")
    qtbot.waitUntil(lambda: not panel.is_busy, timeout=5000)
    assert panel.error_label.isVisible() and "nowhere" in panel.error_label.text()
    assert panel.session.data is None
    assert Path(panel.folder_label.text()) == empty
