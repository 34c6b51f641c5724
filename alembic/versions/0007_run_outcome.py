"""a succeeded run that did nothing says so: runs.outcome and runs.outcome_reason

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08

Earlier runs keep NULL (they are shown as they were: succeeded).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('runs') as batch:
        batch.add_column(sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=20),
                                   nullable=True))
        batch.add_column(sa.Column('outcome_reason', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('runs') as batch:
        batch.drop_column('outcome_reason')
        batch.drop_column('outcome')
