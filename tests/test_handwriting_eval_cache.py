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


def _load(name: str):
    """A script of tools/ as a module, loaded from its path."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tool():
    return _load("handwriting_eval")


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
    key = tool._cache_key(holdout / "pendigits_strokes.npz", strokes)
    assert tool._cache_key(holdout / "pendigits_strokes.npz", strokes) == key
    strokes.write_text('{"digits": [], "non_digits": []}')  # same size class, new contents
    assert tool._cache_key(holdout / "pendigits_strokes.npz", strokes) != key
    key = tool._cache_key(holdout / "pendigits_strokes.npz", strokes)
    (holdout / "pendigits_strokes.npz").write_bytes(b"new data")
    assert tool._cache_key(holdout / "pendigits_strokes.npz", strokes) != key
    mnist = tmp_path / "mnist"
    mnist.mkdir()
    key = tool._cache_key(mnist)
    (mnist / "t10k-labels-idx1-ubyte.gz").write_bytes(b"labels")  # a folder: its files count
    assert tool._cache_key(mnist) != key


@pytest.mark.parametrize("bad", ["mnist", "strokes", "model", "write-with-views",
                                 "styles-without-mnist"])
def test_bad_arguments_are_one_line_before_any_rendering(tmp_path, monkeypatch, bad):
    """A wrong --mnist folder was reported only after the strokes were rendered, as a
    traceback (found in review)."""
    tool = _tool()
    holdout = tmp_path / "holdout"
    holdout.mkdir()
    (holdout / "pendigits_strokes.npz").write_bytes(b"")
    strokes = tmp_path / "strokes.json"
    strokes.write_text("{}")
    model = ROOT / "resources" / "pretrained.npz"
    argv = ["handwriting_eval.py", str(model), "--holdout", str(holdout), "--strokes",
            str(strokes), "--mnist", "", "--cache", str(tmp_path / "cache")]
    if bad == "mnist":
        argv[-3] = str(tmp_path / "no-such-mnist")
    elif bad == "strokes":
        argv[5] = str(tmp_path / "no-such.json")
    elif bad == "model":
        argv[1] = str(tmp_path / "no-such-model.npz")
    elif bad == "styles-without-mnist":
        argv += ["--styles"]
    else:
        argv += ["--views=-6,0,6", "--choose-threshold", "--write", str(tmp_path / "m.npz")]
    monkeypatch.setattr("sys.argv", argv)
    rendered = []
    monkeypatch.setattr(tool, "render_strokes", lambda *a: rendered.append(a))
    with pytest.raises(tool.ToolError) as info:
        tool.main()
    assert rendered == [] and "\n" not in str(info.value)


def _standins():
    return _load("mnist_standins")


def test_writing_styles_move_the_strokes_as_their_names_say():
    """A slant leans the top right, a width scales across the pad's centre, a positive turn is
    counter-clockwise as seen (y points down); the pad's centre stays put."""
    standins = _standins()
    slant = standins.style_transform("slant", 45.0)
    assert slant(0.5, 0.0) == pytest.approx((1.0, 0.0)) and slant(0.5, 1.0) == pytest.approx((0.0, 1.0))
    assert standins.style_transform("width", 0.5)(1.0, 0.3) == pytest.approx((0.75, 0.3))
    turn = standins.style_transform("turn", 90.0)
    assert turn(1.0, 0.5) == pytest.approx((0.5, 0.0))  # right of centre goes up
    for kind, amount in (("slant", 30.0), ("width", 1.8), ("turn", -20.0)):
        assert standins.style_transform(kind, amount)(0.5, 0.5) == pytest.approx((0.5, 0.5))
    with pytest.raises(ValueError):
        standins.style_transform("shrink", 2.0)


def test_a_gap_takes_out_the_lines_near_one_point_of_each_digit():
    """Steps whose middle lies within the radius of one chosen step's middle go, per digit; the
    rest stay in order, with their owners; the choice repeats with the seed."""
    standins = _standins()
    # two digits: a horizontal line of 10 steps each, 0.01 apart
    ends = [[[0.1 + 0.01 * k, y], [0.11 + 0.01 * k, y]] for y in (0.3, 0.6) for k in range(10)]
    owners = [0] * 10 + [1] * 10
    kept, kept_owners = standins.with_gaps(ends, owners, radius=0.025)
    assert len(kept) == len(kept_owners) and 20 - 2 * 5 <= len(kept) <= 20 - 2 * 3
    assert all(step in ends for step in kept) and set(kept_owners) == {0, 1}
    assert standins.with_gaps(ends, owners, radius=0.025) == (kept, kept_owners)
    assert standins.with_gaps(ends, owners, radius=0.0) == (ends, owners)


