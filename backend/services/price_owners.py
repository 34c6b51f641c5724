"""One owner per price: the repricer's accepted decisions (table ``price_owners``).

The repricer records every price it sets on a listing (:func:`take`), inside the same
per-listing lock as the platform write. The catalog sync asks, inside that lock too,
before it writes a listing (:func:`owner_for`): while a decision stands, the listing
keeps the repricer's price and the sync reports it as managed by repricing. A decision
ends (``released``, with the reason, kept for the record) when the repricing rule is
switched off (the job deleted, disabled or no longer changing prices) or the catalog's
base price for the product changes; the next catalog write then sets the catalog's
price, and the repricer may take the listing again later from there.

Platform names are the shop platforms' (``tiktok``, the repricer's marketplace name,
is the ``tiktok_shop`` listing). Synchronous; workflows call it in a thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from sqlmodel import col, select

from backend.core.db import session_scope
from backend.domain.shops import DEFAULT_ACCOUNT
from backend.models import Job, PriceOwner

__all__ = ["listing_platform", "take", "owner_for", "rule_off", "active_owners", "list_owners",
           "RuleCheck"]  # fmt: skip

# The repricer's marketplace names that are another name of a shop platform.
_ALIASES = {"tiktok": "tiktok_shop"}

# job_id -> why its repricing rule is off (deleted, disabled ...), or None while it is on.
RuleCheck = Callable[[str], str | None]


def listing_platform(name: str) -> str:
    """The shop platform a marketplace name writes to."""
    return _ALIASES.get(name, name)


def _row(owner: PriceOwner) -> dict[str, Any]:
    return owner.model_dump()


def take(*, platform: str, sku: str, job_id: str, run_id: int, price: int,
         account: str = DEFAULT_ACCOUNT) -> dict[str, Any]:  # fmt: skip
    """Record that ``job_id``'s run set the listing's price (in the shop ``account``):
    from now on its price."""
    now = time.time()
    key = (listing_platform(platform), account, sku)
    with session_scope() as session:
        owner = session.get(PriceOwner, key, with_for_update=True)
        if owner is None:
            owner = PriceOwner(platform=key[0], account=account, sku=sku, job_id=job_id,
                               run_id=run_id, price=int(price), taken_at=now,
                               updated_at=now)  # fmt: skip
        else:
            if owner.status != "active" or owner.job_id != job_id:
                owner.taken_at = now
            # The catalog's base price is kept: it is what the decision stands on.
            owner.job_id, owner.run_id, owner.price = job_id, run_id, int(price)
            owner.status, owner.released_reason, owner.updated_at = "active", None, now
        session.add(owner)
        return _row(owner)


def owner_for(*, platform: str, sku: str, base_price: int | None, rule_off: RuleCheck,
              account: str = DEFAULT_ACCOUNT
              ) -> tuple[dict[str, Any] | None, str | None]:  # fmt: skip
    """``(decision, None)`` while a repricing decision owns this listing's price;
    ``(None, why)`` when it ends now (its rule is off, or ``base_price``, the catalog's
    price for the product, differs from the one it stands on); ``(None, None)`` when
    the catalog sets the price anyway. The first time the catalog meets a decision,
    ``base_price`` is recorded as the one it stands on."""
    key = (listing_platform(platform), account, sku)
    with session_scope() as session:
        owner = session.get(PriceOwner, key, with_for_update=True)
        if owner is None or owner.status != "active":
            if owner is not None and base_price is not None:
                owner.base_price = int(base_price)  # the base a later decision stands on
                session.add(owner)
            return None, None
        reason = rule_off(owner.job_id)
        if reason is None and base_price is not None and owner.base_price is not None \
                and owner.base_price != int(base_price):  # fmt: skip
            reason = f"catalog base price changed from {owner.base_price} to {base_price}"
        if reason is not None:
            owner.status, owner.released_reason = "released", reason[:300]
        if base_price is not None:
            owner.base_price = int(base_price)
        owner.updated_at = time.time()
        session.add(owner)
        return (None, reason) if reason is not None else (_row(owner), None)


def rule_off(job_id: str, *, changes_prices: Callable[[dict[str, Any]], bool]) -> str | None:
    """Why ``job_id``'s repricing rule no longer sets prices (deleted, disabled, or its
    inputs, read by ``changes_prices``, no longer change prices), or None."""
    with session_scope() as session:
        job = session.get(Job, job_id)
        if job is None:
            return f"repricing job {job_id} deleted"
        if not job.enabled:
            return f"repricing job {job_id} disabled"
        if not changes_prices(dict(job.spec.get("inputs") or {})):
            return f"repricing job {job_id} no longer changes prices (auto_update/strategy)"
        return None


def active_owners(platforms: Iterable[str], *, account: str = DEFAULT_ACCOUNT
                  ) -> dict[tuple[str, str], dict[str, Any]]:  # fmt: skip
    """Standing decisions on the listings of ``platforms`` in the shop ``account``, by
    (platform, sku)."""
    names = sorted({listing_platform(p) for p in platforms})
    with session_scope() as session:
        rows = session.exec(select(PriceOwner).where(col(PriceOwner.platform).in_(names),
                                                     PriceOwner.account == account,
                                                     PriceOwner.status == "active")).all()
        return {(r.platform, r.sku): _row(r) for r in rows}


def list_owners(*, job_id: str | None = None, status: str | None = None
                ) -> list[dict[str, Any]]:  # fmt: skip
    """Every recorded decision (newest change first), optionally of one job or status."""
    query = select(PriceOwner).order_by(col(PriceOwner.updated_at).desc())
    if job_id is not None:
        query = query.where(PriceOwner.job_id == job_id)
    if status is not None:
        query = query.where(PriceOwner.status == status)
    with session_scope() as session:
        return [_row(r) for r in session.exec(query)]
