"""Reading a number digit by digit (core.number): each part through the one prediction path."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.data import load_mnist
from digitlab.core.number import read_number_image
from digitlab.core.predict import predict_image
from digitlab.core.segment import segment_image
from digitlab.core.serialization import load_model


def row_of(digits: list[np.ndarray], gap: int = 6) -> np.ndarray:
    """MNIST digits (28x28, ink bright) cropped to their ink and put side by side on black."""
    pieces = []
    for image in digits:
        cols = np.flatnonzero(image.max(axis=0) > 0)
        pieces += [image[:, cols[0]:cols[-1] + 1], np.zeros((28, gap), image.dtype)]
    return np.pad(np.concatenate(pieces, axis=1), 8)


def test_each_part_is_read_through_predict_image(constant_model):
    """Three blobs give three readings, each the model's reading of that part's cut-out."""
    model = constant_model(digit=4)
    picture = np.zeros((40, 120), np.uint8)
    for left in (10, 50, 90):
        picture[8:32, left:left + 14] = 255
    reading = read_number_image(model, picture)
    assert reading.text == "444" and len(reading) == 3
    parts = segment_image(picture)
    for prediction, part in zip(reading.predictions, parts, strict=True):
        expected = predict_image(model, part.ink, invert=False)
        np.testing.assert_array_equal(prediction.probabilities, expected.probabilities)
    assert [b.left for b in reading.boxes] == [p.box.left for p in parts]


def test_one_digit_is_read_from_the_whole_picture(constant_model):
    """A single digit reads exactly as `predict_image` reads the whole picture."""
    model = constant_model(digit=2)
    picture = np.full((50, 40), 250, np.uint8)
    picture[10:40, 18:23] = 10
    picture[2, 2] = 10  # a speck the segmentation ignores but predict_image sees
    reading = read_number_image(model, picture)
    whole = predict_image(model, picture)
    assert len(reading) == 1
    np.testing.assert_array_equal(reading.predictions[0].probabilities, whole.probabilities)


def test_a_blank_picture_has_no_digits(constant_model):
    """No ink: no digits, an empty number."""
    reading = read_number_image(constant_model(), np.full((30, 30), 128, np.uint8))
    assert len(reading) == 0 and reading.text == "" and reading.confidences == []


@pytest.mark.mnist
def test_the_shipped_model_reads_numbers_made_of_mnist_digits(mnist_dir, pretrained_path):
    """Numbers glued from MNIST test digits (ones the model reads alone) read right >= 90%."""
    model = load_model(pretrained_path)
    mnist = load_mnist(mnist_dir)
    rng = np.random.default_rng(7)
    right = total = 0
    for _ in range(40):
        chosen = rng.choice(len(mnist.test_labels), size=int(rng.integers(2, 5)), replace=False)
        images = [mnist.test_images[i].reshape(28, 28) for i in chosen]
        if any(predict_image(model, im).digit != mnist.test_labels[i]
               for im, i in zip(images, chosen, strict=True)):
            continue  # a misread digit is the model's business, not the segmentation's
        total += 1
        truth = "".join(str(mnist.test_labels[i]) for i in chosen)
        right += read_number_image(model, row_of(images)).text == truth
    assert total >= 30 and right / total >= 0.9, f"{right} of {total} numbers read right"
