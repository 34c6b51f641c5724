"""SMS in Twilio's shape under ``/sms/2010-04-01/Accounts/{sid}/``.

``POST Messages.json`` with HTTP Basic auth (account SID : auth token), form fields
``To``, ``Body`` and ``From`` or ``MessagingServiceSid`` (then the service picks the
sender and the message starts ``accepted``), optional ``StatusCallback``. Success is
201 with the message resource (``status: queued``), its ``num_segments`` counted as
Twilio does: GSM-7 text 160 characters alone or 153 per part, anything else UCS-2, 70
alone or 67 per part. ``GET Messages/{MessageSid}.json`` fetches one, ``GET
Messages.json`` lists them (``To``, ``From``, ``PageSize``, ``Page``), newest first.
What became of a message (delivered, undelivered with an ErrorCode) is POSTed to its
``StatusCallback`` as a form signed ``X-Twilio-Signature`` (base64 HMAC-SHA1 of the
URL and the sorted fields, keyed with the auth token). Errors are ``{"code",
"message", "more_info", "status"}``; over the limit 429 + Retry-After.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import re
from email.utils import formatdate
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from backend.sandbox import tracking
from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.outbox import record_message
from backend.sandbox.platform import (
    STATE_KEY,
    ApiError,
    Platform,
    endpoint,
    error_response,
    json_response,
    state_of,
)

__all__ = ["register", "SMS", "segments", "twilio_signature"]

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
_GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = set("^{}\\[~]|€\f")  # two septets each (escape + char)
_STATUS = {"delivered": "delivered", "failed": "undelivered"}


def segments(text: str) -> tuple[int, str]:
    """Twilio's ``num_segments`` and encoding (GSM-7 or UCS-2) of ``text``."""
    if all(c in _GSM7 or c in _GSM7_EXTENDED for c in text):
        units, single, part, encoding = (
            sum(2 if c in _GSM7_EXTENDED else 1 for c in text), 160, 153, "GSM-7")
    else:
        # UTF-16 code units: an emoji outside the BMP takes two.
        units, single, part, encoding = len(text.encode("utf-16-le")) // 2, 70, 67, "UCS-2"
    return (1 if units <= single else math.ceil(units / part)), encoding


