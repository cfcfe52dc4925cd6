"""A batch's gradient computed as two halves (one per core) is the whole batch's gradient, with
the same dropout masks, and the same bits whether the halves run together or one after the other."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.batch_halves import BatchHalves, gradient_twin, halves_apply
from digitlab.core.network import Network

CNN = {"input_shape": [1, 12, 12], "loss": "softmax_cross_entropy", "layers": [
    {"type": "conv2d", "filters": 4, "kernel_size": 3, "padding": "same"}, {"type": "relu"},
    {"type": "max_pool2d", "pool_size": 2}, {"type": "flatten"},
    {"type": "dense", "units": 16}, {"type": "relu"}, {"type": "dropout", "rate": 0.5},
    {"type": "dense", "units": 10}, {"type": "softmax"}]}
MLP = {"input_shape": [20], "loss": "softmax_cross_entropy", "layers": [
    {"type": "dense", "units": 12}, {"type": "tanh"}, {"type": "dropout", "rate": 0.3},
    {"type": "dense", "units": 10}, {"type": "softmax"}]}


def _batch(config, n, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, *config["input_shape"])).astype(np.float32)
    return x, rng.integers(0, 10, n)


def _pair(config):
    """Two identical networks (weights and dropout generators)."""
    return (Network.from_config(config, rng=np.random.default_rng(3)),
            Network.from_config(config, rng=np.random.default_rng(3)))


@pytest.mark.parametrize("config", [MLP, CNN], ids=["mlp", "cnn"])
@pytest.mark.parametrize("n", [64, 45])
def test_halves_give_the_whole_batch_gradient_with_the_same_dropout_masks(config, n):
    whole, halved = _pair(config)
    x, t = _batch(config, n)
    l2 = 1e-3
    expected_loss = whole.gradient(x, t, l2)
    halves = BatchHalves(halved)
    loss = halves.gradient(x, t, l2)
    assert loss == pytest.approx(expected_loss, rel=1e-5)
    # Different masks would change the gradient at the 1e-1 level, not the 1e-5 one.
    np.testing.assert_allclose(halved.flat_gradients(), whole.flat_gradients(), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(halved.last_output, whole.last_output, rtol=1e-5, atol=1e-6)
    # The dropout generators moved on exactly as the unsplit batch moved them.
    for a, b in zip(whole.layers, halved.layers, strict=True):
        if hasattr(a, "rng"):
            assert a.rng.bit_generator.state == b.rng.bit_generator.state
    halves.close()


def test_halves_give_the_same_bits_together_or_one_after_the_other():
    one, other = _pair(CNN)
    together, in_turn = BatchHalves(one), BatchHalves(other)
    together.concurrent = True
    if together._pool is None:
        from concurrent.futures import ThreadPoolExecutor
        together._pool = ThreadPoolExecutor(1)
    in_turn._pool = None
    for seed in range(3):
        x, t = _batch(CNN, 64, seed)
        assert together.gradient(x, t) == in_turn.gradient(x, t)
        np.testing.assert_array_equal(one.flat_gradients(), other.flat_gradients())
    together.close()


def test_the_twin_shares_parameters_and_keeps_its_own_gradients():
    net = Network.from_config(CNN, rng=np.random.default_rng(0))
    twin = gradient_twin(net)
    for name, array in twin.named_parameters().items():
        assert np.shares_memory(array, net.named_parameters()[name])
    assert not np.shares_memory(twin.flat_gradients(), net.flat_gradients())
    net.flat_parameters()[:] = 0.5  # an optimiser step is seen by both
    assert all((array == 0.5).all() for array in twin.named_parameters().values())


def test_which_batches_are_split(monkeypatch):
    net = Network.from_config(CNN)
    assert halves_apply(net, 32) and not halves_apply(net, 31)
    assert not halves_apply(Network.from_config(MLP), 128)  # BLAS splits an MLP's products well
    with_bn = dict(CNN, layers=CNN["layers"][:1] + [{"type": "batch_norm"}] + CNN["layers"][1:])
    assert not halves_apply(Network.from_config(with_bn), 128)  # batch statistics
    monkeypatch.setenv("DIGITLAB_BATCH_HALVES", "0")
    assert not halves_apply(net, 128)


def test_releasing_step_memory_drops_the_caches_and_changes_no_result():
    """Before an epoch's evaluation the layers drop their last step's caches and work arrays
    (so the evaluation's arrays do not come on top); the next step computes the same numbers."""
    from digitlab.core.conv import Conv2D

    net, same = _pair(CNN)
    x, t = _batch(CNN, 32)
    net.gradient(x, t)
    same.gradient(x, t)
    net.release_step_memory()
    for layer in net.layers:
        kept = [name for name, value in vars(layer).items() if name.startswith("_")
                and (isinstance(value, np.ndarray) or (isinstance(value, list) and value))]
        assert kept == [], (layer, kept)
        if isinstance(layer, Conv2D):
            assert layer._scratch._arrays == {}
    x2, t2 = _batch(CNN, 32, seed=1)
    assert net.gradient(x2, t2) == same.gradient(x2, t2)
    np.testing.assert_array_equal(net.flat_gradients(), same.flat_gradients())


@pytest.mark.parametrize("n", [1, 2, 31])
def test_a_short_last_batch_is_computed_whole(n):
    """An epoch's last batch may hold a single sample: it is not split (a half of none would
    fail), and gives exactly the whole-batch gradient."""
    whole, halved = _pair(CNN)
    x, t = _batch(CNN, n)
    halves = BatchHalves(halved)
    assert halves.gradient(x, t, 1e-3) == whole.gradient(x, t, 1e-3)
    np.testing.assert_array_equal(halved.flat_gradients(), whole.flat_gradients())
    halves.close()


def test_a_failing_half_leaves_nothing_running_or_drawn(monkeypatch):
    """If one half raises, the other has finished when the error arrives, and no dropout draws
    are left for a later forward pass."""
    import time as clock

    net = Network.from_config(CNN, rng=np.random.default_rng(0))
    halves = BatchHalves(net)
    finished = []
    real_gradient = halves.twin.gradient

    def slow_twin(x, t):
        clock.sleep(0.05)
        result = real_gradient(x, t)
        finished.append(True)
        return result

    def failing(x, t):
        raise MemoryError("no room")

    monkeypatch.setattr(halves.twin, "gradient", slow_twin)
    monkeypatch.setattr(net, "gradient", failing)
    x, t = _batch(CNN, 64)
    with pytest.raises(MemoryError):
        halves.gradient(x, t)
    if halves.concurrent:
        assert finished == [True]
    assert all(layer.next_draws is None for layer in net.layers + halves.twin.layers
               if hasattr(layer, "next_draws"))
    halves.close()
