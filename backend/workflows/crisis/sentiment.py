"""Which sentiment engine scores the crisis monitor's mentions, as the job asks.

``sentiment_analysis.model`` names it: ``"offline"`` (the default, also when the key is
missing) is the lexicon engine of ``backend.ai.sentiment``; any other name (``"llm"``, or
a model name such as the seed's ``"ai_sentiment_v2"``) asks for the LLM engine, used when
an LLM is configured (``settings.llm_base_url`` and key; the endpoint's model is
``settings.llm_model``). Without one, or for batches the LLM fails, the offline engine
scores instead and the tick's result says why: a monitor must never stop scoring.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from backend.ai.sentiment import SentimentResult, analyze_many
from backend.core.config import Settings

__all__ = ["SentimentChoice", "choose_engine", "score"]

_OFFLINE = {"offline", "lexicon"}


@dataclass(frozen=True, slots=True)
class SentimentChoice:
    """The engine a tick uses; ``note`` says why it is not the one the job named."""

    model: str
    engine: str  # "offline" | "llm"
    note: str | None = None


def choose_engine(inputs: dict[str, Any], *, settings: Settings) -> SentimentChoice:
    """The engine for ``inputs.sentiment_analysis.model`` on this installation."""
    model = str((inputs.get("sentiment_analysis") or {}).get("model") or "offline").strip()
    if model.lower() in _OFFLINE:
        return SentimentChoice(model=model, engine="offline")
    if settings.llm_enabled:
        return SentimentChoice(model=model, engine="llm")
    return SentimentChoice(model=model, engine="offline",
                           note=f"model {model!r} needs an LLM; none is configured, "
                                "scored offline")  # fmt: skip


async def score(
    texts: list[str], *, choice: SentimentChoice, settings: Settings
) -> tuple[list[SentimentResult], str, str | None]:
    """Score ``texts`` with the chosen engine: (results, the engine that scored them:
    ``offline``, ``llm`` or ``llm+offline`` when some batches fell back, fallback note).

    Each distinct text is scored once: in a storm most posts are copies and retweets of
    a few, and a busy tick must not spend its seconds (or LLM calls) on repeats."""
    unique = list(dict.fromkeys(texts))
    if choice.engine == "offline" or not texts:
        scored, engine, note = analyze_many(unique), choice.engine, choice.note
    else:
        from backend.ai.sentiment_llm import analyze_many_ai

        # The LLM client blocks on HTTP: off the event loop, like the other AI calls.
        scored, note = await asyncio.to_thread(analyze_many_ai, unique, settings=settings)
        engine = "+".join(sorted({r.engine for r in scored}, reverse=True))
    by_text = dict(zip(unique, scored, strict=True))
    return [by_text[t] for t in texts], engine, note
