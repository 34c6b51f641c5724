"""Reading a value at a dotted path ("inputs.pricing.strategy") of nested dicts.

Event filters and the editor's form both name spec fields this way; one reader keeps
their idea of "missing" the same (None when any step is absent or not a dict).
"""

from __future__ import annotations

from typing import Any

__all__ = ["value_at"]


def value_at(data: Any, dotted: str) -> Any:
    """The value at ``dotted`` in ``data``, or None where a step is missing."""
    value: Any = data
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value
