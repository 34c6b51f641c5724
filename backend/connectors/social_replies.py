"""Public replies to social posts: the crisis monitor's auto-responses.

One endpoint for every platform (the sandbox's; a real install maps each platform's own
reply call here). Mutations carry an ``Idempotency-Key`` so a retried reply is one reply.
"""

from __future__ import annotations

import httpx

from backend.connectors.common import idempotency_headers, send
from backend.connectors.social import SocialConfig, raise_for_response

__all__ = ["SocialReplies"]


class SocialReplies:
    """Replies under posts, with the social token of :class:`SocialConfig`."""

    platform = "social"

    def __init__(self, *, client: httpx.AsyncClient, config: SocialConfig | None = None) -> None:
        self._config = config or SocialConfig()
        self._client = client

    async def reply(self, platform: str, post_id: str, text: str, *, idempotency_key: str) -> str:
        """Post ``text`` under the post; returns the reply's id."""
        headers = {"Authorization": f"Bearer {self._config.access_token.get_secret_value()}",
                   **idempotency_headers(idempotency_key)}  # fmt: skip
        response = await send(
            self._client, "POST", self._config.base_url.rstrip("/") + "/social/v1/replies",
            platform=platform, headers=headers,
            json={"platform": platform, "post_id": post_id, "text": text},
        )  # fmt: skip
        return str(raise_for_response(response, platform=platform)["id"])
