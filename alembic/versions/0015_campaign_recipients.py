"""a campaign's planned recipients, a chunk per CRM page and channel: campaign_recipients

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('campaign_recipients',
    sa.Column('campaign_id', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('items', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('campaign_id', 'seq')
    )


def downgrade() -> None:
    op.drop_table('campaign_recipients')
