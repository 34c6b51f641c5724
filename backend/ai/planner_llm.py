"""The planner's LLM path: the model proposes a spec; the same validation as offline decides.

An answer must be a JSON object ``{"spec", "explanation", "assumptions"}`` whose spec
passes ``parse_spec`` and names a plannable workflow; otherwise the model is asked once
more, then the offline planner takes over (the plan says why in ``fallback_reason``).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from backend.ai.llm import LLMError, make_llm_client
from backend.ai.planner_templates import BUILT_IN, TEMPLATES
from backend.core.config import Settings
from backend.jobs.validation import ParsedSpec, parse_spec

__all__ = ["plan_with_llm", "SYSTEM_PROMPT"]

_SEED_DIR_HINT = {
    "price_intelligence": "products{source,limit}, marketplaces[], competitor_accounts[], "
    "pricing_strategy (undercut_by_N_percent|match_lowest|monitor_only), min_margin_percent, "
    "max_discount_percent, report_channels[]",
    "campaign": "campaign{name,discount_range,start_date,end_date}, audience{segment,limit}, "
    "channels[], rate_limit_per_minute, personalization{use_ai,tone,...}, tracking{...}",
    "bi_report": "report_date, data_sources[{platform,metrics[]}], ai_analysis{...}, "
    "output_formats[pdf|excel|dashboard], recipients[{channel,address|chat_id|phone}]",
    "catalog_sync": "products{source,query,limit}, platforms[], sync_options{...}, "
    "image_processing{max_width,max_height,quality,format}, ai_optimization{...}",
    "crisis_monitor": "channel, accounts[{platform,account}], monitor_keywords[], "
    "sentiment_analysis{...}, crisis_detection{spike_threshold,negative_threshold,"
    "volume_threshold}, alerts{...}, auto_response{...}",
    "agent": "prompt, tools[] (http, kv, messaging, metrics, files, command), max_steps",
}

SYSTEM_PROMPT = (
    "TASK: plan_job\n"
    "You turn a seller's request (Indonesian or English) into a SPIO Agent job spec. Reply "
    'with ONE JSON object: {"spec": JobSpec, "explanation": string in the request\'s '
    'language, "assumptions": [strings]}. JobSpec fields: job_id (slug), type, workflow '
    f"(one of {', '.join((*BUILT_IN, 'agent'))}), name, schedule (exactly one of "
    "interval_sec | cron (5 fields) | at (ISO time); timezone default Asia/Jakarta; omit "
    "schedule to run only on demand), timeout_ms, retry_policy{max_retry, backoff_sec[]}, "
    "inputs{flow_group, flow_max_active_runs, pressure_priority (critical|high|normal|low), "
    "allow_overlap, prompt, ...workflow inputs}. Workflow inputs:\n"
    + "\n".join(f"- {kind}: {hint}" for kind, hint in _SEED_DIR_HINT.items())
    + "\nUse `agent` only when no other workflow fits. Counts use Indonesian thousands "
    "separators (10.000 = ten thousand). The current time is given in the request."
)


class _Answer(BaseModel):
    spec: dict[str, Any]
    explanation: str = Field(min_length=1)
    assumptions: list[str] = Field(default_factory=list)


def _parser(overrides: dict[str, Any] | None):
    from backend.ai.planner import _merge

    def parse(data: Any) -> tuple[_Answer, ParsedSpec]:
        answer = _Answer.model_validate(data)
        spec = _merge(answer.spec, overrides) if overrides else answer.spec
        parsed = parse_spec(spec)  # raises InvalidInput with paths the model can act on
        if parsed.spec.workflow not in (*BUILT_IN, "agent"):
            raise ValueError(f"workflow must be one of {', '.join((*BUILT_IN, 'agent'))}")
        return answer, parsed

    return parse


def plan_with_llm(
    prompt: str, *, overrides: dict[str, Any] | None, now: datetime, settings: Settings
) -> tuple[Any, str | None]:
    """((Plan, ParsedSpec), None) from the LLM, or (None, why it could not be used)."""
    from backend.ai.planner import finish_plan
    from backend.ai.planner_explain import prompt_language

    client = make_llm_client(settings)
    if client is None:
        return None, "no LLM configured (LLM_BASE_URL / LLM_API_KEY); used the offline planner"
    defaults = {
        kind: {"type": t.type, "timeout_ms": t.timeout_ms, "retry_policy": t.retry,
               "inputs": t.inputs}
        for kind, t in TEMPLATES.items()
    }  # fmt: skip
    payload = {"request": prompt, "now": now.isoformat(), "defaults": defaults}
    user = json.dumps(payload, ensure_ascii=False)
    try:
        answer, parsed = client.chat_json(system=SYSTEM_PROMPT, user=user, parse=_parser(overrides))
    except LLMError as exc:
        return None, f"LLM failed ({exc}); used the offline planner"
    spec = parsed.spec.public_dict()
    spec.setdefault("inputs", {}).setdefault("prompt", prompt)
    result = finish_plan(
        spec, explanation=answer.explanation, assumptions=answer.assumptions,
        lang=prompt_language(prompt), engine="llm", now=now, settings=settings,
    )  # fmt: skip
    return result, None
