"""Texts a run writes for its user (progress, log lines), kept as a key and parameters so
the UI shows them in the reader's language.

A workflow writes ``message("progress.listings_repriced", done=391, total=1000)``: a
compact JSON string (``{"key": ..., "params": {...}}``) that fits where a plain text was
stored (``runs.progress_message``, ``run_logs.message``, the ``run.progress`` event).
:func:`render_message` turns it into Indonesian or English, numbers in that locale's
grouping ("1.000" / "1,000"); a plain text (older rows, a platform's own error) shows as
itself.

Templates use ``{name}`` or, for a count, ``{name:num}``; moments and day ranges follow
``backend.core.outcome`` (``:dt``, ``:date``, ``:range``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from backend.core.errors import ErrorItem
from backend.core.message_catalog import MESSAGES
from backend.core.outcome import REASONS, format_params

__all__ = ["MESSAGES", "message", "decode_message", "render_message", "message_texts",
           "error_text", "keyed", "problem_item", "Worded"]

_LANGS = ("id", "en")


def message(key: str, /, **params: Any) -> str:
    """The stored form of a user-facing text: ``{"key": key, "params": params}``."""
    if key not in MESSAGES and key not in REASONS:
        raise KeyError(f"no message {key!r} in backend.core.message_catalog")
    return json.dumps({"key": key, "params": params}, separators=(",", ":"), default=str)


def decode_message(stored: Any) -> dict[str, Any] | None:
    """``{"key", "params"}`` when ``stored`` is a keyed message, else None."""
    if isinstance(stored, Mapping):
        data: Any = stored
    elif isinstance(stored, str) and stored.startswith('{"key"'):
        try:
            data = json.loads(stored)
        except ValueError:
            return None
    else:
        return None
    if not isinstance(data, Mapping) or not isinstance(data.get("key"), str):
        return None
    return {"key": data["key"], "params": dict(data.get("params") or {})}


def render_message(stored: Any, lang: str, *, tz: str | None = None) -> str:
    """The text in ``lang``; plain text as itself, ``""`` for nothing."""
    if stored is None or stored == "":
        return ""
    decoded = decode_message(stored)
    if decoded is None:
        return str(stored)
    key, params = decoded["key"], decoded["params"]
    pair = MESSAGES.get(key) or REASONS.get(key)
    if pair is None:
        return key
    template = pair[_LANGS.index(lang) if lang in _LANGS else 0]
    # A parameter that is a keyed message itself (a field's name, a suggested fix) is
    # said in the same language.
    params = {name: _said(value, lang, tz) for name, value in params.items()}
    return format_params(template, params, lang=lang, tz=tz or params.get("tz"))


def _said(value: Any, lang: str, tz: str | None) -> Any:
    """A parameter that is a keyed message (or a list of them: "; "-joined) in ``lang``."""
    if isinstance(value, Mapping) and isinstance(value.get("key"), str):
        return render_message(value, lang, tz=tz)
    if isinstance(value, list) and value and all(
            isinstance(v, Mapping) and isinstance(v.get("key"), str) for v in value):
        return "; ".join(render_message(v, lang, tz=tz) for v in value)
    return value


def keyed(key: str, /, **params: Any) -> dict[str, Any]:
    """A message as a parameter of another (``{"key", "params"}``), rendered with it."""
    if key not in MESSAGES:
        raise KeyError(f"no message {key!r} in backend.core.message_catalog")
    return {"key": key, "params": params}


class Worded(str):
    """A text kept as its English (the str: reports, JSON, comparisons) and as its key and
    params (``keyed()``: the reader's language)."""

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, /, *, text: str | None = None, **params: Any) -> Worded:
        keyed_form = keyed(key, **params)
        worded = super().__new__(cls, text if text is not None else render_message(keyed_form,
                                                                                   "en"))
        worded.key, worded.params = key, params
        return worded

    def keyed(self) -> dict[str, Any]:
        return {"key": self.key, "params": self.params}


def problem_item(path: str, key: str, /, *, suggestion: str | None = None,
                 **params: Any) -> ErrorItem:  # fmt: skip
    """A field's problem: English for the API, the key and params for the reader's
    language in the UI."""
    return ErrorItem(path, render_message(keyed(key, **params), "en"), suggestion, key=key,
                     params=params)  # fmt: skip


def message_texts(stored: Any) -> dict[str, str]:
    """``{"id": ..., "en": ...}`` (pages that switch language without a reload)."""
    return {lang: render_message(stored, lang) for lang in _LANGS}


# Errors without a key of their own: a general sentence per kind of error.
_ERROR_KEYS = {"not_found": "error.not_found", "conflict": "error.conflict",
               "forbidden": "error.forbidden", "unavailable": "error.unavailable"}  # fmt: skip


def error_text(exc: BaseException, lang: str) -> str:
    """An error as the UI shows it, in ``lang``: its own message key when it has one,
    else a general sentence for its kind (never a stack trace or an English detail)."""
    key = getattr(exc, "key", None)
    if key:
        return render_message({"key": key, "params": getattr(exc, "params", {})}, lang)
    code = getattr(exc, "code", "")
    if code == "invalid_input":  # field problems are shown at their fields
        items = getattr(exc, "errors", None) or []
        detail = "; ".join(
            f"{i.path}: " + (render_message({"key": i.key, "params": i.params or {}}, lang)
                             if i.key else i.message) for i in items
        ) or getattr(exc, "message", str(exc))  # fmt: skip
        return render_message({"key": "error.invalid", "params": {"detail": detail}}, lang)
    return render_message({"key": _ERROR_KEYS.get(code, "error.unexpected"), "params": {}}, lang)
