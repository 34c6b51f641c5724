"""Telegram Bot API: ``POST /bot{token}/{method}`` (sendMessage, sendDocument, getMe).

Parameters come as JSON, form fields or multipart, like the real API. Answers are
``{"ok": true, "result": ...}``; errors ``{"ok": false, "error_code", "description"}``,
and over a limit HTTP 429 with ``parameters.retry_after``. Limits: per bot, per private
chat, per group (negative chat ids). ``parse_mode`` is applied as Telegram does: the
answer carries the plain text and its ``entities`` (``caption_entities``), and bad
markup is a 400 (``telegram_markup.py``); an empty caption is not echoed. A document
given by URL is fetched (PDF, ZIP or GIF only, as the Bot API allows) and answered with
its real size and MIME type; a ``file_id`` of an earlier document is sent again.

A token that is not ``<bot id>:<secret>`` is 404 Not Found, a well-formed wrong one 401
Unauthorized. A chat the bot cannot reach answers as on the platform: ``Bad Request:
chat not found`` (400) for a chat that never started the bot (``POST
/_admin/telegram/chats {"unknown": [...]}``, and chat id 0), ``Forbidden: bot was
blocked by the user`` (403) for ``{"blocked": [...]}``.
"""

from __future__ import annotations

import hashlib
import math
import mimetypes
import re
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import orjson
from aiohttp import BodyPartReader, web

from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.outbox import record_message
from backend.sandbox.platform import (
    STATUS,
    ApiError,
    Platform,
    endpoint,
    error_response,
    json_response,
    state_of,
    take_limit,
)
from backend.sandbox.telegram_markup import MarkupError, render

__all__ = ["register", "TELEGRAM"]



def _render(err: ApiError) -> web.Response:
    status = err.status or STATUS[err.kind]
    if err.kind in ("auth", "expired"):
        description = "Unauthorized"
    elif err.kind == "rate_limited":
        retry = max(1, math.ceil(err.retry_after or 1))
        body = {
            "ok": False,
            "error_code": 429,
            "description": f"Too Many Requests: retry after {retry}",
            "parameters": {"retry_after": retry},
        }
        return error_response(err, body, status=429)
    elif err.kind == "server":
        description = "Internal Server Error"
    else:
        description = (
            err.message
            if err.message.startswith(("Bad Request", "Not Found", "Forbidden"))
            else (f"Bad Request: {err.message}")
        )
    body = {"ok": False, "error_code": status, "description": description}
    return error_response(err, body, status=status)


TELEGRAM = Platform("telegram", _render)


_TOKEN_SHAPE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


async def _auth(request: web.Request) -> str:
    token = request.match_info["token"]
    if not _TOKEN_SHAPE.match(token):
        # A token that is not "<bot id>:<secret>" names no bot at all: 404, as the Bot
        # API answers it (a well-formed but wrong one is 401).
        raise ApiError("not_found", "Not Found", status=404)
    if token != CREDENTIALS["telegram"]["bot_token"]:
        raise ApiError("auth")
    return token.split(":", 1)[0]


