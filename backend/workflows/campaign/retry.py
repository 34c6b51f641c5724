"""Messages the platform took and failed later, by the campaign's policy.

A WhatsApp text outside the customer's 24-hour window (131047), a Twilio message that
ends ``undelivered``: the send call said yes, a status webhook says no. The webhook
marks the message failed in the ledger and counts it in the funnel; the campaign's
``on_delivery_failure`` says what follows:

* ``"retry"``: the customer gets the message again, once, on the next campaign channel
  they consented to (the plan keeps those as ``fallbacks``). The run does it at the end
  of its send step; a failure reported after the run ended queues a follow-up run of
  the job, which does the same.
* ``"report"`` (the default): nothing is sent again; the campaign page counts it and one
  alert per campaign and reason says so.
"""

from __future__ import annotations

from typing import Any, Literal

from backend.core.errors import ErrorItem, InvalidInput

__all__ = ["delivery_policy", "retry_items", "Policy"]

Policy = Literal["retry", "report"]


def delivery_policy(inputs: dict[str, Any]) -> Policy:
    """The job's ``on_delivery_failure`` (checked)."""
    value = inputs.get("on_delivery_failure", "report")
    if value not in ("retry", "report"):
        raise InvalidInput([ErrorItem("inputs.on_delivery_failure", 'one of "retry", "report"')])
    return "retry" if value == "retry" else "report"


def retry_items(plan: list[dict[str, Any]], *, done: set[str], failed: set[str]
                ) -> list[dict[str, Any]]:  # fmt: skip
    """The sends that retry failed messages: each failed ``customer:channel`` once, on
    its first fallback that has neither failed nor been sent already (a fallback
    already sent means the retry happened; nothing more is sent for that customer)."""
    out = []
    for item in plan:
        customer = item["customer_id"]
        if f"{customer}:{item['channel']}" not in failed:
            continue
        for fallback in item.get("fallbacks") or []:
            key = f"{customer}:{fallback['channel']}"
            if key in failed:
                continue  # that one failed too: the next
            if key in done:
                break  # retried already
            out.append({**item, "channel": fallback["channel"], "to": fallback["to"],
                        "retry_of": item["channel"]})  # fmt: skip
            break
    return out
