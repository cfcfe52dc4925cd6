"""Named data sets and "my digits": the store, mixing with MNIST, and fine-tuning on them."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.config import NetworkSpec, TrainConfig
from digitlab.core.datasets import (
    combine,
    list_datasets,
    load_choice,
    load_dataset,
    oversample_repeats,
    remove_dataset,
    save_dataset,
    split_choice,
    with_extra,
)
from digitlab.core.errors import DataError
from digitlab.core.my_digits import (
    MyDigits,
    accuracy_on,
    fine_tune_config,
    fine_tune_data,
    held_out,
    load_my_digits,
    save_my_digits,
)
from digitlab.core.splits import TrainingData
from digitlab.core.training import Trainer

SMALL_NET = ({"type": "dense", "units": 32}, {"type": "relu"}, {"type": "dense", "units": 10},
             {"type": "softmax"})


def _images(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return (rng.integers(0, 256, (n, 28, 28), dtype=np.uint8),
            rng.integers(0, 10, n, dtype=np.uint8))


def test_a_saved_set_loads_back_with_a_test_split_made(tmp_path):
    """A set without a test split gets one (at least one image); the arrays round-trip."""
    images, labels = _images(10)
    data = save_dataset(tmp_path, "mine", images, labels)
    assert (data.num_train, data.num_test) == (8, 2)
    again = load_dataset(tmp_path, "mine")
    assert again.describe()["name"] == "mine"
    assert again.fingerprint() == data.fingerprint()
    joined = np.concatenate([again.train_images, again.test_images])
    assert sorted(map(bytes, joined)) == sorted(map(bytes, images))


def test_a_given_test_split_is_kept(tmp_path):
    images, labels = _images(10)
    data = save_dataset(tmp_path, "kept", images[:7], labels[:7], images[7:], labels[7:])
    assert np.array_equal(data.test_images, images[7:])


def test_an_existing_set_is_never_clobbered(tmp_path):
    images, labels = _images(10)
    save_dataset(tmp_path, "mine", images, labels)
    before = (tmp_path / "mine.npz").read_bytes()
    with pytest.raises(DataError, match="already exists"):
        save_dataset(tmp_path, "mine", *_images(5, seed=1))
    assert (tmp_path / "mine.npz").read_bytes() == before


@pytest.mark.parametrize("name", ["", "mnist", "MNIST", "../x", "a/b", "with space", "x" * 41, "a+b"])
def test_bad_names_are_refused(tmp_path, name):
    with pytest.raises(DataError):
        save_dataset(tmp_path, name, *_images(4))


def test_listing_shows_sets_and_names_a_damaged_one(tmp_path):
    save_dataset(tmp_path, "good", *_images(6))
    (tmp_path / "broken.npz").write_bytes(b"not a zip")
    (tmp_path / "notes.txt").write_text("ignored")
    infos = {info.name: info for info in list_datasets(tmp_path)}
    assert set(infos) == {"good", "broken"}
    assert infos["good"].train + infos["good"].test == 6 and not infos["good"].problem
    assert "not a readable .npz" in infos["broken"].problem
    remove_dataset(tmp_path, "good")
    assert [info.name for info in list_datasets(tmp_path)] == ["broken"]
    with pytest.raises(DataError, match="no data set named"):
        remove_dataset(tmp_path, "good")


def test_wrong_labels_in_an_npz_are_one_clear_error(tmp_path):
    images, _ = _images(4)
    np.savez(tmp_path / "bad.npz", x_train=images, y_train=np.array([0, 1, 12, 3], np.uint8))
    with pytest.raises(DataError, match="0-9"):
        load_dataset(tmp_path, "bad")


def test_choices_are_parsed_and_checked():
    assert split_choice("MNIST+mine") == ["mnist", "mine"]
    for bad in ("mnist+", "mine+mine", "+x", "a b"):
        with pytest.raises(DataError):
            split_choice(bad)


def test_mnist_plus_a_set_joins_both_splits_and_records_both_parts(tmp_path, synthetic_mnist):
    mnist = synthetic_mnist(100, 30)
    mine = save_dataset(tmp_path, "mine", *_images(20))
    both = load_choice("mnist+mine", mnist, tmp_path)
    assert (both.num_train, both.num_test) == (116, 34)
    described = both.describe()
    assert described["name"] == "mnist+mine"
    assert [p["sha256"] for p in described["parts"]] == [mnist.fingerprint(), mine.fingerprint()]
    # The training split is mixed, so a training-set limit samples both sources.
    limited = TrainingData.from_mnist(both, train_limit=58)
    assert any(bytes(image) in {bytes(i) for i in mine.train_images} for image in limited.train.images)
    assert load_choice("mine", "/nonexistent-mnist", tmp_path).num_train == 16  # MNIST never read
    assert combine([mnist]).describe()["sha256"] == mnist.fingerprint()


def test_extra_images_are_oversampled_to_about_the_share(synthetic_mnist):
    mnist = synthetic_mnist(800, 10)
    images, labels = _images(5)
    mixed = with_extra(mnist, images, labels, "extra", share=0.2)
    repeats = oversample_repeats(800, 5, 0.2)
    assert repeats == 40 and mixed.num_train == 800 + 5 * repeats
    assert mixed.describe()["parts"][-1] == {"name": "extra", "sha256": mixed.parts[-1]["sha256"],
                                             "images": 5, "repeats": 40}
    assert mixed.num_test == mnist.num_test


def test_my_digits_add_relabel_delete_round_trip(tmp_path):
    path = tmp_path / "my_digits.npz"
    digits = load_my_digits(path)
    assert len(digits) == 0
    for label in range(3):
        image = np.zeros((28, 28), np.float32)
        image[5 + label, 5:20] = 1.0
        digits.add(image, label)
    with pytest.raises(DataError, match="empty"):
        digits.add(np.zeros((28, 28)), 1)
    with pytest.raises(DataError, match="0-9"):
        digits.add(np.ones((28, 28)), 10)
    digits.relabel(1, 7)
    digits.delete([0])
    save_my_digits(path, digits)
    again = load_my_digits(path)
    assert again.labels.tolist() == [7, 2]
    assert again.images.dtype == np.uint8 and again.images.max() == 255


def test_the_held_out_part_depends_only_on_each_digit():
    images, labels = _images(40)
    digits = MyDigits(images, labels)
    mask = digits.held_out_mask()
    assert 0 < mask.sum() < 40
    fewer = MyDigits(images[5:], labels[5:])  # deleting others moves no digit across
    assert np.array_equal(fewer.held_out_mask(), mask[5:])
    assert MyDigits(images[:2], labels[:2]).held_out_mask().sum() == 1


@pytest.mark.slow
def test_fine_tuning_on_my_digits_raises_their_held_out_accuracy(synthetic_mnist, column_digits):
    """A model trained on horizontal bars cannot read vertical ones; a short fine-tune on MNIST
    plus a handful of them (oversampled) reads the held-out ones much better."""
    mnist = synthetic_mnist(600, 100)
    config = TrainConfig(NetworkSpec(SMALL_NET)).with_settings(
        optimizer="adam", lr=0.01, batch_size=50, epochs=3, evaluate_test=False)
    base = Trainer(config, TrainingData.from_mnist(mnist)).run()
    digits = column_digits(60, seed=3)
    measure = held_out(digits)
    before = accuracy_on(base.network, base.transform, measure)
    tuned = Trainer(fine_tune_config(config, iterations=80),
                    TrainingData.from_mnist(fine_tune_data(mnist, digits)),
                    base.network.copy(), base.transform).run()
    after = accuracy_on(tuned.network, tuned.transform, measure)
    assert len(measure) >= 5
    assert before < 0.5 and after >= before + 0.3, (before, after)
    assert fine_tune_config(config).optimizer.settings["lr"] == pytest.approx(0.001)
    # MNIST is not forgotten.
    assert accuracy_on(tuned.network, tuned.transform,
                       TrainingData.from_mnist(mnist).test) > 0.9
