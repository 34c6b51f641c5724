"""Every error leaves the API as JSON with a list of {path, message}; never a traceback."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import redis
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend.core.db import DB_UNAVAILABLE_ERRORS
from backend.core.errors import SpioError
from backend.core.messages import render_message

__all__ = ["install_error_handlers", "validation_items", "reader_language", "localized_body"]

log = logging.getLogger("spio.api")
_DROP = {"body", "query", "path", "header"}


def validation_items(errors: list[dict[str, Any]], *, lang: str = "en") -> list[dict[str, str]]:
    """FastAPI's request errors as ``{path, message}``; in Indonesian the kinds of problem
    that have words (backend.jobs.validation) are said in it."""
    from backend.jobs.validation import PYDANTIC_KEYS

    items = []
    for err in errors:
        loc = [str(x) for x in err.get("loc", ()) if str(x) not in _DROP or len(err["loc"]) == 1]
        path = ".".join(loc) or "body"
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        key = PYDANTIC_KEYS.get(str(err.get("type")))
        if key and lang != "en":
            params = {k: str(v) for k, v in (err.get("ctx") or {}).items()}
            message = render_message({"key": key, "params": params}, lang)
        items.append({"path": path, "message": message})
    return items


def reader_language(header: str | None) -> str:
    """``id`` when the caller's Accept-Language puts Indonesian before English, else
    ``en`` (scripts and curl send none: the API's default stays English)."""
    best, best_q = "en", -1.0
    for index, part in enumerate((header or "").split(",")):
        tag, _, q = part.strip().partition(";q=")
        lang = tag.strip().lower().split("-")[0]
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        if lang in ("id", "en") and weight - index * 1e-6 > best_q:
            best, best_q = lang, weight - index * 1e-6
    return best


def localized_body(exc: SpioError, lang: str) -> dict[str, Any]:
    """The error's JSON body; in Indonesian the messages that have a key are said in it
    (the ``code`` of each stays the same)."""
    body = exc.body()
    if lang == "en":
        return body
    if exc.key:
        body["message"] = render_message({"key": exc.key, "params": exc.params}, lang)
    items = getattr(exc, "errors", None) or []
    for shown, item in zip(body.get("errors") or [], items, strict=False):
        if getattr(item, "key", None):
            shown["message"] = render_message({"key": item.key, "params": item.params or {}},
                                              lang)  # fmt: skip
    if items and any(getattr(i, "key", None) for i in items):
        body["message"] = "; ".join(f"{e['path']}: {e['message']}" for e in body["errors"])
    return body


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SpioError)
    async def _spio(request: Request, exc: SpioError) -> JSONResponse:
        retry_after = getattr(exc, "retry_after", None)
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        body = localized_body(exc, reader_language(request.headers.get("accept-language")))
        return JSONResponse(body, status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        lang = reader_language(request.headers.get("accept-language"))
        items = validation_items(list(exc.errors()), lang=lang)
        message = "; ".join(f"{i['path']}: {i['message']}" for i in items)
        return JSONResponse(
            {"error": "invalid_input", "message": message, "errors": items}, status_code=422
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
            exc.status_code, "error"
        )
        return JSONResponse(
            {"error": code, "message": str(exc.detail), "errors": []},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    for error_type in DB_UNAVAILABLE_ERRORS:

        @app.exception_handler(error_type)
        async def _db_down(_: Request, exc: Exception) -> JSONResponse:
            log.warning("database unavailable: %s", type(exc).__name__)
            return JSONResponse(
                {"error": "unavailable", "message": "database unavailable, try again shortly",
                 "errors": []},
                status_code=503,
                headers={"Retry-After": "5"},
            )

    for error_type in (redis.ConnectionError, redis.TimeoutError):

        @app.exception_handler(error_type)
        async def _redis_down(_: Request, exc: Exception) -> JSONResponse:
            # Redis restarting: a route that needs it (queue depths, wake-ups) says so
            # with a 503 the caller can retry, like a database outage, not a 500.
            log.warning("redis unavailable: %s", type(exc).__name__)
            return JSONResponse(
                {"error": "unavailable", "message": "redis unavailable, try again shortly",
                 "errors": []},
                status_code=503,
                headers={"Retry-After": "5"},
            )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        incident = uuid.uuid4().hex[:12]
        log.exception("unexpected error %s", incident)
        return JSONResponse(
            {"error": "internal", "message": f"unexpected error (incident {incident})",
             "errors": []},
            status_code=500,
        )
