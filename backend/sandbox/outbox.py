"""Where every channel records an outgoing message: counters, the sent log, tracking."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from backend.sandbox import tracking
from backend.sandbox.platform import STATE_KEY

__all__ = ["record_message"]

_SENT_CAP = 200_000


def record_message(
    app: web.Application,
    *,
    channel: str,
    recipient: str,
    message_id: str,
    text: str,
    meta: dict[str, Any] | None = None,
) -> None:
    """Count the message for its recipient and let the tracking simulation pick it up."""
    state = app[STATE_KEY]
    state.counters.messages[channel][recipient] += 1
    entry = {
        "channel": channel,
        "recipient": recipient,
        "message_id": message_id,
        "text": text,
        "at": state.now(),
        **(meta or {}),
    }
    if len(state.sent) < _SENT_CAP:
        state.sent.append(entry)
    tracking.schedule(app, channel=channel, recipient=recipient, message_id=message_id, text=text)
