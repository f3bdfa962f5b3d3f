"""The scorecard page (`scorecards:fill`): brief, form, autosave, plain posts, submission
rules, optimistic locking, bad input and who may use it."""

import re

import pytest
from django.urls import reverse

from hiring.models import Interview
from roles.models import Signal
from scorecards.models import Rating, Scorecard, SignalCheck
from tests import factories
from tests.scorecards.builders import build_loop, complete_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def loop(interviewer):
    return build_loop(interviewer)


def fill_url(interview):
    return reverse("scorecards:fill", args=[interview.pk])


def checked_url(interview):
    """Where a refused submit leads: the page, with what the draft lacks to be submitted."""
    return fill_url(interview) + "?check=1"


def autosave(client, interview, data):
    return client.post(fill_url(interview), data, HTTP_HX_REQUEST="true")


def draft_data(loop, version, **extra):
    d = loop.dimensions
    data = {
        "version": str(version),
        f"score_{d[0].id}": "4",
        f"evidence_{d[0].id}": "Bounded queues, explained why.",
    }
    data.update(extra)
    return data


def saved_draft(client, loop, **extra):
    response = autosave(client, loop.interview, draft_data(loop, 0, **extra))
    assert response.status_code == 200, response.content.decode()
    return Scorecard.objects.get(interview=loop.interview)


def snapshot(card):
    card.refresh_from_db()
    return (
        card.status,
        card.version,
        card.recommendation,
        card.summary,
        sorted(card.ratings.values_list("dimension_id", "score", "evidence")),
        sorted(card.signal_checks.values_list("signal_id", "note")),
    )


# --- what the page shows -------------------------------------------------------------------


def test_page_shows_the_stage_brief_before_the_form(interviewer_client, loop):
    body = interviewer_client.get(fill_url(loop.interview)).content.decode()
    for text in [
        "Stage brief: System design case",
        "Design a pipeline that scores 5k events a second.",
        "Failure recovery",
        "Back-pressure handling",
        "Quantifies trade-offs",
        "Blames others for failures",
        "60 minutes",
        "60–90 min",
    ]:
        assert text in body, text
    assert body.index("Stage brief") < body.index('id="scorecard-form"')
    assert "Grace Hopper" in body and "Data Platform Engineer" in body


def test_the_brief_shows_every_change_to_what_it_shows(interviewer_client, loop):
    """A data fix to any row the brief shows reaches the page at once."""

    def brief():
        body = interviewer_client.get(fill_url(loop.interview)).content.decode()
        return body[body.index('id="brief-heading"') : body.index('id="scorecard-form"')]

    assert "Design a pipeline" in brief()
    exercise = loop.stage.exercise
    exercise.prompt, exercise.look_for = "Design a ledger.", ["Idempotency"]
    exercise.save()
    assert "Design a ledger." in brief() and "Idempotency" in brief()
    loop.stage.name = "Architecture case"
    loop.stage.save()
    assert "Stage brief: Architecture case" in brief()
    loop.stage.focus_dimensions.set([loop.dimensions[3]])
    assert "Security mindset" in brief() and "System design" not in brief()
    signal = loop.red[0]
    signal.text = "Ignores failures"
    signal.save()
    assert "Ignores failures" in brief() and "Blames others" not in brief()
    dimension = loop.dimensions[3]
    dimension.meets_bar = "Threat-models unprompted."
    dimension.save()
    assert "Threat-models unprompted." in brief()


def test_the_draft_shows_every_change_to_the_card(interviewer_client, loop):
    """An autosave and the admin's edit of a row reach the page at once."""
    from scorecards.admin import touch_cards

    def page():
        return interviewer_client.get(fill_url(loop.interview)).content.decode()

    card = saved_draft(interviewer_client, loop)
    assert "Bounded queues, explained why." in page()
    d = loop.dimensions
    autosave(interviewer_client, loop.interview, draft_data(loop, card.version, **{
        f"evidence_{d[0].id}": "Backpressure, with numbers."
    }))  # fmt: skip
    assert "Backpressure, with numbers." in page()
    Rating.objects.filter(scorecard=card).update(evidence="Fixed by an admin.")
    touch_cards([card.pk])
    assert "Fixed by an admin." in page()
    signal = loop.red[0]
    SignalCheck.objects.create(scorecard=card, signal=signal, note="Noted by an admin.")
    touch_cards([card.pk])
    assert "Noted by an admin." in page()


