"""layer_outputs agrees with the network's own forward pass; stroke width grows and shrinks."""

import numpy as np

from digitlab.core.introspect import layer_outputs
from digitlab.core.morphology import change_stroke_width, dilate, erode
from digitlab.core.network import Network


def test_layer_outputs_end_in_the_networks_probabilities():
    network = Network.from_config({"input_shape": [1, 8, 8], "layers": [
        {"type": "conv2d", "filters": 3, "kernel_size": 3}, {"type": "relu"},
        {"type": "max_pool2d", "pool_size": 2}, {"type": "flatten"}, {"type": "dense", "units": 4},
        {"type": "softmax"}]})
    x = np.random.default_rng(1).normal(size=(7, 1, 8, 8)).astype(np.float32)
    outputs = layer_outputs(network, x, batch_size=3)
    assert [o.shape[0] for o in outputs] == [7] * 6
    assert outputs[0].shape == (7, 3, 6, 6)
    np.testing.assert_allclose(outputs[-1], network.predict_proba(x), atol=1e-6)


def test_dilate_and_erode_change_a_dot_by_one_pixel_each_side():
    dot = np.zeros((1, 7, 7), np.float32)
    dot[0, 3, 3] = 1.0
    assert dilate(dot).sum() == 5.0  # the cross around the dot
    assert dilate(dot, 2).sum() == 13.0
    assert erode(dilate(dot)).sum() == 1.0
    assert erode(dot).sum() == 0.0


def test_fractional_stroke_width_lies_between_the_whole_steps():
    rng = np.random.default_rng(0)
    images = (rng.random((4, 10, 10)) > 0.7).astype(np.float32)
    half = change_stroke_width(images, 0.5).sum()
    assert images.sum() < half < dilate(images).sum()
    assert change_stroke_width(images, -1.0).sum() == erode(images).sum()
