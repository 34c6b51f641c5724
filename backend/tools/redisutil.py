"""Small helpers shared by the tools that read Redis replies."""

from __future__ import annotations

__all__ = ["as_text"]


def as_text(value: bytes | str) -> str:
    """A reply as text, whether the client decodes responses or not."""
    return value.decode() if isinstance(value, bytes) else value
