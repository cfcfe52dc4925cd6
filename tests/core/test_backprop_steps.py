"""The backprop stepper's derivation (core.lab.backprop_steps): every number is right."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.errors import ConfigError
from digitlab.core.lab.backprop_steps import LOSSES, TinyNet, backprop_steps, forward, numerical_derivative
from digitlab.core.network import Network


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("seed", [0, 1, 2, 7])
def test_every_gradient_equals_the_numerical_derivative(loss, seed):
    steps = backprop_steps(TinyNet.random(seed, loss))
    gradients = [s for s in steps if s.phase == "backward"]
    assert len(gradients) == 2 + 2 + 6 + 2 + 3 + 3 + 12 + 3
    for step in gradients:
        assert step.numerical is not None
        assert abs(step.value - step.numerical) < 1e-7 * max(1.0, abs(step.value)), step.label


@pytest.mark.parametrize("loss", LOSSES)
def test_forward_values_come_first_then_gradients_in_chain_rule_order(loss):
    steps = backprop_steps(TinyNet.random(0, loss))
    order = [s.quantity for s in steps]
    assert order[:11] == ["z1"] * 3 + ["h"] * 3 + ["z2"] * 2 + ["y"] * 2 + ["E"]
    firsts = list(dict.fromkeys(order[11:]))
    assert firsts == ["y'", "z2'", "W2'", "b2'", "h'", "z1'", "W1'", "b1'"]
    assert all(s.numerical is None for s in steps[:11])


@pytest.mark.parametrize("loss", LOSSES)
def test_the_steps_agree_with_digitlab_s_own_network(loss):
    """The same weights in a DigitLab Network give the same output, and with softmax and
    cross-entropy (the loss both define the same way) the same gradients."""
    net = TinyNet.random(4, loss)
    values = forward(net)
    steps = {(s.quantity, s.index): s.value for s in backprop_steps(net)}
    output = "sigmoid" if loss == "mse" else "softmax"
    network = Network.from_config({"input_shape": [4], "layers": [
        {"type": "dense", "units": 3}, {"type": "sigmoid"}, {"type": "dense", "units": 2},
        {"type": output}], "loss": "mse" if loss == "mse" else "softmax_cross_entropy"}, np.float64)
    params = network.named_parameters()
    params["layers.0.W"][...] = net.W1.T
    params["layers.0.b"][...] = net.b1
    params["layers.2.W"][...] = net.W2.T
    params["layers.2.b"][...] = net.b2
    assert np.allclose(network.predict_proba(net.x[None])[0], values["y"])
    assert np.allclose([steps[("y", (k,))] for k in range(2)], values["y"])
    if loss == "cross_entropy":
        network.gradient(net.x[None], np.array([int(np.argmax(net.t))]))
        grads = network.named_gradients()
        expected = [[steps[("W1'", (j, i))] for i in range(4)] for j in range(3)]
        assert np.allclose(grads["layers.0.W"].T, expected)
        assert np.allclose(grads["layers.2.b"], [steps[("b2'", (k,))] for k in range(2)])


def test_nudging_an_intermediate_value_changes_only_what_follows():
    net = TinyNet.random(0)
    plain, nudged = forward(net), forward(net, ("h", (1,), 0.1))
    assert np.array_equal(plain["z1"], nudged["z1"])
    assert nudged["h"][1] == pytest.approx(plain["h"][1] + 0.1)
    assert not np.allclose(plain["z2"], nudged["z2"])
    assert numerical_derivative(net, "b1", (0,)) != 0


def test_formulas_show_the_numbers_that_went_in():
    net = TinyNet.random(0)
    first = backprop_steps(net)[0]
    assert first.label == "z1[0]" and first.arithmetic.endswith(f"= {first.value:.4f}")
    assert f"{net.x[0]:.4f}" in first.arithmetic and "W1[0,0]\u00b7x[0]" in first.formula


def test_bad_settings_are_refused():
    with pytest.raises(ConfigError):
        TinyNet.random(0, "hinge")
    with pytest.raises(ConfigError):
        TinyNet.random(-1)
    with pytest.raises(ValueError):
        TinyNet(x=np.zeros(3), t=np.zeros(2), W1=np.zeros((3, 4)), b1=np.zeros(3),
                W2=np.zeros((2, 3)), b2=np.zeros(2))