def twilio_signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    """``X-Twilio-Signature``: base64 HMAC-SHA1 of the URL and the sorted form fields."""
    data = url + "".join(f"{k}{params[k]}" for k in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


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
    return error_response(err, body, status=status)


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
    to, sender, service, text, callback = (
        str(form.get(k) or "")
        for k in ("To", "From", "MessagingServiceSid", "Body", "StatusCallback")
    )
    if not to:
        raise ApiError("bad_request", "A 'To' phone number is required.", code=21604)
    if not _E164.match(to):
        raise ApiError(
            "bad_request", f"The 'To' number {to} is not a valid phone number.", code=21211
        )
    if service and service != CREDENTIALS["sms"]["messaging_service_sid"]:
        raise ApiError("not_found", f"Messaging Service {service} not found", status=400,
                       code=21701)  # fmt: skip
    if not sender and not service:
        raise ApiError("bad_request", "A 'From' phone number is required.", code=21603)
    if not text:
        raise ApiError("bad_request", "Message body is required.", code=21602)
    if len(text) > 1600:
        raise ApiError(
            "bad_request",
            "The concatenated message body exceeds the 1600 character limit.",
            code=21617,
        )
    if callback and not callback.startswith(("http://", "https://")):
        raise ApiError("bad_request", "The StatusCallback URL is not valid.", code=21609)
    state = state_of(request)
    sid = "SM" + hashlib.md5(f"{state.seed}:{to}:{len(state.sent)}".encode()).hexdigest()
    count, encoding = segments(text)
    now = formatdate(state.now(), usegmt=True)
    body = {
        "sid": sid,
        "account_sid": account,
        "messaging_service_sid": service or None,
        "to": to,
        "from": sender or None,  # a service picks its sender after accepting
        "body": text,
        "status": "accepted" if service else "queued",
        "num_segments": str(count),
        "num_media": "0",
        "direction": "outbound-api",
        "api_version": "2010-04-01",
        "price": None,
        "price_unit": "USD",
        "error_code": None,
        "error_message": None,
        "date_created": now,
        "date_updated": now,
        "date_sent": None,
        "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
        "subresource_uris": {"media": f"/2010-04-01/Accounts/{account}/Messages/{sid}/Media.json"},
    }
    state.sms_messages[sid] = body | {"encoding": encoding}
    if callback:
        state.sms_callbacks[sid] = callback
    record_message(request.app, channel="sms", recipient=to, message_id=sid, text=text)
    return json_response(body, status=201)


def _public(message: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in message.items() if k != "encoding"}


@endpoint(SMS, "messages.fetch", auth=_auth, limit="sms.api")
async def fetch_message(request: web.Request, account: str) -> web.Response:
    message = state_of(request).sms_messages.get(request.match_info["message_sid"])
    if message is None:
        raise ApiError("not_found", f"The requested resource {request.path} was not found")
    return json_response(_public(message))


@endpoint(SMS, "messages.list", auth=_auth, limit="sms.api")
async def list_messages(request: web.Request, account: str) -> web.Response:
    q = request.query
    try:
        size = min(1000, max(1, int(q.get("PageSize", 50))))
        page = max(0, int(q.get("Page", 0)))
    except ValueError:
        raise ApiError("bad_request", "PageSize and Page must be integers", code=20001) from None
    found = [
        _public(m) for m in reversed(state_of(request).sms_messages.values())
        if (not q.get("To") or m["to"] == q["To"]) and (not q.get("From") or m["from"] == q["From"])
    ]  # fmt: skip
    base = f"/2010-04-01/Accounts/{account}/Messages.json"
    filters = {k: q[k] for k in ("To", "From") if q.get(k)}

    def uri(n: int) -> str:
        return base + "?" + urlencode({**filters, "PageSize": size, "Page": n})

    items = found[page * size : (page + 1) * size]
    more = (page + 1) * size < len(found)
    return json_response({
        "messages": items, "page": page, "page_size": size, "uri": uri(page),
        "first_page_uri": uri(0), "previous_page_uri": uri(page - 1) if page else None,
        "next_page_uri": uri(page + 1) if more else None,
        "start": page * size, "end": page * size + max(0, len(items) - 1),
    })  # fmt: skip


def _status_callback(
    app: web.Application, event: dict[str, Any]
) -> tuple[str, bytes, dict[str, str]] | None:
    """Twilio's status callback for a delivery or failure, to the message's own URL."""
    state = app[STATE_KEY]
    status = _STATUS.get(str(event.get("type")))
    sid = str(event.get("message_id") or "")
    message = state.sms_messages.get(sid)
    if status is None or message is None:
        return None
    message["status"] = status
    if status == "undelivered":
        message["error_code"] = int(event.get("error_code") or 30003)
        message["error_message"] = "Unreachable destination handset"
    url = state.sms_callbacks.get(sid)
    if url is None:
        return None
    form = {
        "AccountSid": message["account_sid"], "ApiVersion": "2010-04-01",
        "From": message["from"] or CREDENTIALS["sms"]["from_number"], "To": message["to"],
        "MessageSid": sid, "SmsSid": sid, "MessageStatus": status, "SmsStatus": status,
    }  # fmt: skip
    if message["messaging_service_sid"]:
        form["MessagingServiceSid"] = message["messaging_service_sid"]
    if status == "undelivered":
        form["ErrorCode"] = str(message["error_code"])
    signature = twilio_signature(CREDENTIALS["sms"]["auth_token"], url, form)
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "X-Twilio-Signature": signature}  # fmt: skip
    return url, urlencode(form).encode(), headers


def register(app: web.Application) -> None:
    base = "/sms/2010-04-01/Accounts/{sid}/Messages"
    app.router.add_post(base + ".json", create_message)
    app.router.add_get(base + ".json", list_messages)
    app.router.add_get(base + "/{message_sid}.json", fetch_message)
    tracking.add_status_format(app, "sms", _status_callback)
