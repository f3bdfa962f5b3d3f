"""roles/content.py: the content of a revision that is no longer a draft is read from the
cache, shows the same as when read from the database, is dropped when an admin edits
one of its rows, and is never cached for a draft."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roles.content import cache_key, revision_content
from roles.models import Dimension, RoleRevision
from scorecards.models import Scorecard
from tests import factories
from tests.scorecards.builders import build_loop

pytestmark = pytest.mark.django_db


def _page(client, url) -> tuple[str, int]:
    """The page's HTML without its per-response CSRF tokens and CSP nonces, and the
    number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    html = re.sub(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"', r"\1", html)
    html = re.sub(r"\"X-CSRFToken\": *\"[^\"]*\"", "", html)
    return html, len(queries)


@pytest.fixture
def loop(interviewer, hiring_manager):
    loop = build_loop(interviewer, hiring_manager=hiring_manager)
    factories.CompetencyAreaFactory(revision=loop.revision, name="Distributed systems")
    # A submitted card, so the panel has a column.
    factories.scorecard_with_ratings(
        loop.other_interview, {loop.dimensions[2]: 4}, recommendation="yes"
    )
    return loop


def _urls(loop):
    return {
        "fill": reverse("scorecards:fill", args=[loop.interview.pk]),
        "panel": reverse("hiring:panel", args=[loop.application.pk]),
        "role": reverse("roles:detail", args=[loop.revision.role.slug]),
    }


# The panel keeps its shared sections too (tests/hiring/test_panel_cache.py), the
# scorecard page its stage brief.
@pytest.mark.parametrize("page, saved", [("fill", 4), ("panel", 7), ("role", 6)])
def test_cached_page_shows_the_same_as_uncached_in_fewer_queries(
    client, loop, interviewer, hiring_manager, recruiter, page, saved
):
    user = {"fill": interviewer, "panel": hiring_manager, "role": recruiter}[page]
    client.force_login(user)
    url = _urls(loop)[page]
    uncached, first = _page(client, url)
    cached, second = _page(client, url)
    assert cached == uncached
    assert second == first - saved
    assert loop.dimensions[0].name in cached


def test_second_request_of_scorecard_page_and_panel_makes_fewer_queries(
    client, loop, interviewer, hiring_manager, django_assert_max_num_queries
):
    urls = _urls(loop)
    for user, url in ((interviewer, urls["fill"]), (hiring_manager, urls["panel"])):
        client.force_login(user)
        cache.clear()  # the two pages share the revision's dimensions
        _, first = _page(client, url)
        with django_assert_max_num_queries(first - 3):
            assert client.get(url).status_code == 200


def test_a_saved_dimension_of_a_frozen_revision_is_shown_at_once(client, loop, interviewer):
    """The admin shows a frozen revision's rows read-only (tests/test_groups_and_admin.py),
    but a data fix saving one from a shell is seen at once."""
    assert not loop.revision.is_editable()
    client.force_login(interviewer)
    url = _urls(loop)["fill"]
    # The stage brief lists the focus dimensions by name.
    assert "<strong>System design</strong>" in client.get(url).content.decode()
    dimension = loop.dimensions[0]
    dimension.name = "Systems thinking"
    dimension.save()
    body = client.get(url).content.decode()
    assert "<strong>Systems thinking</strong>" in body
    assert "<strong>System design</strong>" not in body


def test_focus_signal_and_deletion_edits_of_a_frozen_revision_drop_the_cache(
    client, loop, hiring_manager
):
    client.force_login(hiring_manager)
    url = _urls(loop)["panel"]
    client.get(url)
    keys = [cache_key(loop.revision.pk, loop.revision.status, p) for p in ("dimensions", "stages")]
    assert all(cache.get(key) is not None for key in keys)
    loop.other_stage.focus_dimensions.add(loop.dimensions[3])  # the admin's filter_horizontal
    assert all(cache.get(key) is None for key in keys)
    stages = revision_content(loop.revision, "stages").stages
    other = next(s for s in stages if s.pk == loop.other_stage.pk)
    assert [d.pk for d in other.focus_dimensions.all()] == [
        loop.dimensions[2].pk,
        loop.dimensions[3].pk,
    ]
    client.get(url)
    loop.red[0].text = "Dismisses privacy"
    loop.red[0].save()
    assert cache.get(cache_key(loop.revision.pk, loop.revision.status, "signals")) is None
    client.get(url)
    loop.dimensions[3].delete()
    assert all(cache.get(key) is None for key in keys)
    assert len(revision_content(loop.revision, "dimensions").dimensions) == 3


def test_a_draft_is_never_cached_so_never_stale_after_an_edit(recruiter_client):
    revision = factories.RoleRevisionFactory(status=RoleRevision.Status.DRAFT)
    dimension = factories.DimensionFactory(revision=revision, name="Old name")
    assert revision.is_editable()
    url = reverse("roles:detail", args=[revision.role.slug])
    assert "Old name" in recruiter_client.get(url).content.decode()
    # An update() sends no signal: only reading the database again can show it.
    Dimension.objects.filter(pk=dimension.pk).update(name="New name")
    body = recruiter_client.get(url).content.decode()
    assert "New name" in body and "Old name" not in body
    assert cache.get(cache_key(revision.pk, revision.status, "dimensions")) is None


def test_publishing_a_draft_reads_its_content_afresh(recruiter_client):
    revision = factories.RoleRevisionFactory(status=RoleRevision.Status.DRAFT)
    factories.DimensionFactory(revision=revision, name="Before publishing")
    revision_content(revision, "dimensions")
    Dimension.objects.filter(revision=revision).update(name="After publishing")
    revision.status = RoleRevision.Status.PUBLISHED
    assert [d.name for d in revision_content(revision, "dimensions").dimensions] == [
        "After publishing"
    ]


def test_cached_instances_are_copies_a_request_may_change(loop, django_assert_num_queries):
    first = revision_content(loop.revision, "dimensions", "signals", "focus")
    first.dimensions[0].name = "Changed by one request"
    first.signals.clear()
    with django_assert_num_queries(0):
        again = revision_content(loop.revision, "dimensions", "signals", "focus")
    assert again.dimensions[0].name == loop.dimensions[0].name
    assert len(again.signals) == len(loop.strong) + len(loop.weak) + len(loop.red)
    assert again.focus[loop.stage.pk] == (loop.dimensions[0].pk, loop.dimensions[1].pk)


def test_a_draft_is_read_from_the_database_every_time(django_assert_num_queries):
    revision = factories.RoleRevisionFactory(status=RoleRevision.Status.DRAFT)
    factories.DimensionFactory(revision=revision)
    for _ in range(2):
        with django_assert_num_queries(1):
            revision_content(revision, "dimensions")


def test_unknown_part_is_refused(loop):
    with pytest.raises(ValueError, match="Unknown revision content"):
        revision_content(loop.revision, "dimension")


def test_a_submitted_scorecard_still_uses_the_cached_dimensions(client, loop, interviewer):
    """A frozen revision's cached form validates a full submission as before."""
    from tests.scorecards.builders import complete_post

    client.force_login(interviewer)
    url = _urls(loop)["fill"]
    client.get(url)
    response = client.post(url, complete_post(loop, 0, action="submit"))
    assert response.status_code == 302
    card = Scorecard.objects.get(interview=loop.interview)
    assert card.is_submitted