def test_focus_dimensions_come_first_and_are_marked(interviewer_client, loop):
    d = loop.dimensions
    body = interviewer_client.get(fill_url(loop.interview)).content.decode()
    form = body[body.index('id="scorecard-form"') :]
    positions = [form.index(f'id="rating-{dim.id}"') for dim in (d[0], d[1], d[2], d[3])]
    assert positions == sorted(positions)
    loop.stage.focus_dimensions.set([d[3]])
    body = interviewer_client.get(fill_url(loop.interview)).content.decode()
    form = body[body.index('id="scorecard-form"') :]
    assert form.index(f'id="rating-{d[3].id}"') < form.index(f'id="rating-{d[0].id}"')
    fieldset = re.search(rf'id="rating-{d[3].id}".*?</legend>', form, re.S).group(0)
    assert "Focus" in fieldset


def test_every_rating_input_is_labelled_and_anchors_are_on_the_page(interviewer_client, loop):
    body = interviewer_client.get(fill_url(loop.interview)).content.decode()
    ids = re.findall(r'<(?:input|textarea)[^>]*\bid="([^"]+)"', body)
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', body))
    hidden = {"id_version"}
    assert [i for i in ids if i not in labelled and i not in hidden] == []
    d0 = loop.dimensions[0]
    assert "Meets the bar for system design." in body  # level 3 = meets bar
    assert "Sets the standard in system design." in body  # level 5 anchor
    assert f'aria-describedby="anchor-{d0.id}-3"' in body
    assert 'hx-post="' in body and f'action="{fill_url(loop.interview)}"' in body


def test_each_level_shows_the_dimensions_own_anchor_or_only_its_label(interviewer_client, loop):
    d0 = loop.dimensions[0]  # its own text for 3 (the bar) and 5, none for 1, 2, 4
    body = interviewer_client.get(fill_url(loop.interview)).content.decode()
    anchors = dict(re.findall(rf'<p class="anchor[^"]*" id="anchor-{d0.id}-(\d)">(.*?)</p>', body))
    assert anchors == {
        "1": "<strong>1 · Well below bar</strong>",
        "2": "<strong>2 · Below bar</strong>",
        "3": "<strong>3 · Meets bar</strong>: Meets the bar for system design.",
        "4": "<strong>4 · Above bar</strong>",
        "5": "<strong>5 · Exceptional</strong>: Sets the standard in system design.",
    }
    row = re.search(rf'id="rating-{d0.id}".*?</fieldset>', body, re.S).group(0)
    radios = re.findall(r'<input type="radio"[^>]*>\s*<label[^>]*>(.*?)</label>', row)
    assert (
        radios[0] == "Not assessed" and radios[3] == '<span class="fw-semibold">3</span> Meets bar'
    )
    assert len(radios) == 6 and 'value="" autocomplete="off" checked' in row


def test_what_the_role_and_the_card_say_is_shown_as_text_not_markup(interviewer_client, loop):
    hostile = "<b>\"Tom\" & 'Jerry'</b>"
    d0 = loop.dimensions[0]
    d0.name, d0.anchors = f"Design {hostile}", ["", hostile, "", "", ""]
    d0.save()
    signal = loop.red[0]
    signal.text = f"Red {hostile}"
    signal.save()
    data = draft_data(loop, 0, **{f"evidence_{d0.id}": hostile, f"signal_{signal.id}": "on"})
    data[f"note_{signal.id}"] = hostile
    saved_draft(interviewer_client, loop, **{k: v for k, v in data.items() if k != "version"})
    body = interviewer_client.get(fill_url(loop.interview)).content.decode()
    assert hostile not in body
    escaped = "&lt;b&gt;&quot;Tom&quot; &amp; &#x27;Jerry&#x27;&lt;/b&gt;"
    assert f"Design {escaped}</legend>" not in body  # the focus badge follows the name
    assert f"Design {escaped} <span" in body
    assert f"<strong>2 · Below bar</strong>: {escaped}</p>" in body
    assert f">{escaped}</textarea>" in body
    assert f'value="{escaped}"' in body and f"Red {escaped}</label>" in body


