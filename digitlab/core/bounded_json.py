"""JSON from files a user (or an attacker) may have edited: bounded size and depth, finite numbers.

``json.loads`` recurses once per nesting level, so ``[[[[...]]]]`` 100,000 deep raises
``RecursionError``; ``1e400`` quietly becomes ``inf``; ``NaN`` and ``Infinity`` are accepted as
literals. :func:`loads_bounded` refuses all of these with one ``ValueError`` naming the problem.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

#: Nesting deeper than this is refused before parsing (DigitLab's own files use fewer than 8).
MAX_JSON_DEPTH = 64
#: Longer texts are refused unread (a configuration is a few kilobytes).
MAX_JSON_CHARS = 1_000_000

_STRING_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def json_depth(text: str) -> int:
    """The deepest nesting of ``[`` and ``{`` in ``text``, ignoring brackets inside strings."""
    depth = deepest = 0
    for char in _STRING_LITERAL.sub('""', text):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise ValueError(f"number {literal[:40]} is beyond the range of a float")
    return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number DigitLab accepts")


def loads_bounded(text: str, max_chars: int = MAX_JSON_CHARS, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse JSON text, refusing what could exhaust the stack or memory, or is not finite.

    Parameters
    ----------
    text : str
        The JSON.
    max_chars : int
        Longest text accepted.
    max_depth : int
        Deepest nesting of arrays and objects accepted.

    Returns
    -------
    object
        What ``json.loads`` returns; every float in it is finite.

    Raises
    ------
    ValueError
        Too long, too deep, malformed, a number beyond float range, or ``NaN``/``Infinity``.
        (``json.JSONDecodeError`` is a ``ValueError`` too.)
    """
    if len(text) > max_chars:
        raise ValueError(f"JSON text of {len(text):,} characters is longer than the {max_chars:,} allowed")
    depth = json_depth(text)
    if depth > max_depth:
        raise ValueError(f"JSON nested {depth} deep, deeper than the {max_depth} allowed")
    return json.loads(text, parse_float=_finite_float, parse_constant=_refuse_constant)
