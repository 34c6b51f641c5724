"""All tables. Importing this package registers them on SQLModel.metadata (for Alembic)."""

from backend.models.auth import ROLES, ApiToken, ConnectorAccount, User
from backend.models.job import Job, JobVersion
from backend.models.ledger import Alert, IdempotencyRecord
from backend.models.run import (
    ACTIVE_STATUSES,
    FINAL_STATUSES,
    Artifact,
    Run,
    RunAttempt,
    RunLog,
    RunStep,
)

__all__ = [
    "ACTIVE_STATUSES",
    "FINAL_STATUSES",
    "ROLES",
    "Alert",
    "ApiToken",
    "Artifact",
    "ConnectorAccount",
    "IdempotencyRecord",
    "Job",
    "JobVersion",
    "Run",
    "RunAttempt",
    "RunLog",
    "RunStep",
    "User",
]
