"""The reports' charts, drawn on the server as SVG: what they share (the frame, the axes,
the scale, the colours, a chart's numbers as a table).

Why not a chart library: the console's Content-Security-Policy is `style-src 'self'`
(web_kernel/security.py), so a page may carry no `style=` attribute and no <style> element.
pygal, for one, writes a <style> element into every chart it draws, and the JavaScript
libraries draw in the browser, which would re-compute what the server decided. These
charts use only SVG presentation attributes (fill, stroke, x, y…) and classes that
staff_console/static/console.css styles (its @media print rule turns them black on white).

Every chart is `role="img"` with a <title> naming it and a <desc> summarising it, and is
followed on the page by its numbers as a real table (`Table`), for screen readers and
paper. Colours keep 3:1 against white for what is drawn and 4.5:1 for text (WCAG 1.4.11).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 28, 30, 44  # the plot's margins, in the viewBox's units
INK = "#1a1a1a"  # text: 17:1 on white
MUTED = "#595959"  # axis lines and ticks: 7:1
GRID = "#d9d9d9"  # grid lines only guide the eye; the numbers are in the table
BAR = "#0b4f8a"  # the console's accent: 8.6:1 on white
SECOND = "#a13d00"  # a second series (with its own dash and marker, never colour alone): 6:1
FONT = 13
NONE = "\N{EN DASH}"  # a figure there is none of (nobody to measure)


@dataclass(frozen=True)
class Table:
    """A chart's numbers: a caption, the column headings, and rows whose first cell heads
    the row."""

    caption: str
    head: Sequence[str]
    rows: Sequence[Sequence[object]]


def tag(name: str, body: object = "", **attrs: object) -> Markup:
    """An element; `class_` is `class`, other underscores are hyphens; None leaves it out."""
    shown = " ".join(
        f'{"class" if key == "class_" else key.replace("_", "-")}="{escape(value)}"'
        for key, value in attrs.items()
        if value is not None
    )
    opening = f"<{name} {shown}" if shown else f"<{name}"
    if body == "":
        return Markup(f"{opening}/>")
    return Markup(f"{opening}>{escape(body)}</{name}>")


def join(parts: Sequence[Markup]) -> Markup:
    return Markup("").join(parts)


def frame(
    chart_id: str,
    title: str,
    summary: str,
    parts: Sequence[Markup],
    *,
    height: int = HEIGHT,
    width: int = WIDTH,
    classes: str = "",
) -> Markup:
    """The <svg> itself: a picture with a name and a summary (its parts are not read out)."""
    body = join(
        [
            tag("title", title, id=f"{chart_id}-title"),
            tag("desc", summary, id=f"{chart_id}-desc"),
            *parts,
        ]
    )
    return tag(
        "svg",
        body,
        id=chart_id,
        class_=f"chart-svg {classes}".strip(),
        viewBox=f"0 0 {width} {height}",
        width=width,
        height=height,
        role="img",
        aria_labelledby=f"{chart_id}-title",
        aria_describedby=f"{chart_id}-desc",
        focusable="false",
        xmlns="http://www.w3.org/2000/svg",
    )


def scale_top(highest: float) -> tuple[float, float]:
    """A round top for the axis above `highest`, and its step (about four steps of 1, 2 or
    5 times a power of ten)."""
    if highest <= 0:
        return 1.0, 1.0
    rough = highest / 4
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    if highest >= 1 and step < 1:
        step = 1.0
    return step * math.ceil(highest / step - 1e-9), step


def number(value: object) -> str:
    """A figure as the server gave it: whole numbers without a decimal point."""
    if value is None:
        return NONE
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def y_axis(top: float, step: float, height: int, *, title: str, right: bool = False) -> Markup:
    """Grid lines and the value of each, on the left (or the right, for a second series)."""
    bottom = height - BOTTOM
    parts = []
    ticks = round(top / step)
    for i in range(ticks + 1):
        value = step * i
        y = bottom - (bottom - TOP) * value / top
        if not right:
            parts.append(
                tag(
                    "line",
                    x1=LEFT,
                    x2=WIDTH - RIGHT,
                    y1=round(y, 1),
                    y2=round(y, 1),
                    stroke=GRID,
                    class_="grid",
                )
            )
        x = WIDTH - RIGHT + 4 if right else LEFT - 6
        parts.append(
            tag(
                "text",
                number(round(value, 1)),
                x=x,
                y=round(y + 4, 1),
                font_size=FONT,
                fill=INK,
                text_anchor="start" if right else "end",
            )
        )
    # The scale's name above it, level (a turned title is hard to read).
    parts.append(
        tag(
            "text",
            title,
            x=WIDTH - 2 if right else 2,
            y=FONT + 2,
            font_size=FONT,
            fill=INK,
            text_anchor="end" if right else "start",
            font_weight="bold",
        )
    )
    parts.append(
        tag(
            "line",
            x1=LEFT,
            x2=WIDTH - RIGHT,
            y1=bottom,
            y2=bottom,
            stroke=MUTED,
            stroke_width=1.5,
            class_="axis",
        )
    )
    return join(parts)


def x_labels(labels: Sequence[str], height: int, *, every: int = 1, title: str = "") -> Markup:
    """A label under each category (or every `every`th), and the axis' title below."""
    width = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    parts = [
        tag(
            "text",
            label,
            x=round(LEFT + width * (i + 0.5), 1),
            y=height - BOTTOM + 16,
            font_size=FONT,
            fill=INK,
            text_anchor="middle",
        )
        for i, label in enumerate(labels)
        if i % every == 0
    ]
    if title:
        parts.append(
            tag(
                "text",
                title,
                x=LEFT + (WIDTH - LEFT - RIGHT) / 2,
                y=height - 6,
                font_size=FONT,
                fill=INK,
                text_anchor="middle",
            )
        )
    return join(parts)
