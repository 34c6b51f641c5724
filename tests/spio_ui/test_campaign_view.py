"""The campaign funnel per channel, send rate against the limit, revenue."""

from __future__ import annotations

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
            "converted": 3,
            "revenue": 1_350_000.0,
        },
    }
    view = funnel_view(stats, limits={"whatsapp": 80, "email": 20}, now=1000.0 + 60)
    assert (view["sent"], view["planned"], view["progress"]) == ("150", "300", "50,0%")
    assert view["revenue"] == "Rp 1.350.000" and view["control"] == "paused"
    rows = {r["channel"]: r for r in view["channels"]}
    assert rows["whatsapp"]["delivered"] == "110" and rows["whatsapp"]["open_rate"] == "50,0%"
    # One minute in: 120 WhatsApp sends against 80/min is over the limit; 30 emails vs 20 too.
    assert rows["whatsapp"]["rate"] == "120,0" and rows["whatsapp"]["over_limit"] is True
    assert rows["email"]["open_rate"] == "0,0%"
    assert [t.name for t in view["funnel_fig"].data] == ["email", "whatsapp"]


def test_not_started() -> None:
    view = funnel_view({"counters": {}, "meta": {}}, limits={})
    assert view["channels"] == [] and view["sent"] == "0"
