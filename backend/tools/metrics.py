"""The metrics tool: counters, gauges and histograms per job and run, kept in Redis.

Workflows record with ``metrics.inc("messages_sent_total", channel="whatsapp")``. Each
call updates two places in one round trip:

* the job's series, labelled ``job_id`` plus the caller's labels, which
  :func:`render_prometheus` exports on ``/metrics`` (bounded: one series per job and
  label set, never per run, so Prometheus cardinality stays flat);
* the run's own totals (``{prefix}:metrics:run:{run_id}``, a hash kept 7 days) that the
  run detail page reads with :meth:`MetricsTool.run_totals`.

Names must be Prometheus-style (``[a-zA-Z_:][a-zA-Z0-9_:]*``); label values are escaped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import orjson

from backend.core.config import Settings
from backend.tools.redisutil import as_text

__all__ = ["MetricsTool", "render_prometheus", "DEFAULT_BUCKETS"]

DEFAULT_BUCKETS: tuple[float, ...] = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
_RUN_TTL_SEC = 7 * 24 * 3600


def _labels_key(labels: dict[str, str]) -> str:
    return orjson.dumps(dict(sorted(labels.items()))).decode()


def _check_name(name: str) -> None:
    if not _NAME.match(name):
        raise ValueError(f"metric name {name!r} is not Prometheus-style")


class MetricsTool:
    """Records metrics of one run of one job (``redis.asyncio`` client)."""

    def __init__(self, *, redis: Any, prefix: str, job_id: str, run_id: str) -> None:
        self._redis = redis
        self._base = f"{prefix}:metrics"
        self.job_id = job_id
        self.run_id = run_id

    def _series(self, name: str, kind: str, labels: dict[str, Any]) -> tuple[str, str]:
        _check_name(name)
        full = {"job_id": self.job_id, **{k: str(v) for k, v in labels.items()}}
        return f"{self._base}:{kind}:{name}", _labels_key(full)

    def _pipe(self, name: str, kind: str, meta: dict[str, Any]) -> Any:
        pipe = self._redis.pipeline(transaction=False)
        pipe.hsetnx(f"{self._base}:meta", name, orjson.dumps({"type": kind, **meta}))
        return pipe

    async def inc(self, name: str, value: float = 1, *, help: str = "", **labels: Any) -> None:
        """Add ``value`` to a counter (never negative)."""
        if value < 0:
            raise ValueError("counters only go up; use a gauge")
        key, field = self._series(name, "counter", labels)
        pipe = self._pipe(name, "counter", {"help": help})
        pipe.hincrbyfloat(key, field, value)
        self._run_update(pipe, name, value)
        await pipe.execute()

    async def set_gauge(self, name: str, value: float, *, help: str = "", **labels: Any) -> None:
        """Set a gauge to ``value`` (the run keeps its last value)."""
        key, field = self._series(name, "gauge", labels)
        pipe = self._pipe(name, "gauge", {"help": help})
        pipe.hset(key, field, value)
        run_key = f"{self._base}:run:{self.run_id}"
        pipe.hset(run_key, name, value)
        pipe.expire(run_key, _RUN_TTL_SEC)
        await pipe.execute()

    async def observe(
        self,
        name: str,
        value: float,
        *,
        buckets: tuple[float, ...] = DEFAULT_BUCKETS,
        help: str = "",
        **labels: Any,
    ) -> None:
        """Record one observation (e.g. seconds) in a histogram."""
        key, field = self._series(name, "histogram", labels)
        pipe = self._pipe(name, "histogram", {"help": help, "buckets": list(buckets)})
        for bound in buckets:
            if value <= bound:
                # Stored per bucket, not cumulative; rendering accumulates.
                pipe.hincrby(key, f"{field}|{bound}", 1)
                break
        else:
            pipe.hincrby(key, f"{field}|+Inf", 1)
        pipe.hincrbyfloat(key, f"{field}|sum", value)
        pipe.hincrby(key, f"{field}|count", 1)
        self._run_update(pipe, f"{name}_count", 1)
        self._run_update(pipe, f"{name}_sum", value)
        await pipe.execute()

    def _run_update(self, pipe: Any, name: str, value: float) -> None:
        run_key = f"{self._base}:run:{self.run_id}"
        pipe.hincrbyfloat(run_key, name, value)
        pipe.expire(run_key, _RUN_TTL_SEC)

    async def run_totals(self, run_id: str | None = None) -> dict[str, float]:
        """Every metric of a run (this one by default): name -> value."""
        raw = await self._redis.hgetall(f"{self._base}:run:{run_id or self.run_id}")
        return {as_text(k): float(v) for k, v in raw.items()}


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _fmt_labels(labels: dict[str, str], extra: str = "") -> str:
    parts = [f'{k}="{_escape(v)}"' for k, v in labels.items()]
    if extra:
        parts.append(extra)
    return "{" + ",".join(parts) + "}" if parts else ""


def _fmt_value(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def render_prometheus(*, redis: Any, settings: Settings) -> str:
    """All job metrics in the Prometheus text exposition format (version 0.0.4).

    ``redis`` is a synchronous client (the /metrics route is a plain function).
    """
    base = f"{settings.redis_prefix}:metrics"
    meta = {as_text(k): orjson.loads(v) for k, v in redis.hgetall(f"{base}:meta").items()}
    lines: list[str] = []
    for name in sorted(meta):
        info = meta[name]
        kind = info["type"]
        data = redis.hgetall(f"{base}:{kind}:{name}")
        if not data:
            continue
        if info.get("help"):
            lines.append(f"# HELP {name} {_escape(info['help'])}")
        lines.append(f"# TYPE {name} {kind}")
        if kind != "histogram":
            for field, value in sorted(data.items()):
                labels = orjson.loads(field)
                lines.append(f"{name}{_fmt_labels(labels)} {_fmt_value(float(value))}")
            continue
        series: dict[str, dict[str, float]] = defaultdict(dict)
        for field, value in data.items():
            labels_json, _, part = as_text(field).rpartition("|")
            series[labels_json][part] = float(value)
        for labels_json, parts in sorted(series.items()):
            labels = orjson.loads(labels_json)
            running = 0.0
            for bound in [*info["buckets"], "+Inf"]:
                running += parts.get(str(bound), 0.0)
                le = f'le="{bound}"'
                lines.append(f"{name}_bucket{_fmt_labels(labels, le)} {_fmt_value(running)}")
            lines.append(f"{name}_sum{_fmt_labels(labels)} {_fmt_value(parts.get('sum', 0))}")
            lines.append(f"{name}_count{_fmt_labels(labels)} {_fmt_value(parts.get('count', 0))}")
    return "\n".join(lines) + ("\n" if lines else "")
