"""``/docs`` (Swagger UI), ``/redoc`` and ``/favicon.ico`` served by the app itself.

FastAPI's own pages load Swagger UI and ReDoc from a CDN: a self-hosted install without
internet showed a blank ``/docs``. The assets come from the pinned ``fastapi-offline``
package (Swagger UI's bundle and CSS, ReDoc's standalone bundle; their licences travel
with that package); the pages are FastAPI's HTML helpers pointed at them, with Google
Fonts off. The favicon is the UI's ``assets/favicon.ico``, so ``spio api`` alone serves
it too and the UI (which mounts this app in front of Reflex) never answers it with 404.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request

from backend.core.config import PROJECT_ROOT

__all__ = ["install_docs", "ASSETS_URL", "DOCS_URL", "REDOC_URL", "assets_dir"]

DOCS_URL = "/docs"
REDOC_URL = "/redoc"
# Under /docs so the API claims no new path prefix next to the UI's routes.
ASSETS_URL = "/docs/assets"
_FAVICON = PROJECT_ROOT / "assets" / "favicon.ico"
# ReDoc shows its maker's logo from their CDN: an empty image instead, so a page view
# sends no request anywhere but here.
_REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
_EMPTY_SVG = b"data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27/%3E"


def assets_dir() -> Path:
    """The folder of the pinned package's Swagger UI and ReDoc files."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


@lru_cache(maxsize=1)
def _redoc_bundle() -> bytes:
    return (assets_dir() / "redoc.standalone.js").read_bytes().replace(_REDOC_LOGO, _EMPTY_SVG)


def _root(request: Request) -> str:
    return str(request.scope.get("root_path") or "")


def install_docs(app: FastAPI) -> None:
    """Add the documentation pages, their assets and the favicon to ``app`` (created
    with ``docs_url=None, redoc_url=None``)."""
    @app.get(f"{ASSETS_URL}/redoc.standalone.js", include_in_schema=False)
    async def redoc_bundle() -> Response:  # before the mount, so it answers first
        return Response(_redoc_bundle(), media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})  # fmt: skip

    app.mount(ASSETS_URL, StaticFiles(directory=assets_dir()), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"
    redirect_url = app.swagger_ui_oauth2_redirect_url or f"{DOCS_URL}/oauth2-redirect"

    @app.get(DOCS_URL, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = _root(request)
        return get_swagger_ui_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=f"{root}{redirect_url}",
            swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}/favicon.ico",
            swagger_ui_parameters=app.swagger_ui_parameters,
        )

    @app.get(redirect_url, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get(REDOC_URL, include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = _root(request)
        return get_redoc_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{root}/favicon.ico",
            with_google_fonts=False,
        )

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> FileResponse:
        return FileResponse(_FAVICON, media_type="image/x-icon",
                            headers={"Cache-Control": "public, max-age=86400"})  # fmt: skip
