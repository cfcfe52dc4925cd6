"""Write ``tests/data/stroke_digits.json``: hand-designed pen strokes of digits and non-digits.

Every digit is drawn in the forms people use (single- and multi-stroke, crossed and plain 7s,
serif and bare 1s, open and closed 4s, looped and plain 2s, flat-topped 3s, ...), each form as a
template of strokes in a 0-100 box (x right, y down). Each template is then written several
times with its own slant, rotation, width, size, position and jitter, as different hands would.
The non-digits (dots, dashes, scribbles, zig-zags, filled blobs, hash signs, asterisks and the
letters X, H, W, M, K) are built the same way, independently of the generator the training uses
(:mod:`digitlab.core.negatives`), so the set measures rather than repeats what was trained.

Run from the repository root (deterministic: the seed is fixed)::

    python tools/make_stroke_digits.py [--out tests/data/stroke_digits.json] [--variants 4]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

SEED = 2026
Stroke = list[tuple[float, float]]


def arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float,
        points: int = 24) -> Stroke:
    """Points on an ellipse from angle ``start`` to ``end`` (degrees; 0 = right, 90 = down)."""
    t = np.deg2rad(np.linspace(start, end, points))
    return [(cx + rx * np.cos(a), cy + ry * np.sin(a)) for a in t]


def seg(*points: tuple[float, float]) -> Stroke:
    return [tuple(map(float, p)) for p in points]


# Each digit: form name -> strokes (each a list of points in the 0-100 box, y down).
DIGITS: dict[int, dict[str, list[Stroke]]] = {
    0: {
        "oval": [arc(50, 50, 30, 45, -90, 270)],
        "narrow": [arc(50, 50, 18, 46, -100, 275)],
        "overlapping": [arc(50, 50, 32, 44, -60, 330)],
        "round": [arc(50, 50, 40, 40, -90, 265)],
    },
    1: {
        "bar": [seg((50, 5), (50, 95))],
        "serif": [seg((32, 25), (52, 5), (52, 95))],
        "serif-and-base": [seg((32, 25), (52, 5), (52, 95)), seg((30, 95), (74, 95))],
        "slanted": [seg((62, 5), (40, 95))],
    },
    2: {
        "plain": [arc(50, 30, 28, 25, 200, 360) + seg((78, 30), (20, 95), (82, 95))],
        "curly": [arc(50, 28, 28, 23, 190, 390) + seg((20, 92)) + arc(35, 88, 8, 7, 270, 560)
                  + seg((82, 93))],
        "hooked": [arc(48, 30, 30, 26, 180, 380) + seg((45, 62), (22, 95), (85, 90))],
    },
    3: {
        "two-bumps": [arc(48, 28, 28, 23, 200, 450) + arc(48, 72, 30, 24, 270, 520)],
        "flat-top": [seg((20, 5), (80, 5), (45, 42)) + arc(48, 68, 30, 26, 270, 520)],
        "two-strokes": [arc(48, 28, 28, 23, 200, 450), arc(48, 72, 30, 24, 270, 520)],
    },
    4: {
        "open": [seg((55, 5), (18, 65), (85, 65)), seg((66, 35), (66, 95))],
        "closed": [seg((68, 95), (68, 5), (15, 68), (88, 68))],
        "open-two-strokes": [seg((25, 5), (22, 58), (82, 58)), seg((68, 5), (68, 95))],
        "closed-top": [seg((60, 5), (20, 62), (85, 62)), seg((60, 5), (60, 95))],
    },
    5: {
        "two-strokes": [seg((30, 5), (26, 45)) + arc(47, 66, 28, 26, 220, 500), seg((28, 6), (78, 5))],
        "one-stroke": [seg((78, 5), (30, 5), (26, 45)) + arc(47, 66, 28, 26, 220, 500)],
        "angular": [seg((75, 5), (28, 5), (26, 45), (60, 42), (75, 62), (65, 90), (22, 92))],
    },
    6: {
        "loop": [arc(60, 42, 30, 38, 280, 180) + arc(50, 70, 28, 24, 180, 540)],
        "straight": [seg((65, 5), (25, 70)) + arc(50, 72, 26, 22, 180, 540)],
        "curled": [arc(55, 50, 32, 45, 290, 180) + arc(50, 72, 26, 22, 180, 500)],
    },
    7: {
        "plain": [seg((15, 5), (85, 5), (38, 95))],
        "crossed": [seg((15, 5), (85, 5), (38, 95)), seg((35, 50), (75, 50))],
        "serif": [seg((15, 20), (15, 5), (85, 5), (40, 95))],
        "curved": [seg((15, 8), (85, 5)) + arc(110, 95, 60, 90, 250, 180, 12)],
    },
    8: {
        "one-stroke": [arc(50, 27, 24, 22, 0, -270) + arc(50, 72, 30, 24, -90, 270)
                       + arc(50, 27, 24, 22, 90, 0)],
        "two-circles": [arc(50, 27, 22, 22, 90, 450), arc(50, 72, 28, 23, -90, 270)],
        "figure": [arc(50, 27, 24, 22, 90, 270) + arc(50, 72, 28, 24, -90, 90)
                   + arc(50, 72, 28, 24, 90, 270) + arc(50, 27, 24, 22, -90, 90)],
    },
    9: {
        "stick": [arc(45, 30, 28, 25, 0, 360) + seg((73, 30), (70, 95))],
        "curved-tail": [arc(45, 30, 28, 25, 0, 360) + arc(40, 30, 33, 65, 0, 100)],
        "two-strokes": [arc(45, 30, 28, 25, -10, 350), seg((73, 10), (68, 95))],
    },
}


def _scribble(rng: np.random.Generator) -> list[Stroke]:
    xs = np.cumsum(rng.normal(0, 14, 40))
    ys = np.cumsum(rng.normal(0, 14, 40))
    xs, ys = (xs - xs.mean()) * 0.6 + 50, (ys - ys.mean()) * 0.6 + 50
    return [list(zip(xs, ys, strict=True))]


def _blob(rng: np.random.Generator) -> list[Stroke]:
    # Filling a disk back and forth, as one colours in a dot.
    rows = np.linspace(-35, 35, 12)
    points: Stroke = []
    for k, y in enumerate(rows):
        half = np.sqrt(max(35 ** 2 - y ** 2, 0.0))
        xs = (-half, half) if k % 2 == 0 else (half, -half)
        points += [(50 + xs[0], 50 + y), (50 + xs[1], 50 + y)]
    return [points]


NON_DIGITS: dict[str, object] = {
    "dot": [seg((50, 50), (50.6, 50.4))],
    "dash": [seg((15, 52), (85, 48))],
    "dashes": [seg((15, 30), (85, 30)), seg((15, 70), (85, 70))],
    "scribble": _scribble,
    "zigzag": [seg((5, 30), (20, 70), (35, 30), (50, 70), (65, 30), (80, 70), (95, 30))],
    "blob": _blob,
    "hash": [seg((35, 5), (30, 95)), seg((68, 5), (63, 95)), seg((10, 35), (90, 35)),
             seg((10, 65), (90, 65))],
    "asterisk": [seg((50, 5), (50, 95)), seg((10, 25), (90, 75)), seg((10, 75), (90, 25))],
    "X": [seg((15, 5), (85, 95)), seg((85, 5), (15, 95))],
    "H": [seg((20, 5), (20, 95)), seg((80, 5), (80, 95)), seg((20, 50), (80, 50))],
    "W": [seg((5, 5), (25, 95), (50, 35), (75, 95), (95, 5))],
    "M": [seg((8, 95), (15, 5), (50, 65), (85, 5), (92, 95))],
    "K": [seg((25, 5), (25, 95)), seg((80, 5), (25, 55), (85, 95))],
}


def vary(strokes: list[Stroke], rng: np.random.Generator, plain: bool) -> list[list[list[float]]]:
    """One hand's version of a template: slant, rotation, width, size, place and jitter."""
    pts = [np.asarray(s, dtype=np.float64) - 50.0 for s in strokes]
    if not plain:
        slant = np.tan(np.deg2rad(rng.uniform(-22, 22)))
        angle = np.deg2rad(rng.uniform(-10, 10))
        width = rng.uniform(0.65, 1.25)
        size = rng.uniform(0.45, 1.0)
        rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        centre = 50 + rng.uniform(-1, 1, 2) * (1 - size) * 50
        jitter = rng.uniform(0.3, 1.5)
        pts = [centre + size * ((p * (width, 1.0) + np.c_[-slant * p[:, 1], 0 * p[:, 1]]) @ rot.T)
               + rng.normal(0, jitter, p.shape) for p in pts]
    else:
        pts = [p + 50.0 for p in pts]
    return [[[round(float(x), 2), round(float(y), 2)] for x, y in np.clip(p, 0, 100)] for p in pts]


def build(variants: int) -> dict[str, object]:
    rng = np.random.default_rng(SEED)
    digits, non_digits = [], []
    for label, forms in DIGITS.items():
        for form, strokes in forms.items():
            for k in range(variants):
                digits.append({"label": label, "form": form,
                               "strokes": vary(strokes, rng, plain=k == 0)})
    for kind, template in NON_DIGITS.items():
        for k in range(variants):
            strokes = template(rng) if callable(template) else template
            non_digits.append({"kind": kind, "strokes": vary(strokes, rng, plain=k == 0)})
    return {"about": "see tests/data/README.md; made by tools/make_stroke_digits.py",
            "box": [100, 100], "digits": digits, "non_digits": non_digits}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="tests/data/stroke_digits.json")
    parser.add_argument("--variants", type=int, default=4,
                        help="versions of each template (the first one undistorted)")
    args = parser.parse_args()
    data = build(args.variants)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"{out}: {len(data['digits'])} digits, {len(data['non_digits'])} non-digits")


if __name__ == "__main__":
    main()
