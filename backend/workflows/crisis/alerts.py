"""Crisis alerts and auto-responses, each sent at most once.

Keys: ``crisis:{job_id}:incident:{incident_id}:{channel}`` for the crisis alert (once per
incident), ``crisis:{job_id}:post:{platform}:{post_id}:{rule}`` per post alert and
``crisis:{job_id}:reply:{platform}:{post_id}`` per auto-response; the messaging tool's
ledger and the platforms' own Idempotency-Key dedup make repeats impossible across
ticks, retries and workers.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from backend.ai.sentiment_topics import Language, leading_topics, topic_name
from backend.connectors.base import AuthFailed, Rejected
from backend.core.messages import message as user_text
from backend.services import crisis_dashboard
from backend.tools.templates import Template
from backend.workflows.common.together import together
from backend.workflows.context import WorkflowContext
from backend.workflows.crisis.rules import CrisisRules

__all__ = ["send_alerts", "DEFAULT_ALERTS", "DEFAULT_ALERT_TO"]

DEFAULT_ALERTS = {
    "negative_mention": {"channel": "telegram", "priority": "normal"},
    "crisis_detected": {"channel": "whatsapp", "priority": "urgent"},
    "viral_negative": {"channel": "sms", "priority": "critical"},
}
DEFAULT_ALERT_TO = {"telegram": "@spio_crisis", "whatsapp": "+6281234567890",
                    "sms": "+6281234567890", "email": "crisis@toko.example"}  # fmt: skip
_BACKLOG = "pending_replies"  # auto-responses a busy tick left for the next ones
_BACKLOG_CAP = 5_000
_CHUNK = 50  # replies started together (the connector paces them to the platform's rate)
_ACTIONS = {
    "crisis_detected": "aktifkan tim krisis, tunda promosi, siapkan pernyataan resmi",
    "viral_negative": "balas publik dalam 1 jam dan siapkan klarifikasi",
    "negative_mention": "hubungi penulis secara pribadi dan tawarkan solusi",
}
_REPLIES = {
    "apology_template_v1": "Mohon maaf atas pengalaman kurang menyenangkan ini, Kak. Tim kami "
    "sudah menghubungi lewat DM untuk membantu menyelesaikannya.",
    "faq_shipping": "Halo Kak, info pengiriman & pengembalian ada di toko kami bagian FAQ; "
    "tim kami juga siap bantu lewat DM.",
}


def _message(rule: str, priority: str, channel: str, *, topic: str, summary: str,
             link: str) -> str | Template:  # fmt: skip
    if channel == "sms":  # one 160-character part
        text = f"[{priority.upper()}] {topic}: {summary}"
        return text if len(text) <= 160 else text[:157] + "..."
    return Template("crisis_alert", {"severity": priority, "topic": topic,
                                     "summary": f"{summary} Tindakan: {_ACTIONS[rule]}.",
                                     "link": link})  # fmt: skip


async def send_alerts(
    ctx: WorkflowContext, *, analysis: dict[str, Any], rules: CrisisRules
) -> dict[str, Any]:
    """Send the tick's alerts and auto-responses; returns what went out now."""
    config = {**DEFAULT_ALERTS, **(ctx.inputs.get("alerts") or {})}
    to = {**DEFAULT_ALERT_TO, **(ctx.inputs.get("alert_to") or {})}
    link = f"{ctx.settings.public_url.rstrip('/')}/crisis"
    messaging = ctx.tools.messaging
    jobs: list[tuple[str, str, str, str | Template]] = []  # (rule, channel, key, message)

    def add(rule: str, key: str, topic: str, summary: str) -> None:
        entry = config.get(rule) or DEFAULT_ALERTS[rule]
        channel = entry.get("channel", DEFAULT_ALERTS[rule]["channel"])
        priority = entry.get("priority", "normal")
        message = _message(rule, priority, channel, topic=topic, summary=summary, link=link)
        jobs.append((rule, channel, f"{key}:{channel}", message))

    language: Language = "en" if ctx.inputs.get("language") == "en" else "id"
    incident = analysis.get("incident")
    if incident and analysis.get("happened") == "opened":
        f = analysis["figures"]
        topics = leading_topics(f.get("topics") or [], language=language)
        add("crisis_detected", f"crisis:{ctx.job_id}:incident:{incident['id']}",
            "krisis terdeteksi",
            f"{f['mentions']} mention ({f['rate_per_min']:.0f}/menit, baseline "
            f"{f['baseline_per_min'] or 0:.0f}), {f['negative_share']:.0%} negatif."
            + (f" {topics}." if topics else ""))  # fmt: skip
    for alert in analysis.get("alerts", []):
        p = alert["post"]
        who = f"@{p['author']}" + (" (terverifikasi)" if p["verified"] else "")
        topic = f" [{topic_name(alert['topic'], language)}]" if alert.get("topic") else ""
        add(alert["rule"], f"crisis:{ctx.job_id}:post:{p['platform']}:{p['id']}:{alert['rule']}",
            f"{p['platform']} {who}",
            f"\"{p['text'][:80]}\"{topic} skor {alert['score']:.2f}, {p['shares']} share, "
            f"{p['followers']} pengikut.")  # fmt: skip

    async def deliver(channel: str, key: str, message: str | Template) -> int:
        # ``alert_to`` may list several recipients on a channel; the first keeps the key
        # alerts always had, so a job edited from one recipient to two sends nothing twice.
        targets = to[channel] if isinstance(to[channel], list) else [to[channel]]
        sent = 0
        for n, target in enumerate(targets):
            delivery = await messaging.send(channel, str(target), message,
                                            idempotency_key=key if n == 0 else f"{key}:{target}")
            sent += not delivery.duplicate
        return sent

    sent = await together(deliver(c, k, m) for _, c, k, m in jobs)
    replies, waiting = await _auto_respond(ctx, analysis.get("responses", []))
    return {"alerts_sent": sum(sent), "alert_rules": sorted({r for r, *_ in jobs}),
            "crisis_alert": any(r == "crisis_detected" for r, *_ in jobs),
            "auto_responses": replies, "auto_responses_waiting": waiting}  # fmt: skip


