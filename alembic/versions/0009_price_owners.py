"""one owner per price: price_owners (the repricing decision a listing's price stands on)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('price_owners',
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('sku', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('job_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('price', sa.Integer(), nullable=False),
    sa.Column('base_price', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('released_reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('taken_at', sa.Float(), nullable=False),
    sa.Column('updated_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('platform', 'sku')
    )
    with op.batch_alter_table('price_owners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_price_owners_job_id'), ['job_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_price_owners_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('price_owners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_price_owners_status'))
        batch_op.drop_index(batch_op.f('ix_price_owners_job_id'))
    op.drop_table('price_owners')
