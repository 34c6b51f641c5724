"""Preview before the first change, and a per-run guard after it.

A new or edited repricing rule's first run only proposes: every price it would change
goes to the review queue (one "approve all" applies them with the next run). The rule
is recognised by a fingerprint of the inputs that decide prices, kept in the job's
durable state once its preview ran; editing the schedule or the report channels is not
a new rule, editing the products, marketplaces, strategy or limits is.

Later runs change prices on their own, up to ``max_changes_per_run`` (default 50) and
``max_change_share`` of the listings they price (optional, 0-1); the changes beyond go
to review. Prices a person approved are applied whatever the guard says.
``preview_first_run: false`` skips the preview (tests, or a rule already watched).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

import orjson

from backend.core.errors import ErrorItem, InvalidInput
from backend.workflows.context import WorkflowContext

__all__ = ["Guard", "load_guard", "mark_previewed", "rules_fingerprint", "PREVIEW_KEY",
           "DEFAULT_MAX_CHANGES"]  # fmt: skip

PREVIEW_KEY = "pricing:previewed_rules"
DEFAULT_MAX_CHANGES = 50
_RULE_INPUTS = ("products", "marketplaces", "accounts", "competitor_accounts", "pricing_strategy",
                "min_margin_percent", "max_discount_percent", "price_floor", "price_ceiling",
                "price_ending", "auto_update")  # fmt: skip


def rules_fingerprint(inputs: dict[str, Any]) -> str:
    """What identifies the rule: the inputs that decide which prices change to what."""
    rule = {k: inputs.get(k) for k in _RULE_INPUTS}
    return hashlib.sha256(orjson.dumps(rule, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


@dataclass(slots=True)
class Guard:
    """How many changes this run may still make on its own (``limit`` None: any)."""

    preview: bool
    limit: int | None
    made: int = 0

    def hold(self) -> tuple[str, str] | None:
        """``(kind, reason)`` when the next change must wait for review; else None
        (and the change is counted)."""
        if self.preview:
            return "preview", ("preview: the first run of a new or edited rule proposes its "
                               "changes for review instead of making them")  # fmt: skip
        if self.limit is not None and self.made >= self.limit:
            return "guard", (f"guard: this run already changed {self.made} price(s), its "
                             f"limit; the rest wait for review")  # fmt: skip
        self.made += 1
        return None


def _limit(inputs: dict[str, Any], *, listings: int) -> int | None:
    raw = inputs.get("max_changes_per_run", DEFAULT_MAX_CHANGES)
    share = inputs.get("max_change_share")
    try:
        limit = None if raw is None else int(raw)
        share_f = None if share is None else float(share)
    except (TypeError, ValueError):
        limit, share_f = -1, None
    if limit is not None and limit < 0:
        raise InvalidInput([ErrorItem("inputs.max_changes_per_run",
                                      "a whole number of changes, 0 or more")])  # fmt: skip
    if share_f is not None and not 0 < share_f <= 1:
        raise InvalidInput([ErrorItem("inputs.max_change_share",
                                      "a share of the listings priced, above 0 and at most 1")])
    if share_f is not None:
        by_share = math.floor(share_f * listings)
        limit = by_share if limit is None else min(limit, by_share)
    return limit


async def load_guard(ctx: WorkflowContext, *, listings: int, earlier: int) -> Guard:
    """This run's guard: a preview when the rule has not had one; ``earlier`` changes an
    earlier attempt of this run made count against the limit."""
    limit = _limit(ctx.inputs, listings=listings)
    previewed = await ctx.tools.state.get(PREVIEW_KEY)
    wanted = ctx.inputs.get("preview_first_run", True) is not False
    return Guard(preview=wanted and previewed != rules_fingerprint(ctx.inputs) and not earlier,
                 limit=limit, made=earlier)  # fmt: skip


async def mark_previewed(ctx: WorkflowContext) -> None:
    """The rule had its preview: later runs apply within the guard."""
    await ctx.tools.state.set(PREVIEW_KEY, rules_fingerprint(ctx.inputs))
