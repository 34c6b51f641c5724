"""The job tools a workflow reaches through ``ctx.tools``.

``build_tools(settings=..., redis=..., run_id=..., job_id=...)`` returns a :class:`Tools`
whose attributes (``http``, ``kv``, ``state``, ``messaging``, ``metrics``, ``files``,
``multimedia``, ``command``, ``revenue``, and ``platforms``, the door to the platforms'
connectors) are created on first use, so a workflow that
only needs ``kv`` never opens an HTTP pool. Create and use it inside the run's event
loop and ``await tools.aclose()`` at the end of the run.

Tools talk to Redis with an asyncio client. When ``redis`` is a synchronous client (or
None) the container opens its own asyncio client from ``settings.redis_url`` and
closes it in :meth:`Tools.aclose`.

Submodules are imported lazily too: image worker processes spawned by the multimedia
tool import this package and must start fast.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from backend.core.config import Settings

if TYPE_CHECKING:
    from backend.connectors.messages import ChannelConnector
    from backend.connectors.runtime import Platforms
    from backend.tools.command import CommandTool
    from backend.tools.files import FilesTool
    from backend.tools.http import HttpTool
    from backend.tools.kv import KvTool
    from backend.tools.messaging import MessagingTool
    from backend.tools.metrics import MetricsTool
    from backend.tools.multimedia import MultimediaTool
    from backend.tools.revenue import RevenueTool
    from backend.tools.state import StateTool
    from backend.tools.stock import StockTool

__all__ = ["Tools", "build_tools", "default_connectors"]


def _is_async_redis(client: Any) -> bool:
    import redis.asyncio as aioredis

    return isinstance(client, aioredis.Redis)


def default_connectors(*, settings: Settings, client: Any) -> dict[str, ChannelConnector]:
    """The four messaging connectors: each channel's live account, else the defaults."""
    from backend.connectors.registry import CHANNELS
    from backend.connectors.runtime import build_connector

    return {channel: build_connector(cls, model, channel, settings=settings,
                                     client=None if channel == "email" else client)
            for channel, (cls, model) in CHANNELS.items()}  # fmt: skip


