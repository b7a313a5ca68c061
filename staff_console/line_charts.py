"""Line charts over days (chart_svg.py says why they are drawn here): one or two series,
each with its own dash and marker as well as its colour, a gap where a day has no figure
(no one waited, so no median), and a key in words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from .chart_svg import (
    BAR,
    BOTTOM,
    FONT,
    HEIGHT,
    INK,
    LEFT,
    RIGHT,
    SECOND,
    TOP,
    WIDTH,
    frame,
    join,
    scale_top,
    tag,
    x_labels,
    y_axis,
)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


# Each series' look: colour, dash, marker (circle or square).
LOOKS = ((BAR, None, "circle"), (SECOND, "6 3", "square"))


def lines(
    chart_id: str,
    title: str,
    summary: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_title: str,
    x_title: str = "",
) -> Markup:
    height = HEIGHT
    bottom = height - BOTTOM
    values = [v for s in series for v in s.values if v is not None]
    top, step = scale_top(max(values, default=0))
    width = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    every = max(1, -(-len(labels) // 10))  # at most about ten dates under the axis
    parts = [y_axis(top, step, height, title=y_title)]
    for n, one in enumerate(series):
        colour, dash, marker = LOOKS[n % len(LOOKS)]
        points = [
            (round(LEFT + width * (i + 0.5), 1), round(bottom - (bottom - TOP) * v / top, 1))
            for i, v in enumerate(one.values)
            if v is not None
        ]
        for run in _runs(one.values, points):
            if len(run) > 1:
                parts.append(
                    tag(
                        "polyline",
                        points=" ".join(f"{x},{y}" for x, y in run),
                        fill="none",
                        stroke=colour,
                        stroke_width=2.5,
                        stroke_dasharray=dash,
                        stroke_linejoin="round",
                        class_=f"line series-{n}",
                    )
                )
        if len(labels) <= 62:  # a marker a day, while the days are far enough apart to see
            parts += [_marker(marker, x, y, colour, n) for x, y in points]
        parts.append(_key(n, one.name, colour, dash, marker))
    parts.append(x_labels(labels, height, every=every, title=x_title))
    return frame(chart_id, title, summary, parts, height=height)


def _runs(
    values: Sequence[float | None], points: list[tuple[float, float]]
) -> list[list[tuple[float, float]]]:
    """The points split where a day has no figure, so the line does not bridge the gap."""
    runs: list[list[tuple[float, float]]] = [[]]
    found = iter(points)
    for v in values:
        if v is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(next(found))
    return [r for r in runs if r]


def _marker(kind: str, x: float, y: float, colour: str, n: int) -> Markup:
    if kind == "circle":
        return tag("circle", cx=x, cy=y, r=3.5, fill=colour, class_=f"mark series-{n}")
    return tag("rect", x=x - 3.5, y=y - 3.5, width=7, height=7, fill=colour,
               class_=f"mark series-{n}")  # fmt: skip


def _key(n: int, name: str, colour: str, dash: str | None, marker: str) -> Markup:
    x = LEFT + 110 + 190 * n  # beside the scale's name, above the plot
    y = FONT - 2
    return join(
        [
            tag(
                "line",
                x1=x,
                x2=x + 28,
                y1=y,
                y2=y,
                stroke=colour,
                stroke_width=2.5,
                stroke_dasharray=dash,
                class_=f"line series-{n}",
            ),
            _marker(marker, x + 14, y, colour, n),
            tag("text", name, x=x + 36, y=y + 4, font_size=FONT, fill=INK),
        ]
    )
