"""Generic catalog endpoints for the simpler platforms, each speaking its own dialect.

Blibli, the website, Google Shopping, Priceza, Idealo and the Meta shops all offer the
same operations (list our listings, get one, upsert by SKU, change price/stock, upload
an image) with different paths, auth and JSON. A :class:`Dialect` describes one
platform; :func:`add_catalog_routes` wires the shared handlers to its paths.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from backend.sandbox import shop
from backend.sandbox.platform import (
    ApiError,
    Platform,
    endpoint,
    json_response,
    read_json,
    state_of,
)
from backend.sandbox.uploads import store_upload

__all__ = ["Dialect", "add_catalog_routes", "absolute", "number"]

Fields = dict[str, Any]


@dataclass(frozen=True)
class Dialect:
    """How one platform spells the shared catalog operations.

    ``list_path``/``item_path`` (``{sku}`` in it) and the optional ``patch_path`` and
    ``upload_path`` are aiohttp route paths. ``render_item`` turns a listing into the
    platform's JSON; ``render_page`` wraps a page; ``parse_upsert`` and ``parse_patch``
    read request bodies into listing fields; ``sku_param`` names the SKU route variable.
    """

    platform: Platform
    auth: Callable[[web.Request], Awaitable[str]]
    list_path: str
    item_path: str
    upsert_method: str
    render_item: Callable[[Fields, str], Any]
    render_page: Callable[[list[Any], int, int, int], Any]
    parse_upsert: Callable[[Fields, str | None], tuple[str, Fields]]
    parse_patch: Callable[[Fields], Fields]
    upsert_path: str | None = None
    patch_path: str | None = None
    patch_method: str = "PATCH"
    upload_path: str | None = None
    upload_field: str = "file"
    render_upload: Callable[[Fields], Any] | None = None
    page_param: str = "page"
    size_param: str = "per_page"
    first_page: int = 1
    max_size: int = 100
    wrap: Callable[[Any], Any] = lambda x: x
    sku_of_path: Callable[[str], str] = lambda s: s


def absolute(request: web.Request, paths: list[str]) -> list[str]:
    """Image paths of the seeded catalog as absolute URLs on this sandbox."""
    base = f"{request.scheme}://{request.host}"
    return [base + p if p.startswith("/") else p for p in paths]


def _page_args(request: web.Request, d: Dialect) -> tuple[int, int]:
    try:
        page = int(request.query.get(d.page_param, d.first_page))
        size = int(request.query.get(d.size_param, 20))
    except ValueError:
        raise ApiError("bad_request", "page and size must be integers") from None
    if page < d.first_page or not 1 <= size <= d.max_size:
        raise ApiError("bad_request", f"page >= {d.first_page}, size 1..{d.max_size}")
    return page, size


def add_catalog_routes(app: web.Application, d: Dialect) -> None:
    """Register list/get/upsert/patch/upload for one dialect."""
    name = d.platform.name

    def sku_from(request: web.Request) -> str:
        return d.sku_of_path(request.match_info["sku"])

    def render(request: web.Request, listing: Fields) -> Any:
        listing = dict(listing)
        listing["images"] = absolute(request, list(listing.get("images") or []))
        return d.render_item(listing, f"{request.scheme}://{request.host}")

    def store(account: str) -> str:
        """The store a call acts on: the shop its auth named (``blibli@toko-b``), else
        the platform's one shop."""
        return account if account.partition("@")[0] == name else name

    @endpoint(d.platform, "products.list", auth=d.auth)
    async def list_items(request: web.Request, account: str) -> web.Response:
        state = state_of(request)
        page, size = _page_args(request, d)
        skus = shop.listed_skus(state, store(account))
        start = (page - d.first_page) * size
        items = [shop.listing(state, store(account), s) for s in skus[start : start + size]]
        rendered = [render(request, x) for x in items if x]
        return json_response(d.render_page(rendered, page, size, len(skus)))

    @endpoint(d.platform, "products.get", auth=d.auth)
    async def get_item(request: web.Request, account: str) -> web.Response:
        listing = shop.listing(state_of(request), store(account), sku_from(request))
        if listing is None:
            raise ApiError("not_found", "Product not found")
        return json_response(d.wrap(render(request, listing)))

    @endpoint(d.platform, "products.upsert", auth=d.auth, mutating=True)
    async def upsert(request: web.Request, account: str) -> web.Response:
        body = await read_json(request)
        path_sku = sku_from(request) if "sku" in request.match_info else None
        sku, fields = d.parse_upsert(body, path_sku)
        if not sku:
            raise ApiError("bad_request", "SKU is required")
        if path_sku and sku != path_sku:
            raise ApiError("bad_request", "SKU in body differs from the path")
        listing, created = shop.upsert(state_of(request), store(account), sku, fields)
        return json_response(d.wrap(render(request, listing)), status=201 if created else 200)

    @endpoint(d.platform, "products.patch", auth=d.auth, mutating=True)
    async def patch(request: web.Request, account: str) -> web.Response:
        state = state_of(request)
        sku = sku_from(request)
        if shop.listing(state, store(account), sku) is None:
            raise ApiError("not_found", "Product not found")
        fields = d.parse_patch(await read_json(request))
        if not fields:
            raise ApiError("bad_request", "Nothing to update")
        if fields.get("price") is not None:
            if not isinstance(fields["price"], int | float) or fields["price"] <= 0:
                raise ApiError("bad_request", "price must be a positive number")
            shop.set_price(state, store(account), sku, fields["price"])
        if fields.get("stock") is not None:
            shop.set_stock(state, store(account), sku, int(fields["stock"]))
        listing = shop.listing(state, store(account), sku)
        assert listing is not None
        return json_response(d.wrap(render(request, listing)))

    @endpoint(d.platform, "images.upload", auth=d.auth, mutating=True)
    async def upload(request: web.Request, account: str) -> web.Response:
        info = await store_upload(request, platform=name, field=d.upload_field)
        renderer = d.render_upload or (lambda i: {"id": i["id"], "url": i["url"]})
        return json_response(renderer(info), status=201)

    r = app.router
    r.add_get(d.list_path, list_items)
    r.add_get(d.item_path, get_item)
    r.add_route(d.upsert_method, d.upsert_path or d.item_path, upsert)
    if d.patch_path is not None:
        r.add_route(d.patch_method, d.patch_path, patch)
    if d.upload_path is not None:
        r.add_post(d.upload_path, upload)


def number(value: Any) -> float | None:
    """A price from 149900, "149900", "149900.00", "150000 IDR" or {"value": "149900"}."""
    if isinstance(value, dict):
        value = value.get("value", value.get("amount"))
    if value is None or isinstance(value, int | float):
        return value
    text = str(value).split()[0].replace("Rp", "").replace(",", "") if str(value).strip() else ""
    try:
        return float(text)
    except ValueError:
        raise ApiError("bad_request", f"Invalid price {value!r}") from None
