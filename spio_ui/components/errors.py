"""Validation errors from the backend, shown at their field and as a summary."""

from __future__ import annotations

import reflex as rx

__all__ = ["error_rows", "field_error", "error_summary"]


def error_rows(exc: Exception) -> list[dict[str, str]]:
    """``InvalidInput.errors`` (path, message, suggestion) as rows; any other error as one."""
    items = getattr(exc, "errors", None)
    if not items:
        return [{"path": "", "message": str(exc), "suggestion": ""}]
    return [
        {"path": item.path, "message": item.message, "suggestion": item.suggestion or ""}
        for item in items
    ]


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
