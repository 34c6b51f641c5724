"""The one settings object. Every process reads its configuration from here.

Values come from the environment (or a `.env` file in the project root). Nothing is
read at import time: call :func:`get_settings`, which builds the object once per
process (tests call ``get_settings.cache_clear()`` after changing the environment).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from backend.domain.vocab import Role

__all__ = ["Settings", "get_settings", "PROJECT_ROOT", "PLACEHOLDER_SECRETS"]

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Most urgent first; each has its own Dramatiq queue (see backend.services.queues).

# Values that are public (shipped in code, docs or the sandbox): never accepted as a secret.
PLACEHOLDER_SECRETS = frozenset({"change-me", "changeme", "change_me", "secret", "changeit"})
SANDBOX_SECRETS = frozenset({"sandbox-webhook-secret"})


class Settings(BaseSettings):
    """Process configuration. Field descriptions double as documentation."""

    model_config = SettingsConfigDict(
        env_file=PROJECT_ROOT / ".env", env_file_encoding="utf-8", extra="ignore"
    )

    environment: Literal["development", "test", "production"] = Field(
        "development", description="production refuses placeholder secrets and demo auth."
    )
    data_dir: Path = Field(
        PROJECT_ROOT / "var", description="Where the SQLite file, artifacts and keys live."
    )
    database_url: str = Field(
        "", description="SQLAlchemy URL; empty means SQLite (WAL) at data_dir/spio.db."
    )
    # 20 + 10: the same ceiling per process as before (30), but a web process under a
    # burst keeps its connections instead of opening and closing one every few requests
    # (427 new PostgreSQL sessions in 2,250 requests at 10 + 20; each costs PostgreSQL
    # a backend start, several times a request's own work).
    db_pool_size: int = Field(
        20, ge=1, le=500, description="PostgreSQL connections each process keeps open "
        "(once it needed them)."
    )
    db_max_overflow: int = Field(
        10, ge=0, le=500, description="PostgreSQL connections a process may open beyond "
        "DB_POOL_SIZE under a burst (closed again when returned)."
    )
    redis_url: str = Field("redis://127.0.0.1:6379/0", description="Broker, kv, locks, pub/sub.")
    redis_prefix: str = Field(
        "spio", description="Prefix of every Redis key and queue this install uses."
    )

    # --- security -------------------------------------------------------------
    secret_key: str = Field(
        "",
        description="Fernet key (urlsafe base64, 32 bytes) encrypting secrets at rest; every "
        "signing key (preview links, the tracking webhook) is derived from it. Empty: a key "
        "is generated at first start into data_dir/secret.key (hosts sharing one database "
        "must share it). Placeholders such as 'change-me' are refused.",
    )
    secret_key_previous: str = Field(
        "",
        description="Comma-separated older Fernet keys still accepted for decryption while "
        "`spio keys rotate` re-encrypts the stored secrets (see docs/security.md).",
    )
    local_anonymous_role: Literal[""] | Role = Field(
        "",
        description="Demo only: requests from loopback without a token get this role, so the "
        "seed's curl examples work verbatim; never a request that came through a proxy "
        "(Forwarded / X-Forwarded-* / X-Real-IP / Via headers), named another Host than "
        "localhost, or came from another web origin. Empty (the default) requires a token "
        "everywhere.",
    )
    token_cache_sec: float = Field(
        2.0, ge=0.0, le=60.0,
        description="How long a web process trusts an API token it has verified before "
        "reading it from the database again. A revoked token stops working at once in every "
        "web process (each follows a Redis channel of revocations, and one that cannot "
        "trusts nothing it remembers); 0 reads every time.",
    )
    max_body_bytes: int = Field(2_000_000, description="Larger request bodies get 413.")
    login_attempts_per_minute: int = Field(
        10, description="Failed sign-ins per user before each further try waits (backoff)."
    )
    cors_origins: str = Field(
        "",
        description="Comma-separated extra web origins (scheme://host[:port]) allowed to call "
        "the API from a browser; the app's own origins (public_url, localhost) always are.",
    )

    # --- web ------------------------------------------------------------------
    api_host: str = Field("127.0.0.1", description="Bind address of the API / web process.")
    api_port: int = Field(8000, description="Port of the API and UI (one port in prod).")
    public_url: str = Field(
        "http://localhost:8000",
        description="Links in messages and UI, and where the platforms (the sandbox too) post "
        "their webhooks; unset, http://localhost:<API_PORT>.",
    )
    web_workers: int = Field(
        1, description="Web (UI + API) worker processes; above 1 the UI state lives in Redis."
    )

    # --- scheduler ------------------------------------------------------------
    scheduler_tick_max_sec: float = Field(
        1.0, description="Longest sleep between ticks; ticks also wake at the next due time."
    )
    scheduler_max_dispatch_per_tick: int = Field(150, description="Runs sent per tick, at most.")
    scheduler_pressure_depth_high: int = Field(
        500, description="Queue depth above which lower priorities are held back."
    )
    scheduler_leader_ttl_ms: int = Field(
        5000, description="Leader lock lifetime; renewed each tick."
    )
    scheduler_lookahead_ms: int = Field(
        300, description="Runs are sent this early; the worker starts them on the dot."
    )
    scheduler_fire_batch: int = Field(5000, description="Due jobs read per tick, at most.")
    scheduler_dispatch_stale_sec: float = Field(
        300.0, description="A sent run not started after this long is sent again."
    )
    scheduler_missed_grace_sec: float = Field(
        60.0, description="An occurrence later than this counts as missed (see missed policy)."
    )

    # --- workers --------------------------------------------------------------
    worker_concurrency: int = Field(8, description="Threads per worker process.")
    worker_processes: int = Field(2, description="Worker processes started by the up command.")
    worker_heartbeat_sec: float = Field(2.0, description="How often a running run says it lives.")
    worker_stale_after_sec: float = Field(
        12.0, description="A running run silent this long is taken over by another worker."
    )
    worker_shutdown_timeout_sec: float = Field(
        20.0, description="A stopping worker hands its runs back and waits this long for them "
        "to reach their next checkpoint before it exits anyway.")
    failure_alert_after: int = Field(3, description="Failures in a row that raise an alert.")

    # --- integrations ---------------------------------------------------------
    sandbox_host: str = Field("127.0.0.1", description="Where the platform sandbox listens.")
    sandbox_port: int = Field(8900, description="HTTP port of the platform sandbox.")
    sandbox_smtp_port: int = Field(8925, description="SMTP port of the sandbox mail server.")
    sandbox_seed: int = Field(42, description="Seed of the sandbox's generated data.")
    sandbox_products: int = Field(
        1200, ge=1200, le=100_000,
        description="Products in the sandbox's shop (the first 1,200 are always the same; "
        "more for benchmarks at a bigger seller's size).",
    )  # fmt: skip
    sandbox_tracking_speed: float = Field(
        1.0, gt=0, le=10_000,
        description="How much faster than life the sandbox's recipients open, click and buy "
        "(delivery in seconds, opens within 30 min, purchases within about 2 h at 1).",
    )
    http_allow_hosts: str = Field(
        "",
        description="Comma-separated hosts (`host` or `host:port`) the http tool may reach "
        "although they are private or loopback, or this app's own ports. Outside production "
        "the sandbox (sandbox_host:sandbox_port) is added by name.",
    )
    smtp_host: str = Field("127.0.0.1", description="Outgoing mail server.")
    smtp_port: int = Field(8925, description="Outgoing mail port (the sandbox by default).")
    smtp_sender: str = Field("SPIO Agent <noreply@spio.local>", description="From address.")
    smtp_pool_size: int = Field(
        4, description="SMTP connections a sender keeps open (mail goes out in parallel)."
    )
    tracking_webhook_secret: str = Field(
        "",
        description="HMAC-SHA256 key of POST /webhooks/tracking (X-Sandbox-Signature). Empty: "
        "derived from this install's secret (`spio keys webhook` prints it for a provider's "
        "settings). Never logged.",
    )

    # --- job tools (backend/tools) ---------------------------------------------
    http_timeout_sec: float = Field(15.0, description="Per-request timeout of the http tool.")
    http_max_connections: int = Field(200, description="Pooled connections per worker process.")
    http_retries: int = Field(
        3, description="Further attempts of the http tool on 5xx, timeouts and resets."
    )
    messaging_rate_limits: str = Field(
        "whatsapp=80/1,telegram=30/1,sms=10/1,email=20/1",
        description="Per-channel send limits held across all workers: `channel=count/seconds`.",
    )
    command_allow: str = Field(
        "",
        description="Comma-separated programs the command tool may run (names on PATH or "
        "absolute paths); empty allows none.",
    )
    command_timeout_sec: float = Field(60.0, description="Default timeout of one command.")
    multimedia_workers: int = Field(0, description="Image worker processes; 0 = one per core.")
    revenue_attribution_days: int = Field(
        7, description="A conversion counts for the last campaign touch within this many days."
    )
    order_poll_sec: float = Field(
        30.0, ge=0, description="How often the scheduler's leader polls marketplaces "
        "without order push (Lazada) while a job has an order trigger; 0 turns it off.",
    )
    event_retention_days: int = Field(
        30, ge=1, description="Received events whose runs have ended are deleted after this "
        "many days (a platform re-delivering one later starts it again).",
    )

    llm_base_url: str = Field("", description="OpenAI-compatible endpoint; empty = offline engine.")
    llm_api_key: str = Field("", description="Key for the LLM endpoint; never logged.")
    llm_model: str = Field("gpt-4o-mini", description="Model name sent to the endpoint.")
    llm_timeout_sec: float = Field(30.0, description="Per LLM request.")

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'spio.db'}"

    @property
    def artifacts_dir(self) -> Path:
        return self.data_dir / "artifacts"

    @property
    def sandbox_url(self) -> str:
        return f"http://{self.sandbox_host}:{self.sandbox_port}"

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_api_key)

    @property
    def app_origins(self) -> list[str]:
        """Web origins of this app: public_url, localhost on the API port, and the extra
        ones configured (CORS_ORIGINS). Browsers on any other origin get no CORS grant."""
        port = self.api_port
        origins = [_origin(self.public_url), f"http://localhost:{port}",
                   f"http://127.0.0.1:{port}", f"http://[::1]:{port}"]
        origins += [_origin(o) for o in self.cors_origins.split(",") if o.strip()]
        return list(dict.fromkeys(o for o in origins if o))

    @model_validator(mode="after")
    def _public_url_follows_the_port(self) -> Settings:
        # A demo on another port (API_PORT=8123) must get its webhooks and links there,
        # not at the default port where another install may listen.
        if "public_url" not in self.model_fields_set:
            self.public_url = f"http://localhost:{self.api_port}"
        return self

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> Settings:
        for name in ("secret_key", "tracking_webhook_secret"):
            if getattr(self, name).strip().lower() in PLACEHOLDER_SECRETS:
                raise ValueError(f"{name.upper()} is a placeholder: leave it empty (a secret "
                                 "is generated per install) or set a real one")
        if self.environment == "production":
            if self.tracking_webhook_secret in SANDBOX_SECRETS:
                raise ValueError("TRACKING_WEBHOOK_SECRET is the sandbox's public value; "
                                 "leave it empty or set the provider's secret")
            if self.local_anonymous_role:
                raise ValueError("LOCAL_ANONYMOUS_ROLE is for demos; unset it in production")
        return self


def _origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL (what a browser sends as Origin)."""
    scheme, sep, rest = url.strip().partition("://")
    if not sep or not rest:
        return ""
    return f"{scheme.lower()}://{rest.split('/', 1)[0].lower()}"


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, built on first use."""
    return Settings()
