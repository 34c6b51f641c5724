"""Social feeds (Instagram, Twitter/X, TikTok, Facebook) and the crisis replay.

    GET /twitter/2/tweets/search/recent?query=@brand&since_id=&start_time=&max_results=
    GET /instagram/v19.0/{account}/tags?after=&since=&limit=   (Graph-style cursors)
    GET /facebook/v19.0/{account}/feed?after=&since=&limit=
    GET /tiktok/v2/comments/list?account=@brand&cursor=&start_time=&max_count=
    GET /{platform}/insights/daily?account=&start=&end=        followers, reach, views...
    POST /_admin/crisis/replay {"platforms": [...], "account"?, "count": 120,
                               "over_sec": 60}
    POST /_admin/social/volume {"per_min": 2500, "platforms"?: [...]}   from now on, each
                               brand account posts ``per_min`` a minute (null: as seeded)
Bearer token (``social`` credentials). The cursor of every feed is the last post id
seen (ids grow with time), so pollers ask "what is new since". Without a cursor a feed
starts at ``start_time`` / ``since`` (ISO 8601 or unix seconds), else 5 minutes back.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.data.posts import BRAND_ACCOUNTS, crisis_burst, posts_between
from backend.sandbox.data.rng import unit
from backend.sandbox.data.series import day_range, demand_factor
from backend.sandbox.platform import (
    ApiError,
    Platform,
    bearer_token,
    endpoint,
    json_response,
    plain_error,
    read_json,
    state_of,
)

__all__ = ["register", "feed"]




SOCIAL = Platform("social", plain_error)


async def _auth(request: web.Request) -> str:
    if bearer_token(request) != CREDENTIALS["social"]["access_token"]:
        raise ApiError("auth", "Invalid or expired token")
    return "social"


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat().replace("+00:00", "Z")


def _start_ms(value: str, now: float) -> int:
    """A feed's first window: ``value`` as unix seconds or ISO 8601, else 5 minutes."""
    if not value:
        return int((now - 300) * 1000)
    try:
        if value.replace(".", "", 1).isdigit():
            return int(float(value) * 1000)
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)
    except ValueError:
        raise ApiError("bad_request", f"invalid start time {value!r}") from None


def feed(
    request: web.Request, platform: str, account: str, *, after: str, limit: int,
    start: str = "",
) -> list[dict[str, Any]]:  # fmt: skip
    """Posts newer than id ``after`` (exclusive), oldest first, at most ``limit``; with no
    ``after``, those created from ``start`` on."""
    state = state_of(request)
    after_ms = int(after) // 1000 if after.isdigit() else _start_ms(start, state.now())
    after_id = int(after) if after.isdigit() else 0
    now = state.now()
    busy = state.social_volume.get(f"{platform}:{account}")
    seeded = posts_between(
        state.seed,
        platform,
        account,
        epoch=state.started_at,
        after_ms=after_ms - 1,
        until=min(now, busy[0] - 0.001) if busy else now,
        limit=limit + 5,
    )
    if busy:  # the busier stream from the moment the admin asked for it
        since, gap = busy
        seeded += posts_between(state.seed, platform, account, epoch=since, gap=gap,
                                history=False, after_ms=after_ms - 1, until=now,
                                limit=limit + 5)  # fmt: skip
    injected = [
        p
        for p in state.crisis_posts.get(f"{platform}:{account}", [])
        if after_ms <= p["created_ms"] <= now * 1000
    ]
    merged = sorted(
        (p for p in seeded + injected if int(p["id"]) > after_id), key=lambda p: int(p["id"])
    )
    state.counters.requests[f"social.{platform}.posts"] += len(merged[:limit])
    return merged[:limit]


def _limit(request: web.Request, name: str, default: int, hi: int) -> int:
    try:
        value = int(request.query.get(name, default))
    except ValueError:
        raise ApiError("bad_request", f"{name} must be an integer") from None
    if not 1 <= value <= hi:
        raise ApiError("bad_request", f"{name} must be 1..{hi}")
    return value


