"""Optimiser updates against hand-computed values, against torch.optim, and their validation.

The expected numbers below were worked out from each rule's formula on paper (scalar arithmetic),
not by calling DigitLab: p0 = [1.0, -0.5], first gradient g1 = [0.2, -0.4], second g2 = [0.1, 0.3].
"""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.errors import ConfigError
from digitlab.core.optimizers import (
    OPTIMIZERS,
    SGD,
    Adadelta,
    Adagrad,
    Adam,
    Momentum,
    Nesterov,
    Optimizer,
    RMSprop,
    get_optimizer,
)

P0 = [1.0, -0.5]
G1 = [0.2, -0.4]
G2 = [0.1, 0.3]


def _two_steps(optimizer: Optimizer) -> tuple[np.ndarray, np.ndarray]:
    """Parameters after the first and after the second update."""
    p = np.array(P0)
    optimizer.update({"p": p}, {"p": np.array(G1)})
    first = p.copy()
    optimizer.update({"p": p}, {"p": np.array(G2)})
    return first, p.copy()


HAND_COMPUTED = {
    # p -= lr*g: 1 - 0.1*0.2 = 0.98, -0.5 + 0.1*0.4 = -0.46; then 0.98 - 0.01, -0.46 - 0.03
    "sgd": (SGD(lr=0.1), [0.98, -0.46], [0.97, -0.49]),
    # v1 = -lr*g1 = [-0.02, 0.04]; v2 = 0.9*v1 - lr*g2 = [-0.028, 0.006]; p += v
    "momentum": (Momentum(lr=0.1, momentum=0.9), [0.98, -0.46], [0.952, -0.454]),
    # p += mu*v - lr*g: 1 + 0.9*(-0.02) - 0.02 = 0.962, -0.5 + 0.036 + 0.04 = -0.424;
    # then 0.962 + 0.9*(-0.028) - 0.01 = 0.9268, -0.424 + 0.9*0.006 - 0.03 = -0.4486
    "nesterov": (Nesterov(lr=0.1, momentum=0.9), [0.962, -0.424], [0.9268, -0.4486]),
    # h1 = g1^2 = [0.04, 0.16]: 1 - 0.1*0.2/(0.2 + 0.01) = 0.904761904762, -0.5 + 0.1*0.4/0.41;
    # h2 = [0.05, 0.25]: 0.904761904762 - 0.1*0.1/(sqrt(0.05) + 0.01), ... - 0.1*0.3/0.51
    "adagrad": (Adagrad(lr=0.1, eps=0.01), [0.904761904762, -0.40243902439],
                [0.861954931265, -0.461262553802]),
    # h1 = 0.1*g1^2 = [0.004, 0.016]: 1 - 0.1*0.2/(sqrt(0.004) + 0.01) = 0.726945881008;
    # h2 = 0.9*h1 + 0.1*g2^2 = [0.0046, 0.0234]
    "rmsprop": (RMSprop(lr=0.1, rho=0.9, eps=0.01), [0.726945881008, -0.206940612813],
                [0.598449659161, -0.391022911622]),
    # Eg1 = 0.1*g1^2; dx1 = sqrt(0 + 0.01)/sqrt(Eg1 + 0.01)*g1 = [0.169030850946, -0.248069469178];
    # p1 = p0 - 0.5*dx1; Edx1 = 0.1*dx1^2; Eg2 = 0.9*Eg1 + 0.1*g2^2;
    # dx2 = sqrt(Edx1 + 0.01)/sqrt(Eg2 + 0.01)*g2; p2 = p1 - 0.5*dx2
    "adadelta": (Adadelta(lr=0.5, rho=0.9, eps=0.01), [0.915484574527, -0.375965265411],
                 [0.868563730995, -0.4802824835]),
    # t=1: m_hat = g1, sqrt(v_hat) = |g1| -> same first step as Adagrad above;
    # t=2: m2 = [0.028, -0.006], m_hat = m2/0.19; v2 = [4.996e-5, 2.4984e-4], v_hat = v2/0.001999;
    # p2 = p1 - 0.1*m_hat/(sqrt(v_hat) + 0.01)
    "adam": (Adam(lr=0.1, beta1=0.9, beta2=0.999, eps=0.01), [0.904761904762, -0.40243902439],
             [0.817089653263, -0.393752240219]),
}


