"""JSON from untrusted files, parsed with bounded size, depth and numbers.

``json.loads`` alone is not safe on hostile input: 100,000 nested brackets raise
``RecursionError``, ``1e400`` silently becomes ``inf``, ``NaN``/``Infinity`` are accepted, and a
4,000-digit integer is expensive to convert. :func:`loads_bounded` refuses all of these with a
one-line :class:`ValueError` *before* the recursive parser runs, so no input can exhaust the
stack or the memory.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np

#: characters of JSON a file may hold (a model's config is a few kilobytes)
MAX_JSON_CHARS = 4 * 1024 * 1024
#: brackets nested deeper than this are refused before parsing (a model's config needs about 5)
MAX_JSON_DEPTH = 64
#: digits an integer may have (int64 fits in 19)
MAX_INT_DIGITS = 19

# A complete JSON string (escapes included), written unrolled so matching is linear.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


class JSONLimitError(ValueError):
    """The text is not JSON within the limits; the message is one line."""


def nesting_depth(text: str) -> int:
    """Deepest bracket nesting of ``text``, counting ``[``/``{`` outside strings, without recursion.

    Malformed text (an unterminated string) may be over-counted, never under-counted, which is
    the safe side for a limit.
    """
    outside = _STRING.sub("", text).encode("utf-8", "surrogatepass")
    codes = np.frombuffer(outside, dtype=np.uint8)
    steps = ((codes == ord("[")) | (codes == ord("{"))).astype(np.int32)
    steps -= ((codes == ord("]")) | (codes == ord("}"))).astype(np.int32)
    return int(np.cumsum(steps).max(initial=0))


def _refuse_constant(name: str) -> Any:
    raise JSONLimitError(f"{name} is not a number DigitLab accepts (only finite numbers)")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONLimitError(f"the number {text[:40]} is out of range")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise JSONLimitError(f"the number {text[:40]}... is too large")
    return int(text)


def loads_bounded(text: str, max_chars: int = MAX_JSON_CHARS, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse ``text`` as JSON with every number finite and bounded.

    Raises
    ------
    JSONLimitError
        ``text`` is longer than ``max_chars``, nested deeper than ``max_depth``, not JSON, or
        holds ``NaN``/``Infinity``, a float beyond float64 range, an integer of more than
        :data:`MAX_INT_DIGITS` digits or a string that is not valid Unicode.
    """
    if not isinstance(text, str):
        raise JSONLimitError(f"expected JSON text, got {type(text).__name__}")
    if len(text) > max_chars:
        raise JSONLimitError(f"the JSON is {len(text):,} characters long (at most {max_chars:,})")
    depth = nesting_depth(text)
    if depth > max_depth:
        raise JSONLimitError(f"the JSON is nested {depth:,} levels deep (at most {max_depth})")
    try:
        value = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float,
                           parse_int=_bounded_int)
    except JSONLimitError:
        raise
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise JSONLimitError(f"not valid JSON ({message})") from None
    try:  # a lone surrogate ("\ud800") parses, then breaks every print of the string
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise JSONLimitError("the JSON holds text that is not valid Unicode") from None
    return value


#: the most characters of a value from a file that one line of a description shows
SHOWN_CHARS = 200


def one_line(value: Any, limit: int = SHOWN_CHARS) -> str:
    """A value read from a file, as text fit for one line of a description: any type turned to
    text, line breaks and runs of spaces collapsed (a value cannot forge a line of its own) and
    at most ``limit`` characters."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"
