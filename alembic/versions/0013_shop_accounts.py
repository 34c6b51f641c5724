"""many shops per platform: price_reviews.account, price_owners keyed by account too

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

A seller with two Shopee shops prices the same SKU in each apart: the review queue and
the price owners name the shop (the connector account). Rows written before name the
``default`` account, the only one jobs used. ``price_owners`` gets its new primary key
by a copy (SQLite cannot change a table's key in place).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_S = sqlmodel.sql.sqltypes.AutoString
_OWNER_COLUMNS = ('platform', 'sku', 'job_id', 'run_id', 'price', 'base_price', 'status',
                  'released_reason', 'taken_at', 'updated_at')


def _owners_table(name: str, *, with_account: bool) -> None:
    key = ['platform', 'account', 'sku'] if with_account else ['platform', 'sku']
    op.create_table(name,
    sa.Column('platform', _S(length=40), nullable=False),
    *([sa.Column('account', _S(length=100), nullable=False, server_default='default')]
      if with_account else []),
    sa.Column('sku', _S(length=200), nullable=False),
    sa.Column('job_id', _S(length=128), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('price', sa.Integer(), nullable=False),
    sa.Column('base_price', sa.Integer(), nullable=True),
    sa.Column('status', _S(length=20), nullable=False),
    sa.Column('released_reason', _S(length=300), nullable=True),
    sa.Column('taken_at', sa.Float(), nullable=False),
    sa.Column('updated_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint(*key, name=f'{name}_pkey')
    )


def _swap_owners(*, with_account: bool, keep: str) -> None:
    """Copy price_owners into a table with the other key, then put it in its place."""
    columns = ', '.join(_OWNER_COLUMNS)
    _owners_table('price_owners_next', with_account=with_account)
    op.execute(f"INSERT INTO price_owners_next ({columns}) SELECT {columns} FROM price_owners"
               f" WHERE {keep}")
    op.drop_table('price_owners')
    op.rename_table('price_owners_next', 'price_owners')
    if op.get_bind().dialect.name == 'postgresql':  # the key keeps its name: the usual one
        op.execute('ALTER TABLE price_owners RENAME CONSTRAINT price_owners_next_pkey '
                   'TO price_owners_pkey')
    with op.batch_alter_table('price_owners', schema=None) as batch_op:
        batch_op.create_index('ix_price_owners_job_id', ['job_id'], unique=False)
        batch_op.create_index('ix_price_owners_status', ['status'], unique=False)


def upgrade() -> None:
    with op.batch_alter_table('price_reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('account', _S(length=100), nullable=False,
                                      server_default='default'))
        batch_op.create_index(batch_op.f('ix_price_reviews_account'), ['account'], unique=False)
    _swap_owners(with_account=True, keep='1 = 1')


def downgrade() -> None:
    _swap_owners(with_account=False, keep="account = 'default'")
    with op.batch_alter_table('price_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_price_reviews_account'))
        batch_op.drop_column('account')
