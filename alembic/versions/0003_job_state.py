"""durable per-job state (catalog watermark, BI history, monitor cursors were Redis keys)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

Values already in Redis are not copied here: the catalog sync still reads its old Redis
watermark once when the table has none (see backend/workflows/catalog_sync.py); the rest
is rebuilt by the next runs.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.models.types

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('job_state',
    sa.Column('job_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('value', sa.JSON(), nullable=True),
    sa.Column('updated_at', backend.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('job_id', 'name')
    )


def downgrade() -> None:
    op.drop_table('job_state')