def test_a_refused_post_keeps_every_choice_and_marks_the_bad_rating(interviewer_client, loop):
    d = loop.dimensions
    strong = loop.strong[0]
    data = draft_data(loop, 0, action="save", summary="Kept")
    data |= {f"score_{d[0].id}": "9", f"score_{d[1].id}": "2", f"evidence_{d[1].id}": "Unsure"}
    data |= {f"signal_{strong.id}": "on", f"note_{strong.id}": "Numbers first"}
    response = interviewer_client.post(fill_url(loop.interview), data)
    body = response.content.decode()
    assert response.status_code == 422
    bad = re.search(rf'id="rating-{d[0].id}".*?</fieldset>', body, re.S).group(0)
    assert bad.count('aria-invalid="true"') == 6 and "Choose a rating from 1 to 5" in bad
    assert f'href="#rating-{d[0].id}"' in body  # the summary at the top links to the row
    kept = re.search(rf'id="rating-{d[1].id}".*?</fieldset>', body, re.S).group(0)
    assert "aria-invalid" not in kept
    assert re.search(rf'id="id_score_{d[1].id}_2" value="2" autocomplete="off" checked', kept)
    assert kept.count(" checked") == 1 and ">Unsure</textarea>" in kept
    assert re.search(rf'id="id_signal_{strong.id}" value="on" checked', body)
    assert 'value="Numbers first"' in body and ">Kept</textarea>" in body


def test_a_red_flag_without_a_note_is_marked_on_its_note(interviewer_client, loop):
    red = loop.red[1]
    data = complete_post(loop, 0, action="submit", **{f"signal_{red.id}": "on"})
    response = interviewer_client.post(fill_url(loop.interview), data, follow=True)
    body = response.content.decode()
    assert response.redirect_chain == [(checked_url(loop.interview), 302)]
    note = re.search(rf'<input type="text" name="note_{red.id}"[^>]*>', body).group(0)
    assert "is-invalid" in note and f'aria-describedby="id_note_{red.id}_error"' in note
    error = (
        f'<div class="invalid-feedback d-block" id="id_note_{red.id}_error" '
        f'data-error-for="note_{red.id}">'
    )
    assert error + "Describe what you observed for this red flag.</div>" in body
    assert 'placeholder="What did you observe? (needed if ticked)"' in note


def test_red_flags_are_visually_distinct(interviewer_client, loop):
    body = interviewer_client.get(fill_url(loop.interview)).content.decode()
    opening = r'<div class="signal-row[^"]*">\s*<div class="form-check">\s*<input[^>]*'
    row = re.search(opening + f'id="id_signal_{loop.red[0].id}"', body).group(0)
    assert "signal-red" in row
    assert body.count('text-bg-danger me-1">Red flag') == len(loop.red)


# --- saving drafts -------------------------------------------------------------------------


def test_autosave_creates_the_draft_and_answers_saved_with_the_new_version(
    interviewer_client, loop
):
    response = autosave(interviewer_client, loop.interview, draft_data(loop, 0))
    body = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"Saved \d\d:\d\d", body)
    assert 'name="version" value="1"' in body and 'hx-swap-oob="true"' in body
    card = Scorecard.objects.get(interview=loop.interview)
    assert (card.status, card.version) == ("draft", 1)
    assert card.ratings.get().evidence == "Bounded queues, explained why."
    again = autosave(interviewer_client, loop.interview, draft_data(loop, 1, summary="More."))
    assert 'value="2"' in again.content.decode()
    card.refresh_from_db()
    assert (card.version, card.summary) == (2, "More.")


