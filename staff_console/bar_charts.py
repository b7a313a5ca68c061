"""Bar charts (chart_svg.py says why they are drawn here): columns over categories, with an
optional line on a second scale (the line through the day over its arrivals), and
horizontal bars for a mix (channels, languages, needs, outcomes)."""

from __future__ import annotations

from collections.abc import Sequence

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
    number,
    scale_top,
    tag,
    x_labels,
    y_axis,
)

ROW = 28  # a horizontal bar's row, in the viewBox's units
LABEL_WIDTH = 250  # room for a mix's words left of its bars


def columns(
    chart_id: str,
    title: str,
    summary: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    y_title: str,
    x_title: str = "",
    every: int = 1,
    line: Sequence[tuple[float, float]] | None = None,
    line_title: str = "",
) -> Markup:
    """A column for each label; `line`: (position in categories, value) points drawn on
    their own scale at the right (the position 0 is the first category's left edge)."""
    bottom = HEIGHT - BOTTOM
    written = len(labels) <= 12  # room to write each column's number above it
    highest = max((v or 0 for v in values), default=0)
    top, step = scale_top(highest * 1.1 if written else highest)
    width = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    parts = [y_axis(top, step, HEIGHT, title=y_title)]
    for i, value in enumerate(values):
        if not value:
            continue
        h = (bottom - TOP) * value / top
        parts.append(
            tag(
                "rect",
                x=round(LEFT + width * i + width * 0.12, 1),
                y=round(bottom - h, 1),
                width=round(width * 0.76, 1),
                height=round(h, 1),
                fill=BAR,
                class_="bar-fill",
            )
        )
        if written:
            parts.append(
                tag(
                    "text",
                    number(value),
                    x=round(LEFT + width * (i + 0.5), 1),
                    y=round(bottom - h - 4, 1),
                    font_size=FONT,
                    fill=INK,
                    text_anchor="middle",
                )
            )
    if line:
        parts.append(_line(line, width, line_title))
    parts.append(x_labels(labels, HEIGHT, every=every, title=x_title))
    return frame(chart_id, title, summary, parts)


def _line(points: Sequence[tuple[float, float]], width: float, title: str) -> Markup:
    bottom = HEIGHT - BOTTOM
    top, step = scale_top(max((v for _, v in points), default=0))
    coords = " ".join(
        f"{round(LEFT + width * x, 1)},{round(bottom - (bottom - TOP) * v / top, 1)}"
        for x, v in points
    )
    return join(
        [
            y_axis(top, step, HEIGHT, title=title, right=True),
            # A white edge first, so the line reads where it crosses a column.
            tag(
                "polyline",
                points=coords,
                fill="none",
                stroke="#ffffff",
                stroke_width=5,
                stroke_linejoin="round",
                class_="line-halo",
            ),
            tag(
                "polyline",
                points=coords,
                fill="none",
                stroke=SECOND,
                stroke_width=2.5,
                stroke_linejoin="round",
                stroke_dasharray="6 3",
                class_="line second",
            ),
        ]
    )


def bars(chart_id: str, title: str, summary: str, rows: Sequence[tuple[str, float]]) -> Markup:
    """A horizontal bar a row, its words on the left and its number at its end."""
    height = TOP + ROW * len(rows) + 8
    highest = max((v for _, v in rows), default=0) or 1
    room = WIDTH - LABEL_WIDTH - RIGHT - 40
    parts = []
    for i, (label, value) in enumerate(rows):
        y = TOP + ROW * i
        w = room * value / highest
        parts.append(
            tag(
                "text",
                label,
                x=LABEL_WIDTH - 8,
                y=y + ROW / 2 + 4,
                font_size=FONT,
                fill=INK,
                text_anchor="end",
            )
        )
        if value:
            parts.append(
                tag(
                    "rect",
                    x=LABEL_WIDTH,
                    y=y + 4,
                    width=round(w, 1),
                    height=ROW - 8,
                    fill=BAR,
                    class_="bar-fill",
                )
            )
        parts.append(
            tag(
                "text",
                number(value),
                x=round(LABEL_WIDTH + w + 6, 1),
                y=y + ROW / 2 + 4,
                font_size=FONT,
                fill=INK,
            )
        )
    parts.append(
        tag(
            "line",
            x1=LABEL_WIDTH,
            x2=LABEL_WIDTH,
            y1=TOP,
            y2=height - 8,
            stroke="#595959",
            stroke_width=1.5,
            class_="axis",
        )
    )
    return frame(chart_id, title, summary, parts, height=height, classes="bars")
