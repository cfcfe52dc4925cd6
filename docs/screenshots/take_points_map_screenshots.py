"""Take the screenshots of the points map (Inside tab), PCA and t-SNE, for the shipped model.

    DIGITLAB_MNIST_DIR=../shared/mnist xvfb-run -s "-screen 0 1280x800x24" \\
        python docs/screenshots/take_points_map_screenshots.py

Saves ``points-map-pca-input.png`` (the pixels), ``points-map-pca-hidden.png`` and
``points-map-tsne-hidden.png`` (the last hidden layer's output), each with one digit hovered, and
prints how long the features and each t-SNE took (wall clock, on this machine as it is).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))


def main() -> int:
    os.environ["DIGITLAB_HOME"] = tempfile.mkdtemp(prefix="digitlab-shots-")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from digitlab.assets import pretrained_model_path
    from digitlab.gui.app import configure_pyqtgraph
    from digitlab.gui.inside.context import InsideContext
    from digitlab.gui.inside.points_map import PointsMapView
    from digitlab.gui.session import Session

    app = QApplication(sys.argv)
    app.setApplicationName("DigitLab")
    configure_pyqtgraph()
    session = Session()
    session.load_model(pretrained_model_path())
    session.load_data(Path(os.environ.get("DIGITLAB_MNIST_DIR", REPO.parent / "shared" / "mnist")))
    view = PointsMapView(session, InsideContext())
    view.resize(1100, 720)
    view.show()

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def settle() -> float:
        started = time.perf_counter()
        while view.is_busy:
            wait(50)
        wait(300)
        return time.perf_counter() - started

    def hover(i: int) -> None:
        xy = view.maps[(view.stage_index, view.method)][i]
        from PySide6.QtCore import QPointF
        box = view.plot.getPlotItem().getViewBox()
        view._on_mouse_moved(box.mapViewToScene(QPointF(float(xy[0]), float(xy[1]))))

    view.compute()
    print(f"features: {settle():.1f} s")
    hidden = len(view.mapped.stages) - 3  # the last hidden layer's activation
    wrong = int(view.mapped.misclassified.nonzero()[0][0])
    for name, stage, method in (("pca-input", 0, "pca"), ("pca-hidden", hidden, "pca"),
                                ("tsne-hidden", hidden, "tsne")):
        view.layer_slider.setValue(stage)
        view.method_box.setCurrentIndex(view.method_box.findData(method))
        print(f"{name}: {settle():.1f} s")
        hover(wrong)
        wait(200)
        view.grab().save(str(HERE / f"points-map-{name}.png"))
    view.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
