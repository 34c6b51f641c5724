"""The planner plans campaigns that answer orders: a thank-you per paid order and a
reminder for an order left unpaid, each a job with an event trigger (no schedule) that
validates and runs; a campaign on a clock to the abandoned-cart segment stays one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.ai.planner import plan_offline

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)  # Monday 10:00 WIB


@pytest.mark.parametrize("prompt, lang, channels", [
    ("kirim ucapan terima kasih via WA setiap ada pesanan dibayar", "id", ["whatsapp"]),
    ("send a thank-you when an order is paid", "en", ["whatsapp", "telegram", "email"]),
    ("Send a WhatsApp receipt every time an order is paid", "en", ["whatsapp"]),
])
def test_a_thank_you_per_paid_order_is_an_order_paid_trigger(prompt, lang, channels):
    plan = plan_offline(prompt, now=NOW)
    assert plan.spec["trigger"] == {"event": "order.paid"}
    assert "schedule" not in plan.spec and plan.next_fires_text == []
    inputs = plan.spec["inputs"]
    assert plan.spec["workflow"] == "campaign" and inputs["order_message"] == "thank_you"
    assert inputs["channels"] == channels and "audience" not in inputs
    assert inputs["quiet_hours"] == {"start": "21:00", "end": "08:00"}
    assert plan.language == lang
    said = " ".join(a.text for a in plan.assumptions)
    assert ("pembeli pesanan itu" in said) if lang == "id" else ("order's buyer" in said)
    assert ("setiap pesanan dibayar" in plan.explanation if lang == "id"
            else "every time an order is paid" in plan.explanation)


@pytest.mark.parametrize("prompt, hours", [
    ("ingatkan pembeli yang belum bayar pesanan setelah 3 jam via WhatsApp", 3),
    ("remind buyers who leave their cart unpaid for 2 hours", 2),
    ("kirim pengingat via WA kalau pesanan belum dibayar", 3),  # the default, said
])
def test_an_unpaid_order_reminder_waits_its_hours(prompt, hours):
    plan = plan_offline(prompt, now=NOW)
    assert plan.spec["trigger"] == {"event": "order.created", "delay_sec": hours * 3600}
    assert plan.spec["inputs"]["order_message"] == "cart_reminder"
    assert ("3 jam setelah pesanan dibuat" in plan.explanation) == (hours == 3)


def test_a_cart_reminder_on_a_clock_stays_a_scheduled_campaign():
    plan = plan_offline("Kirim reminder abandoned cart ke customers via WhatsApp every 2 hours",
                        now=NOW)
    assert "trigger" not in plan.spec and plan.spec["schedule"]["interval_sec"] == 7200
    assert "order_message" not in plan.spec["inputs"]


@pytest.mark.parametrize("prompt", [
    "update stok ke semua marketplace setiap ada pesanan",
    "sync stock to all my marketplaces in real time whenever an order comes in",
    "sinkronkan stok shopee, tokopedia dan lazada otomatis tiap ada yang terjual",
])
def test_stock_on_every_order_is_a_real_time_stock_job(prompt):
    plan = plan_offline(prompt, now=NOW)
    assert plan.spec["workflow"] == "catalog_sync"
    assert plan.spec["trigger"] == {"event": "order.created"} and "schedule" not in plan.spec
    assert plan.spec["inputs"]["allow_overlap"] is True
    assert ("Pemicu: setiap pesanan dibuat" in plan.explanation
            or "Trigger: every time an order is placed" in plan.explanation)
    said = " ".join(a.text for a in plan.assumptions)
    assert "pesanan dibatalkan" in said or "order cancelled" in said


def test_a_stock_update_on_a_clock_stays_scheduled():
    plan = plan_offline("Tiap hari jam 11 malam update harga dan stok ke Lazada", now=NOW)
    assert "trigger" not in plan.spec and plan.spec["schedule"]["cron"] == "0 23 * * *"
