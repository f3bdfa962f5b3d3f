"""Geometry of the server-rendered SVG pictures, numbers only (the markup is in templates):
the panel's chart of each dimension's panel mean against the bar (level 3,
templates/hiring/_panel_chart.html), calibration's dot plot of each interviewer's mean
against the panels they sat on (templates/scorecards/_calibration_plot.html), and the
pipeline's histogram of weighted scores (templates/hiring/_pipeline_histogram.html).
Coordinates are whole SVG user units; the values are shown as the pages write them."""

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


def _scale_x(value: Fraction | float, plot_x: int, plot_width: int) -> int:
    """x of a rating-scale value (1 to 5, clamped) on a plot from plot_x, plot_width wide."""
    low, high = scoring.RATING_MIN, scoring.RATING_MAX
    clamped = min(max(Fraction(value), Fraction(low)), Fraction(high))
    return plot_x + int((clamped - low) * plot_width / (high - low))


@dataclass
class DotRow:
    name: str
    label: str
    y: int  # the row's centre line
    text_y: int
    mean: str  # as shown: "3.25", or "" without ratings
    mean_x: int | None
    panels_mean: str
    panels_x: int | None
    spread: str  # "± 0.50" ("" without ratings)
    spread_x1: int | None
    spread_x2: int | None
    low: int | None
    high: int | None
    ratings: int
    panels: int


@dataclass
class DotPlot:
    """Calibration as a dot plot: one row per interviewer, on the 1-5 scale, a filled dot
    at the mean of their ratings, a hollow one at the mean of every rating given on the
    panels they sat on (theirs included), and a line over their spread (their mean plus
    and minus one standard deviation, within 1-5). A dot right of the hollow one is a
    rater more lenient than their panels."""

    rows: list[DotRow]
    width: int
    height: int
    plot_x: int
    plot_width: int
    top: int
    axis_y: int
    tick_label_y: int
    ticks: list[tuple[int, int]]  # (level, x)

    LABEL_WIDTH = 170
    PLOT_WIDTH = 360
    RIGHT = 20
    ROW_HEIGHT = 26
    TOP = 8
    DOT_RADIUS = 5
    MAX_LABEL = 24

    @classmethod
    def build(cls, rows: Sequence) -> DotPlot:
        """From calibration's InterviewerRow list (mean, spread, panels_mean, ...)."""
        plot_x = cls.LABEL_WIDTH
        dot_rows = []
        for index, row in enumerate(rows):
            centre = cls.TOP + index * cls.ROW_HEIGHT + cls.ROW_HEIGHT // 2
            mean, std_dev, panels_mean = row.mean, row.std_dev, row.panels_mean
            if mean is not None and std_dev is not None:
                spread = Fraction(std_dev).limit_denominator(10**6)
                x1 = _scale_x(mean - spread, plot_x, cls.PLOT_WIDTH)
                x2 = _scale_x(mean + spread, plot_x, cls.PLOT_WIDTH)
            else:
                spread, x1, x2 = None, None, None
            name = row.name
            dot_rows.append(
                DotRow(
                    name=name,
                    label=_short(name, cls.MAX_LABEL),
                    y=centre,
                    text_y=centre + 4,
                    mean=scoring.fmt(mean),
                    mean_x=None if mean is None else _scale_x(mean, plot_x, cls.PLOT_WIDTH),
                    panels_mean=scoring.fmt(panels_mean),
                    panels_x=None
                    if panels_mean is None
                    else _scale_x(panels_mean, plot_x, cls.PLOT_WIDTH),
                    spread="" if spread is None else f"± {scoring.fmt(spread)}",
                    spread_x1=x1,
                    spread_x2=x2,
                    low=row.low,
                    high=row.high,
                    ratings=row.ratings,
                    panels=row.panels,
                )
            )
        axis_y = cls.TOP + len(rows) * cls.ROW_HEIGHT
        return cls(
            rows=dot_rows,
            width=cls.LABEL_WIDTH + cls.PLOT_WIDTH + cls.RIGHT,
            height=axis_y + 24,
            plot_x=plot_x,
            plot_width=cls.PLOT_WIDTH,
            top=cls.TOP,
            axis_y=axis_y,
            tick_label_y=axis_y + 16,
            ticks=[
                (level, _scale_x(level, plot_x, cls.PLOT_WIDTH))
                for level in range(scoring.RATING_MIN, scoring.RATING_MAX + 1)
            ],
        )


