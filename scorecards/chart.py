"""Geometry of the panel's server-rendered SVG chart: each dimension's panel mean against
the bar (level 3). Numbers only; the markup is templates/hiring/_panel_chart.html."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from scorecards import scoring


@dataclass
class ChartBar:
    name: str
    label: str  # shortened for the chart; `name` goes in its <title>
    mean: str
    assessed: bool
    y: int
    text_y: int
    width: int
    value_x: int
    meets_bar: bool


@dataclass
class Chart:
    """Geometry of the server-rendered SVG: panel mean per dimension against the bar (3)."""

    bars: list[ChartBar]
    width: int
    height: int
    plot_x: int
    plot_width: int
    bar_x: int
    ticks: list[tuple[int, int]]  # (level, x)
    axis_y: int
    tick_label_y: int

    LABEL_WIDTH = 210
    PLOT_WIDTH = 330
    ROW_HEIGHT = 28
    BAR_HEIGHT = 16
    TOP = 8
    MAX_LABEL = 30

    @classmethod
    def build(cls, rows: Sequence) -> Chart:
        """From the panel's rows (scorecards.panel.Row: a dimension and its result)."""
        plot_x = cls.LABEL_WIDTH
        scale = Fraction(cls.PLOT_WIDTH, scoring.RATING_MAX)
        bars = []
        for index, row in enumerate(rows):
            y = cls.TOP + index * cls.ROW_HEIGHT
            mean = row.result.mean
            width = int(mean * scale) if mean is not None else 0
            name = row.dimension.name
            label = name if len(name) <= cls.MAX_LABEL else name[: cls.MAX_LABEL - 1] + "…"
            bars.append(
                ChartBar(
                    name=name,
                    label=label,
                    mean=scoring.fmt(mean) if mean is not None else "not assessed",
                    assessed=mean is not None,
                    y=y + (cls.ROW_HEIGHT - cls.BAR_HEIGHT) // 2,
                    text_y=y + cls.ROW_HEIGHT // 2 + 4,
                    width=width,
                    value_x=plot_x + width + 6,
                    meets_bar=mean is not None and mean >= 3,
                )
            )
        axis_y = cls.TOP + len(rows) * cls.ROW_HEIGHT
        return cls(
            bars=bars,
            width=cls.LABEL_WIDTH + cls.PLOT_WIDTH + 90,
            height=axis_y + 24,
            plot_x=plot_x,
            plot_width=cls.PLOT_WIDTH,
            bar_x=plot_x + int(3 * scale),
            ticks=[(level, plot_x + int(level * scale)) for level in range(0, 6)],
            axis_y=axis_y,
            tick_label_y=axis_y + 16,
        )


# Bootstrap colour of each recommendation's badge; the label always says it in words.