@endpoint(SOCIAL, "twitter.search", auth=_auth)
async def twitter_search(request: web.Request, account: str) -> web.Response:
    query = request.query.get("query", "")
    handle = next((w for w in query.split() if w.startswith("@")), BRAND_ACCOUNTS["twitter"])
    posts = feed(
        request,
        "twitter",
        handle,
        after=request.query.get("since_id", ""),
        limit=_limit(request, "max_results", 10, 100),
        start=request.query.get("start_time", ""),
    )
    data = [
        {
            "id": p["id"],
            "text": p["text"],
            "author_id": p["author"]["id"],
            "created_at": _iso(p["created_ms"]),
            "lang": "in",
            "public_metrics": {
                "retweet_count": p["shares"],
                "reply_count": p["comments"],
                "like_count": p["likes"],
                "quote_count": 0,
            },
        }
        for p in posts
    ]
    users = {
        p["author"]["id"]: {
            "id": p["author"]["id"],
            "name": p["author"]["name"],
            "username": p["author"]["username"],
            "verified": p["author"]["verified"],
            "public_metrics": {"followers_count": p["author"]["followers"]},
        }
        for p in posts
    }
    meta: dict[str, Any] = {"result_count": len(data)}
    if data:
        meta.update(newest_id=data[-1]["id"], oldest_id=data[0]["id"])
    return json_response({"data": data, "includes": {"users": list(users.values())}, "meta": meta})


def _graph_feed(platform: str) -> Any:
    @endpoint(SOCIAL, f"{platform}.feed", auth=_auth)
    async def handler(request: web.Request, account: str) -> web.Response:
        acct = request.match_info["account"]
        posts = feed(
            request,
            platform,
            acct,
            after=request.query.get("after", ""),
            limit=_limit(request, "limit", 25, 100),
            start=request.query.get("since", ""),
        )
        if platform == "instagram":
            data = [
                {
                    "id": p["id"],
                    "caption": p["text"],
                    "timestamp": _iso(p["created_ms"]),
                    "username": p["author"]["username"],
                    "like_count": p["likes"],
                    "comments_count": p["comments"],
                    "share_count": p["shares"],
                    "media_type": "IMAGE",
                    "owner": {
                        "id": p["author"]["id"],
                        "username": p["author"]["username"],
                        "verified": p["author"]["verified"],
                        "followers_count": p["author"]["followers"],
                    },
                    "permalink": f"https://www.instagram.com/p/{p['id']}/",
                }
                for p in posts
            ]
        else:
            data = [
                {
                    "id": f"{acct}_{p['id']}",
                    "message": p["text"],
                    "created_time": _iso(p["created_ms"]),
                    "from": {
                        "id": p["author"]["id"],
                        "name": p["author"]["name"],
                        "verified": p["author"]["verified"],
                        "followers_count": p["author"]["followers"],
                    },
                    "shares": {"count": p["shares"]},
                    "reactions": {"summary": {"total_count": p["likes"]}},
                    "comments": {"summary": {"total_count": p["comments"]}},
                    "permalink_url": f"https://facebook.com/{acct}/posts/{p['id']}",
                }
                for p in posts
            ]
        last = posts[-1]["id"] if posts else request.query.get("after", "")
        return json_response({"data": data, "paging": {"cursors": {"after": last}}})

    return handler


@endpoint(SOCIAL, "tiktok.comments", auth=_auth)
async def tiktok_comments(request: web.Request, account: str) -> web.Response:
    acct = request.query.get("account", BRAND_ACCOUNTS["tiktok"])
    posts = feed(
        request,
        "tiktok",
        acct,
        after=request.query.get("cursor", ""),
        limit=_limit(request, "max_count", 50, 100),
        start=request.query.get("start_time", ""),
    )
    comments = [
        {
            "id": p["id"],
            "text": p["text"],
            "create_time": p["created_ms"] // 1000,
            "like_count": p["likes"],
            "share_count": p["shares"],
            "reply_count": p["comments"],
            "user": {
                "open_id": p["author"]["id"],
                "username": p["author"]["username"],
                "display_name": p["author"]["name"],
                "is_verified": p["author"]["verified"],
                "follower_count": p["author"]["followers"],
            },
        }
        for p in posts
    ]
    cursor = posts[-1]["id"] if posts else request.query.get("cursor", "")
    return json_response(
        {
            "data": {
                "comments": comments,
                "cursor": cursor,
                "has_more": len(posts) == _limit(request, "max_count", 50, 100),
            },
            "error": {"code": "ok", "message": "", "log_id": "sandbox"},
        }
    )