def _short(name: str, limit: int) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


# The histogram's bins: half a point each, from 1 (1.00-1.49, ..., 4.50-5.00, the last
# one with 5 in it). score_bin decides in Python and scorecards.pipeline's
# score_distribution in SQL, from these edges.
SCORE_BIN_STEP = Fraction(1, 2)
SCORE_BIN_EDGES: tuple[Fraction, ...] = tuple(
    scoring.RATING_MIN + n * SCORE_BIN_STEP
    for n in range(int((scoring.RATING_MAX - scoring.RATING_MIN) / SCORE_BIN_STEP))
)


def score_bin(score: Fraction) -> int:
    """The index of the bin of a weighted score (one off the scale goes to the nearest):
    (score - RATING_MIN) // SCORE_BIN_STEP in whole numbers, as score_distribution's SQL
    has it (a pipeline bins hundreds; Fraction arithmetic would reduce each step)."""
    score = Fraction(score)
    numerator, denominator = score.numerator, score.denominator
    index = ((numerator - denominator * scoring.RATING_MIN) * SCORE_BIN_STEP.denominator) // (
        denominator * SCORE_BIN_STEP.numerator
    )
    return min(max(index, 0), len(SCORE_BIN_EDGES) - 1)


def bin_counts(scores: Sequence[Fraction | None]) -> tuple[list[int], int]:
    """How many of `scores` fall in each bin, and how many are None (no score)."""
    counts = [0] * len(SCORE_BIN_EDGES)
    for score in scores:
        if score is not None:
            counts[score_bin(score)] += 1
    return counts, sum(score is None for score in scores)


@dataclass
class HistogramBin:
    label: str  # "3.00–3.49"
    count: int
    x: int
    y: int
    width: int
    height: int
    centre_x: int
    count_y: int


@dataclass
class Histogram:
    """The pipeline's score distribution: how many applications have a weighted score in
    each bin (SCORE_BIN_EDGES), as vertical bars scaled to the tallest."""

    bins: list[HistogramBin]
    scored: int
    unscored: int  # no weighted score yet (no rating submitted), or settings invalid
    width: int
    height: int
    plot_x: int
    plot_width: int
    top: int
    axis_y: int
    tick_label_y: int
    ticks: list[tuple[str, int]]  # (label, x)
    max_count: int

    PLOT_WIDTH = 400
    PLOT_HEIGHT = 120
    LEFT = 30
    RIGHT = 20
    TOP = 18  # room for the count above the tallest bar
    GAP = 4

    @classmethod
    def build(cls, counts: Sequence[int], unscored: int = 0) -> Histogram:
        """From the count in each bin of SCORE_BIN_EDGES (bin_counts, or the database's
        score_distribution) and the number without a score."""
        edges = SCORE_BIN_EDGES
        max_count = max(counts, default=0)
        slot = cls.PLOT_WIDTH // len(edges)
        axis_y = cls.TOP + cls.PLOT_HEIGHT
        bins = []
        for index, (start, count) in enumerate(zip(edges, counts, strict=True)):
            height = int(Fraction(count * cls.PLOT_HEIGHT, max_count)) if max_count else 0
            x = cls.LEFT + index * slot + cls.GAP // 2
            end = start + SCORE_BIN_STEP
            last = index == len(edges) - 1
            top = scoring.fmt(end) if last else scoring.fmt(end - Fraction(1, 100))
            bins.append(
                HistogramBin(
                    label=f"{scoring.fmt(start)}–{top}",
                    count=count,
                    x=x,
                    y=axis_y - height,
                    width=slot - cls.GAP,
                    height=height,
                    centre_x=x + (slot - cls.GAP) // 2,
                    count_y=axis_y - height - 4,
                )
            )
        low, high = scoring.RATING_MIN, scoring.RATING_MAX
        return cls(
            bins=bins,
            scored=sum(counts),
            unscored=unscored,
            width=cls.LEFT + slot * len(edges) + cls.RIGHT,
            height=axis_y + 24,
            plot_x=cls.LEFT,
            plot_width=slot * len(edges),
            top=cls.TOP,
            axis_y=axis_y,
            tick_label_y=axis_y + 16,
            ticks=[
                (str(level), cls.LEFT + int((level - low) / SCORE_BIN_STEP) * slot)
                for level in range(low, high + 1)
            ],
            max_count=max_count,
        )
