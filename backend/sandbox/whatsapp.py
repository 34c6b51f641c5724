"""WhatsApp Cloud API: ``POST /{version}/{phone_number_id}/messages`` and ``/media``.

Bearer token, ``messaging_product: whatsapp``, ``type`` text, document (a link or an
uploaded media id, ``whatsapp_media.py``) or template. As on the platform, a session
(text or document) message to a user who has not written in the last 24 h is
accepted (200 and a message id) and fails later: a status webhook reports
``statuses[].status = "failed"`` with error 131047 (``whatsapp_status.py``). Templates
must be approved in the message's language with the right number of body parameters
(132001 / 132000 at send, ``whatsapp_templates.py``). Over the throughput limit: HTTP
429, code 130429. Errors use Graph's shape: ``{"error": {"message", "type", "code",
"error_subcode", "fbtrace_id"}}``.
"""

from __future__ import annotations

import hashlib
import re

from aiohttp import web

from backend.sandbox import tracking
from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.outbox import record_message
from backend.sandbox.platform import (
    ApiError,
    Platform,
    bearer_token,
    endpoint,
    error_response,
    json_response,
    read_json,
    state_of,
    take_limit,
)
from backend.sandbox.whatsapp_media import document_text, store_media
from backend.sandbox.whatsapp_templates import ApprovedTemplate, as_graph, template_problem

__all__ = ["register", "graph_error", "WHATSAPP"]

_CODES = {
    "auth": (401, 190, "OAuthException", "Invalid OAuth access token - Cannot parse access token"),
    "expired": (401, 190, "OAuthException", "Error validating access token: Session has expired"),
    "rate_limited": (429, 130429, "OAuthException", "(#130429) Rate limit hit"),
    "bad_request": (400, 100, "OAuthException", "(#100) Invalid parameter"),
    "not_found": (400, 100, "GraphMethodException", "Unsupported post request."),
    "forbidden": (403, 10, "OAuthException", "(#10) Permission denied"),
    "server": (500, 1, "OAuthException", "An unknown error occurred"),
}


def graph_error(err: ApiError) -> web.Response:
    """Render an error the way the Graph API does (WhatsApp, Meta catalogs, Facebook Ads)."""
    status, code, typ, default = _CODES[err.kind]
    status = err.status or status
    body = {
        "error": {
            "message": err.message if err.message != err.kind else default,
            "type": typ,
            "code": err.code or code,
            "fbtrace_id": "A" + hashlib.md5(err.message.encode()).hexdigest()[:22],
        }
    }
    if err.kind == "expired":
        body["error"]["error_subcode"] = 463
    if err.kind == "not_found":
        body["error"]["error_subcode"] = 33
    return error_response(err, body, status=status)


WHATSAPP = Platform("whatsapp", graph_error)


async def _auth(request: web.Request) -> str:
    creds = CREDENTIALS["whatsapp"]
    if bearer_token(request) != creds["access_token"]:
        raise ApiError("auth")
    pnid = request.match_info["phone_number_id"]
    if pnid != creds["phone_number_id"]:
        raise ApiError(
            "not_found",
            f"Unsupported post request. Object with ID '{pnid}' does not exist, cannot be "
            "loaded due to missing permissions, or does not support this operation.",
        )
    return pnid


@endpoint(WHATSAPP, "messages", auth=_auth, limit="whatsapp.messages", mutating=True)
async def send_message(request: web.Request, account: str) -> web.Response:
    body = await read_json(request)
    if body.get("messaging_product") != "whatsapp":
        raise ApiError("bad_request", "(#100) The parameter messaging_product is required.")
    to = str(body.get("to") or "")
    wa_id = re.sub(r"\D", "", to)
    if len(wa_id) < 8:
        raise ApiError("bad_request", "(#100) Invalid parameter 'to'", code=100)
    kind = body.get("type", "text")
    state = state_of(request)
    out_of_window = False
    if kind == "text":
        text = (body.get("text") or {}).get("body")
        if not text:
            raise ApiError("bad_request", "(#100) The parameter text['body'] is required.")
        out_of_window = state.whatsapp_enforce_window and wa_id not in state.whatsapp_sessions
    elif kind == "document":  # a session message like text: the window applies
        text = document_text(request, body.get("document"))
        out_of_window = state.whatsapp_enforce_window and wa_id not in state.whatsapp_sessions
    elif kind == "template":
        tpl = body.get("template") or {}
        if not (tpl.get("language") or {}).get("code"):
            raise ApiError("bad_request", "(#100) The parameter template['language'] is required.")
        verdict = template_problem(state.whatsapp_templates, tpl)
        if not isinstance(verdict[0], ApprovedTemplate):
            code, message = verdict
            raise ApiError("bad_request", str(message), code=code)
        approved, params = verdict
        text = _template_text(approved, params)
    else:
        raise ApiError("bad_request", f"(#100) Unsupported message type '{kind}'")
    take_limit(request, WHATSAPP, "whatsapp.pair", wa_id)
    n = len(state.sent) + state.counters.messages_failed["whatsapp"]
    wamid = "wamid.HBgN" + hashlib.sha1(f"{state.seed}:{wa_id}:{n}".encode()).hexdigest()[:32]
    if out_of_window:
        # Accepted now, failed later: the platform reports 131047 in a status webhook.
        state.counters.messages_failed["whatsapp"] += 1
        tracking.schedule_failure(request.app, channel="whatsapp", recipient=wa_id,
                                  message_id=wamid, error_code=131047)  # fmt: skip
        return _accepted(to, wa_id, wamid, kind)
    record_message(
        request.app,
        channel="whatsapp",
        recipient=wa_id,
        message_id=wamid,
        text=text,
        meta={"type": kind, "template": (body.get("template") or {}).get("name")},
    )
    return _accepted(to, wa_id, wamid, kind)


def _accepted(to: str, wa_id: str, wamid: str, kind: str) -> web.Response:
    message = {"id": wamid}
    if kind == "template":
        message["message_status"] = "accepted"
    return json_response(
        {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": wa_id}],
            "messages": [message],
        }
    )


def _template_text(approved: ApprovedTemplate, params: list[str]) -> str:
    """The template's name and its rendered body, so tracked links inside are seen."""
    return f"{approved.name} {approved.render(params)}"


@endpoint(WHATSAPP, "media", auth=_auth)
async def upload_media(request: web.Request, account: str) -> web.Response:
    return json_response({"id": await store_media(request)})


async def _waba_auth(request: web.Request) -> str:
    creds = CREDENTIALS["whatsapp"]
    if bearer_token(request) != creds["access_token"]:
        raise ApiError("auth")
    if request.match_info["waba_id"] != creds["waba_id"]:
        raise ApiError("not_found", "Unsupported get request.")
    return request.match_info["waba_id"]


@endpoint(WHATSAPP, "message_templates", auth=_waba_auth)
async def list_templates(request: web.Request, account: str) -> web.Response:
    data = as_graph(state_of(request).whatsapp_templates)
    return json_response({"data": data, "paging": {"cursors": {"before": "", "after": ""}}})


def register(app: web.Application) -> None:
    app.router.add_post(r"/{version:v\d+\.\d+}/{phone_number_id:\d+}/messages", send_message)
    app.router.add_post(r"/{version:v\d+\.\d+}/{phone_number_id:\d+}/media", upload_media)
    app.router.add_get(
        r"/{version:v\d+\.\d+}/{waba_id:\d+}/message_templates", list_templates
    )
