"""A run's or a platform's error in words a seller can read, in either language.

Errors are stored as their English text (``runs.error``, ``run_steps.error``, the
``error`` of a log line): a platform's own words or a Python exception's. The UI shows
:func:`failure_words` of it first, in the reader's language, and the raw text second.

The error's class (``runs.error_type``, or the ``AuthFailed: `` a log line starts with)
says most; the text adds the platform (``shopee: ...``), an HTTP status or a timeout.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["failure_words", "failure_text", "log_text", "FAILURE_KINDS"]

# An error class -> the kind of failure it is.
FAILURE_KINDS: dict[str, str] = {
    "AuthFailed": "failure.auth", "TokenExpired": "failure.token",
    "RateLimited": "failure.rate_limited", "Rejected": "failure.rejected",
    "InvalidInput": "failure.invalid", "NonRetryableError": "failure.invalid",
    "Timeout": "failure.timeout", "AttemptTimedOut": "failure.timeout",
    "Cancelled": "failure.cancelled", "RunCancelled": "failure.cancelled",
    "RetryableError": "failure.temporary",
}  # fmt: skip
_CLASS = re.compile(r"^([A-Z]\w*(?:Error|Failed|Rejected|Limited|Expired|Exception|Timeout|"
                    r"Cancelled)|Rejected|Timeout): ")
_PLATFORM = re.compile(r"^([a-z][a-z0-9_]*): ")
_STATUS = re.compile(r"\bHTTP (\d{3})\b")
_TIMED_OUT = re.compile(r"^timed out after (\d+) ms")
_UNREACHABLE = re.compile(r"Connect(?:Error|Timeout)|ReadTimeout|WriteTimeout|PoolTimeout|"
                          r"RemoteProtocolError|Connection refused|Name or service not known")


def _kind(text: str, error_type: str | None) -> tuple[str, dict[str, Any]]:
    if text == "cancelled by user" or error_type in ("Cancelled", "RunCancelled"):
        return "failure.cancelled", {}
    timed_out = _TIMED_OUT.match(text)
    if timed_out:
        return "failure.timeout", {"seconds": round(int(timed_out.group(1)) / 1000)}
    if _UNREACHABLE.search(text):
        return "failure.unreachable", {}
    status = _STATUS.search(text)
    if error_type in ("TransientError", "ConnectorError") or (
            status and status.group(1).startswith("5")):
        if status:
            return "failure.platform_down_status", {"status": status.group(1)}
        return "failure.platform_down", {}
    if error_type in FAILURE_KINDS and error_type not in ("Timeout", "AttemptTimedOut"):
        return FAILURE_KINDS[error_type], {}
    if error_type:  # a bug or an exception nobody worded: the raw detail says which
        return "failure.unexpected", {}
    return "failure.other", {}


def failure_words(text: str | None, *, error_type: str | None = None) -> dict[str, Any] | None:
    """``{"key", "params"}`` of a worded failure (``platform`` in params when the error
    names one), for ``backend.core.messages.render_message``; None for no error."""
    if not text:
        return None
    text = text.strip()
    found = _CLASS.match(text)
    if found:  # "TransientError: shopee: HTTP 503" as a log line writes it
        error_type = error_type or found.group(1)
        text = text[found.end():]
    platform = _PLATFORM.match(text)
    if platform:
        text = text[platform.end():]
    key, params = _kind(text, error_type)
    what = {"key": key, "params": params}
    if platform:
        return {"key": "failure.on_platform", "params": {"platform": platform.group(1),
                                                         "what": what}}  # fmt: skip
    return what


def failure_text(text: str | None, *, lang: str, error_type: str | None = None) -> str:
    """The error in words in ``lang`` ("" for none)."""
    from backend.core.messages import render_message

    return render_message(failure_words(text, error_type=error_type), lang)


def log_text(stored: Any, *, lang: str, level: str = "info") -> tuple[str, str]:
    """A log line in ``lang`` with the error it carries worded, and that error's raw text
    (``""`` when it carries none) to show beside it, smaller."""
    from backend.core.messages import decode_message, render_message

    decoded = decode_message(stored)
    if decoded is not None and isinstance(decoded["params"].get("error"), str):
        raw = decoded["params"]["error"]
        worded = failure_words(raw) or {}
        if worded.get("key") == "failure.on_platform" and (
                worded["params"]["platform"] == decoded["params"].get("platform")):
            worded = worded["params"]["what"]  # the line names the platform already
        decoded["params"]["error"] = worded
        return render_message(decoded, lang), raw
    if decoded is None and level == "error" and isinstance(stored, str) and stored:
        # Written without a key (an exception the run did not expect, its traceback).
        first = stored.strip().splitlines()[0] if stored.strip() else ""
        return failure_text(first, lang=lang), stored[:2000]
    return render_message(stored, lang), ""