async def _auto_respond(ctx: WorkflowContext, posts: list[dict[str, Any]]) -> tuple[int, int]:
    """Reply under each post once, with the shop's social account (live, else the
    sandbox's); returns (replied now, left for the next tick).

    Replies start only during the first half of the tick interval: a crisis brings
    thousands of them at the platform's rate, and the next tick's alerts must not wait
    behind them. The rest wait in the job's state (oldest first, at most
    ``_BACKLOG_CAP``) and go out in the next ticks."""
    state = ctx.tools.state
    waiting = await state.get(_BACKLOG, [])
    if not posts and not waiting:
        return 0, 0
    template = (ctx.inputs.get("auto_response") or {}).get("response_template")
    text = _REPLIES.get(str(template), _REPLIES["apology_template_v1"])
    replies = ctx.platforms.social_replies()
    already = await ctx.done_keys(f"crisis:{ctx.job_id}:reply:")
    queue = list({f"crisis:{ctx.job_id}:reply:{p['platform']}:{p['id']}":
                  {"platform": p["platform"], "id": p["id"]}
                  for p in [*waiting, *posts]}.items())  # fmt: skip
    queue = [(key, p) for key, p in queue if key not in already]
    done = 0

    async def one(key: str, p: dict[str, Any]) -> None:
        nonlocal done

        async def effect(idem: str) -> str:
            return await replies.reply(p["platform"], p["id"], text, idempotency_key=idem)

        try:  # the ledger was read for all of them at once, above
            await ctx.once(key, effect, known_new=True)
            done += 1
        except (Rejected, AuthFailed) as exc:
            ctx.log(user_text("log.auto_response_refused", platform=p["platform"], post=p["id"],
                            error=str(exc)), level="warning")

    schedule = ctx.spec.schedule
    deadline = time.monotonic() + (schedule.interval_sec if schedule and schedule.interval_sec
                                   else 30) / 2  # fmt: skip
    started = 0
    while started < len(queue) and time.monotonic() < deadline:
        chunk = queue[started : started + _CHUNK]
        started += len(chunk)
        await together(one(key, p) for key, p in chunk)
    left = [p for _, p in queue[started:]]
    if len(left) > _BACKLOG_CAP:
        ctx.log(user_text("log.auto_response_backlog", skipped=len(left) - _BACKLOG_CAP,
                          waiting=_BACKLOG_CAP), level="warning")  # fmt: skip
        left = left[-_BACKLOG_CAP:]
    if left or waiting:
        await state.set(_BACKLOG, left)
    if done:
        await asyncio.to_thread(crisis_dashboard.count_response, ctx.job_id, "auto_reply", done)
    return done, len(left)