class Tools:
    """Lazily built tools of one run of one job."""

    def __init__(
        self,
        *,
        settings: Settings,
        redis: Any,
        run_id: int | str,
        job_id: str,
        connectors: dict[str, Any] | None = None,
        rates: Mapping[str, float] | None = None,
    ) -> None:
        self.settings = settings
        self._rates = rates
        self.run_id = str(run_id)
        self.job_id = job_id
        self._given_redis = redis if _is_async_redis(redis) else None
        self._own_redis: Any = None
        self._connectors = connectors
        self._built: dict[str, Any] = {}

    @property
    def redis(self) -> Any:
        """The asyncio Redis client the tools share."""
        if self._given_redis is not None:
            return self._given_redis
        if self._own_redis is None:
            import redis.asyncio as aioredis

            self._own_redis = aioredis.Redis.from_url(self.settings.redis_url)
        return self._own_redis

    def _get(self, name: str) -> Any:
        tool = self._built.get(name)
        if tool is None:
            tool = self._built[name] = getattr(self, f"_make_{name}")()
        return tool

    # --- factories -----------------------------------------------------------------
    def _make_http(self) -> HttpTool:
        from backend.tools.http import HttpTool

        return HttpTool(settings=self.settings, redis=self.redis)

    def _make_kv(self) -> KvTool:
        from backend.tools.kv import KvTool

        return KvTool(redis=self.redis, prefix=self.settings.redis_prefix, job_id=self.job_id)

    def _make_state(self) -> StateTool:
        from backend.tools.state import StateTool

        return StateTool(job_id=self.job_id)

    def _make_platforms(self) -> Platforms:
        from backend.connectors.door import PlatformCalls
        from backend.connectors.runtime import Platforms
        from backend.core.ratelimit import RateLimiter

        limiter = RateLimiter(redis=self.redis, prefix=self.settings.redis_prefix)
        calls = PlatformCalls(limiter=limiter, rates=self._rates)
        return Platforms(client=self.http.client, calls=calls, settings=self.settings)

    def _make_messaging(self) -> MessagingTool:
        from backend.tools.messaging import CHANNELS, MessagingTool

        connectors = self._connectors or {
            channel: self.platforms.channel(channel) for channel in CHANNELS}
        return MessagingTool(settings=self.settings, redis=self.redis, connectors=connectors,
                             run_id=self.run_id)

    def _make_metrics(self) -> MetricsTool:
        from backend.tools.metrics import MetricsTool

        return MetricsTool(
            redis=self.redis,
            prefix=self.settings.redis_prefix,
            job_id=self.job_id,
            run_id=self.run_id,
        )

    def _make_files(self) -> FilesTool:
        from backend.tools.files import FilesTool

        return FilesTool(root=self.settings.artifacts_dir, job_id=self.job_id, run_id=self.run_id)

    def _make_multimedia(self) -> MultimediaTool:
        from backend.tools.multimedia import MultimediaTool

        return MultimediaTool(
            artifacts_dir=self.settings.artifacts_dir,
            http=self.http,
            workers=self.settings.multimedia_workers,
        )

    def _make_command(self) -> CommandTool:
        from backend.tools.command import CommandTool

        return CommandTool(
            allow=self.settings.command_allow, timeout_sec=self.settings.command_timeout_sec
        )

    def _make_revenue(self) -> RevenueTool:
        from backend.tools.revenue import RevenueTool

        return RevenueTool(window_days=self.settings.revenue_attribution_days)

    def _make_stock(self) -> StockTool:
        from backend.tools.stock import StockTool

        return StockTool()

    # --- the tools -----------------------------------------------------------------
    @property
    def platforms(self) -> Platforms:
        """Configured connectors behind the call policy (``ctx.platforms``)."""
        return self._get("platforms")

    @property
    def http(self) -> HttpTool:
        return self._get("http")

    @property
    def kv(self) -> KvTool:
        return self._get("kv")

    @property
    def state(self) -> StateTool:
        """Durable per-job state (the database): what the next run must still see."""
        return self._get("state")

    @property
    def messaging(self) -> MessagingTool:
        return self._get("messaging")

    @property
    def metrics(self) -> MetricsTool:
        return self._get("metrics")

    @property
    def files(self) -> FilesTool:
        return self._get("files")

    @property
    def multimedia(self) -> MultimediaTool:
        return self._get("multimedia")

    @property
    def command(self) -> CommandTool:
        return self._get("command")

    @property
    def revenue(self) -> RevenueTool:
        return self._get("revenue")

    @property
    def stock(self) -> StockTool:
        """The shop's own count per SKU, which the marketplaces' copies follow."""
        return self._get("stock")

    async def aclose(self) -> None:
        """Close what the run opened (HTTP pool, SMTP connection, own Redis client),
        after adding the run's API call counts to the dashboard's figures."""
        http = self._built.get("http")
        if http is not None:
            from backend.tools.api_calls import record_api_calls

            ok, failed = http.take_call_counts()
            try:
                await record_api_calls(redis=self.redis, prefix=self.settings.redis_prefix,
                                       ok=ok, failed=failed)  # fmt: skip
            except Exception:  # a figure for the dashboard must never fail a run
                pass
        for name in ("messaging", "http"):
            tool = self._built.pop(name, None)
            if tool is not None:
                await tool.aclose()
        self._built.clear()
        if self._own_redis is not None:
            await self._own_redis.aclose()
            self._own_redis = None


def build_tools(
    *,
    settings: Settings,
    redis: Any,
    run_id: int | str,
    job_id: str,
    connectors: dict[str, Any] | None = None,
    rates: Mapping[str, float] | None = None,
) -> Tools:
    """The tools of one run (nothing is opened until a tool is first used).

    ``connectors`` replaces the messaging connectors of the accounts (tests);
    ``rates`` (calls per second per platform) override the platforms' default limits.
    """
    return Tools(settings=settings, redis=redis, run_id=run_id, job_id=job_id,
                 connectors=connectors, rates=rates)  # fmt: skip
