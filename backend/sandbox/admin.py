"""The admin API under ``/_admin/``: knobs and counters for tests, benchmarks and the UI.

GET  /_admin/health                    seed, uptime
GET  /_admin/counters                  what the sandbox saw (see state.Counters)
POST /_admin/reset                     counters, writes, mail, faults, limits -> fresh
GET  /_admin/faults   POST {"global": {...}, "platforms": {"shopee": {...}|null}}
GET  /_admin/limits   POST {"whatsapp.messages": {"limit", "window_sec", "burst"}}
GET  /_admin/credentials               the test credentials the sandbox accepts
POST /_admin/tokens/expire {"platform"?}   expire live access tokens (force a refresh)
POST /_admin/clock {"advance_sec"}     move the platforms' clock (prices move with it)
GET  /_admin/mail?to=&after_id=        stored emails
GET  /_admin/sent?channel=&recipient=  outgoing messages of every channel
GET  /_admin/webhook  POST {"url", "secret"?}  where tracking events go (null to stop),
                       signed with "secret" (default: the install's webhook secret)
GET  /_admin/webhooks POST {"whatsapp": url|null}   platform-shaped status webhooks
GET  /_admin/tracking?message_id=&recipient=   tracking events so far; POST {"speed"}
POST /_admin/whatsapp/sessions {"phones": [...], "enforce_window": bool}
POST /_admin/whatsapp/templates {"name", "language", "body"}   approve a template
POST /_admin/telegram/chats {"unknown": [...], "blocked": [...]}   chats the bot cannot reach
GET  /_admin/price_history?platform=&sku=
POST /_admin/crisis/replay             (see social.py)
POST /_admin/social/volume {"per_min"} (see social.py)
POST /_admin/images/warm {"products"}  render product images ahead (GET: progress)
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import orjson
from aiohttp import web

import backend.sandbox as sandbox_package
from backend.sandbox import tracking
from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.faults import FaultSpec
from backend.sandbox.limits import LimitRule
from backend.sandbox.platform import json_response, state_of
from backend.sandbox.whatsapp_templates import ApprovedTemplate

__all__ = ["register"]


async def _body(request: web.Request) -> dict[str, Any]:
    raw = await request.read()
    try:
        data = orjson.loads(raw) if raw else {}
    except orjson.JSONDecodeError:
        raise web.HTTPBadRequest(text="body must be JSON") from None
    if not isinstance(data, dict):
        raise web.HTTPBadRequest(text="body must be a JSON object")
    return data


def _bad(message: str) -> web.HTTPBadRequest:
    body = orjson.dumps({"error": message}).decode()
    return web.HTTPBadRequest(text=body, content_type="application/json")


async def health(request: web.Request) -> web.Response:
    state = state_of(request)
    return json_response(
        {"ok": True, "seed": state.seed, "uptime_sec": round(time.time() - state.started_at, 3)}
    )


async def counters(request: web.Request) -> web.Response:
    return json_response(state_of(request).counters.snapshot())


async def reset(request: web.Request) -> web.Response:
    state_of(request).reset()
    tracking.clear(request.app)
    return json_response({"ok": True})


async def get_faults(request: web.Request) -> web.Response:
    return json_response(state_of(request).faults.snapshot())


async def set_faults(request: web.Request) -> web.Response:
    plan = state_of(request).faults
    data = await _body(request)
    try:
        if "global" in data:
            plan.global_spec = FaultSpec.from_dict(data["global"] or {})
        for name, spec in (data.get("platforms") or {}).items():
            if spec is None:
                plan.platforms.pop(name, None)
            else:
                plan.platforms[name] = FaultSpec.from_dict(spec)
    except (TypeError, ValueError) as exc:
        raise _bad(str(exc)) from None
    return json_response(plan.snapshot())


async def get_limits(request: web.Request) -> web.Response:
    return json_response(state_of(request).limits.snapshot())


async def set_limits(request: web.Request) -> web.Response:
    limiter = state_of(request).limits
    data = await _body(request)
    try:
        rules = {name: LimitRule(**spec) for name, spec in data.items()}
    except TypeError as exc:
        raise _bad(str(exc)) from None
    for name, rule in rules.items():
        if rule.window_sec <= 0:
            raise _bad(f"{name}: window_sec must be positive")
        limiter.set_rule(name, rule)
    return json_response(limiter.snapshot())


async def credentials(request: web.Request) -> web.Response:
    return json_response(CREDENTIALS)


async def expire_tokens(request: web.Request) -> web.Response:
    state = state_of(request)
    data = await _body(request)
    n = state.tokens.expire(data.get("platform"), now=state.now())
    return json_response({"expired": n})


async def clock(request: web.Request) -> web.Response:
    state = state_of(request)
    data = await _body(request)
    state.clock_offset += float(data.get("advance_sec", 0))
    return json_response({"now": state.now(), "offset_sec": state.clock_offset})


async def mail(request: web.Request) -> web.Response:
    state = state_of(request)
    to = request.query.get("to", "").lower()
    after = int(request.query.get("after_id", 0))
    items = [
        m
        for m in state.mail
        if m["id"] > after and (not to or to in (r.lower() for r in m["envelope_to"]))
    ]
    return json_response(
        {"count": len(items), "items": items[: int(request.query.get("limit", 500))]}
    )


async def sent(request: web.Request) -> web.Response:
    state = state_of(request)
    channel = request.query.get("channel")
    recipient = request.query.get("recipient")
    items = [
        m
        for m in state.sent
        if (not channel or m["channel"] == channel)
        and (not recipient or m["recipient"] == recipient)
    ]
    limit = int(request.query.get("limit", 1000))
    return json_response({"count": len(items), "items": items[-limit:]})


async def get_webhook(request: web.Request) -> web.Response:
    return json_response({"url": state_of(request).webhook_url})


async def set_webhook(request: web.Request) -> web.Response:
    data = await _body(request)
    url = data.get("url")
    if url is not None and not str(url).startswith(("http://", "https://")):
        raise _bad("url must be http(s)")
    secret = data.get("secret")
    if secret is not None and (not isinstance(secret, str) or not secret):
        raise _bad("secret must be a non-empty string")
    state_of(request).webhook_url = url
    state_of(request).webhook_secret = secret
    return json_response({"url": url})


async def webhooks(request: web.Request) -> web.Response:
    state = state_of(request)
    if request.method == "POST":
        for platform, url in (await _body(request)).items():
            if url is None:
                state.platform_webhooks.pop(platform, None)
            elif not str(url).startswith(("http://", "https://")):
                raise _bad(f"{platform}: url must be http(s)")
            else:
                state.platform_webhooks[platform] = str(url)
    return json_response(state.platform_webhooks)


async def approve_template(request: web.Request) -> web.Response:
    data = await _body(request)
    if not all(isinstance(data.get(k), str) and data[k] for k in ("name", "language", "body")):
        raise _bad("name, language and body are required strings")
    template = ApprovedTemplate(data["name"], data["language"], data["body"],
                                str(data.get("category") or "MARKETING"))  # fmt: skip
    state_of(request).whatsapp_templates[(template.name, template.language)] = template
    return json_response({"approved": len(state_of(request).whatsapp_templates)})


async def get_tracking(request: web.Request) -> web.Response:
    state = state_of(request)
    limit = int(request.query.get("limit", 1000))
    message_id, recipient = request.query.get("message_id"), request.query.get("recipient")
    events = [
        e
        for e in state.tracking_events
        if (not message_id or e["message_id"] == message_id)
        and (not recipient or e["recipient"] == recipient)
    ]
    return json_response(
        {
            "speed": state.tracking_speed,
            "count": len(events),
            "events": events[-limit:],
        }
    )


async def set_tracking(request: web.Request) -> web.Response:
    state = state_of(request)
    data = await _body(request)
    speed = float(data.get("speed", state.tracking_speed))
    if speed <= 0:
        raise _bad("speed must be positive")
    state.tracking_speed = speed
    return json_response({"speed": speed})


async def whatsapp_sessions(request: web.Request) -> web.Response:
    state = state_of(request)
    data = await _body(request)
    for phone in data.get("phones") or []:
        state.whatsapp_sessions.add("".join(ch for ch in str(phone) if ch.isdigit()))
    if "enforce_window" in data:
        state.whatsapp_enforce_window = bool(data["enforce_window"])
    return json_response(
        {"sessions": len(state.whatsapp_sessions), "enforce_window": state.whatsapp_enforce_window}
    )


async def telegram_chats(request: web.Request) -> web.Response:
    state = state_of(request)
    data = await _body(request)
    state.telegram_unknown_chats.update(str(c) for c in data.get("unknown") or [])
    state.telegram_blocked_chats.update(str(c) for c in data.get("blocked") or [])
    return json_response({"unknown": sorted(state.telegram_unknown_chats),
                          "blocked": sorted(state.telegram_blocked_chats)})  # fmt: skip


async def price_history(request: web.Request) -> web.Response:
    state = state_of(request)
    platform, sku = request.query.get("platform"), request.query.get("sku")
    items = [
        h
        for h in state.price_history
        if (not platform or h["platform"] == platform) and (not sku or h["sku"] == sku)
    ]
    return json_response({"count": len(items), "items": items[-5000:]})


async def index(request: web.Request) -> web.Response:
    """``GET /``: what this server plays and where (for people trying a dry run)."""
    state = state_of(request)
    return json_response(
        {
            "name": "SPIO platform sandbox",
            "seed": state.seed,
            "about": (sandbox_package.__doc__ or "").strip(),
            "admin": (__doc__ or "").strip(),
            "credentials": "/_admin/credentials",
        }
    )


async def ping(request: web.Request) -> web.Response:
    return web.Response(body=b'{"ok":true}', content_type="application/json")


async def echo(request: web.Request) -> web.Response:
    """``GET /echo?delay_ms=20``: a fixed-latency endpoint for fan-out benchmarks."""
    delay = float(request.query.get("delay_ms", 0)) / 1000
    if delay > 0:
        await asyncio.sleep(min(delay, 30.0))
    return web.Response(body=b'{"ok":true}', content_type="application/json")


def register(app: web.Application) -> None:
    r = app.router
    r.add_get("/_admin/health", health)
    r.add_get("/_admin/counters", counters)
    r.add_post("/_admin/reset", reset)
    r.add_get("/_admin/faults", get_faults)
    r.add_post("/_admin/faults", set_faults)
    r.add_get("/_admin/limits", get_limits)
    r.add_post("/_admin/limits", set_limits)
    r.add_get("/_admin/credentials", credentials)
    r.add_post("/_admin/tokens/expire", expire_tokens)
    r.add_post("/_admin/clock", clock)
    r.add_get("/_admin/mail", mail)
    r.add_get("/_admin/sent", sent)
    r.add_get("/_admin/webhook", get_webhook)
    r.add_post("/_admin/webhook", set_webhook)
    r.add_get("/_admin/tracking", get_tracking)
    r.add_post("/_admin/tracking", set_tracking)
    r.add_post("/_admin/whatsapp/sessions", whatsapp_sessions)
    r.add_post("/_admin/whatsapp/templates", approve_template)
    r.add_post("/_admin/telegram/chats", telegram_chats)
    r.add_route("*", "/_admin/webhooks", webhooks)
    r.add_get("/_admin/price_history", price_history)
    r.add_get("/", index)
    r.add_get("/ping", ping)
    r.add_get("/echo", echo)
