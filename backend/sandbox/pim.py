"""The shop's own product database (PIM) and dated currency rates.

    GET   /pim/api/v1/products?updated_since=<epoch>&page=&per_page=   (X-API-Key)
          products changed after ``updated_since``, oldest change first, with variants
          and absolute image URLs
    PATCH /pim/api/v1/products/{sku}   {"price"?, "stock"?, "name"?, "description"?}
          an edit in the back office: the product's ``updated_at`` becomes now
    GET   /fx/api/v1/rates?date=YYYY-MM-DD&base=USD     rates to IDR of that day

Products are the seeded catalog (``data/catalog.py``) overlaid with PATCHed fields, kept
in ``state.listings["_pim"]`` so ``/_admin/reset`` forgets them. The PIM and FX APIs are
platforms like the others: faults, limits and counters apply (``pim``, ``fx``).
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from typing import Any

from aiohttp import web

from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.data.catalog import product_index, products
from backend.sandbox.data.rng import unit
from backend.sandbox.images import photo_count
from backend.sandbox.platform import (
    ApiError,
    Platform,
    endpoint,
    json_response,
    plain_error,
    read_json,
    state_of,
)
from backend.sandbox.state import SandboxState

__all__ = ["register", "pim_product"]

_SIZES = ("S", "M", "L")
# Mid-rates around late 2026; each day moves them a little (deterministic per seed).
_FX_BASE = {"USD": 16_250.0, "SGD": 12_100.0, "MYR": 3_650.0, "EUR": 17_600.0, "CNY": 2_270.0}



PIM = Platform("pim", plain_error)
FX = Platform("fx", plain_error)


async def _auth(request: web.Request) -> str:
    if request.headers.get("X-API-Key") != CREDENTIALS["website"]["api_key"]:
        raise ApiError("auth", "Invalid API key")
    return "shop"


def pim_product(state: SandboxState, sku: str, *, base: str) -> dict[str, Any] | None:
    """One product as the PIM serves it (seeded fields overlaid by back-office edits)."""
    seeded = product_index(state.seed).get(sku)
    if seeded is None:
        return None
    out = replace(seeded, image_count=photo_count(state, seeded)).as_dict()
    out.update(state.listings["_pim"].get(sku, {}))
    # Paths of our own photos, or full URLs where the back office put other ones.
    out["images"] = [p if p.startswith(("http://", "https://")) else base + p
                     for p in out["images"]]  # fmt: skip
    n = int(sku[4:])
    if n % 4 == 0:  # every fourth product comes in sizes; stock is split over them
        share = int(out["stock"]) // len(_SIZES)
        stocks = [share] * (len(_SIZES) - 1) + [int(out["stock"]) - share * (len(_SIZES) - 1)]
        out["variants"] = [{"sku": f"{sku}-{s}", "name": s, "stock": st}
                           for s, st in zip(_SIZES, stocks, strict=True)]  # fmt: skip
    else:
        out["variants"] = []
    return out


@endpoint(PIM, "products", auth=_auth)
async def list_products(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    try:
        since = float(request.query.get("updated_since") or 0)
        page, size = int(request.query.get("page", 1)), int(request.query.get("per_page", 100))
    except ValueError:
        raise ApiError("bad_request", "updated_since, page, per_page must be numbers") from None
    if page < 1 or not 1 <= size <= 500:
        raise ApiError("bad_request", "page >= 1 and per_page 1..500")
    base = f"{request.scheme}://{request.host}"
    edits = state.listings["_pim"]
    changed = [
        (int(edits.get(p.sku, {}).get("updated_at", p.updated_at)), p.sku)
        for p in products(state.seed)
    ]
    changed = sorted(c for c in changed if c[0] > since)
    chunk = changed[(page - 1) * size : page * size]
    data = [pim_product(state, sku, base=base) for _, sku in chunk]
    more = page * size < len(changed)
    return json_response({"data": data, "meta": {"total": len(changed), "page": page,
                                                 "next_page": page + 1 if more else None}})


@endpoint(PIM, "product_update", auth=_auth)
async def update_product(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    sku = request.match_info["sku"]
    if sku not in product_index(state.seed):
        raise ApiError("not_found", f"Unknown product {sku}")
    body = await read_json(request)
    fields: tuple[str, ...] = ("price", "stock", "name", "description", "images")
    allowed = {k: body[k] for k in fields if k in body}
    images = allowed.get("images")
    if images is not None and (not isinstance(images, list) or len(images) > 20 or not all(
            isinstance(i, str) and i for i in images)):
        raise ApiError("bad_request", "images: a list of up to 20 paths or URLs")
    edit = state.listings["_pim"].setdefault(sku, {})
    edit.update(allowed)
    # Strictly after every earlier change, even within the same second.
    edit["updated_at"] = max(int(state.now()), int(edit.get("updated_at", 0)) + 1)
    return json_response({"data": pim_product(state, sku, base="")})


@endpoint(FX, "rates")
async def rates(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    try:
        day = date.fromisoformat(request.query.get("date", ""))
    except ValueError:
        raise ApiError("bad_request", "date must be YYYY-MM-DD") from None
    base = request.query.get("base", "USD").upper()
    if base not in _FX_BASE:
        raise ApiError("not_found", f"No rates for {base}")
    wiggle = 1 + 0.01 * math.sin(day.toordinal() / 7) + 0.004 * (
        unit(state.seed, "fx", base, day.isoformat()) - 0.5)
    return json_response({"date": day.isoformat(), "base": base,
                          "rates": {"IDR": round(_FX_BASE[base] * wiggle, 2)}})


def register(app: web.Application) -> None:
    app.router.add_get("/pim/api/v1/products", list_products)
    app.router.add_patch("/pim/api/v1/products/{sku}", update_product)
    app.router.add_get("/fx/api/v1/rates", rates)
