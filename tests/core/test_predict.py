"""Prediction from a grey image (digitlab.core.predict): the reading, blank images, unfit models."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.errors import ModelFileError
from digitlab.core.inputs import InputTransform
from digitlab.core.network import Network
from digitlab.core.predict import NO_INK, check_image_model, predict_image, predict_network_input
from digitlab.core.preprocess import to_mnist_style
from digitlab.core.serialization import SavedModel


def _bar_image() -> np.ndarray:
    """A dark vertical bar (a '1') on white paper, 120x90 uint8."""
    image = np.full((120, 90), 255, np.uint8)
    image[20:100, 40:52] = 0
    return image


BLANK_IMAGES = {
    "all white": np.full((40, 30), 255, np.uint8),
    "all black": np.zeros((40, 30), np.uint8),
    "uniform grey": np.full((28, 28), 128, np.uint8),
    "1x1 white": np.full((1, 1), 255, np.uint8),
    "1x1 black": np.zeros((1, 1), np.uint8),
    "float ones": np.ones((50, 50), np.float32),
    "faint noise": (np.random.default_rng(0).random((64, 64)) * 5 + 120).astype(np.uint8),
    # a photo of blank paper: grey with Gaussian noise of 10 and 25 grey levels (read as an 8
    # before the pipeline removed the paper's noise)
    "noisy paper": np.clip(230 + np.random.default_rng(1).normal(0, 10, (300, 400)), 0,
                           255).astype(np.uint8),
    "very noisy paper": np.clip(230 + np.random.default_rng(1).normal(0, 25, (300, 400)), 0,
                                255).astype(np.uint8),
    # blank paper lit from one side: 190 to 255 across, clipped at white
    "unevenly lit paper": np.clip(np.linspace(190, 290, 400)[None, :]
                                  + np.random.default_rng(2).normal(0, 3, (300, 400)), 0,
                                  255).astype(np.uint8),
}


def test_an_inked_image_is_read_with_its_probabilities(constant_model):
    """A drawn digit gets the model's ten probabilities, their argmax and its probability."""
    prediction = predict_image(constant_model(digit=3), _bar_image())
    assert prediction.reason is None
    assert prediction.probabilities.shape == (10,)
    np.testing.assert_allclose(prediction.probabilities.sum(), 1.0, rtol=1e-6)
    assert prediction.digit == 3
    assert prediction.confidence == pytest.approx(np.exp(5) / (np.exp(5) + 9), rel=1e-6)
    np.testing.assert_array_equal(prediction.network_input, to_mnist_style(_bar_image()))


def test_the_input_transform_is_applied():
    """The model's recorded scaling reaches the network: a shift of the mean changes the reading."""
    network = Network.from_config({"input_shape": [784], "layers": [{"type": "dense", "units": 10},
                                                                      {"type": "softmax"}]})
    params = network.named_parameters()
    params["layers.0.W"][...] = 0
    params["layers.0.W"][:, 0] = 1.0  # class 0's score is the sum of the inputs
    params["layers.0.b"][...] = 0
    plain = predict_image(SavedModel(network, InputTransform()), _bar_image())
    # With mean 1 every input is negative, so class 0 loses to the nine zero scores.
    shifted = predict_image(SavedModel(network, InputTransform(mean=1.0)), _bar_image())
    assert plain.digit == 0
    assert shifted.probabilities[0] < 0.01


@pytest.mark.parametrize("name", sorted(BLANK_IMAGES))
def test_blank_or_uniform_images_name_no_digit(constant_model, name):
    """An image with no ink gives no digit, zero confidence and the reason, however sure the model."""
    prediction = predict_image(constant_model(digit=1), BLANK_IMAGES[name])
    assert prediction.reason == NO_INK
    assert prediction.digit is None and prediction.confidence == 0.0
    assert not prediction.probabilities.any() and prediction.probabilities.shape == (10,)
    assert not prediction.network_input.any() and prediction.network_input.shape == (28, 28)


def test_unknown_pipeline_is_refused_in_one_line(constant_model):
    """A model recording another image pipeline cannot read images: one line names the pipeline."""
    model = constant_model(pipeline="hog-features-v2")
    with pytest.raises(ModelFileError, match="hog-features-v2") as raised:
        predict_image(model, _bar_image())
    assert "\n" not in str(raised.value)
    with pytest.raises(ModelFileError, match="hog-features-v2"):
        predict_network_input(model, np.ones((28, 28), np.float32))


@pytest.mark.parametrize("layers, input_shape, expected", [
    ([{"type": "dense", "units": 10}, {"type": "softmax"}], [392], "392"),
    ([{"type": "dense", "units": 5}, {"type": "softmax"}], [784], "(5,)"),
])
def test_models_that_cannot_read_digits_are_refused(layers, input_shape, expected):
    """A model whose input is not 28x28 or whose output is not ten digits is a one-line error."""
    network = Network.from_config({"input_shape": input_shape, "layers": layers})
    with pytest.raises(ModelFileError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        check_image_model(SavedModel(network))
    with pytest.raises(ModelFileError):
        predict_image(SavedModel(network), _bar_image())


def test_convolutional_input_shape_is_accepted():
    """A (1, 28, 28) input is a 28x28 image too."""
    network = Network.from_config({"input_shape": [1, 28, 28], "layers": [
        {"type": "flatten"}, {"type": "dense", "units": 10}, {"type": "softmax"}]})
    check_image_model(SavedModel(network))
    assert predict_image(SavedModel(network), _bar_image()).probabilities.shape == (10,)


def test_network_input_of_the_wrong_shape_is_refused(constant_model):
    """predict_network_input takes only a 28x28 frame (a caller passing a raw image is a bug)."""
    with pytest.raises(ValueError, match="28x28"):
        predict_network_input(constant_model(), np.ones((20, 20), np.float32))