def test_an_overshoot_runs_each_free_end_on_in_its_direction():
    """An L of two steps has two free ends; each gets a straight step of the given length going
    on the way its line went; the corner (touched twice) and a lone dot get none."""
    standins = _standins()
    ends = [[[0.2, 0.2], [0.2, 0.5]], [[0.2, 0.5], [0.4, 0.5]], [[0.7, 0.7], [0.7, 0.7]]]
    owners = [0, 0, 0]
    out, out_owners = standins.with_overshoots(ends, owners, length=0.1)
    assert out[:3] == ends and out_owners == [0] * 5
    runs = sorted((tuple(a), tuple(np.round(b, 9))) for a, b in out[3:])
    assert runs == [((0.2, 0.2), (0.2, 0.1)), ((0.4, 0.5), (0.5, 0.5))]


def test_digits_found_takes_each_connected_piece_as_a_stroke_and_groups_as_the_draw_panel():
    """Drawing 0 is a connected line (one digit); drawing 1 is two lines side by side (two
    digits, a '?' in the app); drawing 2 is one slanted line broken in the middle, its pieces
    stacked (one digit). The counts are what the Draw panel's grouping of those strokes finds."""
    from digitlab.core.segment import group_strokes
    from digitlab.gui.widgets.draw_canvas import DEFAULT_PEN_WIDTH
    standins = _standins()
    line = [[[0.5, 0.2], [0.5, 0.5]], [[0.5, 0.5], [0.5, 0.8]]]
    pair = [[[0.3, 0.2], [0.3, 0.8]], [[0.7, 0.2], [0.7, 0.8]]]
    broken = [[[0.64, 0.20], [0.57, 0.48]], [[0.54, 0.55], [0.46, 0.82]]]
    ends = line + pair + broken
    owners = [0, 0, 1, 1, 2, 2]
    assert standins.digits_found(ends, owners, 3).tolist() == [1, 2, 1]
    assert [len(group_strokes(s, DEFAULT_PEN_WIDTH)) for s in
            ([[(0.5, 0.2), (0.5, 0.8)]], [[(0.3, 0.2), (0.3, 0.8)], [(0.7, 0.2), (0.7, 0.8)]],
             [[(0.64, 0.20), (0.57, 0.48)], [(0.54, 0.55), (0.46, 0.82)]])] == [1, 2, 1]
    # a style's map moves the points first: squeezed across, the pair becomes one digit
    squeeze = standins.style_transform("width", 0.1)
    assert standins.digits_found(ends, owners, 3, squeeze).tolist() == [1, 1, 1]


def test_a_drawing_seen_as_several_digits_counts_as_a_miss(monkeypatch):
    """read_all gives -1 (a miss, the app's '?') where the grouping found more than one digit,
    whatever the network read; split_note says how many."""
    from types import SimpleNamespace

    from digitlab.core import predict
    tool = _tool()
    certain_three = np.tile(np.eye(10)[3], (3, 1))
    monkeypatch.setattr(predict, "model_probabilities", lambda model, x: certain_three)
    model = SimpleNamespace(network=SimpleNamespace(input_shape=(784,), dtype=np.float32),
                            transform=SimpleNamespace(apply_unit=lambda x, shape, dtype: x),
                            decline=None)
    inputs = np.zeros((3, 28, 28), np.float32)
    read, _, _ = tool.read_all(model, inputs, [None] * 3, found=np.array([1, 2, 1]))
    assert read.tolist() == [3, -1, 3]
    read, _, _ = tool.read_all(model, inputs, [None] * 3)
    assert read.tolist() == [3, 3, 3]
    assert tool.split_note(np.array([1, 2, 3])) == "  (2 seen as several digits)"
    assert tool.split_note(np.array([1, 1])) == "" and tool.split_note(None) == ""
