"""Races on one scorecard: two tabs autosaving the same version, an autosave racing the
submit, two tabs creating the card. Real concurrent connections (PostgreSQL); the
sequential form of each loser's case runs on every database."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from scorecards.models import Scorecard, ScorecardContent, ScorecardReadOnly, StaleScorecard
from tests.races.concurrency import CriticalSection, needs_row_locks, one_winner, run_concurrently
from tests.scorecards.builders import build_loop, complete_post

# Each thread's connection must see what the test committed: no wrapping transaction.
concurrently = pytest.mark.django_db(transaction=True)

STALE_AUTOSAVE = "Not saved: this scorecard was changed in another tab or window."
STALE_PAGE = "Not saved: this scorecard changed since you opened this page"
READONLY_AUTOSAVE = "Not saved: this scorecard has been submitted and is read-only."


@pytest.fixture
def loop():
    # Database access, transactional or not, comes from each test's own mark.
    return build_loop()


def typed_in(loop, tab: str) -> ScorecardContent:
    """What one tab holds: ratings, a signal and a summary that say which tab it was."""
    d = loop.dimensions
    return ScorecardContent(
        ratings={d[0].id: (4, f"Evidence typed in {tab}"), d[2].id: (2, f"More from {tab}")},
        signals={loop.strong[0].id: f"Seen in {tab}"},
        summary=f"Summary typed in {tab}",
    )


def complete(loop, tab: str) -> ScorecardContent:
    content = typed_in(loop, tab)
    content.ratings[loop.dimensions[1].id] = (3, f"Focus evidence from {tab}")
    content.recommendation = "yes"
    return content


def started_card(loop) -> Scorecard:
    """A draft at version 1, as after a first autosave."""
    card = Scorecard.objects.create(interview=loop.interview, version=0)
    card.save_draft(typed_in(loop, "the first autosave"), 0, loop.interview.interviewer)
    assert card.version == 1
    return card


def stored(card) -> tuple:
    card.refresh_from_db()
    return card.status, card.version, card.content()


def fill_url(loop):
    return reverse("scorecards:fill", args=[loop.interview.pk])


def open_tab(loop) -> tuple[Client, int]:
    """A browser tab on the scorecard page, and the version its form carries."""
    client = Client()
    client.force_login(loop.interview.interviewer)
    page = client.get(fill_url(loop)).content.decode()
    return client, int(re.search(r'name="version" value="(\d+)"', page).group(1))


def tab_post(loop, version, tab: str, **extra) -> dict:
    d = loop.dimensions
    return {
        "version": str(version),
        f"score_{d[0].id}": "4",
        f"evidence_{d[0].id}": f"Evidence typed in {tab}",
        "summary": f"Summary typed in {tab}",
        **extra,
    }


# --- two tabs autosaving the same version -------------------------------------------------


@needs_row_locks
@concurrently
def test_two_autosaves_of_the_same_version_one_wins_whole_and_the_other_is_stale(loop):
    card = started_card(loop)
    user = loop.interview.interviewer
    tabs = [typed_in(loop, "tab A"), typed_in(loop, "tab B")]

    def autosave(content):
        return lambda: Scorecard.objects.get(pk=card.pk).save_draft(content, 1, user)

    with CriticalSection(Scorecard, "_write") as section:
        outcomes = run_concurrently(*(autosave(c) for c in tabs), section=section)

    winner, loser = one_winner(outcomes)
    # The second save really queued on the first one's row lock.
    assert section.other_waited and not section.both_inside
    assert isinstance(loser.error, StaleScorecard)
    assert loser.error.current.version == 2
    status, version, content = stored(card)
    # The winner's card, whole: not a mix of both tabs, not the loser's text anywhere.
    assert (status, version) == ("draft", 2)
    assert content == tabs[outcomes.index(winner)].normalized()
    lost = tabs[outcomes.index(loser)].summary
    assert not card.history.filter(summary=lost).exists()


def two_autosaves_at_once(loop, tab_a, tab_b, *, version):
    """Tabs A and B autosave, both based on `version`, at the same moment; the second
    reaches the card's write while the first is inside it. Returns both outcomes."""

    def autosave(client, tab):
        post = tab_post(loop, version, tab)
        return lambda: client.post(fill_url(loop), post, HTTP_HX_REQUEST="true")

    with CriticalSection(Scorecard, "_write") as section:
        outcomes = run_concurrently(
            autosave(tab_a, "tab A"), autosave(tab_b, "tab B"), section=section
        )
    assert all(o.ok for o in outcomes), outcomes
    assert section.other_waited and not section.both_inside
    return outcomes


