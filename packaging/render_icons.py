"""Render DigitLab's PNG icons from ``resources/icon.svg`` with Qt's own SVG renderer.

Usage::

    python packaging/render_icons.py            # writes resources/icons/digitlab-<size>.png
    python packaging/render_icons.py --ico      # also packaging/digitlab.ico (Windows builds)

At 16-32 px the faint network behind the digit would only blur into noise, so those sizes are
rendered without the SVG's ``network`` group: a small icon is the tile and the digit alone, the
way hand-hinted icon sets do it. The output is deterministic (no timestamps), so re-running the
script on an unchanged SVG leaves the PNGs byte-identical.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SVG_PATH = REPO_ROOT / "resources" / "icon.svg"
ICON_DIR = REPO_ROOT / "resources" / "icons"
ICO_PATH = REPO_ROOT / "packaging" / "digitlab.ico"

#: The hicolor theme's usual application sizes.
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
#: Up to this size the ``network`` group is left out.
SMALL_SIZE = 32
#: Sizes packed into the Windows .ico (256 is stored as PNG inside it, as Windows Vista+ expects).
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)

_SVG_NS = "http://www.w3.org/2000/svg"


def svg_without(svg_text: str, group_ids: set[str]) -> bytes:
    """The SVG document with the elements of the given ids removed."""
    ET.register_namespace("", _SVG_NS)
    root = ET.fromstring(svg_text)
    for parent in root.iter():
        for child in list(parent):
            if child.get("id") in group_ids:
                parent.remove(child)
    return ET.tostring(root, encoding="utf-8")


def render_png(svg_bytes: bytes, size: int, target: Path) -> None:
    """Render an SVG document into a square, transparent PNG of ``size`` pixels."""
    from PySide6.QtCore import QByteArray, QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg_bytes))
    if not renderer.isValid():
        raise ValueError(f"Qt cannot read the SVG icon {SVG_PATH}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter, QRectF(0, 0, size, size))
    finally:
        painter.end()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not image.convertToFormat(QImage.Format.Format_ARGB32).save(str(target), "PNG"):
        raise OSError(f"could not write {target}")


def write_ico(pngs: dict[int, Path], target: Path) -> None:
    """Pack PNG images into a Windows .ico (PNG-compressed entries, valid since Windows Vista)."""
    entries = [(size, pngs[size].read_bytes()) for size in sorted(pngs)]
    header = struct.pack("<HHH", 0, 1, len(entries))
    offset = len(header) + 16 * len(entries)
    directory, blobs = b"", b""
    for size, data in entries:
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    target.write_bytes(header + directory + blobs)


def render_all(svg_path: Path = SVG_PATH, out_dir: Path = ICON_DIR) -> dict[int, Path]:
    """Render every size; returns ``{size: png path}``."""
    from PySide6.QtGui import QGuiApplication

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841 - kept alive
    svg_text = svg_path.read_text(encoding="utf-8")
    full, small = svg_text.encode("utf-8"), svg_without(svg_text, {"network"})
    written = {}
    for size in SIZES:
        target = out_dir / f"digitlab-{size}.png"
        render_png(small if size <= SMALL_SIZE else full, size, target)
        written[size] = target
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ico", action="store_true", help=f"also write {ICO_PATH.name} for Windows")
    args = parser.parse_args(argv)
    written = render_all()
    for size, path in written.items():
        print(f"{size:>4} px  {path.relative_to(REPO_ROOT)}")
    if args.ico:
        write_ico({size: written[size] for size in ICO_SIZES}, ICO_PATH)
        print(f"     ico {ICO_PATH.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