def test_plain_post_saves_the_draft_and_it_survives_a_reload(interviewer_client, loop):
    d = loop.dimensions
    data = draft_data(loop, 0, action="save", **{f"signal_{loop.strong[1].id}": "on"})
    data[f"note_{loop.strong[1].id}"] = "First question was about lineage."
    response = interviewer_client.post(fill_url(loop.interview), data)
    assert response.status_code == 302 and response.url == fill_url(loop.interview)
    page = interviewer_client.get(response.url).content.decode()
    assert "Draft saved at" in page
    assert "Bounded queues, explained why." in page
    assert re.search(rf'name="score_{d[0].id}"[^>]*value="4"[^>]*checked', page)
    assert re.search(rf'id="id_signal_{loop.strong[1].id}"[^>]*checked', page)
    assert "First question was about lineage." in page
    assert 'name="version" value="1"' in page


def test_clearing_a_rating_and_unticking_a_signal_removes_them(interviewer_client, loop):
    d = loop.dimensions
    card = saved_draft(interviewer_client, loop, **{f"signal_{loop.strong[0].id}": "on"})
    assert card.signal_checks.count() == 1
    autosave(interviewer_client, loop.interview, {"version": "1", f"score_{d[0].id}": ""})
    assert Rating.objects.filter(scorecard=card).count() == 0
    assert SignalCheck.objects.filter(scorecard=card).count() == 0


@pytest.mark.parametrize("bad", ["0", "6", "abc", "3.5", "-1"])
def test_a_score_outside_1_to_5_is_a_form_error_and_changes_nothing(interviewer_client, loop, bad):
    card = saved_draft(interviewer_client, loop)
    before = snapshot(card)
    d0 = loop.dimensions[0]
    data = draft_data(loop, 1, action="save", summary="Should not be stored")
    data[f"score_{d0.id}"] = bad
    response = interviewer_client.post(fill_url(loop.interview), data)
    assert response.status_code == 422
    assert "Choose a rating from 1 to 5" in response.content.decode()
    assert snapshot(card) == before
    htmx = autosave(interviewer_client, loop.interview, data)
    assert htmx.status_code == 422 and "Not saved" in htmx.content.decode()
    assert snapshot(card) == before


def test_a_dimension_or_signal_of_another_role_is_refused_and_changes_nothing(
    interviewer_client, loop
):
    card = saved_draft(interviewer_client, loop)
    before = snapshot(card)
    other_revision = build_loop().revision
    foreign_dimension = other_revision.dimensions.first()
    foreign_signal = other_revision.signals.filter(kind=Signal.Kind.RED_FLAG).first()
    for forged in (
        {f"score_{foreign_dimension.id}": "5", f"evidence_{foreign_dimension.id}": "x"},
        {f"signal_{foreign_signal.id}": "on", f"note_{foreign_signal.id}": "x"},
        {"score_999999": "3"},
    ):
        data = {**draft_data(loop, 1, summary="Should not be stored"), **forged}
        response = interviewer_client.post(fill_url(loop.interview), data)
        assert response.status_code == 422
        assert "not on this scorecard" in response.content.decode()
        assert autosave(interviewer_client, loop.interview, data).status_code == 422
        assert snapshot(card) == before
    assert not Rating.objects.filter(dimension=foreign_dimension).exists()
    assert not SignalCheck.objects.filter(signal=foreign_signal).exists()


def test_overlong_text_is_a_form_error(interviewer_client, loop):
    data = draft_data(loop, 0, summary="x" * 20_001)
    assert interviewer_client.post(fill_url(loop.interview), data).status_code == 422
    assert not Scorecard.objects.filter(interview=loop.interview).exists()


# --- optimistic locking ----------------------------------------------------------------------


