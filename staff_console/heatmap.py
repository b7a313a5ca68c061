"""The weekday by hour heatmap (chart_svg.py says why it is drawn here): a cell for each
hour of each weekday, shaded by its value in five steps, with the value written in the cell
(text keeps 4.5:1 on every shade), and a key that says what each shade spans. The shading
only guides the eye: every number is in the cell and in the table after the chart. A cell
with nothing to show (None: nobody to measure) stays white and empty; a measured 0 takes the
lightest shade and its number, so the two never look the same."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from .chart_svg import FONT, INK, frame, join, number, tag

WIDTH = 960  # wider than the other charts: 24 columns, each wide enough for "121.3"
LEFT, TOP, CELL_H = 48, 24, 30
CELL_W = (WIDTH - LEFT - 8) / 24
# (fill, text) for each step: no data, then light to dark blue; dark steps take white text.
SHADES = (
    ("#ffffff", INK),
    ("#dce9f6", INK),
    ("#a9c8e8", INK),
    ("#3d6fa6", "#ffffff"),
    ("#0b3d6b", "#ffffff"),
)


def level(value: float | None, highest: float) -> int:
    """The value's step: 0 for no data (None), else 1 to 4 by its share of the highest (a
    measured 0 is the lightest)."""
    if value is None:
        return 0
    if value <= 0 or highest <= 0:
        return 1
    return min(4, 1 + int(4 * value / highest - 1e-9))


def heatmap(
    chart_id: str,
    title: str,
    summary: str,
    rows: Sequence[str],
    values: Sequence[Sequence[float | None]],
) -> Markup:
    """`rows` names each row (weekdays); `values[row][hour]`."""
    highest = max((v or 0 for row in values for v in row), default=0)
    height = TOP + CELL_H * len(rows) + 40
    parts = [
        tag(
            "text",
            f"{h:02d}",
            x=round(LEFT + CELL_W * (h + 0.5), 1),
            y=TOP - 8,
            font_size=FONT - 1,
            fill=INK,
            text_anchor="middle",
        )
        for h in range(24)
    ]
    for r, (name, row) in enumerate(zip(rows, values, strict=True)):
        y = TOP + CELL_H * r
        parts.append(
            tag(
                "text",
                name,
                x=LEFT - 6,
                y=y + CELL_H / 2 + 4,
                font_size=FONT,
                fill=INK,
                text_anchor="end",
            )
        )
        for h, value in enumerate(row):
            step = level(value, highest)
            fill, ink = SHADES[step]
            x = LEFT + CELL_W * h
            parts.append(
                tag(
                    "rect",
                    x=round(x + 1, 1),
                    y=y + 1,
                    width=round(CELL_W - 2, 1),
                    height=CELL_H - 2,
                    fill=fill,
                    stroke="#8c8c8c" if step == 0 else None,
                    stroke_width=0.5 if step == 0 else None,
                    class_=f"heat heat-{step}",
                )
            )
            if value is not None:
                parts.append(
                    tag(
                        "text",
                        number(value),
                        x=round(x + CELL_W / 2, 1),
                        y=y + CELL_H / 2 + 4,
                        font_size=FONT - 1,
                        fill=ink,
                        text_anchor="middle",
                        class_=f"heat-text heat-{step}",
                    )
                )
    parts.append(_key(highest, TOP + CELL_H * len(rows) + 14))
    return frame(chart_id, title, summary, parts, height=height, width=WIDTH, classes="heatmap")


def key_spans(highest: float) -> list[str]:
    """What each shade stands for, in words (the key under the chart)."""
    if highest <= 0:
        return ["no data", "0"]
    quarter = highest / 4
    spans = ["no data"]
    for i in range(4):
        low, high = quarter * i, quarter * (i + 1)
        spans.append(f"{number(round(low, 1))} to {number(round(high, 1))}")
    return spans


def _key(highest: float, y: float) -> Markup:
    parts = [tag("text", "Key:", x=LEFT, y=y + 14, font_size=FONT, fill=INK)]
    x = LEFT + 40
    for step, words in enumerate(key_spans(highest)):
        fill, _ink = SHADES[step]
        parts.append(
            tag(
                "rect",
                x=x,
                y=y,
                width=18,
                height=18,
                fill=fill,
                stroke="#8c8c8c",
                stroke_width=0.5,
                class_=f"heat heat-{step}",
            )
        )
        parts.append(tag("text", words, x=x + 24, y=y + 14, font_size=FONT, fill=INK))
        x += 150  # room for "125.6 to 188.4"
    return join(parts)
