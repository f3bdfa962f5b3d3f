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
