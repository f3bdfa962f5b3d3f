"""The bench reuses a kept data set only when it is the one its ids file describes."""

import pytest
from django.contrib.auth import get_user_model

from hiring_site import bench

pytestmark = pytest.mark.django_db


def test_a_kept_data_set_is_reused_only_when_it_matches():
    sizes = bench.Sizes(0.001)  # the smallest: 5 roles, 20 applications
    assert not bench.reusable(sizes, None)
    ids = bench.build(sizes, log=lambda message: None)
    assert bench.counts()["applications"] == sizes.applications
    assert bench.reusable(sizes, ids)
    assert not bench.reusable(bench.Sizes(0.01), ids)  # another size
    get_user_model().objects.filter(pk=ids["recruiter"]).update(username="someone-else")
    assert not bench.reusable(sizes, ids)  # another data set under the same ids


def test_the_figures_of_several_processes_are_their_medians():
    from hiring_site.management.commands.bench import median_rows

    runs = [
        [{"page": "panel", "p50_ms": p50, "p95_ms": p50 * 2, "queries": 5, "x_floor": x}]
        + [{"page": "gone", "missing": True}]
        for p50, x in ((6.0, 4.0), (9.0, 6.5), (7.0, 4.5))
    ]
    panel, gone = median_rows(runs)
    assert (panel["p50_ms"], panel["p95_ms"], panel["x_floor"]) == (7.0, 14.0, 4.5)
    assert panel["queries"] == 5 and gone == {"page": "gone", "missing": True}
