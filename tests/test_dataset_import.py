"""Importing the user's own labelled digits: image folders, IDX and .npz, and hostile inputs."""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest

from digitlab.core.datasets import load_dataset
from digitlab.core.errors import Cancelled, DataError
from digitlab.core.preprocess import to_mnist_style
from digitlab.dataset_import import import_dataset
from digitlab.imageio import save_grey_image


def _idx(array: np.ndarray) -> bytes:
    return bytes([0, 0, 8, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()


def _bar_image(digit: int, height: int, width: int) -> np.ndarray:
    """Dark ink on white paper, of any size: a bar whose position says the digit."""
    image = np.full((height, width), 255, np.uint8)
    top = int(height * (0.1 + 0.08 * digit))
    image[top:top + max(2, height // 12), width // 6: width - width // 6] = 0
    image[height // 10: height - height // 10, width // 2: width // 2 + max(2, width // 15)] = 0
    return image


def _write_folder(root, per_digit: int = 2, digits=range(10)):
    for digit in digits:
        (root / str(digit)).mkdir(parents=True, exist_ok=True)
        for k in range(per_digit):
            save_grey_image(root / str(digit) / f"{k}.png", _bar_image(digit, 40 + 13 * k, 30 + 7 * digit))
    return root


def test_a_folder_of_pngs_in_digit_subfolders_becomes_a_data_set(tmp_path):
    """Every image goes through the predict preprocessing; labels come from the subfolders."""
    source = _write_folder(tmp_path / "src", per_digit=3)
    (source / "4" / "Thumbs.db").write_bytes(b"\0" * 10)
    data, skipped = import_dataset(source, "scans", tmp_path / "store")
    assert skipped == 1
    assert data.num_train + data.num_test == 30
    assert data.describe()["name"] == "scans"
    labels = np.concatenate([data.train_labels, data.test_labels])
    assert np.bincount(labels, minlength=10).tolist() == [3] * 10
    expected = np.round(to_mnist_style(_bar_image(0, 40, 30)) * 255).astype(np.uint8)
    images = np.concatenate([data.train_images, data.test_images])
    assert any(np.array_equal(image, expected) for image in images)
    assert load_dataset(tmp_path / "store", "scans").fingerprint() == data.fingerprint()


def test_idx_files_under_emnist_names_with_their_split(tmp_path):
    rng = np.random.default_rng(0)
    source = tmp_path / "emnist"
    source.mkdir()
    arrays = {"train-images-idx3-ubyte": rng.integers(0, 256, (12, 28, 28), dtype=np.uint8),
              "train-labels-idx1-ubyte": rng.integers(0, 10, 12, dtype=np.uint8),
              "test-images-idx3-ubyte": rng.integers(0, 256, (4, 28, 28), dtype=np.uint8),
              "test-labels-idx1-ubyte": rng.integers(0, 10, 4, dtype=np.uint8)}
    for name, array in arrays.items():
        (source / f"emnist-digits-{name}.gz").write_bytes(gzip.compress(_idx(array)))
    data, _ = import_dataset(source, "emnist", tmp_path / "store")
    assert np.array_equal(data.test_images, arrays["test-images-idx3-ubyte"])
    assert np.array_equal(data.train_labels, arrays["train-labels-idx1-ubyte"])


def test_an_npz_without_a_test_split_gets_one(tmp_path):
    rng = np.random.default_rng(0)
    np.savez(tmp_path / "usps.npz", x_train=rng.integers(0, 256, (20, 28, 28), dtype=np.uint8),
             y_train=rng.integers(0, 10, 20).astype(np.int64))
    data, _ = import_dataset(tmp_path / "usps.npz", "usps", tmp_path / "store")
    assert (data.num_train, data.num_test) == (16, 4)


def _one_line_error(tmp_path, source, match: str, name: str = "mine") -> None:
    store = tmp_path / "store"
    with pytest.raises(DataError, match=match) as caught:
        import_dataset(source, name, store)
    assert "\n" not in str(caught.value)
    assert not store.exists() or not any(store.iterdir()), "nothing may be written"


def test_a_corrupt_image_in_a_digit_folder_names_the_file(tmp_path):
    source = _write_folder(tmp_path / "src", per_digit=1)
    (source / "5" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    _one_line_error(tmp_path, source, "broken.png")


def test_an_empty_folder_and_empty_digit_folders_are_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    _one_line_error(tmp_path, tmp_path / "empty", "no digit subfolders")
    (tmp_path / "hollow" / "3").mkdir(parents=True)
    _one_line_error(tmp_path, tmp_path / "hollow", "hold no images")


def test_a_subfolder_that_is_not_a_digit_is_refused(tmp_path):
    source = _write_folder(tmp_path / "src", per_digit=1, digits=range(3))
    (source / "10").mkdir()
    _one_line_error(tmp_path, source, "'10' is not a digit")


def test_a_blank_image_cannot_be_a_digit(tmp_path):
    source = _write_folder(tmp_path / "src", per_digit=1, digits=range(2))
    save_grey_image(source / "1" / "blank.png", np.full((30, 30), 255, np.uint8))
    _one_line_error(tmp_path, source, "no ink")


def test_wrong_labels_and_shapes_in_files_are_refused(tmp_path):
    rng = np.random.default_rng(0)
    np.savez(tmp_path / "labels.npz", x_train=rng.integers(0, 256, (4, 28, 28), dtype=np.uint8),
             y_train=np.array([1, 2, 10, 3]))
    _one_line_error(tmp_path, tmp_path / "labels.npz", "0-9")
    np.savez(tmp_path / "shape.npz", x_train=np.zeros((4, 32, 32), np.uint8), y_train=np.zeros(4, np.uint8))
    _one_line_error(tmp_path, tmp_path / "shape.npz", "28, 28")
    (tmp_path / "empty.npz").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    _one_line_error(tmp_path, tmp_path / "empty.npz", "missing arrays x_train")


def test_an_existing_name_is_refused_before_reading(tmp_path):
    source = _write_folder(tmp_path / "src", per_digit=1)
    import_dataset(source, "mine", tmp_path / "store")
    before = (tmp_path / "store" / "mine.npz").read_bytes()
    with pytest.raises(DataError, match="already exists"):
        import_dataset(tmp_path / "nowhere", "mine", tmp_path / "store")
    assert (tmp_path / "store" / "mine.npz").read_bytes() == before
    data, _ = import_dataset(source, "mine", tmp_path / "store", replace=True)
    assert data.num_train + data.num_test == 10


def test_cancelling_writes_nothing(tmp_path):
    source = _write_folder(tmp_path / "src", per_digit=1)
    with pytest.raises(Cancelled):
        import_dataset(source, "mine", tmp_path / "store", should_cancel=lambda: True)
    assert not (tmp_path / "store").exists()
