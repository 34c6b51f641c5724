"""A shop: one account of a seller on one platform (``shopee`` + ``toko-b``).

Records that name a listing (review rows, price owners, a run's per-store figures, the
ledger keys of price changes) name its shop by a *store key*: the platform alone for
the ``default`` account, as every record did before a seller could have two shops, and
``platform@account`` for any other (``shopee@toko-b``).
"""

from __future__ import annotations

__all__ = ["DEFAULT_ACCOUNT", "store_key", "split_store"]

DEFAULT_ACCOUNT = "default"


def store_key(platform: str, account: str = DEFAULT_ACCOUNT) -> str:
    """``shopee`` for the default account, ``shopee@toko-b`` for another."""
    return platform if account == DEFAULT_ACCOUNT else f"{platform}@{account}"


def split_store(key: str) -> tuple[str, str]:
    """``(platform, account)`` of a store key."""
    platform, _, account = key.partition("@")
    return platform, account or DEFAULT_ACCOUNT
