"""The crisis monitor from the seed job against the sandbox: a replayed crisis raises
exactly one crisis alert, the viral and the influencer posts get their own alerts once,
auto-responses go once per post, and the incident closes after calm ticks."""

from __future__ import annotations

import time

from backend.worker.lifecycle import execute_run
from backend.workflows import crisis_incidents
from tests.workflows.conftest import queue_run, run_detail, seed_spec, start_job


def tick(job_id: str) -> dict:
    run_id = queue_run(job_id)
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    return run_detail(run_id).run.result


def alerts_sent(admin) -> dict[str, list[dict]]:
    sent = admin.get("/_admin/sent").json()["items"]
    out: dict[str, list[dict]] = {}
    for m in sent:
        out.setdefault(m["channel"], []).append(m)
    return out


def test_replayed_crisis_raises_one_crisis_alert_and_the_right_post_alerts(wf_env, admin, api):
    spec = seed_spec("social-media-crisis-monitor")
    # Hundreds of auto-replies per tick: a faster social API keeps the test short.
    admin.post("/_admin/limits", json={"social.api": {"limit": 500, "window_sec": 1.0}})
    spec["inputs"]["rate_limits"] = {"social": 400}
    first = start_job(spec)
    assert execute_run(first) == "succeeded", run_detail(first).run.error
    calm = run_detail(first).run.result
    assert calm["mentions"] > 100 and not calm["crisis"] and calm["status"] != "red"
    assert "whatsapp" not in alerts_sent(admin)

    replay = admin.post("/_admin/crisis/replay", json={"count": 120, "over_sec": 1.5}).json()
    injected = replay["injected"]
    time.sleep(1.8)
    hot = tick(spec["job_id"])
    assert hot["crisis"] and hot["happened"] == "opened" and hot["status"] == "red"
    assert hot["negative_share"] >= 0.8 and hot["mentions"] >= 4 * 120
    sent = alerts_sent(admin)
    assert len(sent["whatsapp"]) == 1  # the crisis, once
    assert "krisis terdeteksi" in sent["whatsapp"][0]["text"]
    # Per platform: the viral post and the influencer's (also shared 4,100 times) are
    # viral negatives by SMS; the influencer's is also a negative mention by Telegram.
    assert len(sent["sms"]) == 2 * len(injected)
    assert len(sent["telegram"]) == len(injected)
    assert all("terverifikasi" in m["text"] for m in sent["telegram"])
    replies = admin.get("/_admin/counters").json()["messages"].get("social_reply", {})
    assert replies and set(replies.values()) == {1}

    # The crisis goes on (calm ticks now): no new alert, the incident stays open, then
    # closes after three calm ticks.
    for expected in ("calm", "calm", "closed"):
        later = tick(spec["job_id"])
        assert later["happened"] == expected and later["alerts_sent"] == 0
    sent = alerts_sent(admin)
    assert len(sent["whatsapp"]) == 1 and len(sent["sms"]) == 2 * len(injected)
    counters = admin.get("/_admin/counters").json()["messages"]["social_reply"]
    assert set(counters.values()) == {1}
    incident = crisis_incidents.list_incidents(job_id=spec["job_id"])
    assert [i["status"] for i in incident] == ["closed"]

    dash = api.get(f"/monitor-dashboard/{spec['job_id']}").json()
    assert [t["status"] for t in dash["series"]][:2] in (["green", "red"], ["yellow", "red"])
    assert dash["top_negative"][0]["shares"] >= 4_100
    assert dash["responses"]["auto_reply"] == sum(counters.values())
    listed = api.get("/monitor-incidents", params={"job_id": spec["job_id"]}).json()
    assert listed["total"] == 1
