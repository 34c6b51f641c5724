"""Plotly charts with the UI's look. Figures are built in state from plain numbers."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import reflex as rx

__all__ = ["chart", "bar_figure", "grouped_bar_figure", "line_figure", "empty_figure"]

_LAYOUT = {
    "margin": {"l": 40, "r": 10, "t": 10, "b": 40},
    "height": 240,
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
    "font": {"size": 12},
    "showlegend": False,
}

_PALETTE = {
    "succeeded": "#30a46c",
    "failed": "#e5484d",
    "timed_out": "#e5484d",
    "running": "#0090ff",
    "queued": "#8b8d98",
    "cancelled": "#f76b15",
    "skipped": "#b9bbc6",
    "critical": "#e5484d",
    "high": "#f76b15",
    "normal": "#0090ff",
    "low": "#8b8d98",
}


def bar_figure(
    labels: Sequence[str], values: Sequence[float], *, names: Sequence[str] = ()
) -> go.Figure:
    """A bar chart; bars of known statuses/priorities get their usual colour."""
    keys = names or labels
    colors = [_PALETTE.get(key, "#12a594") for key in keys]
    figure = go.Figure(go.Bar(x=list(labels), y=list(values), marker_color=colors))
    figure.update_layout(**_LAYOUT)
    # All zero (an idle queue): keep the axis at 0..1 instead of Plotly's -1..1.
    figure.update_yaxes(rangemode="tozero", range=None if any(values) else [0, 1])
    return figure


def grouped_bar_figure(categories: Sequence[str], series: dict[str, Sequence[float]]) -> go.Figure:
    """Bars per category, one colour per series (e.g. funnel stages per channel)."""
    figure = go.Figure([go.Bar(x=list(categories), y=list(values), name=name)
                        for name, values in series.items()])  # fmt: skip
    figure.update_layout(**{**_LAYOUT, "showlegend": True, "barmode": "group"})
    return figure


def line_figure(
    x: Sequence[object],
    series: dict[str, Sequence[float]],
    *,
    y_range: tuple[float, float] | None = None,
) -> go.Figure:
    """Lines over time (e.g. sentiment, mention volume); a legend when there are several."""
    figure = go.Figure(
        [
            go.Scatter(x=list(x), y=list(values), mode="lines", name=name,
                       line={"color": _PALETTE.get(name), "width": 2})
            for name, values in series.items()
        ]
    )  # fmt: skip
    figure.update_layout(**{**_LAYOUT, "showlegend": len(series) > 1})
    if y_range is not None:
        figure.update_yaxes(range=list(y_range))
    return figure


def empty_figure() -> go.Figure:
    figure = go.Figure()
    figure.update_layout(**_LAYOUT)
    return figure


def chart(figure: rx.Var, *, test_id: str = "") -> rx.Component:
    """A responsive Plotly chart (loaded lazily by the browser)."""
    return rx.box(
        rx.plotly(data=figure, config={"displayModeBar": False, "responsive": True}, width="100%"),
        width="100%",
        custom_attrs={"data-testid": test_id},
    )
