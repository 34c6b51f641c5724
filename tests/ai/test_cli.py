"""`spio plan` and `spio sentiment` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from backend.ai.cli import register
from backend.core.config import PROJECT_ROOT, get_settings
from tests.ai.fake_llm_server import running_fake_llm


@pytest.fixture
def cli():
    app = typer.Typer()
    register(app)
    return app


@pytest.fixture
def no_llm(monkeypatch):
    monkeypatch.setenv("LLM_BASE_URL", "")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_plan_json_prints_a_valid_plan(cli, no_llm):
    result = CliRunner().invoke(
        cli,
        [
            "plan",
            "--json",
            "setiap hari jam 6 pagi kirim laporan penjualan Shopee dalam PDF ke ceo@toko.id",
        ],
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    assert (
        plan["spec"]["workflow"] == "bi_report" and plan["spec"]["schedule"]["cron"] == "0 6 * * *"
    )
    assert plan["engine"] == "offline" and len(plan["estimate"]["next_fires"]) == 3


def test_plan_readable_and_refusal(cli, no_llm):
    ok = CliRunner().invoke(cli, ["plan", "Sync 20 products to Shopee every hour"])
    assert ok.exit_code == 0 and "Schedule: every hour" in ok.output and "next:" in ok.output
    assert "assumed (images):" in ok.output
    refused = CliRunner().invoke(cli, ["plan", "book me a flight to Bali"])
    assert refused.exit_code == 2 and "Did you mean one of these" in refused.output


def test_sentiment_reads_lines_and_prints_json_lines():
    # As a user pipes it: through the real `spio` entry module and a pipe.
    lines = "barang bagus banget 😍\nPENIPU! barang tidak sampai\nkapan restock kak?\n"
    done = subprocess.run(
        [sys.executable, "-m", "backend.cli", "sentiment"],
        input=lines,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "LLM_BASE_URL": ""},
    )
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["label"] for r in rows] == ["positive", "negative", "neutral"]
    assert [r["intent"] for r in rows] == ["praise", "complaint", "question"]
    assert set(rows[0]) == {"label", "score", "emotions", "intent"}


def test_sentiment_ai_uses_the_llm(cli, monkeypatch):
    with running_fake_llm() as fake:
        monkeypatch.setenv("LLM_BASE_URL", fake.url)
        monkeypatch.setenv("LLM_API_KEY", "k-cli")
        get_settings.cache_clear()
        try:
            result = CliRunner().invoke(cli, ["sentiment", "--ai"], input="bagus\njelek\n")
        finally:
            get_settings.cache_clear()
        assert result.exit_code == 0, result.output
        rows = [json.loads(line) for line in result.output.splitlines()]
        assert [r["label"] for r in rows] == ["positive", "negative"]
        assert fake.calls("sentiment") == 1