@pytest.mark.parametrize("name", list(HAND_COMPUTED))
def test_first_two_updates_match_hand_computed_values(name):
    """Each optimiser's first two steps equal the values worked out from its formula."""
    optimizer, expected_first, expected_second = HAND_COMPUTED[name]
    first, second = _two_steps(optimizer)
    np.testing.assert_allclose(first, expected_first, rtol=0, atol=1e-11)
    np.testing.assert_allclose(second, expected_second, rtol=0, atol=1e-11)
    assert optimizer.steps == 2


def test_hand_computed_table_covers_every_optimiser():
    """No optimiser is left without a worked example."""
    assert set(HAND_COMPUTED) == set(OPTIMIZERS)


def _random_problem(seed: int = 0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    params = {"W": rng.standard_normal((3, 4)).astype(dtype), "b": rng.standard_normal(4).astype(dtype)}
    grads = [{k: rng.standard_normal(v.shape).astype(dtype) for k, v in params.items()} for _ in range(5)]
    return params, grads


SETTINGS = {
    "sgd": {"lr": 0.05},
    "momentum": {"lr": 0.05, "momentum": 0.9},
    "nesterov": {"lr": 0.05, "momentum": 0.8},
    "adagrad": {"lr": 0.05, "eps": 1e-8},
    "adadelta": {"lr": 1.0, "rho": 0.95, "eps": 1e-6},
    "rmsprop": {"lr": 0.01, "rho": 0.9, "eps": 1e-8},
    "adam": {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
}


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_one_flat_array_updates_like_separate_tensors(name):
    """Updating one contiguous array gives the same result as updating each tensor by name."""
    params, grads = _random_problem(1)
    flat = np.concatenate([params["W"].ravel(), params["b"]])
    separate, together = get_optimizer(name, **SETTINGS[name]), get_optimizer(name, **SETTINGS[name])
    for step in grads:
        separate.update(params, step)
        together.update({"all": flat}, {"all": np.concatenate([step["W"].ravel(), step["b"]])})
    np.testing.assert_allclose(flat, np.concatenate([params["W"].ravel(), params["b"]]), rtol=1e-13)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_float32_parameters_stay_float32_and_gradients_untouched(name):
    """Updates happen in place in the parameters' dtype and never write into the gradients."""
    params, grads = _random_problem(2, np.float32)
    ids = {k: id(v) for k, v in params.items()}
    copies = [{k: v.copy() for k, v in g.items()} for g in grads]
    optimizer = get_optimizer(name, **SETTINGS[name])
    for step in grads:
        optimizer.update(params, step)
    assert all(v.dtype == np.float32 and id(v) == ids[k] for k, v in params.items())
    for step, copy in zip(grads, copies, strict=True):
        for k in step:
            np.testing.assert_array_equal(step[k], copy[k])


def _torch_optimizer(name: str, torch, tensors):
    s = SETTINGS[name]
    optim = torch.optim
    if name == "sgd":
        return optim.SGD(tensors, lr=s["lr"])
    if name == "momentum":
        return optim.SGD(tensors, lr=s["lr"], momentum=s["momentum"])
    if name == "nesterov":
        return optim.SGD(tensors, lr=s["lr"], momentum=s["momentum"], nesterov=True)
    if name == "adagrad":
        return optim.Adagrad(tensors, lr=s["lr"], initial_accumulator_value=0.0, eps=s["eps"])
    if name == "adadelta":
        return optim.Adadelta(tensors, lr=s["lr"], rho=s["rho"], eps=s["eps"])
    if name == "rmsprop":
        return optim.RMSprop(tensors, lr=s["lr"], alpha=s["rho"], eps=s["eps"])
    assert name == "adam"
    return optim.Adam(tensors, lr=s["lr"], betas=(s["beta1"], s["beta2"]), eps=s["eps"])


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_five_steps_match_torch_optim(name):
    """Five steps on random float64 arrays agree with torch.optim's implementation of the rule."""
    torch = pytest.importorskip("torch")
    params, grads = _random_problem(3)
    tensors = {k: torch.tensor(v.copy(), requires_grad=True) for k, v in params.items()}
    reference = _torch_optimizer(name, torch, list(tensors.values()))
    ours = get_optimizer(name, **SETTINGS[name])
    for step in grads:
        ours.update(params, step)
        for k, tensor in tensors.items():
            tensor.grad = torch.tensor(step[k])
        reference.step()
    for k, tensor in tensors.items():
        np.testing.assert_allclose(params[k], tensor.detach().numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("make,bad", [
    (lambda: SGD(lr=0), "0"),
    (lambda: SGD(lr=-0.1), "-0.1"),
    (lambda: SGD(lr=float("nan")), "nan"),
    (lambda: SGD(lr=float("inf")), "inf"),
    (lambda: SGD(lr="0.1"), "'0.1'"),
    (lambda: Momentum(lr=0.1, momentum=1.0), "1.0"),
    (lambda: Momentum(lr=0.1, momentum=-0.5), "-0.5"),
    (lambda: Nesterov(lr=0.1, momentum=1.5), "1.5"),
    (lambda: Adagrad(lr=0.1, eps=0), "0"),
    (lambda: Adadelta(rho=1.0), "1.0"),
    (lambda: Adadelta(eps=-1e-6), "-1e-06"),
    (lambda: RMSprop(lr=0.1, rho=0.0), "0.0"),
    (lambda: Adam(beta1=1.0), "1.0"),
    (lambda: Adam(beta2=-0.1), "-0.1"),
    (lambda: Adam(eps=0.0), "0.0"),
])
def test_invalid_settings_raise_config_error_naming_the_value(make, bad):
    """An impossible setting is refused with a ConfigError that quotes the offending value."""
    with pytest.raises(ConfigError) as info:
        make()
    assert f"got {bad}" in str(info.value)


def test_get_optimizer_unknown_name_lists_options():
    """An unknown optimiser name raises ConfigError listing every available optimiser."""
    with pytest.raises(ConfigError) as info:
        get_optimizer("lbfgs", lr=0.1)
    message = str(info.value)
    assert "'lbfgs'" in message and all(name in message for name in OPTIMIZERS)


def test_get_optimizer_refuses_settings_the_optimizer_does_not_take():
    """Each optimiser takes exactly its declared settings: others are an error, never dropped;
    missing ones take their defaults, and get_config rebuilds the same optimiser."""
    with pytest.raises(ConfigError, match="'momentum'"):
        get_optimizer("adam", lr=0.01, momentum=0.5)
    adam = get_optimizer("adam", lr=0.01, beta1=0.8)
    assert isinstance(adam, Adam) and (adam.lr, adam.beta1, adam.eps) == (0.01, 0.8, 1e-8)
    momentum = get_optimizer("momentum", lr=0.2, momentum=0.5)
    assert isinstance(momentum, Momentum) and momentum.get_config() == {
        "name": "momentum", "lr": 0.2, "momentum": 0.5}
    config = momentum.get_config()
    assert get_optimizer(config.pop("name"), **config).get_config() == momentum.get_config()


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_state_dict_round_trip_continues_identically(name):
    """Saving the slots and step count after 2 updates and loading them into a fresh optimiser
    gives bit-for-bit the same third update as the uninterrupted one."""
    params, grads = _random_problem(3)
    first = get_optimizer(name, **SETTINGS[name])
    for step in grads[:2]:
        first.update(params, step)
    steps, slots = first.state_dict()
    second = get_optimizer(name, **SETTINGS[name])
    resumed = {k: v.copy() for k, v in params.items()}
    second.load_state_dict(steps, slots, resumed)
    first.update(params, grads[2])
    second.update(resumed, grads[2])
    for key in params:
        np.testing.assert_array_equal(params[key], resumed[key])
