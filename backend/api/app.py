"""The REST API. Mounted into the Reflex app (api_transformer) or served alone (`spio api`)."""

from __future__ import annotations

import importlib
import logging
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from backend.api.docs import install_docs
from backend.api.errors import install_error_handlers
from backend.api.input_guard import InputGuard
from backend.api.limits import BodySizeLimit
from backend.api.routes import jobs, runs, system, tokens
from backend.core.config import get_settings
from backend.domain.spec import JobSpec

__all__ = ["create_app", "OPTIONAL_ROUTERS"]

log = logging.getLogger("spio.api")

# Routers that later parts of the product add; each module exposes ``router``.
OPTIONAL_ROUTERS = (
    "backend.api.routes.planner",
    "backend.api.routes.webhooks",
    "backend.api.routes.hooks",
    "backend.api.routes.marketplace_push",
    "backend.api.routes.events",
    "backend.api.routes.campaigns",
    "backend.api.routes.connectors",
    "backend.api.routes.auth",
)


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, routes=app.routes,
                         description=app.description)
    spec_schema = JobSpec.model_json_schema(ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(spec_schema.pop("$defs", {}))
    components["JobSpec"] = spec_schema
    schema.setdefault("components", {})["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer"}
    }
    schema["security"] = [{"bearer": []}]
    app.openapi_schema = schema
    return schema


def create_app() -> FastAPI:
    """A new API application (no connections are opened until a request needs one)."""
    settings = get_settings()
    app = FastAPI(
        title="SPIO Agent API",
        version="0.1.0",
        description="Jobs, runs, planner and reports of SPIO Agent. Send "
        "`Authorization: Bearer <token>` on every route but /health.",
        # FastAPI's own pages load their assets from a CDN; install_docs serves them.
        docs_url=None,
        redoc_url=None,
        # The product configures no OpenTelemetry provider; FastAPI looking for one in
        # the environment on every request cost 4 % of a request's CPU.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    install_docs(app)
    install_error_handlers(app)
    for module in (system, jobs, runs, tokens):
        app.include_router(module.router)
    for name in OPTIONAL_ROUTERS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        app.include_router(module.router)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    app.add_middleware(InputGuard)  # inside the size limit: it reads bodies whole
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    return app
