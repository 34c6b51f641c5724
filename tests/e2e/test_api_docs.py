"""An install without internet: the API's documentation pages, the favicon and emoji.

Chromium loads /docs and /redoc of the real web process with every request that is not
to the app aborted (a CDN would be such a request): Swagger UI still lists the API's
operations and ReDoc its tags, and nothing was aborted. The favicon answers on the
shared port (UI and API). An emoji in a page is drawn in colour by the installed emoji
font, not as an empty box.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.e2e.conftest import WebServer

pytestmark = pytest.mark.browser


@pytest.fixture
def offline_page(browser: Browser, web_server: WebServer) -> Iterator[tuple[Page, list[str]]]:
    """A tab whose requests go to the app only; the others are aborted and listed."""
    app = urlsplit(web_server.url).netloc
    blocked: list[str] = []

    def only_the_app(route: Route) -> None:
        if urlsplit(route.request.url).netloc == app:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.route("**/*", only_the_app)
    page = context.new_page()
    try:
        yield page, blocked
    finally:
        context.close()


def test_swagger_ui_renders_the_operations_offline(offline_page, web_server):
    page, blocked = offline_page
    page.goto(f"{web_server.url}/docs")
    # Swagger UI drew the spec: the job routes are listed as operations.
    expect(page.locator(".opblock-summary-path", has_text="/jobs").first).to_be_visible()
    assert page.locator(".opblock").count() >= 10
    expect(page.locator(".info .title")).to_contain_text("SPIO Agent API")
    assert blocked == []


def test_redoc_renders_offline(offline_page, web_server):
    page, blocked = offline_page
    page.goto(f"{web_server.url}/redoc")
    expect(page.get_by_text("/jobs/{job_id}/run").first).to_be_attached(timeout=20_000)
    expect(page.locator("h1", has_text="SPIO Agent API")).to_be_visible()
    assert blocked == []


def test_the_favicon_is_served(web_server):
    icon = httpx.get(f"{web_server.url}/favicon.ico", timeout=10)
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    html = httpx.get(f"{web_server.url}/docs", timeout=10).text
    assert 'href="/favicon.ico"' in html and "cdn" not in html.lower()


def test_emoji_are_drawn_in_colour(offline_page, web_server):
    page, _ = offline_page
    page.goto(f"{web_server.url}/docs")
    # A missing emoji font draws a box in the text colour (black): any coloured pixel
    # means the glyph came from the colour emoji font.
    coloured = page.evaluate("""() => {
        const c = document.createElement('canvas'); c.width = 64; c.height = 64;
        const g = c.getContext('2d'); g.fillStyle = '#000'; g.font = '48px sans-serif';
        g.textBaseline = 'top'; g.fillText('\\u{1F525}', 4, 4);
        const d = g.getImageData(0, 0, 64, 64).data; let n = 0;
        const far = (a, b) => Math.abs(a - b) > 40;
        for (let i = 0; i < d.length; i += 4) {
            if (d[i + 3] > 0 && (far(d[i], d[i + 1]) || far(d[i + 1], d[i + 2]))) n++;
        }
        return n;
    }""")
    assert coloured > 50