def test_a_save_from_an_older_tab_is_refused_and_overwrites_nothing(interviewer_client, loop):
    d0 = loop.dimensions[0]
    card = saved_draft(interviewer_client, loop)  # version 1 now
    before = snapshot(card)
    stale = draft_data(loop, 0, action="save")
    stale[f"evidence_{d0.id}"] = "Typed in the old tab"
    response = interviewer_client.post(fill_url(loop.interview), stale)
    body = response.content.decode()
    assert response.status_code == 409
    assert "changed since you opened this page" in body
    assert "Load the latest version" in body
    assert "Typed in the old tab" in body  # what was typed is still on the page
    assert 'data-autosave="off"' in body
    assert snapshot(card) == before
    htmx = autosave(interviewer_client, loop.interview, stale)
    assert htmx.status_code == 409
    assert "changed in another tab" in htmx.content.decode()
    assert snapshot(card) == before


def test_two_tabs_that_both_saw_no_card_cannot_both_create_it(interviewer_client, loop):
    assert autosave(interviewer_client, loop.interview, draft_data(loop, 0)).status_code == 200
    second = autosave(interviewer_client, loop.interview, draft_data(loop, 0, summary="B"))
    assert second.status_code == 409
    assert Scorecard.objects.get(interview=loop.interview).summary == ""


# --- submitting ------------------------------------------------------------------------------


def test_submit_lists_what_is_missing_next_to_the_fields_and_keeps_the_draft(
    interviewer_client, loop
):
    d = loop.dimensions
    data = {
        "version": "0",
        "action": "submit",
        f"score_{d[0].id}": "1",  # a 1 without evidence
        f"evidence_{d[0].id}": "",
        f"score_{d[2].id}": "5",  # a 5 without evidence
        f"evidence_{d[2].id}": "  ",
        f"signal_{loop.red[1].id}": "on",  # a red flag without a note
        "summary": "Typed before submitting",
    }  # and d[1] (focus) unrated, and no recommendation
    response = interviewer_client.post(fill_url(loop.interview), data, follow=True)
    # Shown on a page of its own, so a reload asks again instead of posting again.
    assert response.redirect_chain == [(checked_url(loop.interview), 302)]
    body = response.content.decode()
    assert "Not submitted yet: your draft is saved" in body
    for message in [
        "Rate this focus dimension before submitting.",
        "A rating of 1 needs written evidence",
        "A rating of 5 needs written evidence",
        "Describe what you observed for this red flag.",
        "Choose an overall recommendation.",
    ]:
        assert message in body, message
    # Each message sits with its field.
    d1_row = re.search(rf'id="rating-{d[1].id}".*?</fieldset>', body, re.S).group(0)
    assert "Rate this focus dimension" in d1_row
    assert "Typed before submitting" in body
    card = Scorecard.objects.get(interview=loop.interview)
    assert (card.status, card.summary, card.version) == ("draft", "Typed before submitting", 1)
    assert 'name="version" value="1"' in body  # the next post is not stale
    assert card.signal_checks.get().signal == loop.red[1]


def test_a_note_on_an_unticked_signal_stops_submission(interviewer_client, loop):
    data = complete_post(loop, 0, action="submit")
    data[f"note_{loop.strong[1].id}"] = "Asked about lineage first"
    response = interviewer_client.post(fill_url(loop.interview), data)
    assert response.status_code == 422
    assert "Tick this signal to keep the note" in response.content.decode()
    assert Scorecard.objects.get(interview=loop.interview).status == "draft"


def reload(client, response, data):
    """What a browser's reload does to the page `response` (posted `data`, followed):
    asks for its address again if it came from a redirect, else sends the post again."""
    if response.redirect_chain:
        return client.get(response.redirect_chain[-1][0])
    return client.post(response.request["PATH_INFO"], data)


def incomplete_submit(loop):
    """A submit that is refused: the focus dimension d[1] unrated, no recommendation
    (and d[0] rated 1, with the evidence of draft_data)."""
    d = loop.dimensions
    return draft_data(loop, 0, action="submit", summary="Typed before submitting") | {
        f"score_{d[0].id}": "1"
    }