@needs_row_locks
@concurrently
def test_two_tabs_autosaving_through_the_page_the_loser_is_told_to_reload(loop):
    started_card(loop)
    (tab_a, version_a), (tab_b, version_b) = open_tab(loop), open_tab(loop)
    assert version_a == version_b == 1

    outcomes = two_autosaves_at_once(loop, tab_a, tab_b, version=1)

    codes = sorted(o.value.status_code for o in outcomes)
    assert codes == [200, 409]
    saved = next(o for o in outcomes if o.value.status_code == 200)
    refused = next(o for o in outcomes if o.value.status_code == 409)
    assert "Saved" in saved.value.content.decode()
    body = refused.value.content.decode()
    assert STALE_AUTOSAVE in body and "load the latest version" in body
    card = Scorecard.objects.get(interview=loop.interview)
    won = "tab A" if saved is outcomes[0] else "tab B"
    assert (card.version, card.summary) == (2, f"Summary typed in {won}")
    assert card.ratings.get(dimension=loop.dimensions[0]).evidence == f"Evidence typed in {won}"


@needs_row_locks
@concurrently
def test_two_tabs_that_both_saw_no_card_create_one_card_and_one_is_refused(loop):
    (tab_a, version_a), (tab_b, version_b) = open_tab(loop), open_tab(loop)
    assert version_a == version_b == 0
    assert not Scorecard.objects.exists()

    outcomes = two_autosaves_at_once(loop, tab_a, tab_b, version=0)

    assert sorted(o.value.status_code for o in outcomes) == [200, 409]
    refused = next(o for o in outcomes if o.value.status_code == 409)
    assert STALE_AUTOSAVE in refused.value.content.decode()
    card = Scorecard.objects.get(interview=loop.interview)
    won = "tab A" if refused is outcomes[1] else "tab B"
    assert (card.version, card.summary) == (1, f"Summary typed in {won}")


# --- an autosave racing the submit --------------------------------------------------------


@needs_row_locks
@concurrently
@pytest.mark.parametrize("first", ["submit", "autosave"])
def test_autosave_racing_the_submit_never_overwrites_a_submitted_card(loop, first):
    card = started_card(loop)
    user = loop.interview.interviewer
    submitted, autosaved = complete(loop, "the submitting tab"), typed_in(loop, "the other tab")
    writers = {
        "submit": lambda: Scorecard.objects.get(pk=card.pk).submit(submitted, 1, user),
        "autosave": lambda: Scorecard.objects.get(pk=card.pk).save_draft(autosaved, 1, user),
    }
    second = "autosave" if first == "submit" else "submit"

    with CriticalSection(Scorecard, "_write") as section:
        outcomes = run_concurrently(writers[first], writers[second], section=section, in_order=True)

    assert section.other_waited and not section.both_inside
    assert section.inside == ["writer-0"]
    won, lost = outcomes
    assert won.ok
    status, version, content = stored(card)
    assert version == 2
    if first == "submit":
        # The draft save came second: refused, the submission stands as it was sent.
        assert isinstance(lost.error, ScorecardReadOnly)
        assert (status, content) == ("submitted", submitted.normalized())
        assert card.submitted_at is not None
    else:
        # The submit was based on version 1, which the autosave moved on: refused, so
        # nothing is submitted that its author did not see.
        assert isinstance(lost.error, StaleScorecard)
        assert (status, content) == ("draft", autosaved.normalized())
        assert card.submitted_at is None
    assert [e.kind for e in card.events()] == (["submitted"] if first == "submit" else [])


