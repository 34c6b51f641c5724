"""All tables. Importing this package registers them on SQLModel.metadata (for Alembic)."""

from backend.models.auth import ROLES, ApiToken, ConnectorAccount, User
from backend.models.campaign import Campaign, CampaignCounter, CampaignEvent, CampaignRecipient
from backend.models.crisis_dashboard import CrisisDashboard, CrisisTick
from backend.models.event import Event
from backend.models.job import Job, JobVersion
from backend.models.job_state import JobState
from backend.models.ledger import Alert, IdempotencyRecord
from backend.models.messaging import SentMessage
from backend.models.price_owner import PriceOwner
from backend.models.revenue import RevenueOrder, RevenueTouch, TrackedLink
from backend.models.run import (
    ACTIVE_STATUSES,
    FINAL_STATUSES,
    Artifact,
    Run,
    RunAttempt,
    RunLog,
    RunStep,
)
from backend.models.stock import StockLevel, StockMove
from backend.models.system import SystemStatus
from backend.models.workflow_records import CrisisIncident, PriceReview

__all__ = [
    "ACTIVE_STATUSES",
    "FINAL_STATUSES",
    "ROLES",
    "Alert",
    "ApiToken",
    "Artifact",
    "Campaign",
    "CampaignCounter",
    "CampaignEvent",
    "CampaignRecipient",
    "ConnectorAccount",
    "CrisisDashboard",
    "CrisisIncident",
    "CrisisTick",
    "Event",
    "IdempotencyRecord",
    "Job",
    "JobState",
    "JobVersion",
    "PriceOwner",
    "PriceReview",
    "RevenueOrder",
    "RevenueTouch",
    "Run",
    "RunAttempt",
    "RunLog",
    "RunStep",
    "SentMessage",
    "StockLevel",
    "StockMove",
    "SystemStatus",
    "TrackedLink",
    "User",
]