def test_reloading_after_a_refused_submit_shows_the_draft_and_what_it_lacks(
    interviewer_client, loop
):
    data = incomplete_submit(loop) | {f"evidence_{loop.dimensions[0].id}": ""}
    refused = interviewer_client.post(fill_url(loop.interview), data, follow=True)
    for page in (refused, reload(interviewer_client, refused, data)):
        body = page.content.decode()
        assert page.status_code == 200
        assert "Not submitted yet: your draft is saved" in body
        assert "Rate this focus dimension before submitting." in body
        assert "A rating of 1 needs written evidence" in body
        assert "Choose an overall recommendation." in body
        # No conflict that never was.
        assert "Not saved" not in body and "another tab" not in body
        assert ">Typed before submitting</textarea>" in body
        assert 'name="version" value="1"' in body
    card = Scorecard.objects.get(interview=loop.interview)
    assert (card.status, card.version, card.summary) == ("draft", 1, "Typed before submitting")


def test_reloading_a_submit_refused_for_an_unticked_note_says_what_really_happened(
    interviewer_client, loop
):
    # The note cannot be kept in the draft, so that page is the post's own answer, and
    # a reload sends the form again: refused, and told why, the note still on the page.
    data = complete_post(loop, 0, action="submit")
    data[f"note_{loop.strong[1].id}"] = "Asked about lineage first"
    refused = interviewer_client.post(fill_url(loop.interview), data, follow=True)
    assert refused.status_code == 422
    again = reload(interviewer_client, refused, data)
    body = again.content.decode()
    assert again.status_code == 409
    assert "by this same form, sent once already (reloading a page sends its form again)" in body
    assert 'value="Asked about lineage first"' in body
    assert Scorecard.objects.get(interview=loop.interview).version == 1


def test_a_saved_autosave_names_the_fields_whose_problems_remain(interviewer_client, loop):
    d = loop.dimensions
    interviewer_client.post(fill_url(loop.interview), incomplete_submit(loop))
    # Now the focus dimension is rated: its message no longer applies; the 1 without
    # evidence and the missing recommendation still do.
    fixed = incomplete_submit(loop) | {"version": "1", f"score_{d[1].id}": "3"}
    fixed[f"evidence_{d[0].id}"] = ""
    fixed.pop("action")
    response = autosave(interviewer_client, loop.interview, fixed)
    body = response.content.decode()
    assert response.status_code == 200 and "Saved" in body
    problems = re.search(r'data-problems="([^"]*)"', body).group(1).split()
    assert sorted(problems) == sorted([f"evidence_{d[0].id}", "recommendation"])
    # A note on an unticked signal still needs the tick or to go.
    unticked = fixed | {"version": "2", f"note_{loop.strong[1].id}": "Lineage first"}
    body = autosave(interviewer_client, loop.interview, unticked).content.decode()
    assert f"note_{loop.strong[1].id}" in re.search(r'data-problems="([^"]*)"', body).group(1)
    # Complete: nothing remains, so every message on the page goes.
    complete = complete_post(loop, 3)
    body = autosave(interviewer_client, loop.interview, complete).content.decode()
    assert 'data-problems=""' in body


def test_every_error_message_on_the_page_names_its_field(interviewer_client, loop):
    # scorecard.js takes a message away by the field it names once a save shows it no
    # longer applies.
    refused = interviewer_client.post(
        fill_url(loop.interview), incomplete_submit(loop), follow=True
    )
    body = refused.content.decode()
    messages = re.findall(r'<(?:div|li|p)[^>]*class="invalid-feedback[^"]*"[^>]*>', body)
    assert messages and all("data-error-for=" in m for m in messages)
    summary = re.search(r'id="error-summary".*?</div>', body, re.S).group(0)
    assert summary.count("<li data-error-for=") == 2


