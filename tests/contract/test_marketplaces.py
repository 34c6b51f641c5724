"""TikTok Shop, Lazada and Shopee's own clients against the sandbox: auth and signing,
one read and one write each, and the error shapes of bad auth, rate limit and not found.

A sandbox that drifted from what these clients send or expect (a parameter in the wrong
place, a required field the platform does not require, an envelope they cannot read)
fails here, whatever our connectors do.
"""

from __future__ import annotations

import io
import time
from typing import Any

import httpx
import pytest
from tiktok_shop_api import TikTokShop, TikTokShopAuth, TikTokShopError
from tiktok_shop_api.generated.models.search_products_request import SearchProductsRequest
from tiktok_shop_api.generated.models.update_price_request import UpdatePriceRequest
from tiktok_shop_api.generated.models.upload_product_image_request import (
    UploadProductImageRequest,
)
from tiktok_shop_api.generated.types import File

from backend.connectors.base import AuthFailed, RateLimited, Rejected, TokenExpired
from backend.connectors.shopee import raise_for_response as shopee_action
from backend.connectors.shopee import shopee_sign
from backend.sandbox.credentials import CREDENTIALS
from tests.contract.conftest import admin, shopee_client_class

TTS, LZ, SP = CREDENTIALS["tiktok_shop"], CREDENTIALS["lazada"], CREDENTIALS["shopee"]


