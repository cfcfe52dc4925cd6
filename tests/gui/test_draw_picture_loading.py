"""Loading a picture in the Draw panel reads it off the GUI thread: the window stays live, the
newest picture wins, a drawing begun meanwhile is kept, and every failure is one line."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel

from digitlab.gui import picture_reading
from digitlab.imageio import save_grey_image


@pytest.fixture
def panel(pretrained_draw_panel):
    return pretrained_draw_panel


@pytest.fixture
def pictures(tmp_path):
    """``pictures(name)``: the path of a picture file: "one" (a dark 1 on white paper), "111"
    (three 1s side by side) or "blank" (white paper)."""
    def make(name: str):
        if name == "111":
            image = np.full((60, 200), 235, np.uint8)
            for left in (20, 90, 160):
                image[10:50, left:left + 6] = 20
        else:
            image = np.full((120, 90), 255, np.uint8)
            if name == "one":
                image[20:100, 40:52] = 0
        path = tmp_path / f"{name}.png"
        save_grey_image(path, image)
        return path
    return make


def outcomes(panel) -> list[bool]:
    """Every picture_loaded the panel emits from now on."""
    seen: list[bool] = []
    panel.picture_loaded.connect(seen.append)
    return seen


def error_text(panel) -> str:
    label = panel.findChild(QLabel, "drawErrorLabel")
    return label.text() if label.isVisible() else ""


def test_load_image_file_returns_at_once_and_says_it_is_reading(qtbot, panel, pictures):
    """The call only schedules the reading: until the event loop delivers it the canvas is
    unchanged and "Reading picture…" shows; then the picture and its digit appear."""
    status = panel.findChild(QLabel, "pictureStatusLabel")
    assert not status.isVisible()
    with qtbot.waitSignal(panel.picture_loaded, timeout=10000) as loaded:
        panel.load_image_file(pictures("one"))
        assert panel.canvas.picture() is None and panel.prediction_label.text() == ""
        assert status.isVisible() and status.text() == "Reading picture…"
    assert loaded.args == [True]
    assert not status.isVisible()
    assert panel.canvas.picture() is not None and panel.prediction_label.text() == "1"


def test_decoding_preprocessing_and_segmenting_run_off_the_gui_thread(qtbot, panel, pictures,
                                                                      monkeypatch):
    threads: dict[str, bool] = {}
    for name in ("load_grey_image", "to_mnist_style", "segment_image"):
        real = getattr(picture_reading, name)

        def on_which_thread(*args, _real=real, _name=name, **kwargs):
            threads[_name] = threading.current_thread() is threading.main_thread()
            return _real(*args, **kwargs)

        monkeypatch.setattr(picture_reading, name, on_which_thread)
    with qtbot.waitSignal(panel.picture_loaded, timeout=10000) as loaded:
        panel.load_image_file(pictures("111"))
    assert loaded.args == [True]
    assert threads == {"load_grey_image": False, "to_mnist_style": False, "segment_image": False}
    assert panel.number_label.text().split("\n")[0] == "Number: 111"


def test_the_newest_picture_wins(qtbot, panel, pictures):
    """A picture chosen while another is being read replaces it: only the newest is shown,
    and picture_loaded comes once."""
    seen = outcomes(panel)
    panel.load_image_file(pictures("one"))
    panel.load_image_file(pictures("111"))
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    qtbot.wait(300)  # time for a stale answer to arrive, were it delivered
    assert seen == [True]
    assert panel.number_label.text().split("\n")[0] == "Number: 111"


def test_a_drawing_begun_while_a_picture_is_read_is_kept(qtbot, panel, pictures, pen_replay):
    """The user draws before the picture arrives: the picture is dropped (picture_loaded(False)),
    the drawing stays and is read."""
    seen = outcomes(panel)
    panel.load_image_file(pictures("one"))
    pen_replay.draw(panel.canvas, [np.array([[50.0, 5.0], [50.0, 95.0]])])
    assert seen == [False]
    qtbot.wait(300)  # the reading finishes meanwhile; its answer must not replace the drawing
    assert seen == [False] and panel.canvas.picture() is None and panel.canvas.strokes()
    assert not panel.findChild(QLabel, "pictureStatusLabel").isVisible()
    qtbot.waitUntil(lambda: panel.prediction_label.text() != "", timeout=2000)


def test_a_blank_picture_is_refused_in_one_line(qtbot, panel, pictures):
    with qtbot.waitSignal(panel.picture_loaded, timeout=10000) as loaded:
        panel.load_image_file(pictures("blank"))
    assert loaded.args == [False]
    assert error_text(panel) == "No digit found in blank.png: the picture is blank."
    assert panel.canvas.picture() is None


def test_an_unexpected_error_while_reading_is_one_line_not_a_traceback(qtbot, panel, pictures,
                                                                      monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("segmentation exploded")

    monkeypatch.setattr(picture_reading, "segment_image", broken)
    with qtbot.waitSignal(panel.picture_loaded, timeout=10000) as loaded:
        panel.load_image_file(pictures("111"))
    assert loaded.args == [False]
    text = error_text(panel)
    assert "segmentation exploded" in text and "\n" not in text
    assert panel.canvas.picture() is None


def test_a_large_picture_is_shown_at_most_display_side_pixels(tmp_path):
    """The canvas gets a reduced copy of a photo (re-drawing 12 megapixels at every resize would
    cost the GUI thread), while the digit is read from the full picture."""
    photo = np.full((3000, 4000), 220, np.uint8)
    photo[600:2400, 1900:2100] = 30
    path = tmp_path / "photo.png"
    save_grey_image(path, photo)
    reading = picture_reading.read_picture(path)
    assert (reading.picture.width(), reading.picture.height()) == (1024, 768)
    assert reading.digit[:, 14].sum() > 10 and len(reading.parts) == 1
