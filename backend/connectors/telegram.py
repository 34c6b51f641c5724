"""Telegram Bot API: ``sendMessage`` for text, ``sendDocument`` (multipart) for files.

The bot token travels in the path (``/bot{token}/sendMessage``), so URLs of this
connector must never be logged; errors quote the method, never the URL. Answers are
``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code", "description",
"parameters": {"retry_after"}}``, mapped in :func:`raise_for_response`.
"""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel, Field, SecretStr

from backend.connectors.base import AuthFailed, RateLimited, Rejected, TransientError
from backend.connectors.common import retry_after
from backend.connectors.defaults import default_value
from backend.connectors.messages import (
    Attachment,
    OutboundMessage,
    SentMessage,
    json_body,
    transport_error,
)

__all__ = ["TelegramConfig", "TelegramConnector", "raise_for_response"]

PLATFORM = "telegram"
_MAX_TEXT = 4096
_MAX_CAPTION = 1024


class TelegramConfig(BaseModel):
    """One Telegram bot. Defaults talk to the sandbox."""

    base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "base_url"),
        description="Bot API root, e.g. https://api.telegram.org (the sandbox by default).",
    )
    bot_token: SecretStr = Field(
        default_factory=lambda: SecretStr(str(default_value(PLATFORM, "bot_token"))),
        description="The token @BotFather gave, `<bot id>:<secret>`.",
    )


def raise_for_response(response: httpx.Response) -> dict:
    """Return ``result`` of a success; raise the error that says what to do otherwise."""
    body = json_body(response)
    status = response.status_code
    if not isinstance(body, dict):
        raise TransientError(f"malformed body (HTTP {status})", platform=PLATFORM, status=status)
    if body.get("ok") is True and isinstance(body.get("result"), dict):
        return body["result"]
    code = int(body.get("error_code") or status)
    description = str(body.get("description") or f"HTTP {status}")
    if code == 429:
        asked = (body.get("parameters") or {}).get("retry_after")
        raise RateLimited(
            description, platform=PLATFORM, status=status,
            retry_after=float(asked) if asked else retry_after(response),
        )
    if code == 401 or (code == 404 and description.startswith("Not Found") and status == 404):
        # A wrong token is 401, or 404 for a bot that does not exist.
        raise AuthFailed(f"bot token refused: {description}", platform=PLATFORM, status=status)
    if code >= 500 or status >= 500 or body.get("ok") is True:
        raise TransientError(description, platform=PLATFORM, status=status, body=body)
    # 400 bad chat or text, 403 the user blocked the bot: the message cannot go.
    raise Rejected(description, platform=PLATFORM, status=status, body=body)


def message_key(result: dict[str, Any]) -> str:
    """A Telegram message's id across chats: Bot API message ids are unique only within
    their chat, so the chat id comes first ("<chat id>:<message id>")."""
    return f"{result['chat']['id']}:{result['message_id']}"


class TelegramConnector:
    """Sends messages and documents through one bot."""

    channel = PLATFORM

    def __init__(self, *, config: TelegramConfig, client: httpx.AsyncClient) -> None:
        self._config = config
        self._client = client
        token = config.bot_token.get_secret_value()
        self._base = f"{config.base_url.rstrip('/')}/bot{token}"
        self._bot_id = token.split(":", 1)[0]

    @property
    def account(self) -> str:
        return self._bot_id

    async def _call(
        self, method: str, *, idempotency_key: str, **kwargs: object
    ) -> tuple[dict, bool]:
        """Call a Bot API method; returns its result and whether the platform replayed it."""
        try:
            response = await self._client.post(
                f"{self._base}/{method}",
                headers={"Idempotency-Key": idempotency_key},
                **kwargs,  # type: ignore[arg-type]
            )
        except httpx.TransportError as exc:
            # httpx puts the URL (with the token) in some messages; keep only the kind.
            raise transport_error(
                type(exc)(f"{method} failed", request=exc.request), platform=PLATFORM
            ) from None
        replayed = response.headers.get("Idempotent-Replayed") == "true"
        return raise_for_response(response), replayed

    async def send(self, message: OutboundMessage, *, idempotency_key: str) -> SentMessage:
        """Text via sendMessage; with attachments, one sendDocument per file (the first
        carries the text as its caption when it fits)."""
        if len(message.text) > _MAX_TEXT:
            raise Rejected(f"text longer than {_MAX_TEXT} characters", platform=PLATFORM)
        if not message.attachments:
            result, replayed = await self._call(
                "sendMessage",
                idempotency_key=idempotency_key,
                json={"chat_id": message.to, "text": message.text},
            )
            return SentMessage(PLATFORM, message_key(result), "sent", replayed)
        first_id, replayed = "", False
        text_sent = len(message.text) > _MAX_CAPTION
        if text_sent:
            result, replayed = await self._call(
                "sendMessage",
                idempotency_key=f"{idempotency_key}:text",
                json={"chat_id": message.to, "text": message.text},
            )
            first_id = message_key(result)
        for index, attachment in enumerate(message.attachments):
            caption = message.text if index == 0 and not text_sent else ""
            result, again = await self._send_document(
                message.to, attachment, caption, idempotency_key=f"{idempotency_key}:doc{index}"
            )
            first_id = first_id or message_key(result)
            replayed = replayed or again
        return SentMessage(PLATFORM, first_id, "sent", replayed)

    async def _send_document(
        self, chat_id: str, attachment: Attachment, caption: str, *, idempotency_key: str
    ) -> tuple[dict, bool]:
        files = {"document": (attachment.filename, attachment.content, attachment.content_type)}
        data = {"chat_id": chat_id}
        if caption:
            data["caption"] = caption
        return await self._call(
            "sendDocument", idempotency_key=idempotency_key, data=data, files=files
        )
