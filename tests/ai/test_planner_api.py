"""POST /planner/preview and /planner/execute through the real app, database and roles."""

from __future__ import annotations

import re

SEED_EXAMPLE = {
    "prompt": "Monitor harga 100 produk di 5 marketplace tiap 5 menit",
    "use_ai": False,
    "run_immediately": True,
}


def test_preview_has_no_side_effects(api):
    response = api.post("/planner/preview", json={"prompt": "pantau harga 10 produk di shopee"})
    assert response.status_code == 200
    body = response.json()
    assert body["spec"]["workflow"] == "price_intelligence" and body["engine"] == "offline"
    assert len(body["estimate"]["next_fires"]) == 3 and body["assumptions"]
    assert api.get("/jobs").json()["total"] == 0


def test_preview_says_the_next_three_runs_in_words_in_the_prompts_language(api):
    indonesian = api.post("/planner/preview", json={
        "prompt": "kirim laporan penjualan shopee tiap Senin jam 8 pagi ke bos@toko.id"}).json()
    english = api.post("/planner/preview", json={
        "prompt": "send a sales report from shopee every Monday at 8am to boss@shop.com"}).json()
    for body, day, at in ((indonesian, "Senin, ", " pukul 08:00 WIB"),
                          (english, "Monday ", " at 08:00 WIB")):  # fmt: skip
        words = body["next_fires_text"]
        assert len(words) == 3 and len(body["estimate"]["next_fires"]) == 3
        assert all(w.startswith(day) and w.endswith(at) for w in words), words


def test_execute_as_in_the_seed_creates_the_job_and_its_first_run(api):
    response = api.post("/planner/execute", json=SEED_EXAMPLE)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["job"]["workflow"] == "price_intelligence"
    assert body["job"]["spec"]["schedule"]["interval_sec"] == 300
    assert body["run"]["job_id"] == body["job"]["job_id"] and body["run"]["trigger"] == "manual"
    job = api.get(f"/jobs/{body['job']['job_id']}").json()
    assert job["spec"]["inputs"]["marketplaces"] == [
        "shopee",
        "tokopedia",
        "lazada",
        "tiktok",
        "blibli",
    ]
    again = api.post("/planner/execute", json=SEED_EXAMPLE)
    assert again.status_code == 409  # same prompt, same job id: not created twice


def test_execute_without_flags_only_plans_and_create_stores_without_running(api):
    plan_only = api.post("/planner/execute", json={"prompt": "laporan penjualan harian PDF"})
    assert plan_only.status_code == 200 and plan_only.json()["job"] is None
    created = api.post(
        "/planner/execute",
        json={
            "prompt": "laporan penjualan harian PDF",
            "create": True,
            "overrides": {"job_id": "daily-sales"},
        },
    )
    assert created.status_code == 200
    assert created.json()["job"]["job_id"] == "daily-sales" and created.json()["run"] is None


def test_right_now_runs_once_not_twice(api):
    body = api.post(
        "/planner/execute",
        json={"prompt": "sync stok 50 produk ke shopee sekarang", "run_immediately": True},
    ).json()
    assert "schedule" not in body["job"]["spec"] and body["run"] is not None
    assert body["estimate"]["next_fires"] == [] and body["next_fires_text"] == []


def test_unplannable_prompt_is_422_with_what_is_missing(api):
    response = api.post("/planner/execute", json={"prompt": "pesankan tiket pesawat ke Bali"})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["path"] == "prompt" and "Apakah maksud Anda" in error["message"]
    assert api.get("/jobs").json()["total"] == 0
    assert api.post("/planner/preview", json={"prompt": ""}).status_code == 422


def test_viewers_may_preview_but_not_execute(api):
    from backend.auth.tokens import create_token
    from backend.core.db import session_scope

    with session_scope() as session:
        _, viewer = create_token(session=session, name="viewer", role="viewer")
    headers = {"Authorization": f"Bearer {viewer}"}
    assert api.post("/planner/preview", json=SEED_EXAMPLE, headers=headers).status_code == 200
    assert api.post("/planner/execute", json=SEED_EXAMPLE, headers=headers).status_code == 403


def test_execute_with_ai_plans_through_the_llm_and_names_the_campaign(api, monkeypatch):
    from backend.core.config import get_settings
    from tests.ai.fake_llm_server import running_fake_llm

    prompt = "Kirim promo Black Friday ke pelanggan via WA tanggal 24 November jam 9 pagi"
    with running_fake_llm() as fake:
        monkeypatch.setenv("LLM_BASE_URL", fake.url)
        monkeypatch.setenv("LLM_API_KEY", "k-api")
        get_settings.cache_clear()
        body = api.post("/planner/execute", json={"prompt": prompt, "use_ai": True,
                                                   "create": True}).json()  # fmt: skip
        broken = api.post(
            "/planner/preview",
            json={"prompt": "laporan penjualan harian [[invalid]]", "use_ai": True},
        ).json()
    get_settings.cache_clear()
    assert body["engine"] == "llm" and body["job"]["workflow"] == "campaign"
    # 13.5: named after what it announces, not after the prompt's first word.
    assert re.fullmatch(r"Promo Black Friday 20\d\d", body["job"]["spec"]["name"])
    campaign = body["spec"]["inputs"]["campaign"]
    assert campaign["start_date"] <= body["spec"]["schedule"]["at"] <= campaign["end_date"]
    assert {a["field"] for a in body["assumptions"]} >= {"rate", "window"}
    assert body["spec"]["inputs"]["prompt"] == prompt
    assert broken["engine"] == "offline" and "invalid answer" in broken["fallback_reason"]
    assert "k-api" not in str(body) + str(broken)
