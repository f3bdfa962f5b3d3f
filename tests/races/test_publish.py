"""Two recruiters publishing at once: one publish happens, the role keeps exactly one
published revision, the numbers stay as they were, the loser is told who won."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from roles import services
from roles.models import PublishError, RoleRevision
from tests import factories
from tests.races.concurrency import CriticalSection, needs_row_locks, one_winner, run_concurrently
from tests.roles.conftest import F002, import_reviewed

concurrently = pytest.mark.django_db(transaction=True)


@pytest.fixture
def recruiters():
    return [
        factories.RecruiterFactory(first_name="Ada", last_name="Lovelace"),
        factories.RecruiterFactory(first_name="Olga", last_name="Other"),
    ]


@pytest.fixture
def draft(recruiters):
    """Revision 2 of Lead AI Engineer, a draft copied from the published revision 1."""
    published = import_reviewed(F002, publish=True).revision
    return services.clone_revision(published, recruiters[0])


def publishing(revision, user):
    return lambda: RoleRevision.objects.get(pk=revision.pk).publish(by=user)


def revisions(role) -> list[tuple[int, str]]:
    return list(role.revisions.order_by("number").values_list("number", "status"))


def name(user) -> str:
    return user.get_full_name()


@needs_row_locks
@concurrently
def test_two_recruiters_publishing_the_same_draft_one_publishes(draft, recruiters):
    with CriticalSection(RoleRevision, "publish_problems") as section:
        outcomes = run_concurrently(
            *(publishing(draft, user) for user in recruiters), section=section
        )

    winner, loser = one_winner(outcomes)
    assert section.other_waited and not section.both_inside
    who = recruiters[outcomes.index(winner)]
    assert winner.value.number == 1  # the archived revision
    assert isinstance(loser.error, PublishError)
    assert str(loser.error).startswith(f"Revision 2 was already published by {name(who)} at ")
    draft.refresh_from_db()
    assert (draft.status, draft.published_by) == ("published", who)
    assert revisions(draft.role) == [(1, "archived"), (2, "published")]
    # One publish in the history, not two.
    published = draft.history.filter(status="published")
    assert published.count() == 1


@needs_row_locks
@concurrently
def test_two_drafts_published_at_once_leave_one_published_revision(draft, recruiters):
    other = services.clone_revision(draft.based_on, recruiters[1])  # revision 3
    with CriticalSection(RoleRevision, "publish_problems") as section:
        outcomes = run_concurrently(
            publishing(draft, recruiters[0]),
            publishing(other, recruiters[1]),
            section=section,
            in_order=True,
        )

    assert all(o.ok for o in outcomes), outcomes
    assert section.other_waited and not section.both_inside
    # Queued on the role's lock: the second archived the first, not the first's old one.
    assert [o.value.number for o in outcomes] == [1, 2]
    assert revisions(draft.role) == [(1, "archived"), (2, "archived"), (3, "published")]


@needs_row_locks
@concurrently
def test_two_recruiters_publishing_through_the_page_the_loser_is_told(draft, recruiters):
    clients = []
    for user in recruiters:
        client = Client()
        client.force_login(user)
        clients.append(client)
    url = reverse("roles:publish", args=[draft.role.slug, draft.number])
    with CriticalSection(RoleRevision, "publish_problems") as section:
        outcomes = run_concurrently(*(lambda c=c: c.post(url) for c in clients), section=section)

    assert all(o.ok for o in outcomes), outcomes
    assert section.other_waited and not section.both_inside
    # Both land on the revision's page, now published: the loser is not sent to edit it.
    assert [o.value.status_code for o in outcomes] == [302, 302]
    assert {o.value.url for o in outcomes} == {draft.get_absolute_url()}
    pages = [c.get(draft.get_absolute_url()).content.decode() for c in clients]
    won = [n for n, page in enumerate(pages) if "Published revision 2 of Lead AI Engineer." in page]
    assert len(won) == 1
    lost = 1 - won[0]
    assert "Revision 1 is archived" in pages[won[0]]
    assert f"Revision 2 was already published by {name(recruiters[won[0]])} at" in pages[lost]
    assert "Published revision 2" not in pages[lost]
    draft.refresh_from_db()
    assert draft.published_by == recruiters[won[0]]
    assert revisions(draft.role) == [(1, "archived"), (2, "published")]


# --- one after the other (every database) ----------------------------------------------


@pytest.mark.django_db
def test_publishing_a_draft_someone_published_meanwhile_is_refused(draft, recruiters):
    stale = RoleRevision.objects.get(pk=draft.pk)
    draft.publish(by=recruiters[1])
    with pytest.raises(PublishError, match="Revision 2 was already published by Olga Other at "):
        stale.publish(by=recruiters[0])
    draft.refresh_from_db()
    assert draft.published_by == recruiters[1]
    assert revisions(draft.role) == [(1, "archived"), (2, "published")]


@needs_row_locks
@concurrently
def test_editing_the_published_revision_while_a_draft_is_published_does_not_deadlock(
    draft, recruiters
):
    """roles:edit on a published revision locks it and copies it into a new draft, while
    another recruiter publishes a draft of the same role: both lock the role first, then
    the revision (RoleRevision.locked), so one waits for the other instead of deadlocking."""
    published = draft.based_on

    def edit():  # what roles:edit does for a revision that is no longer editable
        with transaction.atomic():
            return services.clone_revision(published.locked(), recruiters[0])

    with CriticalSection(services, "clone_revision") as section:
        outcomes = run_concurrently(
            edit, publishing(draft, recruiters[1]), section=section, in_order=True
        )

    assert all(o.ok for o in outcomes), outcomes
    assert section.other_waited
    assert revisions(draft.role) == [(1, "archived"), (2, "published"), (3, "draft")]
