"""SMS in Twilio's shape: ``POST /sms/2010-04-01/Accounts/{sid}/Messages.json``.

HTTP Basic auth (account SID : auth token), form fields ``To``, ``From``, ``Body``.
Success is 201 with the message resource (``status: queued``); errors are
``{"code", "message", "more_info", "status"}``; over the limit 429 + Retry-After.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import re
from email.utils import formatdate

from aiohttp import web

from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.outbox import record_message
from backend.sandbox.platform import (
    ApiError,
    Platform,
    endpoint,
    error_headers,
    json_response,
    state_of,
)

__all__ = ["register", "SMS"]

_CODES = {
    "auth": (401, 20003, "Authenticate"),
    "expired": (401, 20003, "Authenticate"),
    "rate_limited": (429, 20429, "Too Many Requests"),
    "bad_request": (400, 21604, "A 'To' phone number is required."),
    "not_found": (404, 20404, "The requested resource was not found"),
    "forbidden": (403, 20403, "Forbidden"),
    "server": (500, 20500, "Internal Server Error"),
}
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")


def _render(err: ApiError) -> web.Response:
    status, code, default = _CODES[err.kind]
    status = err.status or status
    code = err.code or code
    body = {
        "code": code,
        "message": err.message if err.message != err.kind else default,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return json_response(body, status=status, headers=error_headers(err))


SMS = Platform("sms", _render)


async def _auth(request: web.Request) -> str:
    creds = CREDENTIALS["sms"]
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    try:
        user, _, password = base64.b64decode(value).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise ApiError("auth") from None
    sid = request.match_info["sid"]
    if scheme.lower() != "basic" or (user, password) != (sid, creds["auth_token"]):
        raise ApiError("auth")
    if sid != creds["account_sid"]:
        raise ApiError("not_found", f"The requested resource /Accounts/{sid} was not found")
    return sid


@endpoint(SMS, "messages", auth=_auth, limit="sms.messages", mutating=True)
async def create_message(request: web.Request, account: str) -> web.Response:
    form = await request.post()
    to, sender, text = (str(form.get(k) or "") for k in ("To", "From", "Body"))
    if not to:
        raise ApiError("bad_request", "A 'To' phone number is required.", code=21604)
    if not _E164.match(to):
        raise ApiError(
            "bad_request", f"The 'To' number {to} is not a valid phone number.", code=21211
        )
    if not sender:
        raise ApiError("bad_request", "A 'From' phone number is required.", code=21603)
    if not text:
        raise ApiError("bad_request", "Message body is required.", code=21602)
    if len(text) > 1600:
        raise ApiError(
            "bad_request",
            "The concatenated message body exceeds the 1600 character limit.",
            code=21617,
        )
    state = state_of(request)
    sid = "SM" + hashlib.md5(f"{state.seed}:{to}:{len(state.sent)}".encode()).hexdigest()
    record_message(request.app, channel="sms", recipient=to, message_id=sid, text=text)
    segments = max(1, math.ceil(len(text) / 153)) if len(text) > 160 else 1
    body = {
        "sid": sid,
        "account_sid": account,
        "to": to,
        "from": sender,
        "body": text,
        "status": "queued",
        "num_segments": str(segments),
        "direction": "outbound-api",
        "price": None,
        "price_unit": "USD",
        "error_code": None,
        "error_message": None,
        "date_created": formatdate(state.now(), usegmt=True),
        "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
    }
    return json_response(body, status=201)


def register(app: web.Application) -> None:
    app.router.add_post("/sms/2010-04-01/Accounts/{sid}/Messages.json", create_message)
