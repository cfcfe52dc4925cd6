"""Whether a model fits its use: MNIST digits in, one score per digit out.

A model file can be perfectly valid and still be for something else (392 inputs, 5 classes).
Loading it is fine (``digitlab info`` describes it), but evaluating it on MNIST or reading a
drawn digit with it must stop with one line instead of an ``IndexError`` or a quiet wrong answer.
"""

from __future__ import annotations

from .errors import ModelFileError
from .network import Network

#: input shapes a 28x28 image can be given as: flat for dense networks, one channel for conv ones
MNIST_INPUT_SHAPES = ((784,), (1, 28, 28))
#: output sizes of a digit classifier: the ten digits (a later "not a digit" class would add 11)
DIGIT_CLASS_COUNTS = (10,)


def check_fits_mnist(network: Network, source: str = "the model") -> None:
    """Raise :class:`ModelFileError` unless ``network`` reads 28x28 digits into ten classes.

    Parameters
    ----------
    network : the loaded network.
    source : how to name the model in the message (usually its file name).
    """
    if tuple(network.input_shape) not in MNIST_INPUT_SHAPES:
        shapes = " or ".join(str(s) for s in MNIST_INPUT_SHAPES)
        raise ModelFileError(f"{source} takes inputs of shape {tuple(network.input_shape)}; MNIST "
                             f"digits need {shapes}")
    outputs = tuple(network.output_shape)
    if len(outputs) != 1 or outputs[0] not in DIGIT_CLASS_COUNTS:
        counts = " or ".join(str(c) for c in DIGIT_CLASS_COUNTS)
        raise ModelFileError(f"{source} has outputs of shape {outputs}; a digit classifier needs "
                             f"{counts} classes")
