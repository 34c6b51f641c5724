"""The kernel's words are written once and every part uses them."""

from __future__ import annotations

from backend.domain.vocab import (
    ACTIVE_STATUSES,
    FINAL_STATUSES,
    PRIORITIES,
    ROLE_RANK,
    RUN_STATUSES,
    WORKFLOW_KINDS,
)


def test_every_workflow_kind_has_a_workflow_and_no_more() -> None:
    from backend.workflows import WORKFLOW_MODULES

    assert tuple(WORKFLOW_MODULES) == WORKFLOW_KINDS


def test_run_states_split_into_active_and_final() -> None:
    assert set(ACTIVE_STATUSES) | set(FINAL_STATUSES) == set(RUN_STATUSES)
    assert not set(ACTIVE_STATUSES) & set(FINAL_STATUSES)


def test_roles_rank_and_priorities_run_most_urgent_first() -> None:
    from backend.core.security import role_allows

    assert ROLE_RANK["viewer"] < ROLE_RANK["operator"] < ROLE_RANK["admin"]
    assert role_allows("admin", "operator") and not role_allows("viewer", "operator")
    assert not role_allows("", "viewer")
    assert PRIORITIES[0] == "critical" and PRIORITIES[-1] == "low"
