"""Turn untrusted JSON into a JobSpec, or into errors with paths and suggestions."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from backend.connectors.shops import account_problems
from backend.core.errors import ErrorItem, InvalidInput
from backend.core.jsonsafe import json_problems
from backend.core.messages import problem_item
from backend.core.problem_catalog import PYDANTIC_KEYS
from backend.domain.cron import suggest_cron
from backend.domain.problems import PROBLEM_TYPE
from backend.domain.spec import JobSpec
from backend.domain.triggers import SCHEDULE_KEYS
from backend.jobs.infer import KNOWN_TYPES, infer_workflow
from backend.jobs.runnable import runnable_problems

__all__ = ["errors_from_pydantic", "parse_spec", "ParsedSpec", "PYDANTIC_KEYS"]


def _path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "body"


def errors_from_pydantic(exc: ValidationError, *, prefix: tuple[Any, ...] = ()) -> list[ErrorItem]:
    """Pydantic's errors as ErrorItems; model-level errors point at the model's path."""
    items: list[ErrorItem] = []
    for err in exc.errors(include_url=False):
        loc = tuple(x for x in err["loc"] if x not in ("function-after[]",))
        message = str(err["msg"]).removeprefix("Value error, ")
        ctx = err.get("ctx") or {}
        params: dict[str, Any] | None
        if err["type"] == PROBLEM_TYPE:  # the spec's own validators (domain.problems)
            key, params = ctx.get("spio_key"), dict(ctx.get("spio_params") or {})
        else:
            key = PYDANTIC_KEYS.get(err["type"])
            params = {k: str(v) for k, v in ctx.items()} if key else None
        items.append(ErrorItem(path=_path(prefix + loc), message=message, key=key,
                               params=params))  # fmt: skip
    return items





def _schedule_in_trigger(data: dict[str, Any]) -> bool:
    trigger = data.get("trigger")
    return isinstance(trigger, dict) and "event" not in trigger and any(
        key in trigger for key in SCHEDULE_KEYS)


class ParsedSpec:
    """A valid spec plus how its workflow was chosen."""

    __slots__ = ("spec", "workflow_inferred", "inference_reason")

    def __init__(self, spec: JobSpec, *, inferred: bool, reason: str) -> None:
        self.spec = spec
        self.workflow_inferred = inferred
        self.inference_reason = reason


def parse_spec(data: Any, *, now: datetime | None = None, runnable: bool = True) -> ParsedSpec:
    """Validate ``data``; raise InvalidInput listing every problem (with suggestions).

    With ``runnable`` (the default at every gate into the jobs table) a well-formed spec
    whose schedule could never do its work is refused too (see ``backend.jobs.runnable``);
    ``now`` is the moment that judgement is made at (default: the clock).
    """
    if not isinstance(data, dict):
        raise InvalidInput([problem_item("body", "spec.not_object")])
    # Before the model: what the database or the serialiser could not round-trip would
    # be stored and then break every read of the job list.
    problems = json_problems(data)
    if problems:
        raise InvalidInput(problems)
    # A schedule may be written as the trigger; its errors then name `trigger.<field>`.
    scheduled_trigger = _schedule_in_trigger(data)
    if scheduled_trigger and data.get("schedule") is not None:
        raise InvalidInput([problem_item("trigger", "spec.trigger_holds_schedule")])
    try:
        spec = JobSpec.model_validate(data)
    except ValidationError as exc:
        items = errors_from_pydantic(exc)
        if scheduled_trigger:
            items = [replace(i, path="trigger" + i.path.removeprefix("schedule"))
                     if i.path.startswith("schedule") else i for i in items]  # fmt: skip
        written = data.get("trigger") if scheduled_trigger else data.get("schedule")
        raw_cron = written.get("cron") if isinstance(written, dict) else None
        fixed: list[ErrorItem] = []
        for item in items:
            if item.path.endswith(".cron") and isinstance(raw_cron, str):
                suggestion = suggest_cron(raw_cron, inputs=data.get("inputs"))
                message = item.message
                if suggestion:
                    message += f"; did you mean {suggestion!r}?"
                item = replace(item, message=message, suggestion=suggestion)
            fixed.append(item)
        raise InvalidInput(fixed) from None
    if spec.type not in KNOWN_TYPES:
        raise InvalidInput([problem_item("type", "spec.unknown_type", type=spec.type,
                                         known=", ".join(KNOWN_TYPES))])  # fmt: skip
    if spec.workflow is not None:
        parsed = ParsedSpec(spec, inferred=False, reason="workflow given in the spec")
    else:
        kind, reason = infer_workflow(job_type=spec.type, inputs=spec.inputs.model_dump())
        spec = spec.model_copy(update={"workflow": kind})
        parsed = ParsedSpec(spec, inferred=True, reason=reason)
    accounts = parsed.spec.inputs.model_dump().get("accounts")
    # A crisis watch's ``accounts`` are the social accounts it reads (a list of its own).
    own_list = parsed.spec.workflow == "crisis_monitor" and isinstance(accounts, list)
    problems = [] if own_list else account_problems(accounts)
    if runnable:
        problems += runnable_problems(parsed.spec, now=now)
    if problems:
        raise InvalidInput(problems)
    return parsed
