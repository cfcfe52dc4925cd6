"""tools/handwriting_eval.py's cache: it keeps its own .npz files, reads them without pickle (a
planted file runs no code), refuses and never overwrites a file it did not write, and is stale
when the data behind it changes (found by a hostile test and a review)."""

from __future__ import annotations

import importlib.util
import os
import pickle
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool():
    spec = importlib.util.spec_from_file_location("handwriting_eval",
                                                  ROOT / "tools" / "handwriting_eval.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


class _Planted:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def test_the_cache_round_trips_and_is_stale_under_another_key(tmp_path):
    tool = _tool()
    arrays = {"pen_inputs": np.zeros((2, 28, 28), np.float32), "kinds": np.array(["dot", "X"]),
              "stretched grey": np.ones(3)}
    tool._store_cache(tmp_path / "strokes.npz", "key-1", arrays)
    loaded = tool._load_cache(tmp_path / "strokes.npz", "key-1")
    assert set(loaded) == set(arrays) and loaded["kinds"].tolist() == ["dot", "X"]
    assert tool._load_cache(tmp_path / "strokes.npz", "key-2") is None
    assert tool._load_cache(tmp_path / "missing.npz", "key-1") is None


def test_a_planted_pickle_runs_no_code_and_is_not_overwritten(tmp_path):
    tool = _tool()
    cache, marker = tmp_path / "strokes.npz", tmp_path / "code-ran"
    cache.write_bytes(pickle.dumps(_Planted(str(marker))))
    kept = cache.read_bytes()
    with pytest.raises(tool.ToolError, match="not a cache this tool wrote"):
        tool._load_cache(cache, "key")
    assert not marker.exists() and cache.read_bytes() == kept


@pytest.mark.parametrize("content", [b"just some notes\n", b""])
def test_a_file_that_is_not_a_cache_is_refused_in_one_line(tmp_path, content):
    tool = _tool()
    (tmp_path / "strokes.npz").write_bytes(content)
    with pytest.raises(tool.ToolError) as info:
        tool._load_cache(tmp_path / "strokes.npz", "key")
    assert "\n" not in str(info.value)
    np.savez(tmp_path / "other.npz", weights=np.ones(3))  # an npz, but not one of the tool's
    with pytest.raises(tool.ToolError, match="not a cache this tool wrote"):
        tool._load_cache(tmp_path / "other.npz", "key")


def test_an_unusable_cache_folder_is_one_line_before_any_work(tmp_path):
    tool = _tool()
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(tool.ToolError, match="cannot use"):
        tool._cache_folder(tmp_path / "a-file")
    assert tool._cache_folder(tmp_path / "new" / "cache").is_dir()


def test_the_key_follows_the_stroke_set_and_the_data_files(tmp_path):
    tool = _tool()
    strokes, holdout = tmp_path / "strokes.json", tmp_path / "holdout"
    holdout.mkdir()
    strokes.write_text('{"digits": []}')
    key = tool._cache_key(str(holdout), str(strokes), None)
    assert tool._cache_key(str(holdout), str(strokes), None) == key
    strokes.write_text('{"digits": [], "non_digits": []}')
    assert tool._cache_key(str(holdout), str(strokes), None) != key
    key = tool._cache_key(str(holdout), str(strokes), None)
    (holdout / "pendigits_strokes.npz").write_bytes(b"new data")
    assert tool._cache_key(str(holdout), str(strokes), None) != key
