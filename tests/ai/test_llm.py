"""LLM paths against a real OpenAI-compatible HTTP server on loopback (tests/ai/fake_llm_server)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from backend.ai.llm import LLMInvalidOutput, make_llm_client
from backend.ai.planner import plan, plan_offline
from backend.ai.sentiment import TOPICS
from backend.ai.sentiment_llm import analyze_many_ai
from backend.core.config import Settings
from backend.core.errors import InvalidInput
from tests.ai.fake_llm_server import running_fake_llm

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
KEY = "sk-test-very-secret-0123456789"


@pytest.fixture(scope="module")
def fake():
    with running_fake_llm() as server:
        yield server


@pytest.fixture
def settings(fake):
    return Settings(
        llm_base_url=fake.url, llm_api_key=KEY, llm_model="fake-model", llm_timeout_sec=5
    )


def test_no_client_without_configuration():
    assert make_llm_client(Settings(llm_base_url="", llm_api_key="")) is None


def test_llm_plan_asks_for_the_reading_schema_and_is_validated(fake, settings):
    before = fake.calls("plan_job")
    result = plan("buat laporan stok gudang tiap pagi", use_ai=True, now=NOW, settings=settings)
    assert result.engine == "llm" and result.fallback_reason is None
    assert result.spec["workflow"] == "bi_report" and result.spec["schedule"]["cron"] == "0 6 * * *"
    assert result.spec["inputs"]["prompt"] == "buat laporan stok gudang tiap pagi"
    assert len(result.estimate.next_fires) == 3 and len(result.next_fires_text) == 3
    assert fake.calls("plan_job") == before + 1
    request = fake.requests[-1]
    assert request["headers"]["Authorization"] == f"Bearer {KEY}"
    assert request["body"]["model"] == "fake-model"
    wanted = request["body"]["response_format"]
    assert wanted["type"] == "json_schema" and wanted["json_schema"]["name"] == "planner_reading"
    assert wanted["json_schema"]["schema"]["title"] == "Reading"


def test_both_engines_share_defaults_and_assumptions(fake, settings):
    prompt = "kirim promo ke pelanggan lewat wa tiap jumat jam 7 malam"
    llm = plan(prompt, use_ai=True, now=NOW, settings=settings)
    offline = plan_offline(prompt, now=NOW)
    assert llm.engine == "llm" and offline.engine == "offline"
    assert llm.spec == offline.spec
    assert [a.field for a in llm.assumptions] == [a.field for a in offline.assumptions]
    assert {"content", "rate"} <= {a.field for a in llm.assumptions}


def test_invalid_answer_is_retried_once_then_accepted(fake, settings):
    before = fake.calls("plan_job")
    result = plan("laporan stok [[invalid-once]]", use_ai=True, now=NOW, settings=settings)
    assert result.engine == "llm" and result.spec["schedule"]["cron"] == "0 6 * * *"
    assert fake.calls("plan_job") == before + 2
    retry = fake.requests[-1]["body"]["messages"]
    assert "invalid" in retry[-1]["content"] and "schedule.cron" in retry[-1]["content"]


def test_a_plan_that_could_never_run_goes_back_to_the_model(fake, settings):
    result = plan("kirim promo diskon 10% ke pelanggan via wa besok jam 9 [[past-once]]",
                  use_ai=True, now=NOW, settings=settings)  # fmt: skip
    assert result.engine == "llm" and result.spec["schedule"]["at"].startswith("2026-11-27T09:00")
    retry = fake.requests[-1]["body"]["messages"][-1]["content"]
    assert "schedule.at" in retry and "in the past" in retry


def test_invalid_twice_falls_back_to_offline_and_says_so(fake, settings, caplog):
    before = fake.calls("plan_job")
    with caplog.at_level(logging.DEBUG):
        result = plan(
            "kirim laporan penjualan harian PDF ke bos@toko.id [[invalid]]",
            use_ai=True,
            now=NOW,
            settings=settings,
        )
    assert fake.calls("plan_job") == before + 2  # one try, one retry, no more
    assert result.engine == "offline"
    assert "invalid answer after 2 attempts" in result.fallback_reason
    assert result.spec["workflow"] == "bi_report"
    assert KEY not in caplog.text and KEY not in result.model_dump_json()


def test_server_down_falls_back(fake, settings):
    result = plan("laporan penjualan harian [[down]]", use_ai=True, now=NOW, settings=settings)
    assert result.engine == "offline" and "LLM failed" in result.fallback_reason
    assert KEY not in result.fallback_reason


def test_servers_without_json_mode_still_work(fake, settings):
    result = plan("laporan stok harian [[no-json-mode]]", use_ai=True, now=NOW, settings=settings)
    assert result.engine == "llm"
    last = fake.requests[-1]["body"]
    assert "response_format" not in last and "[[no-json-mode]]" in last["messages"][1]["content"]


def test_servers_without_json_schema_get_json_mode(fake, settings):
    result = plan("laporan stok harian [[no-json-schema]]", use_ai=True, now=NOW,
                  settings=settings)  # fmt: skip
    assert result.engine == "llm"
    asked = [r["body"].get("response_format", {}).get("type") for r in fake.requests[-2:]]
    assert asked == ["json_schema", "json_object"]


def test_refusals_are_refusals_on_both_paths(fake, settings):
    prompt = "pesankan kurir untuk retur pelanggan lalu kabari mereka"
    for use_ai in (False, True):
        with pytest.raises(InvalidInput) as refused:
            plan(prompt, use_ai=use_ai, now=NOW, settings=settings)
        assert refused.value.errors[0].path == "prompt"
        assert "Apakah maksud Anda" in refused.value.message


def test_client_retries_exactly_once(fake, settings):
    client = make_llm_client(settings)
    assert KEY not in repr(client)
    with pytest.raises(LLMInvalidOutput):
        client.chat_json(
            system="TASK: sentiment",
            user='{"texts": ["[[invalid]]"]}',
            parse=lambda data: data["results"][0]["emotions"],
        )


def test_sentiment_batches_and_fallback(fake, settings):
    texts = [f"barang bagus {i}" for i in range(30)] + ["pengiriman jelek", "ada warna merah?"]
    before = fake.calls("sentiment")
    results, reason = analyze_many_ai(texts, settings=settings, batch_size=25)
    assert fake.calls("sentiment") == before + 2 and reason is None
    assert [r.engine for r in results] == ["llm"] * len(texts)
    assert results[0].label == "positive" and results[30].label == "negative"
    assert results[30].topic == "delivery" and results[0].topic is None
    assert results[31].intent == "question" and set(results[0].emotions) == {
        "anger",
        "sadness",
        "joy",
        "surprise",
    }
    mixed, reason = analyze_many_ai(["mantap", "[[invalid]] kecewa"], settings=settings)
    assert reason and "scored offline" in reason
    assert [r.engine for r in mixed] == ["offline", "offline"]  # one batch, both offline
    assert mixed[1].label == "negative"
    assert mixed[1].topic in TOPICS  # the offline engine's topic


def test_an_llm_answer_without_the_topic_of_a_negative_post_is_refused(fake, settings):
    results, reason = analyze_many_ai(["[[no-topic]] barang rusak, kecewa"], settings=settings)
    assert reason and "topic" in reason  # asked again, still invalid: scored offline
    assert results[0].engine == "offline" and results[0].label == "negative"
    assert results[0].topic == "product_quality"
