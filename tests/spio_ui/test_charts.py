"""Charts built in state: colours follow statuses, an idle queue keeps a 0..1 axis."""

from __future__ import annotations

from spio_ui.components.chart import bar_figure, line_figure


def test_bars_take_the_status_colours() -> None:
    figure = bar_figure(["succeeded", "failed"], [96, 4])
    assert list(figure.data[0].marker.color) == ["#30a46c", "#e5484d"]
    assert list(figure.data[0].y) == [96, 4]


def test_idle_queue_axis_starts_at_zero() -> None:
    figure = bar_figure(["critical", "high", "normal", "low"], [0, 0, 0, 0])
    assert tuple(figure.layout.yaxis.range) == (0, 1)
    busy = bar_figure(["normal"], [12])
    assert busy.layout.yaxis.range is None and busy.layout.yaxis.rangemode == "tozero"


def test_lines_get_a_legend_only_when_several() -> None:
    one = line_figure([1, 2, 3], {"sentiment": [0.6, 0.4, 0.2]}, y_range=(0, 1))
    assert one.layout.showlegend is False and tuple(one.layout.yaxis.range) == (0, 1)
    two = line_figure([1, 2], {"negative": [1, 5], "positive": [3, 2]})
    assert two.layout.showlegend is True and [t.name for t in two.data] == ["negative", "positive"]
