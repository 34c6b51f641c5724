"""Public replies to social posts (the crisis monitor's auto-responses).

    POST /social/v1/replies {"platform", "post_id", "text"}   (Bearer social token,
                                                              Idempotency-Key honoured)
Replies are counted per post in ``counters.messages["social_reply"]`` so tests can see
that each post got at most one.
"""

from __future__ import annotations

import hashlib

from aiohttp import web

from backend.sandbox.platform import ApiError, endpoint, json_response, read_json, state_of
from backend.sandbox.social import SOCIAL, _auth

__all__ = ["register"]


@endpoint(SOCIAL, "replies", auth=_auth, limit="social.api", mutating=True)
async def reply(request: web.Request, account: str) -> web.Response:
    body = await read_json(request)
    platform, post_id, text = body.get("platform"), body.get("post_id"), body.get("text")
    if platform not in ("twitter", "instagram", "facebook", "tiktok") or not post_id or not text:
        raise ApiError("bad_request", "platform, post_id and text are required")
    if len(str(text)) > 1000:
        raise ApiError("bad_request", "text longer than 1000 characters")
    state = state_of(request)
    state.counters.messages["social_reply"][f"{platform}:{post_id}"] += 1
    reply_id = hashlib.sha1(f"{platform}:{post_id}:{text}".encode()).hexdigest()[:16]
    return json_response({"id": reply_id, "platform": platform, "post_id": post_id})


def register(app: web.Application) -> None:
    app.router.add_post("/social/v1/replies", reply)
