"""seal nested connector secrets (oauth.*, shop_tokens.*) saved in plaintext config

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07

Until now only top-level setting names counted as secrets, so ``oauth.client_secret``
or ``shop_tokens.shopee`` were kept in the plaintext ``config`` column. This moves every
secret at any depth (backend.connectors.secret_fields) into the encrypted column, the
values already encrypted winning over stale plaintext copies. There is no way back: a
downgrade keeps them encrypted (older code reads only top-level secrets, so it sees the
nested ones as unset, never in plaintext).
"""
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        value = json.loads(value) if value else {}
    return value if isinstance(value, dict) else {}


def upgrade() -> None:
    from backend.connectors.registry import account_models
    from backend.connectors.secret_fields import merge_trees, shape_of, split_secrets

    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT id, platform, config, secret_encrypted FROM connector_accounts")).fetchall()
    models = account_models()
    cast = "CAST(:config AS json)" if bind.dialect.name == "postgresql" else ":config"
    for account_id, platform, config, sealed in rows:
        model = models.get(platform)
        public, secrets = split_secrets(_as_dict(config), shape_of(model) if model else None)
        if not secrets:
            continue
        # Imported only when there is something to seal: the key is read (or made) then.
        from backend.core.security import decrypt_secret, encrypt_secret

        stored = _as_dict(decrypt_secret(sealed)) if sealed else {}
        bind.execute(
            sa.text(f"UPDATE connector_accounts SET config = {cast}, "
                    "secret_encrypted = :sealed WHERE id = :id"),
            {"config": json.dumps(public), "id": account_id,
             "sealed": encrypt_secret(json.dumps(merge_trees(secrets, stored)))},
        )


def downgrade() -> None:
    pass
