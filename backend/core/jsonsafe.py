"""JSON that every part of the stack can round-trip: the database (PostgreSQL refuses
NUL in text and ``\\u0000`` in jsonb), the serialisers (orjson refuses lone surrogates
and infinities, the API's JSON responses refuse NaN) and Python's own recursion limit.

:func:`json_problems` walks a parsed value without recursion and names the path of each
value none of them could store or send back: a NUL character, a lone surrogate, a
non-finite number, an integer outside 64 bits, or nesting deeper than ``MAX_DEPTH``.
"""

from __future__ import annotations

import json
import math
from typing import Any

import orjson

from backend.core.errors import ErrorItem
from backend.core.messages import keyed, problem_item, render_message

__all__ = ["MAX_DEPTH", "json_problems", "text_problem", "loads_tolerant"]

MAX_DEPTH = 64
_INT_RANGE = (-(2**63), 2**63 - 1)
_MAX_PROBLEMS = 10


def _text_key(text: str) -> str | None:
    if "\x00" in text:
        return "json.nul"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "json.surrogate"
    return None


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored as text everywhere (in English), or None."""
    key = _text_key(text)
    return render_message(keyed(key), "en") if key else None


def _join(path: str, part: str | int) -> str:
    if isinstance(part, int):
        return f"{path}[{part}]"
    return f"{path}.{part}" if path else part


def json_problems(value: Any, *, path: str = "", max_depth: int = MAX_DEPTH) -> list[ErrorItem]:
    """Every value (up to ten) under ``value`` that cannot be round-tripped."""
    problems: list[ErrorItem] = []
    stack: list[tuple[Any, str, int]] = [(value, path, 0)]
    while stack and len(problems) < _MAX_PROBLEMS:
        item, where, depth = stack.pop()
        label = where or "body"
        if isinstance(item, (dict, list)):
            if depth >= max_depth:
                problems.append(problem_item(label, "json.depth", max=max_depth))
                continue
            if isinstance(item, dict):
                for key, child in item.items():
                    key_text = str(key)
                    reason = _text_key(key_text)
                    child_path = _join(where, key_text if reason is None else repr(key_text))
                    if reason is not None:
                        problems.append(problem_item(child_path, "json.key",
                                                     reason=keyed(reason)))
                        continue
                    stack.append((child, child_path, depth + 1))
            else:
                for index, child in enumerate(item):
                    stack.append((child, _join(where, index), depth + 1))
        elif isinstance(item, str):
            reason = _text_key(item)
            if reason is not None:
                problems.append(problem_item(label, reason))
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, float):
            if not math.isfinite(item):
                problems.append(problem_item(label, "json.finite"))
        elif isinstance(item, int):
            if not _INT_RANGE[0] <= item <= _INT_RANGE[1]:
                problems.append(problem_item(label, "json.int_range"))
    return problems


def loads_tolerant(raw: str | bytes) -> Any:
    """Read a JSON column, even one stored before inputs were checked: lone surrogates
    become U+FFFD, non-finite numbers null, nesting past ``MAX_DEPTH`` null. A damaged
    row then still lists, shows and deletes instead of failing every read with a 500."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:
            return _mend(json.loads(raw), 0)
        except (ValueError, RecursionError):
            return None
    # Counting brackets is C-fast; walking is needed only when nesting is possible.
    text = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")
    if text.count(b"[") + text.count(b"{") > MAX_DEPTH:
        return _mend(value, 0)
    return value


def _mend(value: Any, depth: int) -> Any:
    if isinstance(value, dict):
        if depth >= MAX_DEPTH:
            return None
        return {_mend_text(str(k)): _mend(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        if depth >= MAX_DEPTH:
            return None
        return [_mend(v, depth + 1) for v in value]
    if isinstance(value, str):
        return _mend_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _mend_text(text: str) -> str:
    return text.encode("utf-8", "replace").decode("utf-8") if text_problem(text) else text
