"""Learning-rate schedules: values at given update counts and epochs, and validation."""

from __future__ import annotations

import math

import pytest

from digitlab.core.errors import ConfigError
from digitlab.core.registry import SCHEDULES
from digitlab.core.schedules import make_schedule


@pytest.mark.parametrize("t,epoch", [(1, 0), (50, 3), (10_000, 99)])
def test_constant_keeps_the_base_rate(t, epoch):
    """The constant schedule returns lr whatever the update count or epoch."""
    assert make_schedule("constant").rate(0.1, t, epoch) == 0.1


@pytest.mark.parametrize("t,expected", [(1, 0.1 / 1.5), (2, 0.05), (4, 0.1 / 3), (18, 0.01)])
def test_time_decay(t, expected):
    """time: lr / (1 + decay*t) with decay 0.5."""
    assert make_schedule("time", decay=0.5).rate(0.1, t) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("t,expected", [(1, 0.1), (4, 0.05), (100, 0.01), (0, 0.1)])
def test_power_decay(t, expected):
    """power: lr / t**p with p 0.5 and t counting from 1 (t = 0 treated as 1, never a division by 0)."""
    assert make_schedule("power", power=0.5).rate(0.1, t) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("epoch,expected", [(0, 0.1), (1, 0.1), (2, 0.05), (3, 0.05), (5, 0.025)])
def test_step_decay(epoch, expected):
    """step: lr * gamma**(epoch // step_size), independent of the update count."""
    schedule = make_schedule("step", step_size=2, gamma=0.5)
    assert schedule.rate(0.1, 1234, epoch) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("t,expected", [
    (0, 0.1),
    (5, 0.01 + 0.5 * 0.09 * (1 + math.cos(math.pi / 2))),  # = 0.055, half-way
    (10, 0.01),
    (25, 0.01),  # past total_steps it stays at min_lr
])
def test_cosine_decay(t, expected):
    """cosine: min_lr + (lr - min_lr)*(1 + cos(pi*t/T))/2, from lr to min_lr over T updates."""
    schedule = make_schedule("cosine", min_lr=0.01, total_steps=10)
    assert schedule.rate(0.1, t) == pytest.approx(expected, rel=1e-12)
    assert schedule.rate(0.1, 5) == pytest.approx(0.055, rel=1e-12)


def test_cosine_is_monotonically_decreasing():
    """Along the cosine, the rate never rises between consecutive updates."""
    schedule = make_schedule("cosine", total_steps=100)
    rates = [schedule.rate(1.0, t) for t in range(0, 101)]
    assert all(a >= b for a, b in zip(rates, rates[1:], strict=False))
    assert rates[0] == 1.0 and rates[-1] == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("settings,bad", [
    ({"name": "time", "decay": -0.1}, "-0.1"),
    ({"name": "time", "decay": float("nan")}, "nan"),
    ({"name": "power", "power": -1.0}, "-1.0"),
    ({"name": "step", "step_size": 0}, "0"),
    ({"name": "step", "gamma": 0.0}, "0.0"),
    ({"name": "step", "gamma": 1.5}, "1.5"),
    ({"name": "cosine", "min_lr": -0.01}, "-0.01"),
])
def test_invalid_settings_raise_config_error(settings, bad):
    """Impossible schedule settings raise ConfigError quoting the value."""
    with pytest.raises(ConfigError) as info:
        make_schedule(**settings)
    assert f"got {bad}" in str(info.value)


def test_a_setting_the_schedule_does_not_take_is_refused():
    """decay belongs to the time schedule: giving it to cosine is an error, not ignored."""
    with pytest.raises(ConfigError, match="'decay'"):
        make_schedule("cosine", decay=0.1)


def test_unknown_schedule_lists_options():
    """An unknown schedule name lists every available schedule."""
    with pytest.raises(ConfigError) as info:
        make_schedule("warmup")
    assert "'warmup'" in str(info.value) and all(name in str(info.value) for name in SCHEDULES)