async def _params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    ctype = request.content_type
    if ctype == "application/json":
        raw = await request.read()
        try:
            data = orjson.loads(raw) if raw else {}
        except orjson.JSONDecodeError as exc:
            raise ApiError("bad_request", "Bad Request: can't parse JSON") from exc
        params.update(data)
    elif ctype.startswith("multipart/"):
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue
            if part.filename:
                data = await part.read()
                params[part.name or "file"] = {
                    "file_name": part.filename,
                    "size": len(data),
                    "mime_type": part.headers.get("Content-Type", "application/octet-stream"),
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
            else:
                params[part.name or ""] = await part.text()
    elif ctype == "application/x-www-form-urlencoded":
        params.update(await request.post())
    return params


def _chat(request: web.Request, params: dict[str, Any]) -> dict[str, Any]:
    chat_id = params.get("chat_id")
    if chat_id in (None, ""):
        raise ApiError("bad_request", "Bad Request: chat_id is empty")
    text_id = str(chat_id)
    if not (text_id.lstrip("-").isdigit() or text_id.startswith("@")):
        raise ApiError("bad_request", "Bad Request: chat not found")
    state = state_of(request)
    if text_id == "0" or text_id in state.telegram_unknown_chats:
        raise ApiError("bad_request", "Bad Request: chat not found")
    if text_id in state.telegram_blocked_chats:
        raise ApiError("forbidden", "Forbidden: bot was blocked by the user")
    group = text_id.startswith(("-", "@"))
    take_limit(request, TELEGRAM, "telegram.group" if group else "telegram.chat", text_id)
    chat: dict[str, Any] = {"id": int(text_id) if text_id.lstrip("-").isdigit() else text_id}
    chat["type"] = "supergroup" if text_id.startswith("-100") else ("group" if group else "private")
    return chat


def _message_id(request: web.Request) -> int:
    return len(state_of(request).sent) + 1


@endpoint(TELEGRAM, "sendMessage", auth=_auth, limit="telegram.bot", mutating=True)
async def send_message(request: web.Request, account: str) -> web.Response:
    params = await _params(request)
    text = str(params.get("text") or "")
    if not text:
        raise ApiError("bad_request", "Bad Request: message text is empty")
    plain, entities = _rendered(text, params.get("parse_mode"))
    if not plain.strip():
        raise ApiError("bad_request", "Bad Request: message text is empty")
    if len(plain) > 4096:
        raise ApiError("bad_request", "Bad Request: message is too long")
    chat = _chat(request, params)
    state = state_of(request)
    mid = _message_id(request)
    record_message(
        request.app,
        channel="telegram",
        recipient=str(chat["id"]),
        message_id=f"{chat['id']}:{mid}",  # as the connector names it (unique per chat)
        text=_with_links(plain, entities),
        meta={"parse_mode": params.get("parse_mode")},
    )
    result = {
        "message_id": mid,
        "from": _bot(account),
        "chat": chat,
        "date": int(state.now()),
        "text": plain,
    }
    if entities:
        result["entities"] = entities
    return json_response({"ok": True, "result": result})


def _rendered(text: str, parse_mode: Any) -> tuple[str, list[dict[str, Any]]]:
    try:
        return render(text, str(parse_mode) if parse_mode else None)
    except MarkupError as exc:
        raise ApiError("bad_request", str(exc)) from None


def _with_links(plain: str, entities: list[dict[str, Any]]) -> str:
    """The text plus the URLs behind its links (tracking looks for its links in it)."""
    urls = [e["url"] for e in entities if e.get("url")]
    return " ".join([plain, *urls]) if urls else plain


_URL_DOCUMENT_TYPES = {"application/pdf", "application/zip", "image/gif"}


async def _document_from(request: web.Request, ref: str) -> dict[str, Any]:
    """A document given as a ``file_id`` sent before, or an HTTP URL Telegram fetches."""
    for doc in reversed(state_of(request).documents):
        if doc.get("file_id") == ref:
            return {k: doc[k] for k in ("file_name", "size", "mime_type", "sha256")}
    if urlsplit(ref).scheme not in ("http", "https"):
        raise ApiError("bad_request", "Bad Request: wrong file identifier/HTTP URL specified")
    try:
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(ref) as got:
            if got.status >= 400:
                raise ApiError("bad_request", "Bad Request: failed to get HTTP URL content")
            data = await got.read()
            mime = got.content_type or ""
    except (aiohttp.ClientError, TimeoutError):
        raise ApiError("bad_request", "Bad Request: failed to get HTTP URL content") from None
    name = urlsplit(ref).path.rsplit("/", 1)[-1] or "file"
    mime = mime if mime != "application/octet-stream" else (mimetypes.guess_type(name)[0] or "")
    if mime not in _URL_DOCUMENT_TYPES:
        raise ApiError("bad_request", "Bad Request: wrong type of the web page content")
    return {"file_name": name, "size": len(data), "mime_type": mime,
            "sha256": hashlib.sha256(data).hexdigest()}  # fmt: skip


@endpoint(TELEGRAM, "sendDocument", auth=_auth, limit="telegram.bot", mutating=True)
async def send_document(request: web.Request, account: str) -> web.Response:
    params = await _params(request)
    doc = params.get("document")
    if not isinstance(doc, dict):
        if not isinstance(doc, str) or not doc:
            raise ApiError("bad_request", "Bad Request: there is no document in the request")
        doc = await _document_from(request, doc)
    caption, caption_entities = _rendered(str(params.get("caption") or ""),
                                          params.get("parse_mode"))  # fmt: skip
    if len(caption) > 1024:
        raise ApiError("bad_request", "Bad Request: message caption is too long")
    chat = _chat(request, params)
    state = state_of(request)
    mid = _message_id(request)
    file_id = "BQACAgUAAx" + (doc["sha256"] or str(mid))[:24]
    state.documents.append({"chat_id": chat["id"], "caption": caption, "file_id": file_id, **doc})
    record_message(
        request.app,
        channel="telegram",
        recipient=str(chat["id"]),
        message_id=f"{chat['id']}:{mid}",  # as the connector names it (unique per chat)
        text=_with_links(caption, caption_entities),
        meta={"document": doc["file_name"]},
    )
    document = {
        "file_id": file_id,
        "file_unique_id": "AgAD" + str(mid),
        "file_name": doc["file_name"],
        "mime_type": doc["mime_type"],
        "file_size": doc["size"],
    }
    result = {
        "message_id": mid,
        "from": _bot(account),
        "chat": chat,
        "date": int(state.now()),
        "document": document,
    }
    if caption:  # Telegram leaves an empty caption out
        result["caption"] = caption
    if caption_entities:
        result["caption_entities"] = caption_entities
    return json_response({"ok": True, "result": result})


@endpoint(TELEGRAM, "getMe", auth=_auth, limit="telegram.bot")
async def get_me(request: web.Request, account: str) -> web.Response:
    return json_response({"ok": True, "result": _bot(account)})


def _bot(account: str) -> dict[str, Any]:
    return {
        "id": int(account),
        "is_bot": True,
        "first_name": "SPIO Sandbox Bot",
        "username": "spio_sandbox_bot",
    }


async def _unknown(request: web.Request) -> web.Response:
    return _render(ApiError("not_found", "Not Found: method not found", status=404))


def register(app: web.Application) -> None:
    app.router.add_post("/bot{token}/sendMessage", send_message)
    app.router.add_get("/bot{token}/sendMessage", send_message)
    app.router.add_post("/bot{token}/sendDocument", send_document)
    app.router.add_route("*", "/bot{token}/getMe", get_me)
    app.router.add_route("*", "/bot{token}/{method}", _unknown)
