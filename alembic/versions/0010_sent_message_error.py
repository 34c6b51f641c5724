"""a message the platform failed later says why: sent_messages.error

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('sent_messages') as batch:
        batch.add_column(sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=300),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sent_messages') as batch:
        batch.drop_column('error')