def test_the_scorecard_page_is_never_kept_by_the_browser(interviewer_client, loop):
    # Back, after submitting, asks again and lands on the submitted card, not on the
    # form as it was.
    page = interviewer_client.get(fill_url(loop.interview))
    assert "no-store" in page["Cache-Control"]
    submitted = interviewer_client.post(
        fill_url(loop.interview), complete_post(loop, 0, action="submit")
    )
    back = interviewer_client.get(fill_url(loop.interview))
    assert back.status_code == 302 and back.url == submitted.url
    assert "no-store" in back["Cache-Control"]


def test_submit_makes_the_card_read_only_to_its_interviewer(interviewer_client, loop):
    response = interviewer_client.post(
        fill_url(loop.interview), complete_post(loop, 0, action="submit")
    )
    card = Scorecard.objects.get(interview=loop.interview)
    assert response.status_code == 302
    assert response.url == reverse("scorecards:detail", args=[card.pk])
    assert card.status == "submitted" and card.submitted_at is not None
    assert card.recommendation == "yes"
    assert card.signal_checks.get(signal=loop.red[0]).note.startswith("Said the outage")
    # Reading it again goes to the read-only page, which has no inputs.
    again = interviewer_client.get(fill_url(loop.interview))
    assert again.status_code == 302 and again.url == response.url
    page = interviewer_client.get(response.url).content.decode()
    assert "Submitted" in page and "<textarea" not in page and "Reopen" not in page
    assert "Designed back-pressure with bounded queues." in page


def test_posts_to_a_submitted_card_change_nothing(interviewer_client, loop):
    interviewer_client.post(fill_url(loop.interview), complete_post(loop, 0, action="submit"))
    card = Scorecard.objects.get(interview=loop.interview)
    before = snapshot(card)
    changed = complete_post(loop, card.version, action="save", summary="Changed afterwards")
    response = interviewer_client.post(fill_url(loop.interview), changed)
    assert response.status_code == 409
    body = response.content.decode()
    assert "already been submitted" in body and "Changed afterwards" in body
    htmx = autosave(interviewer_client, loop.interview, changed)
    assert htmx.status_code == 409 and "read-only" in htmx.content.decode()
    resubmit = interviewer_client.post(
        fill_url(loop.interview), complete_post(loop, 1, action="submit", summary="Other")
    )
    assert resubmit.status_code == 409
    assert snapshot(card) == before


def test_double_submit_is_harmless(interviewer_client, loop):
    data = complete_post(loop, 0, action="submit")
    first = interviewer_client.post(fill_url(loop.interview), data)
    second = interviewer_client.post(fill_url(loop.interview), data, follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[-1][0] == first.url
    assert "already submitted" in second.content.decode()
    card = Scorecard.objects.get(interview=loop.interview)
    assert card.version == 1
    assert [e.kind for e in card.events()] == ["submitted"]


# --- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("other_interviewer", 404),
        ("recruiter", 403),
        ("hiring_manager", 403),
        ("no_group", 403),
    ],
)
def test_only_the_interviewer_may_open_or_post_the_scorecard(client, loop, who, expected):
    users = {
        "other_interviewer": loop.other_interview.interviewer,
        "recruiter": factories.RecruiterFactory(),
        "hiring_manager": loop.application.hiring_manager,
        "no_group": factories.UserFactory(),
    }
    owner = loop.interview.interviewer
    client.force_login(owner)
    autosave(client, loop.interview, draft_data(loop, 0))
    card = Scorecard.objects.get(interview=loop.interview)
    before = snapshot(card)
    client.force_login(users[who])
    assert client.get(fill_url(loop.interview)).status_code == expected
    post = client.post(fill_url(loop.interview), complete_post(loop, 1, action="submit"))
    assert post.status_code == expected
    assert autosave(client, loop.interview, draft_data(loop, 1)).status_code == expected
    assert snapshot(card) == before


