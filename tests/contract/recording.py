"""What a client put on the wire, for comparing our connector's request with the
platform client's: method, path and the parameters, whichever way they were encoded
(query, JSON, a form, or multipart with files).

Clients are pointed at the sandbox through transports that also record: the
platform's own client and our connector then make the same call, and the test compares
the two records. A connector that drifted from what the real client sends (a renamed
field, a parameter moved from the body into the query, a file sent under another part
name) fails there.
"""

from __future__ import annotations

import email.parser
import email.policy
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import orjson

__all__ = ["Call", "FilePart", "RecordingTransport", "AsyncRecordingTransport", "call_of",
           "parse_body"]  # fmt: skip


@dataclass(frozen=True, slots=True)
class FilePart:
    """A file in a multipart body: its part name is the parameter's key."""

    filename: str
    content_type: str
    size: int


@dataclass(slots=True)
class Call:
    """One request: ``params`` holds query and body parameters together (as the platform
    reads them), ``encoding`` how the body carried them."""

    method: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    encoding: str = "none"  # none | json | form | multipart


def parse_body(content_type: str, body: bytes) -> tuple[str, dict[str, Any]]:
    """The body's encoding and parameters (a JSON body's top-level keys)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return "none", {}
    if kind == "application/json":
        data = orjson.loads(body)
        return "json", dict(data) if isinstance(data, dict) else {"": data}
    if kind == "application/x-www-form-urlencoded":
        return "form", dict(parse_qsl(body.decode(), keep_blank_values=True))
    if kind.startswith("multipart/"):
        head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        params: dict[str, Any] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            filename = part.get_filename()
            if filename is not None:
                params[str(name)] = FilePart(filename, part.get_content_type(), len(payload))
            else:
                params[str(name)] = payload.decode()
        return "multipart", params
    return "raw", {"": body}


def call_of(method: str, url: str, content_type: str, body: bytes, *, strip: str = "") -> Call:
    """The :class:`Call` of one request; ``strip`` drops a path prefix (the sandbox's)."""
    parts = urlsplit(url)
    path = parts.path[len(strip) :] if strip and parts.path.startswith(strip) else parts.path
    encoding, params = parse_body(content_type, body)
    return Call(method.upper(), path, {**dict(parse_qsl(parts.query)), **params}, encoding)


def _route(request: httpx.Request, target: httpx.URL | None) -> None:
    if target is not None:  # the platform's host -> the sandbox, path kept
        request.url = request.url.copy_with(scheme=target.scheme, host=target.host,
                                            port=target.port,
                                            raw_path=target.raw_path.rstrip(b"/")
                                            + request.url.raw_path)  # fmt: skip
        request.headers["Host"] = target.netloc.decode()


class RecordingTransport(httpx.HTTPTransport):
    """A sync transport that records each request and may reroute it to ``target``
    (scheme, host, port and a path prefix) after the client built it; ``strip`` drops
    the sandbox's path prefix from the record of a client pointed at the sandbox."""

    def __init__(self, *, target: str | None = None, strip: str = "") -> None:
        super().__init__()
        self.calls: list[Call] = []
        self._target = httpx.URL(target) if target else None
        self._strip = strip

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        self.calls.append(call_of(request.method, str(request.url),
                                  request.headers.get("Content-Type", ""), body,
                                  strip=self._strip))  # fmt: skip
        _route(request, self._target)
        return super().handle_request(request)


class AsyncRecordingTransport(httpx.AsyncHTTPTransport):
    """The async twin of :class:`RecordingTransport`."""

    def __init__(self, *, target: str | None = None, strip: str = "") -> None:
        super().__init__()
        self.calls: list[Call] = []
        self._target = httpx.URL(target) if target else None
        self._strip = strip

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        self.calls.append(call_of(request.method, str(request.url),
                                  request.headers.get("Content-Type", ""), body,
                                  strip=self._strip))  # fmt: skip
        _route(request, self._target)
        return await super().handle_async_request(request)
