"""The Reflex app: the UI pages, with the REST API (FastAPI) mounted in front of them."""

from __future__ import annotations

import reflex as rx

from backend.api.app import create_app


def index() -> rx.Component:
    return rx.heading("SPIO Agent")


app = rx.App(api_transformer=create_app())
app.add_page(index, route="/")
