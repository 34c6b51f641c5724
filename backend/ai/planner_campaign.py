"""Campaign inputs from a reading: name, audience, channels, rate, and a send window that
contains the send.

The campaign's window (``start_date``..``end_date``, when the workflow may send) always
includes the planned send: a promo announced before its event ("Kirim promo Black Friday
tanggal 24 November jam 9") gets a window from the send day to the end of the event, and
the event itself is kept as the offer's period.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from backend.ai.planner_details import Details
from backend.ai.planner_inputs import Built, names, pct
from backend.ai.planner_reading import Reading, Said
from backend.ai.planner_topic import EVENTS, event_day

__all__ = ["build_campaign", "event_send", "SUPPORTED_SEGMENTS"]

_JKT = ZoneInfo("Asia/Jakarta")
# Segments the CRM marks (segment_hint); others cannot be picked out by the workflow yet.
SUPPORTED_SEGMENTS = ("all", "vip", "new", "dormant", "regular")
_SEGMENT_WORDS = {
    "all": ("semua pelanggan yang memberi izin", "every customer who gave consent"),
    "vip": ("pelanggan VIP", "VIP customers"), "new": ("pelanggan baru", "new customers"),
    "dormant": ("pelanggan yang lama tidak belanja", "customers who have not bought lately"),
    "abandoned_cart": ("pelanggan dengan keranjang tertinggal", "customers with an abandoned "
                       "cart"),
    "birthday": ("pelanggan yang berulang tahun", "customers with a birthday"),
    "recent_buyers": ("pembeli terakhir", "recent buyers"),
}  # fmt: skip


def _day_of_event(reading: Reading, today: date) -> date | None:
    for _pattern, name_id, _name_en, fixed in EVENTS:
        if reading.event == name_id:
            return event_day(name_id, fixed, today)
    return None


def event_send(reading: Reading, now: datetime) -> datetime | None:
    """When to send a campaign that names an event but no send time: 09:00 on the day."""
    day = _day_of_event(reading, now.astimezone(_JKT).date())
    if day is None:
        return None
    at = datetime.combine(day, time(9, 0), tzinfo=_JKT)
    return at if at > now else None


def _window(reading: Reading, send: datetime | None, now: datetime) -> tuple[str, str] | None:
    """(start_date, end_date) of the offer, stretched back to include a one-off send."""
    today = now.astimezone(_JKT).date()
    first = last = None
    event = _day_of_event(reading, today)
    if reading.window_start and reading.window_end:
        first, last = date.fromisoformat(reading.window_start), date.fromisoformat(
            reading.window_end)
    elif event is not None:
        first = last = event
    if first is None or last is None:
        return None
    start = datetime.combine(first, time(0, 0), tzinfo=_JKT)
    end = datetime.combine(last, time(23, 59, 59), tzinfo=_JKT)
    if send is not None:
        start = min(start, send.astimezone(_JKT).replace(hour=0, minute=0, second=0))
        end = max(end, send.astimezone(_JKT) + timedelta(hours=1))
    return start.isoformat(), end.isoformat()


def build_campaign(reading: Reading, details: Details, now: datetime) -> Built:
    """A personalised multi-channel campaign (seed job 2)."""
    said: list[Said] = []
    lang = reading.language
    name = reading.topic
    if name is None:
        name = "Kampanye Promo" if lang == "id" else "Promo Campaign"
    if reading.topic is None or (reading.event is None and reading.discount_percent is None
                                 and not reading.discount_range):  # fmt: skip
        said.append(("content", "isi pesan: ditulis AI dari nama kampanye, dipersonalisasi "
                     "per pelanggan — periksa sebelum mengirim", "message: written by AI from "
                     "the campaign name, personalised per customer — review it before "
                     "sending"))  # fmt: skip
    campaign: dict[str, Any] = {"name": name}
    if reading.discount_range:
        campaign["discount_range"] = reading.discount_range
    elif reading.discount_percent is not None:
        campaign["discount_range"] = f"{pct(reading.discount_percent)}%"
    if reading.event:
        campaign["event"] = reading.event
    segment = reading.audience or "all"
    if segment == "subscribers":
        segment = "all"
    audience: dict[str, Any] = {"segment": segment, "consent_required": True}
    if reading.counts.recipients:
        audience["limit"] = reading.counts.recipients
    words = _SEGMENT_WORDS.get(segment, (segment, segment))
    if reading.audience is None or segment == "all":
        # Everyone means everyone who consented (PDP law): a default worth saying.
        said.append(("audience", f"penerima: {_SEGMENT_WORDS['all'][0]}",
                     f"audience: {_SEGMENT_WORDS['all'][1]}"))  # fmt: skip
    elif segment not in SUPPORTED_SEGMENTS:
        said.append(("audience", f"penerima: {words[0]} — data CRM belum menandai segmen ini, "
                     "atur daftar penerimanya di editor", f"audience: {words[1]} — the CRM "
                     "does not mark this segment yet; set the recipients in the editor"))
    said.append(("recipients", "alamat penerima dari CRM, satu pesan per pelanggan di kanal "
                 "yang ia izinkan", "addresses from the CRM, one message per customer on a "
                 "channel they consented to"))  # fmt: skip
    channels: list[str] = list(reading.channels)
    if not channels:
        newsletter = "newsletter" in (reading.topic or "").lower()
        channels = ["email"] if newsletter else ["whatsapp", "telegram", "email"]
        said.append(("channels", f"kanal: {names(channels)}", f"channels: {names(channels)}"))
    rate = reading.rate_per_minute or 100
    if reading.rate_per_minute is None:
        said.append(("rate", "batas 100 pesan per menit per kanal",
                     "limit 100 messages per minute per channel"))  # fmt: skip
    if details.tone is None:
        said.append(("content", "gaya bahasa: ramah dan mendesak", "tone: friendly and urgent"))
    inputs: dict[str, Any] = {
        "campaign": campaign,
        "audience": audience,
        "channels": channels,
        "rate_limit_per_minute": rate,
        "personalization": {
            "use_ai": not details.no_ai,
            "include_purchase_history": True,
            "include_browsing_history": True,
            "tone": details.tone or "friendly_urgent",
            "unique_discount_code": reading.discount_percent is not None
            or bool(reading.discount_range),
        },
        "tracking": {"track_opens": True, "track_clicks": True, "track_conversions": True},
    }
    return inputs, said


def set_window(inputs: dict[str, Any], reading: Reading, schedule: dict[str, Any] | None,
               now: datetime, said: list[Said]) -> None:  # fmt: skip
    """Give a one-off campaign the window its offer runs in, containing the send."""
    send = None
    if schedule and schedule.get("at"):
        send = datetime.fromisoformat(str(schedule["at"]))
    elif schedule:
        return  # a repeating campaign sends whenever it fires: no window of its own
    window = _window(reading, send, now)
    if window is None:
        if reading.discount_percent is not None or reading.discount_range:
            said.append(("window", "periode promo tidak disebut: diskon berlaku sejak pesan "
                         "dikirim, tanpa tanggal akhir", "no promo period given: the discount "
                         "holds from the send on, with no end date"))  # fmt: skip
        return
    inputs["campaign"]["start_date"], inputs["campaign"]["end_date"] = window
    first, last = (datetime.fromisoformat(w).astimezone(_JKT) for w in window)
    said.append(("window", f"periode kampanye: {first:%d/%m/%Y} – {last:%d/%m/%Y %H:%M}",
                 f"campaign window: {first:%Y-%m-%d} – {last:%Y-%m-%d %H:%M}"))  # fmt: skip
