"""Everything the sandbox remembers between requests, and the counters tests read.

One ``SandboxState`` per server. It lives in memory on the server's event loop;
``POST /_admin/reset`` clears what tests change (counters, writes, faults, limits).
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import Any

from backend.sandbox.credentials import CREDENTIALS, DEFAULT_SHOP, SHOPS
from backend.sandbox.data.customers import CUSTOMER_COUNT
from backend.sandbox.faults import FaultPlan
from backend.sandbox.limits import RateLimiter
from backend.sandbox.whatsapp_templates import default_whatsapp_templates

__all__ = ["Counters", "StoredResponse", "SandboxState", "TokenStore", "WRITE_KEY"]

# The Idempotency-Key of the request being handled: the price history keeps it with each
# change, so a test can tell which job made every write (our keys name the job).
WRITE_KEY: contextvars.ContextVar[str | None] = contextvars.ContextVar("write_key", default=None)

_IDEMPOTENCY_CAP = 500_000


class Counters:
    """What the sandbox saw; ``GET /_admin/counters`` returns :meth:`snapshot`."""

    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.rate_limited: Counter[str] = Counter()
        self.duplicates: Counter[str] = Counter()
        self.faults: Counter[str] = Counter()
        self.auth_failures: Counter[str] = Counter()
        self.messages: defaultdict[str, Counter[str]] = defaultdict(Counter)
        # Accepted with an id, then failed (WhatsApp's 24-hour window): never delivered.
        self.messages_failed: Counter[str] = Counter()
        self.price_changes: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self.stock_changes: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self.listing_writes: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self.variant_writes: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self.image_uploads: Counter[str] = Counter()
        self.tracking: Counter[str] = Counter()
        self.webhooks: Counter[str] = Counter()

    def snapshot(self) -> dict[str, Any]:
        def nested(d: defaultdict[str, Counter[str]]) -> dict[str, dict[str, int]]:
            return {k: dict(v) for k, v in d.items()}

        return {
            "requests": dict(self.requests),
            "rate_limited": dict(self.rate_limited),
            "duplicates": dict(self.duplicates),
            "faults": dict(self.faults),
            "auth_failures": dict(self.auth_failures),
            "messages": nested(self.messages),
            "messages_total": {k: sum(v.values()) for k, v in self.messages.items()},
            "messages_failed": dict(self.messages_failed),
            "price_changes": nested(self.price_changes),
            "stock_changes": nested(self.stock_changes),
            "listing_writes": nested(self.listing_writes),
            "variant_writes": nested(self.variant_writes),
            "image_uploads": dict(self.image_uploads),
            "tracking": dict(self.tracking),
            "webhooks": dict(self.webhooks),
        }


@dataclass(slots=True)
class StoredResponse:
    """A response kept for an Idempotency-Key, replayed verbatim on repeats."""

    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


class TokenStore:
    """Access/refresh tokens per platform, with expiry; seeded with the test credentials."""

    def __init__(self, *, ttl_sec: float) -> None:
        self.ttl_sec = ttl_sec
        self.access: dict[str, tuple[str, float]] = {}  # token -> (platform, expires_at)
        self.refresh: dict[str, str] = {}  # refresh token -> platform
        self.shop: dict[str, str] = {}  # access or refresh token -> the shop it opens
        self._serial = 0
        seeded = [(p, DEFAULT_SHOP, c) for p, c in CREDENTIALS.items()]
        seeded += [(p, name, c) for p, shops in SHOPS.items() for name, c in shops.items()]
        for platform, shop, creds in seeded:
            if "access_token" in creds:
                self.access[creds["access_token"]] = (platform, float("inf"))
                self.shop[creds["access_token"]] = shop
            if "refresh_token" in creds:
                self.refresh[creds["refresh_token"]] = platform
                self.shop[creds["refresh_token"]] = shop

    def check(self, platform: str, token: str, *, now: float) -> str:
        """'ok', 'expired' or 'invalid'."""
        entry = self.access.get(token)
        if entry is None or entry[0] != platform and not _shared(entry[0], platform):
            return "invalid"
        return "ok" if entry[1] > now else "expired"

    def issue(self, platform: str, *, now: float, shop: str = DEFAULT_SHOP) -> tuple[str, str]:
        self._serial += 1
        access = f"{platform}-sandbox-access-{self._serial:06d}-{int(now)}"
        refresh = f"{platform}-sandbox-refresh-{self._serial:06d}-{int(now)}"
        self.access[access] = (platform, now + self.ttl_sec)
        self.refresh[refresh] = platform
        self.shop[access] = self.shop[refresh] = shop
        return access, refresh

    def shop_of(self, token: str) -> str:
        """The shop a token was issued for (the default shop's when unknown)."""
        return self.shop.get(token, DEFAULT_SHOP)

    def expire(self, platform: str | None, *, now: float) -> int:
        n = 0
        for token, (p, exp) in list(self.access.items()):
            if (platform is None or p == platform or _shared(p, platform)) and exp > now:
                self.access[token] = (p, now - 1)
                n += 1
        return n


def _shared(issuer: str, platform: str) -> bool:
    # One Google OAuth token serves Shopping, Ads and Analytics; one Meta token both shops.
    groups = (
        {"google_shopping", "google_ads", "google_analytics"},
        {"instagram_shop", "facebook_shop"},
    )
    return any(issuer in g and platform in g for g in groups)


class SandboxState:
    """The sandbox's memory: seed, knobs, counters, idempotency store, writes, mail."""

    def __init__(
        self,
        *,
        seed: int,
        token_ttl_sec: float = 4 * 3600,
        webhooks: dict[str, str] | None = None,
    ) -> None:
        self.seed = seed
        self.started_at = time.time()
        self._token_ttl_sec = token_ttl_sec
        # Where events go after a reset: "tracking" (the sandbox's own funnel events) and
        # per platform (WhatsApp statuses), as configured in each platform's dashboard.
        self._default_webhooks = dict(webhooks or {})
        self._fresh()

    def _fresh(self) -> None:
        """Everything tests may change, as on a new server (``seed`` and start time stay)."""
        self.clock_offset = 0.0
        self.counters = Counters()
        self.faults = FaultPlan(seed=self.seed)
        self.limits = RateLimiter()
        self.tokens = TokenStore(ttl_sec=self._token_ttl_sec)
        self.idempotency: OrderedDict[tuple[str, str, str], StoredResponse | asyncio.Future[Any]]
        self.idempotency = OrderedDict()
        # platform -> sku -> listing fields written by clients (over the seeded catalog)
        self.listings: defaultdict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        self.price_history: list[dict[str, Any]] = []
        self.stock_history: list[dict[str, Any]] = []  # client stock writes, in order
        self.images: dict[str, dict[str, Any]] = {}  # uploaded image id -> metadata
        self.mail: list[dict[str, Any]] = []
        self.mail_ids: set[str] = set()
        self.sent: list[dict[str, Any]] = []  # outgoing messages of all channels, in order
        self.documents: list[dict[str, Any]] = []  # telegram sendDocument uploads
        # Telegram chats that never started the bot (400 chat not found) or blocked it (403).
        self.telegram_unknown_chats: set[str] = set()
        self.telegram_blocked_chats: set[str] = set()
        self.whatsapp_sessions: set[str] = {"6281234567890"}
        self.whatsapp_enforce_window = True
        self.crisis_posts: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
        # "platform:account" -> (since, gap s): a busier feed than the seeded one
        self.social_volume: dict[str, tuple[float, float]] = {}
        self.webhook_url: str | None = self._default_webhooks.get("tracking")
        # Signs tracking events; None: this install's (backend.core.security), like a
        # provider whose dashboard was given the app's webhook secret.
        self.webhook_secret: str | None = None
        self.platform_webhooks = {
            k: v for k, v in self._default_webhooks.items() if k != "tracking"
        }
        self.whatsapp_templates = default_whatsapp_templates()
        self.whatsapp_media: dict[str, dict[str, Any]] = {}  # uploaded media id -> file
        self.sms_messages: dict[str, dict[str, Any]] = {}  # sid -> Twilio message resource
        self.sms_callbacks: dict[str, str] = {}  # message sid -> its StatusCallback URL
        self.tracking_speed = 1.0
        # Photos per product in the PIM and the image server (None: the seeded 3-5).
        self.photos_per_product: int | None = None
        self.customer_count = CUSTOMER_COUNT  # the CRM's size (POST /_admin/crm)
        self.tracking_events: list[dict[str, Any]] = []
        # (platform, order id) -> an order placed on a marketplace (sandbox.shop_orders)
        self.orders: dict[tuple[str, str], dict[str, Any]] = {}

    def now(self) -> float:
        """Wall time as the platforms see it (admin may shift it to move prices)."""
        return time.time() + self.clock_offset

    def reset(self) -> None:
        """Back to a fresh server with the same seed (data is regenerated identically)."""
        self._fresh()

    def remember(self, key: tuple[str, str, str], value: Any) -> None:
        self.idempotency[key] = value
        if len(self.idempotency) > _IDEMPOTENCY_CAP:
            self.idempotency.popitem(last=False)
