"""Offline planner: the prompt set, the five seed jobs, schedules, refusals, overrides."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from backend.ai.planner import plan, plan_offline
from backend.ai.planner_extract import parse_number
from backend.ai.planner_schedule import parse_schedule
from backend.core.errors import InvalidInput
from backend.jobs.validation import parse_spec
from tests.ai.planner_check import problems

DATA = Path(__file__).parent / "data"
SEED = Path("/work/shared/seed/jobs")
NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # Thursday 10:00 in Jakarta

# The five seed jobs' own prompts (inputs.prompt where the seed has one, else the
# description line of heavy_jobs.md).
SEED_PROMPTS = {
    "ecommerce-price-intelligence": "Monitor harga 100 produk di 5 marketplace kompetitor, "
    "analisis dengan AI, dan auto-adjust harga toko saya",
    "black-friday-campaign-2026": "Kirim Black Friday campaign ke 10,000 customers via "
    "WhatsApp, Telegram, dan Email dengan personalisasi AI",
    "daily-bi-report": "Aggregate data dari 50+ sources (marketplace, social media, ads, "
    "analytics), process dengan AI, generate comprehensive BI report.",
    "product-catalog-sync": "Sync 1,000 products ke 10 platforms dengan image optimization "
    "dan AI copywriting",
    "social-media-crisis-monitor": "Monitor 100+ social media accounts, detect brand mentions, "
    "analyze sentiment with AI, alert for crisis situations in real-time.",
}


def _cases() -> list[dict]:
    lines = (DATA / "planner_prompts.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_prompt_set_is_planned_right_at_least_90_percent_and_always_valid():
    cases = _cases()
    assert len(cases) >= 40
    langs = {"en" if plan_offline(c["prompt"], now=NOW).language == "en" else "id" for c in cases}
    assert langs == {"id", "en"}
    wrong = []
    for case in cases:
        result = plan_offline(case["prompt"], now=NOW)
        parse_spec(result.spec, now=NOW)  # every output validates as returned
        found = problems(case, result.spec)
        if found:
            wrong.append((case["prompt"], found))
        assert result.explanation and result.estimate.next_fires is not None
    share = 1 - len(wrong) / len(cases)
    print(f"\nplanner prompt set: {len(cases) - len(wrong)}/{len(cases)} fully right ({share:.0%})")
    for prompt, found in wrong:
        print("  wrong:", prompt, found)
    assert share >= 0.9, wrong


def test_holdout_prompts_written_after_the_rules():
    # Written after the rules above and first run untouched: 15/20 right. The generic
    # gaps it showed were fixed; it stays as a guard against overfitting the main set.
    lines = (DATA / "planner_holdout.jsonl").read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    wrong = [
        (c["prompt"], found)
        for c in cases
        if (found := problems(c, plan_offline(c["prompt"], now=NOW).spec))
    ]
    assert 1 - len(wrong) / len(cases) >= 0.85, wrong


@pytest.mark.parametrize("job_id", sorted(SEED_PROMPTS))
def test_seed_prompts_give_the_seed_jobs(job_id):
    seed = json.loads((SEED / f"{job_id}.json").read_text())
    result = plan_offline(SEED_PROMPTS[job_id], now=NOW)
    spec, want = result.spec, seed["inputs"]
    got = spec["inputs"]
    expected_kind = parse_spec({**seed, "schedule": None}, runnable=False).spec.workflow
    assert spec["workflow"] == expected_kind
    assert spec["timeout_ms"] == seed["timeout_ms"]
    assert spec["retry_policy"]["max_retry"] == seed["retry_policy"]["max_retry"]
    schedule = spec["schedule"]
    if "interval_sec" in seed["schedule"]:
        assert schedule["interval_sec"] == seed["schedule"]["interval_sec"]
    for key in ("flow_group", "flow_max_active_runs", "pressure_priority", "allow_overlap"):
        if key in want:
            assert got[key] == want[key], key
    if job_id == "ecommerce-price-intelligence":
        assert got["products"]["limit"] == 100  # "100 produk"
        assert got["marketplaces"] == want["marketplaces"]
        for key in (
            "pricing_strategy",
            "min_margin_percent",
            "max_discount_percent",
            "competitor_accounts",
        ):
            assert got[key] == want[key], key
    elif job_id == "black-friday-campaign-2026":
        # The seed's "0 9 * * 11-24" is not valid cron; what it means is 09:00 on the
        # campaign day: one send, inside the campaign's own window (13.5: named after what
        # it announces).
        assert schedule["at"].startswith("2026-11-27T09:00")
        assert got["campaign"]["start_date"].startswith("2026-11-27T00:00")
        assert got["campaign"]["end_date"].startswith("2026-11-27T23:59")
        assert got["campaign"]["name"] == "Promo Black Friday 2026" == spec["name"]
        assert got["channels"] == want["channels"]
        assert got["rate_limit_per_minute"] == want["rate_limit_per_minute"]
        assert got["audience"]["limit"] == 10_000
        for key, value in want["personalization"].items():
            assert got["personalization"][key] == value, key
        assert got["tracking"] == want["tracking"]
        assert len(result.estimate.next_fires) == 1  # one send, on the day
    elif job_id == "daily-bi-report":
        assert schedule["cron"] == seed["schedule"]["cron"]
        assert got["report_date"] == want["report_date"]
        assert got["data_sources"] == want["data_sources"]
        assert got["ai_analysis"] == want["ai_analysis"]
        assert got["output_formats"] == want["output_formats"]
    elif job_id == "product-catalog-sync":
        for key in ("products", "platforms", "sync_options", "image_processing", "ai_optimization"):
            assert got[key] == want[key], key
        assert result.estimate.api_calls == 10_000
    else:
        assert schedule["interval_sec"] == 30
        assert got["accounts"] == want["accounts"]
        assert got["monitor_keywords"] == want["monitor_keywords"]
        assert got["sentiment_analysis"]["thresholds"] == want["sentiment_analysis"]["thresholds"]
        for key in ("crisis_detection", "alerts", "auto_response"):
            assert got[key] == want[key], key


def test_planner_execute_example_from_the_seed():
    result = plan_offline("Monitor harga 100 produk di 5 marketplace tiap 5 menit", now=NOW)
    assert result.spec["workflow"] == "price_intelligence"
    assert result.spec["schedule"]["interval_sec"] == 300
    assert result.estimate.api_calls == 600  # 100 x 5 fetches + 100 updates, as the seed says
    fires = [datetime.fromisoformat(t) for t in result.estimate.next_fires]
    assert len(fires) == 3 and (fires[1] - fires[0]).total_seconds() == 300
    assert "setiap 5 menit" in result.explanation and result.language == "id"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("tiap 5 menit", {"interval_sec": 300}),
        ("setiap jam", {"interval_sec": 3600}),
        ("setiap hari jam 6 pagi", {"cron": "0 6 * * *"}),
        ("tiap Senin jam 8", {"cron": "0 8 * * 1"}),
        ("every weekday at 9am", {"cron": "0 9 * * 1-5"}),
        ("tanggal 12 Desember jam 10", {"at": "2026-12-12T10:00:00+07:00"}),
        ("every 30 seconds", {"interval_sec": 30}),
        ("sekarang", {"at": "2026-11-26T10:00:00+07:00"}),
        ("right now", {"at": "2026-11-26T10:00:00+07:00"}),
        ("jam 8 malam setiap hari", {"cron": "0 20 * * *"}),
        ("setiap hari Minggu jam 7", {"cron": "0 7 * * 0"}),
        ("daily at 6:30 pm", {"cron": "30 18 * * *"}),
        ("besok jam 9 WITA", {"at": "2026-11-27T09:00:00+08:00", "timezone": "Asia/Makassar"}),
    ],
)
def test_schedules_in_both_languages(text, want):
    found = parse_schedule(text, now=NOW)
    assert found is not None
    for key, value in want.items():
        assert found.schedule[key] == value


def test_indonesian_and_english_thousands_separators():
    assert parse_number("10.000") == 10_000
    assert parse_number("10,000") == 10_000
    assert parse_number("1.500.000") == 1_500_000
    assert parse_number("1,5", "jt") == 1_500_000
    assert parse_number("20", "rb") == 20_000


def test_unplannable_prompts_get_422_with_one_question():
    with pytest.raises(InvalidInput) as empty:
        plan_offline("  ", now=NOW)
    assert empty.value.errors[0].path == "prompt"
    with pytest.raises(InvalidInput) as flight:
        plan_offline("tolong pesankan tiket pesawat ke Bali untuk minggu depan", now=NOW)
    assert flight.value.errors[0].path == "prompt"
    assert "Apakah maksud Anda" in flight.value.message and flight.value.message.count("?") == 1
    # Ordinary campaign work is planned, never refused: what is missing is assumed.
    vague = plan_offline("kirim pesan ke 100 pelanggan lewat whatsapp", now=NOW)
    assert vague.spec["workflow"] == "campaign"
    assert {"content", "schedule"} <= {a.field for a in vague.assumptions}


def test_overrides_win_and_are_validated():
    result = plan_offline(
        "pantau harga 10 produk di shopee tiap 5 menit",
        now=NOW,
        overrides={
            "job_id": "my-prices",
            "schedule": {"cron": "0 * * * *"},
            "inputs": {"min_margin_percent": 30},
        },
    )
    assert result.spec["job_id"] == "my-prices"
    assert result.spec["schedule"]["cron"] == "0 * * * *"
    assert result.spec["inputs"]["min_margin_percent"] == 30
    assert result.spec["inputs"]["marketplaces"] == ["shopee"]  # the rest is kept
    with pytest.raises(InvalidInput) as bad:
        plan_offline(
            "pantau harga 10 produk di shopee",
            now=NOW,
            overrides={"schedule": {"cron": "0 25 * * *"}},
        )
    assert bad.value.errors[0].path == "schedule.cron"


def test_use_ai_without_an_llm_falls_back_and_says_so(monkeypatch):
    from backend.core.config import Settings

    settings = Settings(llm_base_url="", llm_api_key="")
    result = plan(
        "setiap hari jam 7 kirim laporan penjualan PDF ke a@b.id",
        use_ai=True,
        now=NOW,
        settings=settings,
    )
    assert result.engine == "offline" and "no LLM configured" in (result.fallback_reason or "")
    assert result.spec["inputs"]["recipients"] == [{"channel": "email", "address": "a@b.id"}]


def test_explanations_and_assumptions_follow_the_prompt_language():
    en = plan_offline("Sync 20 products to Shopee every hour", now=NOW)
    assert en.language == "en" and en.explanation.startswith("Sync")
    id_ = plan_offline("Sinkronkan 20 produk ke Shopee setiap jam", now=NOW)
    assert id_.language == "id" and id_.explanation.startswith("Menyinkronkan")
    assert any("1200" in a.text for a in id_.assumptions)
