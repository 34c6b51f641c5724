"""Validation errors from the backend, shown at their field and as a summary."""

from __future__ import annotations

import reflex as rx

__all__ = ["error_rows", "field_error", "error_summary", "json_error"]


def error_rows(exc: Exception, *, lang: str = "id") -> list[dict[str, str]]:
    """``InvalidInput.errors`` (path, message, suggestion) as rows; any other error as one
    sentence in ``lang`` (never a Python exception's own text)."""
    from backend.core.messages import error_text

    items = getattr(exc, "errors", None)
    if not items:
        return [{"path": "", "message": error_text(exc, lang), "suggestion": ""}]
    from backend.core.messages import render_message

    return [
        {"path": item.path, "suggestion": item.suggestion or "",
         "message": render_message({"key": item.key, "params": item.params or {}}, lang)
         if getattr(item, "key", None) else item.message}
        for item in items
    ]  # fmt: skip


def json_error(exc: ValueError | None, lang: str) -> str:
    """Text that is not JSON (where, in ``lang``), or ``None``: JSON but not an object."""
    from backend.core.messages import render_message

    if exc is None:
        return render_message({"key": "error.json_object", "params": {}}, lang)
    line, column = getattr(exc, "lineno", "?"), getattr(exc, "colno", "?")
    return render_message({"key": "error.json", "params": {"line": line, "column": column}},
                          lang)  # fmt: skip


def _message(row: rx.Var) -> list[rx.Component | rx.Var]:
    return [row["message"], rx.cond(row["suggestion"] != "", " → " + row["suggestion"], "")]


def field_error(errors: rx.Var[list], path: str) -> rx.Component:
    """The errors whose path is ``path``, under that field (``data-testid=error-<path>``)."""
    return rx.foreach(
        errors,
        lambda row: rx.cond(
            row["path"] == path,
            rx.text(
                *_message(row),
                color_scheme="red",
                size="1",
                custom_attrs={"data-testid": f"error-{path}"},
            ),  # fmt: skip
        ),
    )


def error_summary(errors: rx.Var[list], *, test_id: str) -> rx.Component:
    """Every error with its path, in one red callout (nothing when there are none)."""
    return rx.cond(
        errors.length() > 0,  # type: ignore[attr-defined]
        rx.callout.root(
            rx.callout.icon(rx.icon("triangle-alert")),
            rx.vstack(
                rx.foreach(
                    errors,
                    lambda row: rx.text(
                        rx.cond(row["path"] != "", row["path"] + ": ", ""), *_message(row), size="2"
                    ),
                ),
                spacing="1",
            ),
            color_scheme="red",
            width="100%",
            custom_attrs={"data-testid": test_id},
        ),
    )
