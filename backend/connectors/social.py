"""Social feeds: Twitter/X recent search, Instagram tags, Facebook page feed, TikTok
comments, plus daily account insights, all mapped to :class:`Post` / :class:`DailyStat`.

Every feed is polled with the last post id seen (``since``), returned as the page's
``next_cursor``; keep it between polls to get only what is new. Before there is a
cursor, ``start_time`` says how far back to read (each API's own parameter: Twitter's
``start_time``, the Graph API's ``since``, TikTok's ``start_time``); without either, a
feed returns its default recent window.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
from pydantic import BaseModel, Field, SecretStr

from backend.connectors import market
from backend.connectors.base import Rejected
from backend.connectors.common import send
from backend.connectors.defaults import default_value
from backend.connectors.types import DailyStat, Page, Post

__all__ = ["SocialConfig", "SocialConnector", "raise_for_response", "PLATFORMS"]

PLATFORM = "social"
PLATFORMS = ("twitter", "instagram", "facebook", "tiktok")


class SocialConfig(BaseModel):
    """Social APIs. Defaults talk to the sandbox."""

    base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "base_url"),
        description="Root under which /twitter, /instagram, /facebook and "
        "/tiktok APIs live (the sandbox by default).",
    )
    api_version: str = Field("v19.0", description="Graph version for Instagram/Facebook.")
    access_token: SecretStr = Field(
        default_factory=lambda: SecretStr(default_value(PLATFORM, "access_token")),
        description="Bearer token for the social APIs.",
    )


def raise_for_response(response: httpx.Response, *, platform: str) -> Any:
    """The social APIs' errors are ``{"error": {"code", "message"}}`` like the market's."""
    return market.raise_for_response(response, platform=platform)


def _ts(value: str | int) -> datetime:
    if isinstance(value, int):
        return datetime.fromtimestamp(value, UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


class SocialConnector:
    """New posts mentioning the brand, and account insights."""

    platform = PLATFORM

    def __init__(self, *, client: httpx.AsyncClient, config: SocialConfig | None = None) -> None:
        self._config = config or SocialConfig()
        self._client = client
        self._base = self._config.base_url.rstrip("/")

    async def _get(self, platform: str, path: str, params: dict[str, Any]) -> Any:
        headers = {"Authorization": f"Bearer {self._config.access_token.get_secret_value()}"}
        response = await send(
            self._client,
            "GET",
            self._base + path,
            platform=platform,
            params=params,
            headers=headers,
        )
        return raise_for_response(response, platform=platform)

    async def new_posts(
        self,
        platform: str,
        account: str,
        *,
        since: str | None = None,
        start_time: datetime | None = None,
        limit: int = 100,
    ) -> Page[Post]:
        """Posts newer than ``since`` (a previous page's next_cursor), else created at or
        after ``start_time``; oldest first."""
        v = self._config.api_version
        start = None if since or start_time is None else start_time.astimezone(UTC)
        if platform == "twitter":
            params: dict[str, Any] = {"query": account, "max_results": limit}
            if since:
                params["since_id"] = since
            elif start is not None:
                params["start_time"] = start.isoformat(timespec="seconds").replace("+00:00", "Z")
            body = await self._get(platform, "/twitter/2/tweets/search/recent", params)
            users = {u["id"]: u for u in body.get("includes", {}).get("users", [])}
            posts = [
                self._tweet(t, users.get(t["author_id"], {}), account) for t in body.get("data", [])
            ]
        elif platform in ("instagram", "facebook"):
            path = (
                f"/instagram/{v}/{account}/tags"
                if platform == "instagram"
                else (f"/facebook/{v}/{account}/feed")
            )
            params = {"limit": limit, **({"after": since} if since else {})}
            if start is not None:
                params["since"] = int(start.timestamp())
            body = await self._get(platform, path, params)
            posts = [self._graph(platform, account, p) for p in body.get("data", [])]
        elif platform == "tiktok":
            params = {
                "account": account,
                "max_count": limit,
                **({"cursor": since} if since else {}),
            }
            if start is not None:
                params["start_time"] = int(start.timestamp())
            body = await self._get(platform, "/tiktok/v2/comments/list", params)
            posts = [self._tiktok(account, c) for c in body["data"].get("comments", [])]
        else:
            raise Rejected(f"unknown social platform {platform}", platform=PLATFORM)
        cursor = posts[-1].post_id.rsplit("_", 1)[-1] if posts else since
        return Page(items=posts, next_cursor=cursor)

    @staticmethod
    def _tweet(t: dict[str, Any], user: dict[str, Any], account: str) -> Post:
        metrics = t.get("public_metrics") or {}
        return Post(
            platform="twitter",
            post_id=t["id"],
            account=account,
            text=t["text"],
            created_at=_ts(t["created_at"]),
            author_id=t["author_id"],
            author_handle=user.get("username", ""),
            author_name=user.get("name", ""),
            author_verified=bool(user.get("verified")),
            author_followers=int((user.get("public_metrics") or {}).get("followers_count", 0)),
            likes=metrics.get("like_count", 0),
            shares=metrics.get("retweet_count", 0) + metrics.get("quote_count", 0),
            comments=metrics.get("reply_count", 0),
            url=f"https://x.com/i/web/status/{t['id']}",
        )

    @staticmethod
    def _graph(platform: str, account: str, p: dict[str, Any]) -> Post:
        if platform == "instagram":
            owner = p.get("owner") or {}
            return Post(
                platform=platform,
                post_id=p["id"],
                account=account,
                text=p["caption"],
                created_at=_ts(p["timestamp"]),
                author_id=owner.get("id", ""),
                author_handle=p.get("username", ""),
                author_verified=bool(owner.get("verified")),
                author_followers=int(owner.get("followers_count", 0)),
                likes=p.get("like_count", 0),
                shares=p.get("share_count", 0),
                comments=p.get("comments_count", 0),
                url=p.get("permalink"),
            )
        author = p.get("from") or {}
        return Post(
            platform=platform,
            post_id=p["id"],
            account=account,
            text=p["message"],
            created_at=_ts(p["created_time"]),
            author_id=author.get("id", ""),
            author_handle=author.get("name", ""),
            author_name=author.get("name", ""),
            author_verified=bool(author.get("verified")),
            author_followers=int(author.get("followers_count", 0)),
            likes=p.get("reactions", {}).get("summary", {}).get("total_count", 0),
            shares=p.get("shares", {}).get("count", 0),
            comments=p.get("comments", {}).get("summary", {}).get("total_count", 0),
            url=p.get("permalink_url"),
        )

    @staticmethod
    def _tiktok(account: str, c: dict[str, Any]) -> Post:
        user = c.get("user") or {}
        return Post(
            platform="tiktok",
            post_id=c["id"],
            account=account,
            text=c["text"],
            created_at=_ts(int(c["create_time"])),
            author_id=user.get("open_id", ""),
            author_handle=user.get("username", ""),
            author_name=user.get("display_name", ""),
            author_verified=bool(user.get("is_verified")),
            author_followers=int(user.get("follower_count", 0)),
            likes=c.get("like_count", 0),
            shares=c.get("share_count", 0),
            comments=c.get("reply_count", 0),
        )

    async def insights(
        self, platform: str, account: str, *, start: date, end: date
    ) -> list[DailyStat]:
        """Followers, reach, views and engagement per day."""
        body = await self._get(
            platform,
            f"/{platform}/insights/daily",
            {"account": account, "start": start.isoformat(), "end": end.isoformat()},
        )
        return [
            DailyStat(
                platform=platform,
                day=date.fromisoformat(r["date"]),
                metrics={k: float(v) for k, v in r.items() if k != "date"},
            )
            for r in body.get("data", [])
        ]
