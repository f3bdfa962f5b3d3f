"""The pictures' geometry (scorecards/chart.py): hand-computed coordinates."""

from fractions import Fraction
from types import SimpleNamespace

from scorecards.chart import DotPlot, Histogram, bin_counts, score_bin


def interviewer(name, mean, std_dev, panels_mean, *, low=1, high=5, ratings=4, panels=2):
    return SimpleNamespace(
        name=name,
        mean=mean,
        std_dev=std_dev,
        panels_mean=panels_mean,
        low=low,
        high=high,
        ratings=ratings,
        panels=panels,
    )


def test_dot_plot_places_each_mean_its_panels_and_its_spread_on_the_1_to_5_scale():
    # 360 units for 4 points of scale: 90 a point, from x = 170 (the labels' width).
    plot = DotPlot.build(
        [
            interviewer("Ivy Interviewer", Fraction(3), 0.5, Fraction(7, 2)),
            interviewer("Ian Interviewer", Fraction(24, 5), 1.0, Fraction(2)),
        ]
    )
    ivy, ian = plot.rows
    assert (ivy.mean_x, ivy.panels_x, ivy.spread_x1, ivy.spread_x2) == (350, 395, 305, 395)
    assert (ivy.mean, ivy.panels_mean, ivy.spread) == ("3.00", "3.50", "± 0.50")
    assert (ivy.y, ian.y) == (21, 47)  # 8 above, then 26 a row, each dot on its centre
    # 4.8 - 1 = 3.8 -> 422; 4.8 + 1 is past the scale: the line stops at 5.
    assert (ian.mean_x, ian.spread_x1, ian.spread_x2, ian.panels_x) == (512, 422, 530, 260)
    assert plot.ticks == [(1, 170), (2, 260), (3, 350), (4, 440), (5, 530)]
    assert (plot.width, plot.axis_y, plot.height) == (550, 60, 84)


def test_dot_plot_shortens_long_names_but_keeps_them_whole_for_the_tooltip():
    name = "Maximiliana Theodora Featherstonehaugh"
    (row,) = DotPlot.build([interviewer(name, Fraction(3), None, None)]).rows
    assert row.name == name and row.label == name[:23] + "…" and len(row.label) == 24
    # One rating has no spread, and a panel without ratings no mean: nothing drawn.
    assert (row.spread_x1, row.spread_x2, row.spread, row.panels_x) == (None, None, "", None)


def test_scores_fall_in_half_point_bins_the_last_one_with_5_in_it():
    scores = [Fraction(1), Fraction(149, 100), Fraction(3, 2), Fraction(16, 5), Fraction(5), None]
    assert [score_bin(s) for s in scores[:-1]] == [0, 0, 1, 4, 7]
    assert score_bin(Fraction(7, 2) - Fraction(1, 10**9)) == 4
    assert score_bin(Fraction(7, 2)) == 5
    assert bin_counts(scores) == ([2, 1, 0, 0, 1, 0, 0, 1], 1)


def test_histogram_scales_bars_to_the_tallest():
    chart = Histogram.build([2, 1, 0, 0, 1, 0, 0, 1], unscored=1)
    assert (chart.scored, chart.unscored, chart.max_count) == (5, 1, 2)
    first, second = chart.bins[:2]
    # 400 units for 8 bins: 50 each, a 4-unit gap; 120 high for the tallest, from y = 18.
    assert (first.x, first.width, first.y, first.height) == (32, 46, 18, 120)
    assert (second.x, second.y, second.height) == (82, 78, 60)
    assert chart.bins[2].height == 0 and chart.bins[2].y == chart.axis_y == 138
    assert [b.label for b in chart.bins[:2]] == ["1.00–1.49", "1.50–1.99"]
    assert chart.bins[-1].label == "4.50–5.00"  # the last bin includes 5
    assert chart.ticks == [("1", 30), ("2", 130), ("3", 230), ("4", 330), ("5", 430)]
    assert (first.centre_x, first.count_y) == (55, 14)


def test_histogram_of_nothing_has_no_bars():
    chart = Histogram.build([0] * 8, unscored=2)
    assert all(b.count == 0 and b.height == 0 for b in chart.bins)
    assert (chart.scored, chart.unscored, chart.max_count) == (0, 2, 0)
