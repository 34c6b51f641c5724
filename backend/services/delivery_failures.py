"""What follows a campaign message the platform failed after taking it (a status
webhook said so): the policy of the campaign's job, and the report when it is "report".

The retry itself is the campaign workflow's (``workflows.campaign.retry``); here the
webhook learns which job to hand it to, and raises one alert per campaign and reason
when the job only reports.
"""

from __future__ import annotations

from sqlmodel import col, select

from backend.core.db import session_scope
from backend.core.messages import message
from backend.models import Alert, Job

__all__ = ["policy_of", "report_failure"]


def policy_of(job_id: str) -> str:
    """The job's ``on_delivery_failure`` ("retry" or "report"; "report" if unknown)."""
    with session_scope() as session:
        job = session.get(Job, job_id)
    inputs = dict((job.spec if job is not None else {}).get("inputs") or {})
    return "retry" if inputs.get("on_delivery_failure") == "retry" else "report"


def report_failure(*, job_id: str, campaign_id: str, channel: str, reason: str) -> bool:
    """One alert per campaign, channel and reason (the funnel counts every message);
    False when it was raised before."""
    code = reason.split(":")[0][:40]
    # A message key (said in the reader's language); its params in this order, so that
    # an alert of the same campaign, channel and code is found by its stored text.
    stored = message("alert.delivery_failed", campaign=campaign_id, channel=channel,
                     code=code, reason=reason[:200])
    same = stored[: stored.index(',"reason":')]
    with session_scope() as session:
        seen = session.exec(select(Alert.id).where(
            Alert.job_id == job_id, Alert.kind == "delivery_failed",
            col(Alert.message).startswith(same, autoescape=True))).first()
        if seen is not None:
            return False
        session.add(Alert(job_id=job_id, kind="delivery_failed", message=stored,
                          details={"campaign_id": campaign_id, "channel": channel,
                                   "reason": reason[:300]}))  # fmt: skip
    return True
