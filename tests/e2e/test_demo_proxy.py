"""Demo mode behind a real reverse proxy, and a second origin in the seller's browser.

The web process runs as `scripts/up` runs it (LOCAL_ANONYMOUS_ROLE=admin, one port for
UI and API) on 127.0.0.3, with Debian's Caddy in its default ``reverse_proxy`` config
on 127.0.0.2 in front of it (the same port on another loopback address, so the UI's
event socket goes through the proxy too). The probe's requests:

- through Caddy without a token: the API answers 401 (``POST /tokens``, ``GET /jobs``)
  and the UI sends the visitor to /login with no "local demo" button;
- straight from this machine (curl, or Chromium at http://localhost): demo admin;
- a page on a second origin (http://127.0.0.1:<other>) in the same Chromium: its
  ``fetch`` can neither mint a token nor read one, nor read the job list.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import select

from backend.core.db import session_scope
from backend.models import ApiToken
from tests.e2e.conftest import WebServer
from tests.e2e.harness import CHROMIUM_ARGS, start_web

pytestmark = pytest.mark.browser

APP_HOST, PROXY_HOST = "127.0.0.3", "127.0.0.2"


@dataclass
class DemoStack:
    port: int
    direct: str  # the web process itself, as this machine reaches it
    proxied: str  # through Caddy


def _wait_http(url: str, proc: subprocess.Popen[bytes], log: Path, *,
               timeout: float = 30.0) -> None:  # fmt: skip
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"caddy exited: {log.read_text()[-2000:]}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


@pytest.fixture(scope="module")
def demo_stack(web_server: WebServer, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[DemoStack]:  # fmt: skip
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("Debian caddy missing: apt-get install -y caddy (scripts/test does)")
    port = int(web_server.env["API_PORT"])  # same build (the port is baked into it)
    root = tmp_path_factory.mktemp("demo-proxy")
    overrides = {"API_HOST": APP_HOST, "LOCAL_ANONYMOUS_ROLE": "admin",
                 # What docs/security.md tells a seller behind a proxy to set.
                 "PUBLIC_URL": f"http://{PROXY_HOST}:{port}"}
    caddyfile = root / "Caddyfile"
    caddyfile.write_text(
        "{\n\tadmin off\n\tauto_https off\n}\n"
        f"http://:{port} {{\n\tbind {PROXY_HOST}\n"
        f"\treverse_proxy {APP_HOST}:{port}\n}}\n"
    )
    env = {**os.environ, "XDG_DATA_HOME": str(root), "XDG_CONFIG_HOME": str(root),
           "HOME": str(root)}
    with start_web(log_dir=root, overrides=overrides, log_name="demo-web.log"):
        with (root / "caddy.log").open("wb") as log:
            proxy = subprocess.Popen([caddy, "run", "--config", str(caddyfile),
                                      "--adapter", "caddyfile"], env=env, stdout=log,
                                     stderr=subprocess.STDOUT)  # fmt: skip
        try:
            _wait_http(f"http://{PROXY_HOST}:{port}/ping", proxy, root / "caddy.log")
            yield DemoStack(port=port, direct=f"http://{APP_HOST}:{port}",
                            proxied=f"http://{PROXY_HOST}:{port}")
        finally:
            proxy.terminate()
            proxy.wait(10)


def _token_count() -> int:
    with session_scope() as session:
        return len(session.exec(select(ApiToken)).all())


def test_api_through_the_proxy_needs_a_token(demo_stack: DemoStack):
    local = {"Host": f"localhost:{demo_stack.port}"}  # curl http://localhost:<port>
    assert httpx.get(f"{demo_stack.direct}/jobs", headers=local).status_code == 200
    minted = httpx.post(f"{demo_stack.direct}/tokens", headers=local,
                        json={"name": "curl-local", "role": "viewer"})
    assert minted.status_code == 201  # demo mode is on: the probe's target

    before = _token_count()
    for host in (None, f"localhost:{demo_stack.port}", f"127.0.0.1:{demo_stack.port}"):
        headers = {"Host": host} if host else {}
        proxied = httpx.post(f"{demo_stack.proxied}/tokens", headers=headers,
                             json={"name": "via-proxy", "role": "admin"})
        assert proxied.status_code == 401, (host, proxied.text)
        assert httpx.get(f"{demo_stack.proxied}/jobs", headers=headers).status_code == 401
        assert httpx.get(f"{demo_stack.proxied}/connectors",
                         headers=headers).status_code == 401
    assert _token_count() == before


def _demo_browser(browser: Browser) -> Browser:
    """A second Chromium whose "localhost" is the demo web process (on 127.0.0.3)."""
    return browser.browser_type.launch(
        executable_path="/usr/bin/chromium",
        args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP localhost {APP_HOST}"],
    )


def test_ui_through_the_proxy_asks_to_sign_in(browser: Browser, demo_stack: DemoStack):
    local_browser = _demo_browser(browser)
    try:
        page = local_browser.new_page()
        # From this machine, straight: the demo admin (the door is open where it should be).
        page.goto(f"http://localhost:{demo_stack.port}/settings")
        badge = page.get_by_test_id("role-badge")
        expect(badge).to_have_attribute("data-role", "admin")

        # Through Caddy: the sign-in page, and no "local demo" way in.
        proxied = local_browser.new_page()
        proxied.goto(f"{demo_stack.proxied}/settings")
        proxied.wait_for_url(re.compile(r"/login/?$"))
        expect(proxied.get_by_test_id("login-username")).to_be_visible()
        expect(proxied.get_by_test_id("login-local")).to_have_count(0)
        expect(proxied.get_by_test_id("role-badge")).to_have_count(0)
        proxied.goto(f"{demo_stack.proxied}/workflows")
        proxied.wait_for_url(re.compile(r"/login/?$"))
    finally:
        local_browser.close()


class _SecondOrigin(BaseHTTPRequestHandler):
    page = b""

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args: object) -> None:
        pass


ATTACK = """<!doctype html><script>
async function attempt(label, url, init) {
  try {
    const r = await fetch(url, init);
    return {label, read: true, status: r.status, body: await r.text()};
  } catch (e) { return {label, read: false, error: String(e)}; }
}
window.results = (async () => {
  const api = "http://localhost:%(port)d";
  return [
    await attempt("mint-json", api + "/tokens", {method: "POST", credentials: "include",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({name: "stolen", role: "admin"})}),
    await attempt("mint-simple", api + "/tokens", {method: "POST",
      headers: {"Content-Type": "text/plain"},
      body: JSON.stringify({name: "stolen", role: "admin"})}),
    await attempt("job-simple", api + "/jobs", {method: "POST",
      headers: {"Content-Type": "text/plain"},
      body: JSON.stringify({job_id: "csrf-job", workflow: "noop"})}),
    await attempt("read-jobs", api + "/jobs", {credentials: "include"}),
    await attempt("read-tokens", api + "/tokens", {}),
  ];
})();
</script>"""


def test_a_second_origin_cannot_mint_or_read_a_token(browser: Browser, demo_stack: DemoStack):
    _SecondOrigin.page = (ATTACK % {"port": demo_stack.port}).encode()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SecondOrigin)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    local_browser = _demo_browser(browser)
    before = _token_count()
    try:
        page = local_browser.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        results = page.evaluate("window.results")
        # Control: the same fetch from the app's own origin does reach and read it.
        own = local_browser.new_page()
        own.goto(f"http://localhost:{demo_stack.port}/login")
        own_status = own.evaluate("fetch('/jobs').then(r => r.status)")
    finally:
        local_browser.close()
        server.shutdown()
    print(json.dumps(results, indent=1)[:2000])
    assert own_status == 200
    assert len(results) == 5
    for result in results:
        # Nothing readable, and above all no token.
        assert not result["read"], result
        assert "spio_" not in json.dumps(result)
    assert _token_count() == before  # nothing minted, even unreadably
    with session_scope() as session:
        from backend.models import Job

        assert session.get(Job, "csrf-job") is None
    # The API itself says why: another origin gets no CORS grant.
    preflight = httpx.options(f"{demo_stack.direct}/tokens", headers={
        "Host": f"localhost:{demo_stack.port}", "Origin": "http://127.0.0.1:9",
        "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    own = httpx.options(f"{demo_stack.direct}/tokens", headers={
        "Host": f"localhost:{demo_stack.port}", "Origin": f"http://localhost:{demo_stack.port}",
        "Access-Control-Request-Method": "POST"})
    assert own.headers.get("access-control-allow-origin") == f"http://localhost:{demo_stack.port}"