def test_another_interviewers_interview_id_is_not_found(interviewer_client, loop):
    response = interviewer_client.get(fill_url(loop.other_interview))
    assert response.status_code == 404
    assert "not shared with you" in response.content.decode()
    assert interviewer_client.get(reverse("scorecards:fill", args=[999999])).status_code == 404


def test_anonymous_is_sent_to_log_in_and_an_autosave_gets_401(client, loop):
    response = client.get(fill_url(loop.interview))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    htmx = autosave(client, loop.interview, draft_data(loop, 0))
    assert htmx.status_code == 401
    assert "logged out" in htmx.content.decode()
    assert not Scorecard.objects.exists()


GONE = "Not saved: this interview is not on your list any more"


@pytest.mark.parametrize("change", ["reassigned", "removed"])
def test_a_post_for_an_interview_no_longer_theirs_saves_nothing_and_says_so(
    interviewer_client, loop, change
):
    assert interviewer_client.get(fill_url(loop.interview)).status_code == 200  # page open
    interviews = Interview.objects.filter(pk=loop.interview.pk)
    if change == "reassigned":
        interviews.update(interviewer=factories.InterviewerFactory())
    else:
        interviews.delete()
    data = draft_data(loop, 0, summary="Typed before it went")

    htmx = autosave(interviewer_client, loop.interview, data)
    # The status line says why; the autosave stops (scorecard.js) and the text stays.
    assert htmx.status_code == 404
    assert GONE in htmx.content.decode()
    assert 'data-state="gone"' in htmx.content.decode()

    plain = interviewer_client.post(fill_url(loop.interview), {**data, "action": "submit"})
    body = plain.content.decode()
    assert plain.status_code == 404
    assert "Not saved: this interview is not on your list" in body
    # What was written is shown back, to copy.
    assert "Typed before it went" in body and "Bounded queues, explained why." in body
    assert not Scorecard.objects.exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_not_allowed(interviewer_client, loop, method):
    response = getattr(interviewer_client, method)(fill_url(loop.interview))
    assert response.status_code == 405


def test_posts_without_csrf_token_are_refused(loop):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(loop.interview.interviewer)
    assert client.post(fill_url(loop.interview), draft_data(loop, 0)).status_code == 403
    assert not Scorecard.objects.exists()


# --- a reopened card ---------------------------------------------------------------------------


def test_a_reopened_card_shows_the_reason_and_the_earlier_submission(
    interviewer_client, interviewer, loop
):
    interviewer_client.post(fill_url(loop.interview), complete_post(loop, 0, action="submit"))
    card = Scorecard.objects.get(interview=loop.interview)
    recruiter = factories.RecruiterFactory(first_name="Rita", last_name="Reyes")
    card.reopen(recruiter, "Please add evidence for Evaluation.")
    page = interviewer_client.get(fill_url(loop.interview))
    body = page.content.decode()
    assert page.status_code == 200
    # Who reopened it, so the interviewer knows whom to answer.
    assert "Rita Reyes reopened this scorecard" in body
    assert "Please add evidence for Evaluation." in body
    assert "Your earlier submission" in body
    # The interviewer can change it and submit again.
    data = complete_post(loop, card.version, action="submit", summary="Second take")
    assert interviewer_client.post(fill_url(loop.interview), data).status_code == 302
    card.refresh_from_db()
    assert (card.status, card.summary) == ("submitted", "Second take")
    assert [e.kind for e in card.events()] == ["submitted", "reopened", "submitted"]


def test_the_page_makes_the_same_number_of_queries_whatever_the_card_size(
    client, django_assert_max_num_queries
):
    counts = []
    for extra in (0, 12):
        interviewer = factories.InterviewerFactory()
        loop = build_loop(interviewer, extra_dimensions=extra)
        client.force_login(interviewer)
        data = complete_post(loop, 0, action="save")
        for d in loop.dimensions[4:]:
            data[f"score_{d.id}"] = "3"
            data[f"evidence_{d.id}"] = "Fine."
        client.post(fill_url(loop.interview), data)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(fill_url(loop.interview)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        client.get(fill_url(loop.interview))