@needs_row_locks
@concurrently
def test_autosave_and_submit_started_together_leave_a_coherent_card(loop):
    card = started_card(loop)
    user = loop.interview.interviewer
    submitted, autosaved = complete(loop, "the submitting tab"), typed_in(loop, "the other tab")

    with CriticalSection(Scorecard, "_write") as section:
        outcomes = run_concurrently(
            lambda: Scorecard.objects.get(pk=card.pk).submit(submitted, 1, user),
            lambda: Scorecard.objects.get(pk=card.pk).save_draft(autosaved, 1, user),
            section=section,
        )

    winner, loser = one_winner(outcomes)
    assert section.other_waited and not section.both_inside
    status, version, content = stored(card)
    assert version == 2
    if winner is outcomes[0]:
        assert isinstance(loser.error, ScorecardReadOnly)
        assert (status, content) == ("submitted", submitted.normalized())
    else:
        assert isinstance(loser.error, StaleScorecard)
        assert (status, content) == ("draft", autosaved.normalized())


@needs_row_locks
@concurrently
@pytest.mark.parametrize("first", ["submit", "autosave"])
def test_autosave_racing_the_submit_through_the_page_the_loser_is_told(loop, first):
    started_card(loop)
    (submit_tab, version), (autosave_tab, _) = open_tab(loop), open_tab(loop)
    writers = {
        "submit": lambda: submit_tab.post(
            fill_url(loop), complete_post(loop, version, action="submit")
        ),
        "autosave": lambda: autosave_tab.post(
            fill_url(loop), tab_post(loop, version, "the other tab"), HTTP_HX_REQUEST="true"
        ),
    }
    second = "autosave" if first == "submit" else "submit"

    with CriticalSection(Scorecard, "_write") as section:
        outcomes = run_concurrently(writers[first], writers[second], section=section, in_order=True)

    assert all(o.ok for o in outcomes), outcomes
    assert section.other_waited and not section.both_inside
    responses = dict(zip([first, second], (o.value for o in outcomes), strict=True))
    card = Scorecard.objects.get(interview=loop.interview)
    assert card.version == 2
    if first == "submit":
        assert responses["submit"].status_code == 302
        assert responses["submit"].url == reverse("scorecards:detail", args=[card.pk])
        assert responses["autosave"].status_code == 409
        assert READONLY_AUTOSAVE in responses["autosave"].content.decode()
        assert card.status == "submitted"
        assert card.summary == "Strong designer; watch the ownership signal."
    else:
        assert responses["autosave"].status_code == 200
        assert responses["submit"].status_code == 409
        body = responses["submit"].content.decode()
        assert STALE_PAGE in body and "Load the latest version" in body
        # What the submitting tab had typed is still on its page, to copy.
        assert "Strong designer; watch the ownership signal." in body
        assert (card.status, card.summary) == ("draft", "Summary typed in the other tab")


# --- the same losers, one after the other (every database) --------------------------------


@pytest.mark.django_db
def test_an_autosave_of_an_older_version_is_refused_and_writes_nothing(loop):
    card = started_card(loop)
    user = loop.interview.interviewer
    stale = Scorecard.objects.get(pk=card.pk)
    card.save_draft(typed_in(loop, "tab A"), 1, user)
    before = stored(card)
    with pytest.raises(StaleScorecard) as refused:
        stale.save_draft(typed_in(loop, "tab B"), 1, user)
    assert refused.value.current.version == 2
    assert stored(card) == before


@pytest.mark.django_db
def test_a_draft_save_after_the_submit_is_refused_and_the_submission_stands(loop):
    card = started_card(loop)
    user = loop.interview.interviewer
    stale = Scorecard.objects.get(pk=card.pk)
    card.submit(complete(loop, "the submitting tab"), 1, user)
    before = stored(card)
    for version in (1, 2):  # the old version, and the submitted card's own
        with pytest.raises(ScorecardReadOnly):
            stale.save_draft(typed_in(loop, "the other tab"), version, user)
    assert stored(card) == before
    assert before[0] == "submitted"


@pytest.mark.django_db
def test_a_submit_after_another_save_is_refused_as_stale(loop):
    card = started_card(loop)
    user = loop.interview.interviewer
    stale = Scorecard.objects.get(pk=card.pk)
    card.save_draft(typed_in(loop, "the other tab"), 1, user)
    with pytest.raises(StaleScorecard):
        stale.submit(complete(loop, "the submitting tab"), 1, user)
    status, version, content = stored(card)
    assert (status, version) == ("draft", 2)
    assert content == typed_in(loop, "the other tab").normalized()
