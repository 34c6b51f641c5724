"""Telegram Bot API: ``POST /bot{token}/{method}`` (sendMessage, sendDocument, getMe).

Parameters come as JSON, form fields or multipart, like the real API. Answers are
``{"ok": true, "result": ...}``; errors ``{"ok": false, "error_code", "description"}``,
and over a limit HTTP 429 with ``parameters.retry_after``. Limits: per bot, per private
chat, per group (negative chat ids).
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

import orjson
from aiohttp import BodyPartReader, web

from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.outbox import record_message
from backend.sandbox.platform import (
    ApiError,
    Platform,
    endpoint,
    error_headers,
    json_response,
    state_of,
    take_limit,
)

__all__ = ["register", "TELEGRAM"]

_STATUS = {
    "auth": 401,
    "expired": 401,
    "rate_limited": 429,
    "bad_request": 400,
    "not_found": 404,
    "forbidden": 403,
    "server": 500,
}


def _render(err: ApiError) -> web.Response:
    status = err.status or _STATUS[err.kind]
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
        return json_response(body, status=429, headers=error_headers(err))
    elif err.kind == "server":
        description = "Internal Server Error"
    else:
        description = (
            err.message
            if err.message.startswith(("Bad Request", "Not Found", "Forbidden"))
            else (f"Bad Request: {err.message}")
        )
    body = {"ok": False, "error_code": status, "description": description}
    return json_response(body, status=status, headers=error_headers(err))


TELEGRAM = Platform("telegram", _render)


async def _auth(request: web.Request) -> str:
    token = request.match_info["token"]
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
    if len(text) > 4096:
        raise ApiError("bad_request", "Bad Request: message is too long")
    chat = _chat(request, params)
    state = state_of(request)
    mid = _message_id(request)
    record_message(
        request.app,
        channel="telegram",
        recipient=str(chat["id"]),
        message_id=f"{chat['id']}:{mid}",  # as the connector names it (unique per chat)
        text=text,
        meta={"parse_mode": params.get("parse_mode")},
    )
    result = {
        "message_id": mid,
        "from": _bot(account),
        "chat": chat,
        "date": int(state.now()),
        "text": text,
    }
    return json_response({"ok": True, "result": result})


@endpoint(TELEGRAM, "sendDocument", auth=_auth, limit="telegram.bot", mutating=True)
async def send_document(request: web.Request, account: str) -> web.Response:
    params = await _params(request)
    doc = params.get("document")
    if not isinstance(doc, dict):
        if isinstance(doc, str) and doc:
            doc = {"file_name": doc.rsplit("/", 1)[-1], "size": 0, "mime_type": "", "sha256": ""}
        else:
            raise ApiError("bad_request", "Bad Request: there is no document in the request")
    chat = _chat(request, params)
    state = state_of(request)
    mid = _message_id(request)
    caption = str(params.get("caption") or "")
    state.documents.append({"chat_id": chat["id"], "caption": caption, **doc})
    record_message(
        request.app,
        channel="telegram",
        recipient=str(chat["id"]),
        message_id=f"{chat['id']}:{mid}",  # as the connector names it (unique per chat)
        text=caption,
        meta={"document": doc["file_name"]},
    )
    document = {
        "file_id": "BQACAgUAAx" + (doc["sha256"] or str(mid))[:24],
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
        "caption": caption,
    }
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
