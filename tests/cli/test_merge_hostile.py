"""Hostile tests of `digitlab merge` and of `info` on merged model files.

Each test here was written by a hostile tester against the first version of the command and
failed on it: a member overwritten by --out, files merge wrote and could not read back, no bound
on the merged size, the same member twice, provenance of the wrong types, raw record text in
`info`, and input scalings too extreme to fold.
"""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from digitlab.cli import main
from digitlab.core.config import NetworkSpec
from digitlab.core.errors import ConfigError
from digitlab.core.model_merge import check_mergeable
from digitlab.core.network import Network
from digitlab.core.presets import get_preset
from digitlab.core.serialization import SavedModel, load_model

DATA = {"name": "synthetic", "sha256": "0" * 64, "train": 600, "test": 200}


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def members(capsys, tmp_path, synthetic_mnist_folder):
    """Two mlp members trained one epoch on the same split, and the data folder."""
    paths = []
    for name, extra in (("a.npz", ()), ("b.npz", ("--rotation-deg", "10"))):
        path = tmp_path / name
        code, _, err = run_cli(capsys, "train", "--preset", "mlp", "--epochs", "1", "--val-split",
                               "0.2", "--data", str(synthetic_mnist_folder), "--out", str(path),
                               *extra)
        assert code == 0, err
        paths.append(path)
    return paths, synthetic_mnist_folder


def rewrite_config(source, target, change) -> None:
    """Copy model file ``source`` to ``target`` with ``change(config)`` applied to its JSON."""
    with np.load(source, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    config = json.loads(str(arrays["config"]))
    change(config)
    arrays["config"] = np.array(json.dumps(config))
    np.savez(target, **arrays)


def nested(depth: int):
    value: object = "x"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("via_symlink", [False, True])
def test_merge_refuses_an_out_that_is_one_of_its_members(capsys, tmp_path, members, via_symlink):
    (a, b), data = members
    out = a
    if via_symlink:
        out = tmp_path / "link.npz"
        out.symlink_to(a)
    before = a.read_bytes()
    code, _, err = run_cli(capsys, "merge", str(a), str(b), "--out", str(out), "--data", str(data))
    assert a.read_bytes() == before, "the member was overwritten by the merged model"
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_merge_never_writes_a_file_it_cannot_read(capsys, tmp_path, members):
    (a, b), data = members
    deep = tmp_path / "deep.npz"  # readable: its JSON is nested 63 levels (the limit is 64)
    rewrite_config(b, deep, lambda c: c["training"].__setitem__(
        "provenance", [{"kind": "trained", "note": nested(59)}]))
    load_model(deep)
    out = tmp_path / "merged.npz"
    code, _, err = run_cli(capsys, "merge", str(a), str(deep), "--out", str(out),
                           "--data", str(data))
    assert code == 1 and len(err.strip().splitlines()) == 1 and not out.exists() \
        or code == 0 and load_model(out) is not None


def test_merging_members_whose_merge_no_model_file_could_hold_is_refused_before_allocating():
    # 784-4096-4096-10: 20 million parameters, an ordinary file; four of them merged hold a
    # 16384 x 16384 block-diagonal layer: 1.1 GB of float32, above the 1 GiB a model file may
    # hold (model_archive.MEMORY_BUDGET), and 2 GiB of float64 while it is built.
    layers = ({"type": "dense", "units": 4096}, {"type": "relu"},
              {"type": "dense", "units": 4096}, {"type": "relu"},
              {"type": "dense", "units": 10}, {"type": "softmax"})
    network = Network.from_config({"input_shape": [784], "layers": list(layers)})
    config = replace(get_preset("mlp").with_settings(val_split=0.2, seed=0),
                     network=NetworkSpec(layers))
    wide = SavedModel(network, config=config, provenance=[{"kind": "trained"}], data=dict(DATA))
    with pytest.raises(ConfigError):
        check_mergeable([wide] * 4, ["a.npz", "b.npz", "c.npz", "d.npz"])


def test_merge_refuses_the_same_member_given_twice(capsys, tmp_path, members):
    (a, _), data = members
    out = tmp_path / "twice.npz"
    code, _, err = run_cli(capsys, "merge", str(a), str(a), "--out", str(out), "--data", str(data))
    assert code in (1, 2) and len(err.strip().splitlines()) == 1 and not out.exists()


@pytest.mark.parametrize("step", [{"kind": 5, "from": {"x": 1}}, {"kind": ["merged"]}])
def test_info_on_a_provenance_step_of_wrong_types_is_one_clear_line(capsys, tmp_path, members,
                                                                   step):
    (a, _), _ = members
    bad = tmp_path / "bad.npz"
    rewrite_config(a, bad, lambda c: c["training"].__setitem__("provenance", [step]))
    code, _, err = run_cli(capsys, "info", str(bad))
    assert "unexpected error" not in err and (code == 0 or len(err.strip().splitlines()) == 1)


def test_info_prints_a_hostile_merged_record_in_bounded_single_lines(capsys, tmp_path, members):
    (a, _), _ = members
    bad = tmp_path / "bad.npz"
    rewrite_config(a, bad, lambda c: c["training"].__setitem__("provenance", [
        {"kind": "merged", "how": "two\nFAKE: a line of its own\n" + "A" * 1_000_000,
         "members": "not a list"}]))
    code, out, _ = run_cli(capsys, "info", str(bad))
    assert code != 0 or (max(map(len, out.splitlines())) < 2_000
                         and not any(line.startswith("FAKE") for line in out.splitlines()))


def test_merging_a_member_with_an_extreme_input_scaling_is_one_clear_line(capsys, tmp_path,
                                                                         members):
    (a, b), data = members
    odd = tmp_path / "odd.npz"  # loads and predicts: std 1e-300 is a positive number
    rewrite_config(b, odd, lambda c: c["preprocessing"].__setitem__("std", 1e-300))
    load_model(odd)
    code, _, err = run_cli(capsys, "merge", str(a), str(odd), "--out", str(tmp_path / "m.npz"),
                           "--data", str(data))
    assert code in (1, 2) and "unexpected error" not in err and len(err.strip().splitlines()) == 1
