"""FLUSHALL on the stack's Redis mid-campaign loses nothing (issue 19, point 3).

``scripts/up`` with its defaults (its supervisord config, two worker processes, SQLite)
against a Redis of the test's own; recipients open, click and buy while it sends. A
price review queue and an open crisis incident exist beside it. After FLUSHALL: no
message twice or missing, the run finishes, every webhook accepted, the funnel's
counters and revenue are exactly what the platforms reported, no counter went down at
the flush, and the reviews, incidents and crisis dashboard are unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.system.redis_flush import run_flush

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.mark.timeout(1500)  # scripts/up starts in 40-120 s on a loaded machine
def test_flushall_mid_campaign_loses_and_repeats_nothing(tmp_path: Path):
    out = run_flush(tmp_path)
    print(f"\nflushed {out.keys_flushed} keys with {out.sent_at_flush}/{out.planned} sent; "
          f"recipients {out.recipients}, duplicates {out.duplicates}, missing {out.missing}, "
          f"replays {out.replayed}; funnel {out.funnel} (platforms {out.platform_funnel}); "
          f"revenue {out.revenue:,.0f} / attributed {out.attributed:,.0f} (platforms "
          f"{out.platform_revenue:,.0f}); reviews {out.reviews}, incidents {out.incidents}, "
          f"dashboard ticks {out.dashboard_ticks}")
    assert out.keys_flushed > 0
    assert out.run_status == "succeeded"
    assert out.recipients == out.planned and out.duplicates == 0 and out.missing == 0
    assert out.replayed == 0
    assert out.webhooks_refused == 0
    assert out.dropped_at_flush == {}
    assert out.funnel == out.platform_funnel and out.funnel["converted"] > 0
    assert out.revenue == out.attributed == out.platform_revenue > 0
    assert out.reviews[0] == out.reviews[1] > 0 and out.incidents[0] == out.incidents[1] > 0
    assert out.dashboard_ticks == (2, 2)
