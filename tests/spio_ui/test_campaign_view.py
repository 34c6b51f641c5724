"""The campaign funnel per channel, send rate against the limit, revenue."""

from __future__ import annotations

from datetime import UTC, datetime

from spio_ui.pages.campaigns import funnel_view


def test_funnel_rates_and_revenue() -> None:
    stats = {
        "campaign_id": "bf:black-friday",
        "control": "paused",
        "meta": {"name": "Black Friday", "started_at": "1000.0"},
        "counters": {
            "planned": 300,
            "planned:whatsapp": 200,
            "planned:email": 100,
            "sent": 150,
            "sent:whatsapp": 120,
            "sent:email": 30,
            "delivered:whatsapp": 110,
            "opened:whatsapp": 60,
            "clicked:whatsapp": 12,
            "converted:whatsapp": 3,
            "failed:whatsapp": 2,
            "converted": 3,
            "revenue": 1_350_000.0,
        },
    }
    view = funnel_view(stats, limits={"whatsapp": 80, "email": 20}, now=1000.0 + 60)
    assert (view["sent"], view["planned"], view["progress"]) == ("150", "300", "50,0 %")
    assert view["revenue"] == "Rp 1.350.000" and view["control"] == "paused"
    rows = {r["channel"]: r for r in view["channels"]}
    assert rows["whatsapp"]["delivered"] == "110" and rows["whatsapp"]["open_rate"] == "50,0 %"
    assert rows["whatsapp"]["failed"] == "2" and rows["email"]["failed"] == "0"
    # One minute in: 120 WhatsApp sends against 80/min is over the limit; 30 emails vs 20 too.
    assert rows["whatsapp"]["rate"] == "120,0" and rows["whatsapp"]["over_limit"] is True
    assert rows["email"]["open_rate"] == "0,0 %"
    assert [t.name for t in view["funnel_fig"].data] == ["email", "whatsapp"]


def test_not_started() -> None:
    view = funnel_view({"counters": {}, "meta": {}}, limits={})
    assert view["channels"] == [] and view["sent"] == "0"


def test_the_badge_follows_the_run_to_its_final_state() -> None:
    from backend.core.outcome import NothingDone
    from backend.models import Run
    from spio_ui.pages.campaigns import run_badge

    def run(status: str, **extra) -> Run:
        return Run(job_id="bf", workflow="campaign", scheduled_for=datetime.now(UTC),
                   status=status, **extra)

    # While it runs, the campaign's control (running, paused) is the badge...
    assert run_badge(run("running"), control="paused")["badge"] == "paused"
    assert run_badge(run("queued"), control="running")["badge"] == "queued"
    # ...once the run ended, its final state is, whatever the control key still says.
    for final in ("succeeded", "failed", "cancelled", "timed_out"):
        assert run_badge(run(final), control="running")["badge"] == final
    idle = NothingDone("campaign_none_sent", {"planned": 5, "failed": 5}).as_dict()
    shown = run_badge(run("succeeded", outcome="nothing_done", outcome_reason=idle),
                      control="running")
    assert shown["badge"] == "nothing_done"
    assert shown["reasons"] == {"id": "0 dari 5 pesan terkirim (5 gagal)",
                                "en": "0 of 5 messages sent (5 failed)"}
