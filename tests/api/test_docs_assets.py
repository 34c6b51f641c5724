"""The documentation pages' assets come from the app (no browser needed to check):
every script, style and icon /docs and /redoc name is served here, and the pages and
bundles name no outside host to load from."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_every_asset_of_the_page_is_served_here(env, page):
    from fastapi.testclient import TestClient

    from backend.api.app import create_app

    with TestClient(create_app()) as client:  # no token: the pages are public, as before
        html = client.get(page)
        assert html.status_code == 200 and "text/html" in html.headers["content-type"]
        assets = re.findall(r'(?:src|href)="([^"]+)"', html.text)
        assert assets and all(a.startswith("/") for a in assets), assets
        for asset in assets:
            got = client.get(asset)
            assert got.status_code == 200 and got.content, asset
            if asset.endswith(".js"):
                # ReDoc's only outside load (its maker's logo) is replaced by an empty image.
                assert b"cdn.redoc.ly" not in got.content and b"cdn.jsdelivr" not in got.content
        assert "fonts.googleapis" not in html.text
