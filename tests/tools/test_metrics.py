"""The metrics tool: per-run totals and the Prometheus text the /metrics route serves."""

from __future__ import annotations

import pytest

from backend.tools.metrics import MetricsTool, render_prometheus

pytestmark = pytest.mark.anyio


async def test_counters_gauges_histograms_render(redis, sync_redis, settings) -> None:
    run1 = MetricsTool(redis=redis, prefix=settings.redis_prefix, job_id="promo", run_id="r1")
    run2 = MetricsTool(redis=redis, prefix=settings.redis_prefix, job_id="promo", run_id="r2")
    await run1.inc("messages_sent_total", channel="whatsapp", help="Messages sent")
    await run1.inc("messages_sent_total", 2, channel="whatsapp")
    await run2.inc("messages_sent_total", channel="email")
    await run2.set_gauge("queue_depth", 7)
    for seconds in (0.004, 0.2, 0.3, 20):
        await run2.observe("send_seconds", seconds, buckets=(0.01, 0.5))

    text = render_prometheus(redis=sync_redis, settings=settings)
    lines = text.splitlines()
    assert "# HELP messages_sent_total Messages sent" in lines
    assert "# TYPE messages_sent_total counter" in lines
    assert 'messages_sent_total{channel="whatsapp",job_id="promo"} 3' in lines
    assert 'messages_sent_total{channel="email",job_id="promo"} 1' in lines
    assert 'queue_depth{job_id="promo"} 7' in lines
    assert 'send_seconds_bucket{job_id="promo",le="0.01"} 1' in lines
    assert 'send_seconds_bucket{job_id="promo",le="0.5"} 3' in lines
    assert 'send_seconds_bucket{job_id="promo",le="+Inf"} 4' in lines
    assert 'send_seconds_count{job_id="promo"} 4' in lines
    assert "r1" not in text  # runs are not Prometheus labels

    assert await run1.run_totals() == {"messages_sent_total": 3.0}
    totals = await run1.run_totals("r2")
    assert totals["send_seconds_count"] == 4 and totals["queue_depth"] == 7


async def test_bad_names_and_negative_counters_refused(redis, settings) -> None:
    metrics = MetricsTool(redis=redis, prefix=settings.redis_prefix, job_id="j", run_id="r")
    with pytest.raises(ValueError, match="Prometheus"):
        await metrics.inc("messages sent")
    with pytest.raises(ValueError, match="gauge"):
        await metrics.inc("x_total", -1)


async def test_label_values_escaped(redis, sync_redis, settings) -> None:
    metrics = MetricsTool(redis=redis, prefix=settings.redis_prefix, job_id="j", run_id="r")
    await metrics.inc("errors_total", reason='bad "quote"\nline')
    text = render_prometheus(redis=sync_redis, settings=settings)
    assert 'errors_total{job_id="j",reason="bad \\"quote\\"\\nline"} 1' in text
