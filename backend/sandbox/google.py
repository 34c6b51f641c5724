"""Google OAuth token endpoint and the Content API for Shopping.

    POST /google/oauth2/token            grant_type=refresh_token, client_id/secret
    GET  /google/content/v2.1/{merchantId}/products?maxResults=&pageToken=
    GET  /google/content/v2.1/{merchantId}/products/{productId}  (online:id:ID:<offerId>)
    POST /google/content/v2.1/{merchantId}/products              insert = upsert by offerId
    PATCH /google/content/v2.1/{merchantId}/products/{productId} price / availability

Bearer tokens from the token endpoint expire; one token serves Shopping, Ads and
Analytics. Errors: ``{"error": {"code", "message", "status", "errors": [{"reason"}]}}``.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from backend.sandbox.catalog_api import Dialect, add_catalog_routes, number
from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.platform import (
    ApiError,
    Platform,
    bearer_token,
    check_token,
    endpoint,
    error_response,
    json_response,
    state_of,
)

__all__ = ["register", "google_error", "google_auth"]

_KINDS = {
    "auth": (401, "UNAUTHENTICATED", "authError"),
    "expired": (401, "UNAUTHENTICATED", "authError"),
    "rate_limited": (429, "RESOURCE_EXHAUSTED", "rateLimitExceeded"),
    "bad_request": (400, "INVALID_ARGUMENT", "invalid"),
    "not_found": (404, "NOT_FOUND", "notFound"),
    "forbidden": (403, "PERMISSION_DENIED", "forbidden"),
    "server": (500, "INTERNAL", "backendError"),
}


def google_error(err: ApiError) -> web.Response:
    """Google's JSON error shape (Shopping, Ads, Analytics, OAuth)."""
    status, code, reason = _KINDS[err.kind]
    status = err.status or status
    message = err.message
    if err.kind == "expired":
        message = "Request had invalid authentication credentials. Token has expired."
    body = {
        "error": {
            "code": status,
            "message": message,
            "status": code,
            "errors": [{"message": message, "domain": "global", "reason": reason}],
        }
    }
    return error_response(err, body, status=status)


GOOGLE_SHOPPING = Platform("google_shopping", google_error)
GOOGLE_OAUTH = Platform("google_oauth", google_error)


def google_auth(platform: str) -> Any:
    """An auth function checking a live Google bearer token for ``platform``."""

    async def auth(request: web.Request) -> str:
        check_token(request, platform, bearer_token(request))
        return platform

    return auth


async def _shopping_auth(request: web.Request) -> str:
    check_token(request, "google_shopping", bearer_token(request))
    if request.match_info.get("merchant_id") != CREDENTIALS["google_shopping"]["merchant_id"]:
        raise ApiError("forbidden", "User cannot access account")
    return CREDENTIALS["google_shopping"]["merchant_id"]


@endpoint(GOOGLE_OAUTH, "token")
async def oauth_token(request: web.Request, account: str) -> web.Response:
    form = await request.post()
    creds = CREDENTIALS["google_shopping"]
    state = state_of(request)
    if (form.get("client_id"), form.get("client_secret")) != (
        creds["client_id"],
        creds["client_secret"],
    ):
        return json_response(
            {"error": "invalid_client", "error_description": "Unauthorized"}, status=401
        )
    if form.get("grant_type") != "refresh_token" or state.tokens.refresh.get(
        str(form.get("refresh_token"))
    ) not in ("google_shopping", "google_ads", "google_analytics"):
        return json_response(
            {"error": "invalid_grant", "error_description": "Bad Request"}, status=400
        )
    access, _ = state.tokens.issue("google_shopping", now=state.now())
    return json_response(
        {
            "access_token": access,
            "expires_in": int(state.tokens.ttl_sec),
            "token_type": "Bearer",
            "scope": "https://www.googleapis.com/auth/content",
        }
    )


def _product(x: dict[str, Any], base: str) -> dict[str, Any]:
    images = x.get("images") or []
    return {
        "kind": "content#product",
        "id": f"online:id:ID:{x['sku']}",
        "offerId": x["sku"],
        "title": x["title"],
        "description": x.get("description", ""),
        "link": f"{base}/website/shop/p/{x['sku']}",
        "imageLink": images[0] if images else None,
        "additionalImageLinks": images[1:],
        "contentLanguage": "id",
        "targetCountry": "ID",
        "feedLabel": "ID",
        "channel": "online",
        "availability": "in_stock" if x.get("stock", 0) > 0 else "out_of_stock",
        "price": {"value": str(x["price"]), "currency": "IDR"},
        "brand": x.get("brand"),
        "condition": "new",
    }


def _fields(body: dict[str, Any]) -> dict[str, Any]:
    images = [body["imageLink"]] if body.get("imageLink") else []
    images += body.get("additionalImageLinks") or []
    out: dict[str, Any] = {
        "title": body.get("title"),
        "description": body.get("description"),
        "price": number(body.get("price")),
        "images": images or None,
    }
    if body.get("availability"):
        # Merchant Center knows availability, not counts: in stock is "some" (1 here),
        # so a new offer sent as in_stock is not shown out of stock.
        out["stock"] = 0 if body["availability"] == "out_of_stock" else 1
    return out


def _page(items: list[Any], page: int, size: int, total: int) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": "content#productsListResponse", "resources": items}
    if (page + 1) * size < total:
        out["nextPageToken"] = str(page + 1)
    return out


_P = "/google/content/v2.1/{merchant_id}/products"
SHOPPING_DIALECT = Dialect(
    platform=GOOGLE_SHOPPING,
    auth=_shopping_auth,
    list_path=_P,
    item_path=_P + "/{sku}",
    upsert_method="POST",
    upsert_path=_P,
    patch_path=_P + "/{sku}",
    render_item=_product,
    render_page=_page,
    parse_upsert=lambda b, sku: (str(b.get("offerId") or ""), _fields(b)),
    parse_patch=lambda b: {
        k: v for k, v in _fields(b).items() if k in ("price", "stock") and v is not None
    },
    page_param="pageToken",
    size_param="maxResults",
    first_page=0,
    max_size=250,
    sku_of_path=lambda s: s.rsplit(":", 1)[-1],
)


def register(app: web.Application) -> None:
    add_catalog_routes(app, SHOPPING_DIALECT)
    app.router.add_post("/google/oauth2/token", oauth_token)