@endpoint(SOCIAL, "insights", auth=_auth)
async def insights(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    platform = request.match_info["platform"]
    accounts = {**BRAND_ACCOUNTS, "youtube": "@brand"}  # a channel's stats, no feed
    if platform not in accounts:
        raise ApiError("not_found", "Unknown platform")
    acct = request.query.get("account", accounts[platform])
    try:
        days = day_range(
            now=state.now(), start=request.query.get("start"), end=request.query.get("end")
        )
    except ValueError:
        raise ApiError("bad_request", "start/end must be YYYY-MM-DD") from None
    rows = []
    base = {"instagram": 182_000, "tiktok": 341_000, "twitter": 45_000, "facebook": 120_000,
            "youtube": 64_000}  # fmt: skip
    for i, d in enumerate(days):
        u = unit(state.seed, "insights", platform, acct, d.isoformat())
        followers = int(base[platform] * (1 + 0.0015 * (d.toordinal() % 1000)) + i * 40)
        reach = int(followers * (0.15 + 0.2 * u) * demand_factor(d))
        rows.append(
            {
                "date": d.isoformat(),
                "followers": followers,
                "reach": reach,
                "views": int(reach * {"tiktok": 1.8, "youtube": 2.6}.get(platform, 1.2)),
                "engagement": int(reach * (0.03 + 0.04 * u)),
                "engagement_rate": round(0.03 + 0.04 * u, 4),
            }
        )
    return json_response({"platform": platform, "account": acct, "data": rows})


async def crisis_replay(request: web.Request) -> web.Response:
    """Admin: inject a burst of negative posts (one viral, one influencer) starting now."""
    state = state_of(request)
    body = await read_json(request) if request.can_read_body else {}
    platforms = body.get("platforms") or list(BRAND_ACCOUNTS)
    count, over = int(body.get("count", 120)), float(body.get("over_sec", 60))
    if any(p not in BRAND_ACCOUNTS for p in platforms) or not 3 <= count <= 5000 or over < 0:
        raise web.HTTPBadRequest(text="platforms must be known, count 3..5000, over_sec >= 0")
    injected = {}
    round_no = len(state.crisis_posts) + sum(len(v) for v in state.crisis_posts.values())
    for p in platforms:
        account = body.get("account") or BRAND_ACCOUNTS[p]
        burst = crisis_burst(
            state.seed, p, account, start=state.now(), over_sec=over, count=count, round_no=round_no
        )
        state.crisis_posts[f"{p}:{account}"].extend(burst)
        injected[p] = {
            "account": account,
            "count": len(burst),
            "first_id": burst[0]["id"],
            "last_id": burst[-1]["id"],
            "viral_id": burst[count // 3]["id"],
            "influencer_id": burst[count // 2]["id"],
            "viral_author": burst[count // 3]["author"]["username"],
            "influencer_author": burst[count // 2]["author"]["username"],
        }
    return json_response({"injected": injected, "over_sec": over})


async def social_volume(request: web.Request) -> web.Response:
    """Admin: from now on the brand accounts of ``platforms`` post ``per_min`` a minute
    (a seller ten times the seed's size); ``per_min`` null goes back to the seeded pace."""
    state = state_of(request)
    body = await read_json(request) if request.can_read_body else {}
    platforms = body.get("platforms") or list(BRAND_ACCOUNTS)
    per_min = body.get("per_min")
    if any(p not in BRAND_ACCOUNTS for p in platforms) or not (
        per_min is None or (isinstance(per_min, int | float) and 1 <= per_min <= 60_000)
    ):
        raise web.HTTPBadRequest(text="platforms must be known, per_min 1..60000 or null")
    since = state.now()
    for p in platforms:
        key = f"{p}:{BRAND_ACCOUNTS[p]}"
        if per_min is None:
            state.social_volume.pop(key, None)
        else:
            state.social_volume[key] = (since, 60.0 / per_min)
    return json_response({"since": since, "per_min": per_min, "platforms": platforms})


def register(app: web.Application) -> None:
    r = app.router
    r.add_get("/twitter/2/tweets/search/recent", twitter_search)
    r.add_get(r"/instagram/{version:v\d+\.\d+}/{account}/tags", _graph_feed("instagram"))
    r.add_get(r"/facebook/{version:v\d+\.\d+}/{account}/feed", _graph_feed("facebook"))
    r.add_get("/tiktok/v2/comments/list", tiktok_comments)
    r.add_get("/{platform}/insights/daily", insights)
    r.add_post("/_admin/crisis/replay", crisis_replay)
    r.add_post("/_admin/social/volume", social_volume)
