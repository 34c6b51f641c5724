"""The words every part of SPIO Agent agrees on, each list written once: the workflow
kinds, the priorities, the roles, the states of a run.

The ``Literal`` types are the source; the tuples are derived from them, in order.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["WorkflowKind", "WORKFLOW_KINDS", "Priority", "PRIORITIES", "Role", "ROLES",
           "ROLE_RANK", "RunStatus", "RUN_STATUSES", "ACTIVE_STATUSES",
           "FINAL_STATUSES"]  # fmt: skip

WorkflowKind = Literal["noop", "sleep", "price_intelligence", "campaign", "bi_report",
                       "catalog_sync", "crisis_monitor", "agent"]  # fmt: skip
WORKFLOW_KINDS: tuple[str, ...] = get_args(WorkflowKind)

# Most urgent first: the scheduler dispatches in this order and holds back from the end.
Priority = Literal["critical", "high", "normal", "low"]
PRIORITIES: tuple[str, ...] = get_args(Priority)

# Least to most: each role may do what the ones before it may.
Role = Literal["viewer", "operator", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
ROLE_RANK: dict[str, int] = {role: rank for rank, role in enumerate(ROLES)}

RunStatus = Literal["queued", "running", "succeeded", "failed", "timed_out", "cancelled",
                    "skipped"]  # fmt: skip
RUN_STATUSES: tuple[str, ...] = get_args(RunStatus)
ACTIVE_STATUSES: tuple[str, ...] = ("queued", "running")
FINAL_STATUSES: tuple[str, ...] = tuple(s for s in RUN_STATUSES if s not in ACTIVE_STATUSES)
