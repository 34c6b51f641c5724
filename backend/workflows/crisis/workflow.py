"""Social-media crisis monitor (seed job ``social-media-crisis-monitor``): one run per
tick (the job's interval).

inputs: ``accounts`` [{platform, account}], ``monitor_keywords``, ``sentiment_analysis``
{model, thresholds {negative, very_negative}} (model: see crisis_sentiment; offline by
default), ``first_tick_lookback_sec`` (how far back the first tick reads, before any
cursor exists: default the job's interval, else 300; at most 7 days),
``crisis_detection`` {spike_threshold, negative_threshold, volume_threshold,
viral_shares?, influencer_followers?, calm_ticks_to_close?}, ``alerts``
{negative_mention|crisis_detected|viral_negative: {channel, priority, to?}},
``alert_to`` {channel: recipient or [recipients]}, ``auto_response`` {enabled, for_sentiment_below,
response_template}, ``rate_limits`` (calls/s, e.g. ``{"social": 40}``), ``language``
("id", the default, or "en": the words of the complaint topics in alerts).

Steps: fetch (new posts since each account's cursor) → analyze (mentions, sentiment,
per-post alerts, the crisis rule against the rolling baseline, incident open/close, the
complaint topics of the negative posts) →
alert (each alert once: per post, per incident) → commit (cursors, baseline, dashboard).
A failed tick is retried from its failed step; cursors move only when a tick completes,
so no post is skipped, and alert keys make re-sent alerts impossible.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

from backend.ai.sentiment import SentimentResult, complaint_topic
from backend.ai.sentiment_llm import NO_LLM_NOTE
from backend.ai.sentiment_topics import topic_breakdown
from backend.connectors.social import SocialConnector
from backend.connectors.types import Post
from backend.core.errors import ErrorItem, InvalidInput
from backend.core.messages import message
from backend.core.outcome import NothingDone
from backend.services import crisis_dashboard, crisis_incidents
from backend.workflows.context import WorkflowContext
from backend.workflows.crisis.alerts import send_alerts
from backend.workflows.crisis.rules import CrisisRules, assess_tick, mention_pattern, post_alerts
from backend.workflows.crisis.sentiment import SentimentChoice, choose_engine, score

__all__ = ["run", "first_lookback_sec"]

_PAGE = 100
_MAX_PAGES = 50  # per account and tick: 5,000 posts
_BASELINE_ALPHA = 0.2
_SCRATCH_KEEP_SEC = 86400  # a tick's working data, kept for a retry of its run
_MAX_LOOKBACK_SEC = 7 * 86400  # what the platforms' recent-search windows keep


def first_lookback_sec(inputs: dict[str, Any], *, interval_sec: float | None) -> float:
    """How far back the first tick reads: the job's ``first_tick_lookback_sec``, else one
    tick interval (what every later tick covers), else 5 minutes."""
    raw = inputs.get("first_tick_lookback_sec")
    value = float(raw) if raw is not None else float(interval_sec or 300)
    if not 0 < value <= _MAX_LOOKBACK_SEC:
        raise InvalidInput([ErrorItem("inputs.first_tick_lookback_sec",
                                      f"between 1 and {_MAX_LOOKBACK_SEC} seconds")])  # fmt: skip
    return value


async def _fetch(social: SocialConnector, platform: str, account: str, since: str | None,
                 start: datetime) -> tuple[list[Post], str | None]:
    """New posts after cursor ``since``, or (no cursor yet) created from ``start`` on."""
    posts: list[Post] = []
    cursor = since
    for _ in range(_MAX_PAGES):
        page = await social.new_posts(platform, account, since=cursor,
                                      start_time=None if cursor else start, limit=_PAGE)
        posts.extend(page.items)
        cursor = page.next_cursor
        if len(page.items) < _PAGE:
            break
    return posts, cursor


def _post_json(post: Post) -> dict[str, Any]:
    return {"platform": post.platform, "id": post.post_id, "account": post.account,
            "text": post.text, "created_at": post.created_at.timestamp(),
            "author": post.author_handle, "verified": post.author_verified,
            "followers": post.author_followers, "shares": post.shares, "likes": post.likes,
            "url": post.url}  # fmt: skip


async def run(ctx: WorkflowContext) -> dict[str, Any]:
    """The workflow entry point (see the module docstring)."""
    rules = CrisisRules.from_inputs(ctx.inputs)
    accounts = [(a["platform"], a["account"]) for a in ctx.inputs.get("accounts") or []]
    schedule = ctx.spec.schedule
    lookback = first_lookback_sec(ctx.inputs,
                                  interval_sec=schedule.interval_sec if schedule else None)
    sentiment = choose_engine(ctx.inputs, settings=ctx.settings)
    fetched = await ctx.step("fetch", lambda: fetch_step(ctx, accounts=accounts,
                                                         lookback=lookback))
    analyzed = await ctx.step("analyze", lambda: analyze_step(
        ctx, accounts=accounts, rules=rules, sentiment=sentiment,
        elapsed_sec=fetched["elapsed_sec"]))
    sent = await ctx.step("alert", lambda: alert_step(ctx, rules=rules))
    tick = await ctx.step("commit", lambda: commit_step(ctx, fetched=fetched))
    # A quiet tick is normal; a monitor that watches no account is a mistake in the job.
    idle = None if fetched["posts"] else NothingDone(
        "crisis_no_posts", {"accounts": len(accounts)}, expected=not accounts)
    return {"posts": fetched["posts"], **analyzed, **sent, "status": tick["status"],
            "nothing_done": idle}  # fmt: skip


def _tick_key(ctx: WorkflowContext) -> str:
    """This tick's working data (its posts, its analysis), in the job's durable state
    like what the next tick needs (feed cursors, the rolling baseline): a Redis flushed
    between two steps must not make the alert step alert nobody. Dropped after a day."""
    return f"run:{ctx.run_id}"


async def fetch_step(ctx: WorkflowContext, *, accounts: list[tuple[str, str]],
                     lookback: float) -> dict[str, Any]:
    """New posts of every account since its cursor (kept for the analysis)."""
    state = ctx.tools.state
    social = ctx.platforms.social()
    cursors = await state.get("cursors", {})
    last = await state.get("last_tick_at")
    now = time.time()
    # An account without a cursor (first tick, or no post yet) reads from the last
    # tick, or on the very first one ``lookback`` back.
    since_sec = last if last else now - lookback
    start = datetime.fromtimestamp(since_sec, UTC)
    got = await asyncio.gather(*(_fetch(social, p, a, cursors.get(f"{p}:{a}"), start)
                                 for p, a in accounts))  # fmt: skip
    posts = [_post_json(post) for found, _ in got for post in found]
    new_cursors = {f"{p}:{a}": c for (p, a), (_, c) in zip(accounts, got, strict=True) if c}
    await state.drop_older("run:", than_sec=_SCRATCH_KEEP_SEC)
    await state.set(f"{_tick_key(ctx)}:posts", posts)
    return {"posts": len(posts), "cursors": {**cursors, **new_cursors},
            "fetched_at": now, "elapsed_sec": now - since_sec}  # fmt: skip


async def analyze_step(ctx: WorkflowContext, *, accounts: list[tuple[str, str]],
                       rules: CrisisRules, sentiment: SentimentChoice,
                       elapsed_sec: float) -> dict[str, Any]:
    """Mentions, sentiment, per-post alerts, the crisis rule, incident open/close."""
    posts = await ctx.tools.state.get(f"{_tick_key(ctx)}:posts", [])
    pattern = mention_pattern(list(ctx.inputs.get("monitor_keywords") or []),
                              [a for _, a in accounts])  # fmt: skip
    mentions = [p for p in posts if pattern.search(p["text"])]
    results, engine, note = await score([p["text"] for p in mentions], choice=sentiment,
                                        settings=ctx.settings)  # fmt: skip
    if note:
        ctx.log(message("log.sentiment_offline") if note == NO_LLM_NOTE
                else message("log.sentiment_note", note=note), level="warning")
    alerts, scores, top = [], [], []
    for p, r in zip(mentions, results, strict=True):
        scores.append(r.score)
        if r.label == "negative":
            top.append({**p, "score": round(r.score, 3), "topic": _topic(p, r),
                        "rank": (1 - r.score) * (1 + p["shares"])})  # fmt: skip
        for rule in post_alerts(p, r, rules):
            alerts.append({"rule": rule, "post": p, "score": round(r.score, 3),
                           "topic": _topic(p, r)})  # fmt: skip
    baseline = await ctx.tools.state.get("baseline_per_min")
    figures = {**assess_tick(mentions=len(mentions), negative=len(top), elapsed_sec=elapsed_sec,
                             baseline=baseline, rules=rules).as_dict(),
               "topics": topic_breakdown(t["topic"] for t in top)}  # fmt: skip
    incident, happened = await asyncio.to_thread(
        crisis_incidents.open_or_update, job_id=ctx.job_id, run_id=ctx.run_id,
        figures=figures, crisis=figures["crisis"],
        calm_to_close=rules.calm_ticks_to_close)  # fmt: skip
    below = rules.auto_response_below
    responses = [p for p in top if below is not None and p["score"] < below]
    status = "red" if incident and incident["status"] == "open" else (
        "yellow" if alerts or figures["negative_share"] >= rules.negative_threshold / 2
        else "green")  # fmt: skip
    analysis = {"alerts": alerts, "incident": incident, "happened": happened,
                "responses": responses, "figures": figures, "status": status,
                "mean_score": round(sum(scores) / len(scores), 4) if scores else None,
                "top": sorted(top, key=lambda t: t["rank"], reverse=True)[:10]}  # fmt: skip
    await ctx.tools.state.set(f"{_tick_key(ctx)}:analysis", analysis)
    return {"mentions": len(mentions), "alerts": len(alerts), "happened": happened,
            "sentiment_engine": engine, "sentiment_note": note, **figures}  # fmt: skip


def _topic(post: dict[str, Any], result: SentimentResult) -> str:
    """The complaint topic of a post the monitor counts as negative (the engine gives one
    with a negative label; a post negative only by the job's threshold gets one here)."""
    return result.topic or complaint_topic(post["text"])


async def alert_step(ctx: WorkflowContext, *, rules: CrisisRules) -> dict[str, Any]:
    """Each alert and auto-response of the tick, once."""
    analysis = await ctx.tools.state.get(f"{_tick_key(ctx)}:analysis", {})
    return await send_alerts(ctx, analysis=analysis, rules=rules)


async def commit_step(ctx: WorkflowContext, *, fetched: dict[str, Any]) -> dict[str, Any]:
    """Move the cursors and the baseline on, and record the tick for the dashboard."""
    state = ctx.tools.state
    analysis = await state.get(f"{_tick_key(ctx)}:analysis", {})
    figures = analysis["figures"]
    if not figures["crisis"]:  # a crisis must not become the new normal
        old = await state.get("baseline_per_min")
        rate = figures["rate_per_min"]
        new = rate if old is None else old + _BASELINE_ALPHA * (rate - old)
        await state.set("baseline_per_min", round(new, 3))
    await state.set("cursors", fetched["cursors"])
    await state.set("last_tick_at", fetched["fetched_at"])
    tick = {"mentions": figures["mentions"], "negative": figures["negative"],
            "negative_share": figures["negative_share"], "mean_score": analysis["mean_score"],
            "status": analysis["status"], "alerts": len(analysis["alerts"]),
            "topics": figures.get("topics", [])}  # fmt: skip
    await asyncio.to_thread(crisis_dashboard.record_tick, job_id=ctx.job_id,
                            at=fetched["fetched_at"], tick=tick, top=analysis["top"])
    await state.delete(f"{_tick_key(ctx)}:posts")
    return tick