class _Prefixed(httpx.HTTPTransport):
    """Routes a request made to the platform's host into the sandbox's prefix, after the
    client has signed it (as a reverse proxy would): the client signs and picks its
    shop-scoped operations by the platform's own paths, ``/product/...``."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self._prefix = prefix.encode()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(raw_path=self._prefix + request.url.raw_path)
        return super().handle_request(request)


def _tts(sandbox, **creds) -> TikTokShop:
    c = {"app_key": TTS["app_key"], "app_secret": TTS["app_secret"],
         "access_token": TTS["access_token"], "shop_cipher": TTS["shop_cipher"], **creds}
    return TikTokShop(**c, base_url=sandbox.base_url, timeout=10,
                      transport=_Prefixed("/tiktok-shop"))


def test_tiktok_shop_client_reads_and_writes(sandbox) -> None:
    with _tts(sandbox) as client:
        found = client.products.search_products(  # 202502, the client's current search
            page_size=2, body=SearchProductsRequest.from_dict({"seller_skus": ["PROD003"]}))
        [product] = found.data.products
        assert product.skus[0].seller_sku == "PROD003"
        detail = client.products.get_product(product.id)
        assert detail.data.title and detail.data.skus[0].price.sale_price
        body = {"skus": [{"id": product.skus[0].id,
                          "price": {"amount": "123400", "currency": "IDR"}}]}
        client.products.update_price(product.id, body=UpdatePriceRequest.from_dict(body))
    assert admin(sandbox, "counters")["price_changes"]["tiktok_shop"] == {"PROD003": 1}


def test_tiktok_shop_image_upload_goes_without_shop_cipher(sandbox) -> None:
    jpeg = httpx.get(f"{sandbox.base_url}/img/PROD001/1.jpg").content
    with _tts(sandbox) as client:  # the client leaves shop_cipher off this app-level call
        uploaded = client.products.upload_product_image(body=UploadProductImageRequest(
            data=File(payload=io.BytesIO(jpeg), file_name="p1.jpg", mime_type="image/jpeg")))
    assert uploaded.data.uri and uploaded.data.url.startswith("http")
    assert admin(sandbox, "counters")["image_uploads"]["tiktok_shop"] == 1


def test_tiktok_shop_token_refresh_is_on_the_auth_host(sandbox) -> None:
    auth = TikTokShopAuth(TTS["app_key"], TTS["app_secret"],
                          base_url=f"{sandbox.base_url}/tiktok-shop-auth")
    tokens = auth.refresh(TTS["refresh_token"])
    assert tokens.access_token and tokens.refresh_token != TTS["refresh_token"]
    assert tokens.access_token_expire_in > 1_000_000_000  # a Unix time, not a duration
    with pytest.raises(TikTokShopError) as refused:
        auth.refresh("not-a-refresh-token")
    assert refused.value.code == 36004004
    # The open-API host has no token endpoint (the bug this sandbox used to hide).
    wrong_host = TikTokShopAuth(TTS["app_key"], TTS["app_secret"],
                                base_url=f"{sandbox.base_url}/tiktok-shop")
    with pytest.raises(TikTokShopError) as missing:
        wrong_host.refresh(tokens.refresh_token)
    assert missing.value.http_status == 404


def test_tiktok_shop_error_shapes(sandbox) -> None:
    with _tts(sandbox, app_secret="wrong") as client, pytest.raises(TikTokShopError) as bad:
        client.products.get_product("1")
    assert bad.value.code == 106001
    with _tts(sandbox) as client, pytest.raises(TikTokShopError) as missing:
        client.products.get_product("999999999")
    assert missing.value.code == 12052048 and missing.value.http_status == 404
    admin(sandbox, "limits", {"tiktok_shop.api": {"limit": 1, "window_sec": 60}})
    with _tts(sandbox) as client:
        client.products.search_products(page_size=1)
        with pytest.raises(TikTokShopError) as limited:
            client.products.search_products(page_size=1)
    assert limited.value.code == 36009003 and limited.value.http_status == 429


def _lazada(lazop, sandbox, *, secret: str = LZ["app_secret"]):
    return lazop.LazopClient(f"{sandbox.base_url}/lazada/rest", LZ["app_key"], secret)


def test_lazada_sdk_reads_writes_and_uploads(lazop, sandbox) -> None:
    client = _lazada(lazop, sandbox)
    read = lazop.LazopRequest("/product/item/get", "GET")
    read.add_api_param("seller_sku", "PROD004")
    got = client.execute(read, LZ["access_token"])
    assert got.code == "0" and got.body["data"]["skus"][0]["SellerSku"] == "PROD004"
    write = lazop.LazopRequest("/product/price_quantity/update")
    write.add_api_param("payload", "<Request><Product><Skus><Sku><SellerSku>PROD004</SellerSku>"
                        "<Price>99000</Price></Sku></Skus></Product></Request>")
    assert client.execute(write, LZ["access_token"]).code == "0"
    # The SDK sends its system parameters inside the multipart body with the file.
    upload = lazop.LazopRequest("/image/upload")
    jpeg = httpx.get(f"{sandbox.base_url}/img/PROD001/1.jpg").content
    upload.add_file_param("image", jpeg)
    uploaded = client.execute(upload, LZ["access_token"])
    assert uploaded.code == "0", uploaded.body
    assert uploaded.body["data"]["image"]["url"].startswith("http")
    counters = admin(sandbox, "counters")
    assert counters["price_changes"]["lazada"] == {"PROD004": 1}
    assert counters["image_uploads"]["lazada"] == 1


def test_lazada_create_refuses_a_known_seller_sku_and_update_takes_it(lazop, sandbox) -> None:
    client = _lazada(lazop, sandbox)
    payload = ("<Request><Product><PrimaryCategory>10000</PrimaryCategory><Attributes>"
               "<name>Kaos</name></Attributes><Skus><Sku><SellerSku>PROD001</SellerSku>"
               "<price>150000</price></Sku></Skus></Product></Request>")
    create = lazop.LazopRequest("/product/create")
    create.add_api_param("payload", payload)
    refused = client.execute(create, LZ["access_token"])
    assert refused.code != "0" and "already exists" in refused.message
    update = lazop.LazopRequest("/product/update")
    update.add_api_param("payload", payload)
    assert client.execute(update, LZ["access_token"]).code == "0"


def test_lazada_token_refresh_is_on_the_auth_host(lazop, sandbox) -> None:
    auth = lazop.LazopClient(f"{sandbox.base_url}/lazada-auth/rest", LZ["app_key"],
                             LZ["app_secret"])
    refresh = lazop.LazopRequest("/auth/token/refresh")
    refresh.add_api_param("refresh_token", LZ["refresh_token"])
    answer = auth.execute(refresh)
    assert answer.code == "0" and answer.body["access_token"]


def test_lazada_error_shapes(lazop, sandbox) -> None:
    read = lazop.LazopRequest("/product/item/get", "GET")
    read.add_api_param("seller_sku", "PROD004")
    bad = _lazada(lazop, sandbox, secret="wrong").execute(read, LZ["access_token"])
    assert (bad.type, bad.code) == ("ISV", "IncompleteSignature")
    missing = lazop.LazopRequest("/product/item/get", "GET")
    missing.add_api_param("seller_sku", "NOPE-404")
    assert _lazada(lazop, sandbox).execute(missing, LZ["access_token"]).code == "ProductNotFound"
    admin(sandbox, "limits", {"lazada.api": {"limit": 1, "window_sec": 60}})
    client = _lazada(lazop, sandbox)
    client.execute(read, LZ["access_token"])
    assert client.execute(read, LZ["access_token"]).code == "ApiCallLimit"


def _shopee(sandbox, **kw) -> Any:
    client = shopee_client_class()(shop_id=SP["shop_id"], partner_id=SP["partner_id"],
                          partner_key=kw.get("partner_key", SP["partner_key"]),
                          redirect_url="https://toko.example/auth",
                          access_token=SP["access_token"])  # fmt: skip
    client.host = f"{sandbox.base_url}/shopee"
    return client


def test_shopee_client_reads_and_writes(sandbox) -> None:
    client = _shopee(sandbox)
    listed = client.product.get_item_list(offset=0, page_size=5, item_status="NORMAL")
    assert not listed.get("error"), listed
    item_id = listed["response"]["item"][0]["item_id"]
    info = client.product.get_item_base_info(item_id_list=item_id)
    assert info["response"]["item_list"][0]["item_sku"] == "PROD001"
    updated = client.product.update_price(item_id=item_id,
                                          price_list=[{"model_id": 0, "original_price": 99000}])
    assert not updated.get("error"), updated
    assert admin(sandbox, "counters")["price_changes"]["shopee"] == {"PROD001": 1}


def test_shopee_error_shapes(sandbox) -> None:
    # pyshopee2 reads only the HTTP status of a refusal and the body of a 200, so the
    # sandbox's statuses must be Shopee's: 403 for who is calling, 200 with the error in
    # the body for a call the API took and refused, 429 over the limit.
    bad = _shopee(sandbox, partner_key="wrong").product.get_item_list(
        offset=0, page_size=5, item_status="NORMAL")
    assert bad["error"] == 403
    client = _shopee(sandbox)
    missing = client.product.get_item_base_info(item_id_list=999999999)
    assert missing["error"] == "product.error_item_not_found" and missing["request_id"]
    unknown = client.product.update_price(item_id=999999999,
                                          price_list=[{"model_id": 0, "original_price": 1000}])
    assert unknown["error"] == "product.error_item_not_found"
    wrong = client.product.get_item_list(offset=0, page_size=0, item_status="NORMAL")
    assert wrong["error"] == "error_param" and "page_size" in wrong["message"]
    admin(sandbox, "limits", {"shopee.api": {"limit": 1, "window_sec": 60}})
    client.product.get_item_list(offset=0, page_size=1, item_status="NORMAL")
    assert client.product.get_item_list(offset=0, page_size=1, item_status="NORMAL")["error"] \
        == 429


def _shopee_call(sandbox, path: str, *, key: str = SP["partner_key"],
                 token: str = SP["access_token"], **params: Any) -> httpx.Response:
    ts = int(time.time())
    sign = shopee_sign(key, SP["partner_id"], path, ts, token, str(SP["shop_id"]))
    query = {"partner_id": SP["partner_id"], "timestamp": ts, "access_token": token,
             "shop_id": SP["shop_id"], "sign": sign, **params}  # fmt: skip
    return httpx.get(f"{sandbox.base_url}/shopee{path}", params=query)


def test_shopee_connector_maps_the_statuses_to_actions(sandbox) -> None:
    items = "/api/v2/product/get_item_base_info"
    cases = [
        (_shopee_call(sandbox, items, key="wrong", item_id_list="1"), 403, AuthFailed),
        (_shopee_call(sandbox, items, token="expired", item_id_list="1"), 403, AuthFailed),
        (_shopee_call(sandbox, items, item_id_list="999999999"), 200, Rejected),
        (_shopee_call(sandbox, items, item_id_list="x"), 200, Rejected),
        (_shopee_call(sandbox, "/api/v2/product/no_such_call"), 404, Rejected),
    ]
    for response, status, action in cases:
        assert response.status_code == status, response.text
        with pytest.raises(action):
            shopee_action(response)
    admin(sandbox, "tokens/expire", {"platform": "shopee"})
    expired = _shopee_call(sandbox, items, item_id_list="1")
    assert (expired.status_code, expired.json()["error"]) == (403, "invalid_acceess_token")
    with pytest.raises(TokenExpired):
        shopee_action(expired)
    admin(sandbox, "reset", {})
    admin(sandbox, "limits", {"shopee.api": {"limit": 1, "window_sec": 60}})
    _shopee_call(sandbox, items, item_id_list="1")
    limited = _shopee_call(sandbox, items, item_id_list="1")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    with pytest.raises(RateLimited):
        shopee_action(limited)
