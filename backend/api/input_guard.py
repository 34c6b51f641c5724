"""A pure ASGI middleware that stops hostile input at the door with a 422 naming where:
NUL bytes in the path or the query, and JSON bodies the stack could not round-trip
(``backend.core.jsonsafe``: NUL, lone surrogates, 1e400, nesting past the cap).

Without it such values reach PostgreSQL (which refuses NUL in text) or the response
serialiser and come back as a 500, or worse, are stored and break every later read.
Routes still validate their own fields; this only guarantees the common floor.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

import orjson

from backend.core.errors import ErrorItem
from backend.core.jsonsafe import MAX_DEPTH, json_problems, text_problem

__all__ = ["InputGuard"]

_LONG_NUMBER = re.compile(rb"\d{19}")
_FORM_TYPES = (b"multipart/form-data", b"application/x-www-form-urlencoded")


class InputGuard:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problems = _url_problems(scope)
        if problems:
            await _refuse(send, problems)
            return
        headers = dict(scope.get("headers") or [])
        content_type = headers.get(b"content-type", b"").lower()
        if content_type.startswith(_FORM_TYPES) or scope.get("method") in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        body, messages = await _read_body(receive)
        problems = _body_problems(body)
        if problems:
            await _refuse(send, problems)
            return
        replay = iter(messages)

        async def replay_receive() -> dict[str, Any]:
            message = next(replay, None)
            return message if message is not None else await receive()  # type: ignore[no-any-return]

        await self.app(scope, replay_receive, send)


def _url_problems(scope: dict[str, Any]) -> list[ErrorItem]:
    problems: list[ErrorItem] = []
    reason = text_problem(str(scope.get("path", "")))
    if reason is not None:
        problems.append(ErrorItem("path", f"the URL path {reason}"))
    raw_query = scope.get("query_string", b"")
    if raw_query and (b"%00" in raw_query or b"\x00" in raw_query):
        for name, value in parse_qsl(raw_query.decode("latin-1"), keep_blank_values=True):
            if "\x00" in name or "\x00" in value:
                problems.append(ErrorItem(name.replace("\x00", "\\x00") or "query",
                                          "must not contain NUL characters"))
    return problems


async def _read_body(receive: Any) -> tuple[bytes, list[dict[str, Any]]]:
    """The whole body (the size limit in front bounds it) and the messages to replay."""
    messages: list[dict[str, Any]] = []
    chunks: list[bytes] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks), messages


def _body_problems(body: bytes) -> list[ErrorItem]:
    if not body.strip():
        return []
    try:
        value = orjson.loads(body)
        if _LONG_NUMBER.search(body):
            value = json.loads(body)  # orjson reads integers past 64 bits as floats
    except orjson.JSONDecodeError as exc:
        if "recursion" in str(exc).lower():
            return [ErrorItem("body", f"nested deeper than {MAX_DEPTH} levels")]
        # orjson is strict; Python's json reads lone surrogates and 1e400, so a body it
        # accepts can still be walked to name the bad value's path.
        try:
            value = json.loads(body)
        except RecursionError:
            return [ErrorItem("body", f"nested deeper than {MAX_DEPTH} levels")]
        except (ValueError, UnicodeDecodeError):
            return []  # not JSON at all: the route says what it expected
    return json_problems(value)


async def _refuse(send: Any, problems: list[ErrorItem]) -> None:
    items = [p.as_dict() for p in problems]
    body = orjson.dumps({
        "error": "invalid_input",
        "message": "; ".join(f"{i['path']}: {i['message']}" for i in items),
        "errors": items,
    })
    await send({"type": "http.response.start", "status": 422,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
