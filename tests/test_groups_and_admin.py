"""The groups of the design exist with their permissions; the admin covers every model."""

from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from scorecards.models import ScorecardContent
from tests import factories

pytestmark = pytest.mark.django_db


def perms(group_name):
    group = Group.objects.get(name=group_name)
    return set(group.permissions.values_list("codename", flat=True))


def test_groups_have_the_permissions_of_the_design():
    recruiter = perms("Recruiter")
    assert {"add_role", "change_dimension", "add_candidate", "add_interview"} <= recruiter
    assert "add_decision" not in recruiter
    manager = perms("Hiring manager")
    assert {"add_decision", "view_application", "view_scorecard"} <= manager
    assert not {"change_role", "add_candidate", "change_scorecard"} & manager
    interviewer = perms("Interviewer")
    assert {"add_scorecard", "change_rating", "add_signalcheck"} <= interviewer
    assert not {"view_application", "view_decision", "change_role"} & interviewer


def test_every_model_of_the_three_apps_is_in_the_admin():
    ours = [
        m
        for m in apps.get_models()
        if m._meta.app_label in {"roles", "hiring", "scorecards"}
        and not m.__name__.startswith("Historical")
        # Derived from the cards by the scoring code, never edited by a person; and an
        # upload waiting for its confirm, which only its owner may see (roles:import).
        and m.__name__ not in {"Headline", "ImportPreview"}
    ]
    assert len(ours) == 18  # with OutboxEmail and AuditEntry
    missing = [m.__name__ for m in ours if not admin.site.is_registered(m)]
    assert missing == []


MODEL_FACTORIES = [
    factories.RoleFactory,
    factories.RoleRevisionFactory,
    factories.DimensionFactory,
    factories.CompetencyAreaFactory,
    factories.ExerciseFactory,
    factories.SignalFactory,
    factories.InterviewStageFactory,
    factories.CandidateFactory,
    factories.ApplicationFactory,
    factories.InterviewFactory,
    factories.DecisionFactory,
    factories.ScorecardFactory,
    factories.RatingFactory,
    factories.SignalCheckFactory,
]


@pytest.mark.parametrize("factory", MODEL_FACTORIES, ids=lambda f: f.__name__)
def test_staff_can_use_the_admin_for_every_model(admin_client, factory):
    obj = factory()
    meta = obj._meta
    changelist = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert changelist.status_code == 200
    assert f"/{obj.pk}/change/" in changelist.content.decode()
    change = admin_client.get(
        reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    )
    assert change.status_code == 200
    # The rows of a frozen revision open read-only ("View"; see the tests below).
    body = change.content.decode()
    assert f"Change {meta.verbose_name}" in body or f"View {meta.verbose_name}" in body


def test_recruiter_staff_sees_admin_within_group_permissions(client):
    recruiter = factories.RecruiterFactory(is_staff=True)
    client.force_login(recruiter)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Candidates" in index
    role = factories.RoleFactory()
    assert client.get(reverse("admin:roles_role_change", args=[role.pk])).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


@pytest.mark.parametrize("status", ["published", "archived"])
def test_the_admin_cannot_change_the_rows_of_a_frozen_revision(admin_client, status):
    """Scorecards were filled against them; the app changes them only through a new draft."""
    dimension = factories.DimensionFactory(revision__status=status, weight=40)
    url = reverse("admin:roles_dimension_change", args=[dimension.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="weight"' not in page.content.decode()  # shown read-only
    response = admin_client.post(url, {"name": "Changed", "weight": "60", "order": "0"})
    assert response.status_code == 403
    dimension.refresh_from_db()
    assert (dimension.name != "Changed", dimension.weight) == (True, 40)
    delete = reverse("admin:roles_dimension_delete", args=[dimension.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    revision_page = admin_client.get(
        reverse("admin:roles_rolerevision_change", args=[dimension.revision_id])
    ).content.decode()
    assert "dimensions-0-weight" not in revision_page


def test_the_admin_still_edits_the_rows_of_an_unused_draft(admin_client):
    dimension = factories.DimensionFactory(revision__status="draft", weight=40)
    page = admin_client.get(reverse("admin:roles_dimension_change", args=[dimension.pk]))
    assert 'name="weight"' in page.content.decode()
    revision_page = admin_client.get(
        reverse("admin:roles_rolerevision_change", args=[dimension.revision_id])
    ).content.decode()
    assert "dimensions-0-weight" in revision_page


def test_admin_pages_name_the_apps_icon_so_the_browser_asks_for_no_favicon_ico(admin_client):
    # Without a <link rel="icon"> a browser requests /favicon.ico, which is a 404 (and a
    # console error) on every admin page; the app's own pages link static/favicon.svg.
    body = admin_client.get(reverse("admin:index")).content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in body
    assert "<title>Site administration |" in body  # the admin's own head stays


# --- who may use the admin at all ------------------------------------------------------


@pytest.fixture
def staff_recruiter(client):
    user = factories.RecruiterFactory(is_staff=True)
    client.force_login(user)
    return client


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


@pytest.mark.parametrize("factory", [factories.InterviewerFactory, factories.HiringManagerFactory])
def test_the_admin_is_not_for_other_groups_even_as_staff(client, factory):
    """Staff status alone opens nothing: the admin lists every row of a model, which only
    a recruiter's scope matches (README, "Running it for a team")."""
    card = factories.ScorecardFactory(summary="Private draft notes")
    user = factory(is_staff=True)
    client.force_login(user)
    for url in (
        reverse("admin:index"),
        reverse("admin:scorecards_scorecard_changelist"),
        change_url(card),
    ):
        response = client.get(url, follow=True)
        body = " ".join(response.content.decode().split())
        assert response.redirect_chain[-1][0].startswith(reverse("admin:login"))
        assert "Private draft notes" not in body
        assert "but are not authorized to access this page" in body
    home = client.get(reverse("home"), follow=True).content.decode()
    assert reverse("admin:index") not in home


def test_a_recruiter_who_is_staff_finds_the_admin_in_the_navigation(staff_recruiter):
    home = staff_recruiter.get(reverse("home"), follow=True).content.decode()
    assert f'href="{reverse("admin:index")}"' in home


# --- the admin keeps the app's rules (issue 13) ------------------------------------------
#
# Each attack posts the admin's own change form back, as a browser would, with the
# protected values changed: what the page offers, plus what an attacker adds.


class _FormFields(HTMLParser):
    """The values a browser would post from a page's forms: inputs (checked boxes only),
    selected options, textareas."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind == "checkbox" else ""
            self.data.setdefault(name, []).append(attrs.get("value", default) or default)
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def values(self) -> dict[str, list[str]]:
        # A browser drops the newline that opens a textarea's content.
        return {
            name: [v[1:] if v.startswith("\n") else v for v in values]
            for name, values in self.data.items()
        }


def page_form(client, url) -> tuple[str, dict]:
    """The admin page at `url` and what its form posts back unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    parser = _FormFields()
    parser.feed(body)
    return body, parser.values()


def delete_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[obj.pk])


@pytest.fixture
def submitted_card():
    revision, (design, talk) = factories.revision_with_dimensions([60, 40])
    stage = factories.InterviewStageFactory(revision=revision, focus_dimensions=[design, talk])
    red_flag = factories.SignalFactory(revision=revision, kind="red_flag", text="Lied")
    interview = factories.InterviewFactory(application__revision=revision, stage=stage)
    return factories.scorecard_with_ratings(
        interview,
        {design: 4, talk: 3},
        recommendation="yes",
        summary="Clear thinker.",
        signals=[(red_flag, "Said so twice")],
    )


def card_as_stored(card):
    card.refresh_from_db()
    return (
        card.status,
        card.recommendation,
        card.summary,
        card.version,
        sorted(card.ratings.values_list("dimension_id", "score", "evidence")),
        sorted(card.signal_checks.values_list("signal_id", "note")),
    )


@pytest.mark.parametrize("who", ["recruiter", "administrator"])
def test_a_submitted_card_cannot_be_rewritten_in_the_admin(client, submitted_card, who):
    user = factories.RecruiterFactory(is_staff=True, is_superuser=who == "administrator")
    client.force_login(user)
    before = card_as_stored(submitted_card)
    url = change_url(submitted_card)
    body, data = page_form(client, url)
    assert "View scorecard" in body and "This scorecard is submitted" in body
    assert "reopen it on its page" in body and "View on site" in body
    assert 'name="recommendation"' not in body and 'name="ratings-0-score"' not in body
    data.update(
        recommendation=["strong_no"],
        summary=["Rewritten"],
        status=["draft"],
        **{"ratings-0-score": ["1"], "signal_checks-0-DELETE": ["on"]},
    )
    assert client.post(url, data).status_code == 403
    rating = submitted_card.ratings.first()
    check = submitted_card.signal_checks.get()
    assert client.post(change_url(rating), {"score": "1", "evidence": "x"}).status_code == 403
    assert client.post(delete_url(check), {"post": "yes"}).status_code == 403
    assert client.post(delete_url(submitted_card), {"post": "yes"}).status_code == 403
    assert card_as_stored(submitted_card) == before


def test_no_row_is_added_to_a_submitted_card_in_the_admin(admin_client, submitted_card):
    before = card_as_stored(submitted_card)
    signal = factories.SignalFactory(revision=submitted_card.interview.application.revision)
    response = admin_client.post(
        reverse("admin:scorecards_signalcheck_add"),
        {"scorecard": submitted_card.pk, "signal": signal.pk, "note": "Seen"},
    )
    assert "Select a valid choice" in response.content.decode()
    assert card_as_stored(submitted_card) == before


def test_a_draft_is_neither_submitted_nor_moved_in_the_admin(admin_client):
    """Submitting checks the card first (Scorecard.submit) and it stays on its
    interview, with its interviewer; the admin still fixes a draft's content."""
    card = factories.ScorecardFactory(recommendation="yes")
    other = factories.InterviewFactory()
    url = change_url(card)
    body, data = page_form(admin_client, url)
    assert 'name="status"' not in body and 'name="interview"' not in body
    data.update(status=["submitted"], interview=[str(other.pk)], summary=["Fixed typo"])
    response = admin_client.post(url, data)
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.status, card.interview_id, card.summary) == (
        "draft",
        card.interview.pk,
        "Fixed typo",
    )
    assert card.submitted_at is None and card.version == 2  # an open tab is now stale


@pytest.mark.parametrize("state", ["published", "archived", "in use"])
def test_a_frozen_revisions_scoring_settings_cannot_change_in_the_admin(staff_recruiter, state):
    revision = factories.RoleRevisionFactory(status="draft" if state == "in use" else state)
    if state == "in use":
        factories.ApplicationFactory(revision=revision)
    dimension = factories.DimensionFactory(revision=revision, weight=100)
    url = change_url(revision)
    body, data = page_form(staff_recruiter, url)
    assert f"Revision {revision.number} of {revision.role.title} is" in body
    assert "the changes are saved as a new draft" in body
    assert 'name="red_flag_policy"' not in body and 'name="dimensions-0-weight"' not in body
    data.update(
        thresholds=['{"strong_hire": "1.0", "hire": "0.5", "no_hire": "0.2"}'],
        red_flag_policy=["warn"],
        min_scorecards=["1"],
        min_coverage=["0"],
        status=["draft"],
        **{"dimensions-0-weight": ["80"]},
    )
    assert staff_recruiter.post(url, data).status_code == 403
    assert staff_recruiter.post(delete_url(revision), {"post": "yes"}).status_code == 403
    # Deleting the role would take the revision with it.
    assert staff_recruiter.post(delete_url(revision.role), {"post": "yes"}).status_code in (
        200,  # in use: the page names the application that protects it
        403,
    )
    revision.refresh_from_db()
    assert revision.thresholds == {"strong_hire": "4.0", "hire": "3.0", "no_hire": "2.0"}
    assert (revision.red_flag_policy, revision.min_scorecards) == ("veto", 2)
    assert revision.status == ("draft" if state == "in use" else state)
    dimension.refresh_from_db()
    assert dimension.weight == 100


@pytest.mark.parametrize("model", ["signal", "exercise", "interviewstage", "competencyarea"])
def test_the_other_rows_of_a_frozen_revision_cannot_change_in_the_admin(admin_client, model):
    factory = {
        "signal": factories.SignalFactory,
        "exercise": factories.ExerciseFactory,
        "interviewstage": factories.InterviewStageFactory,
        "competencyarea": factories.CompetencyAreaFactory,
    }[model]
    row = factory(revision__status="published")
    body, data = page_form(admin_client, change_url(row))
    assert "read-only" in body
    assert admin_client.post(change_url(row), data).status_code == 403
    assert admin_client.post(delete_url(row), {"post": "yes"}).status_code == 403
    assert type(row).objects.filter(pk=row.pk).exists()


def test_no_row_is_added_to_a_frozen_revision_in_the_admin(admin_client):
    published = factories.RoleRevisionFactory(status="published")
    response = admin_client.post(
        reverse("admin:roles_dimension_add"),
        {"revision": published.pk, "order": "0", "name": "Extra", "weight": "10"},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not published.dimensions.exists()


def test_a_stage_of_a_draft_takes_only_its_own_revisions_exercise_and_focus(admin_client):
    draft = factories.RoleRevisionFactory(status="draft")
    stage = factories.InterviewStageFactory(revision=draft)
    elsewhere = factories.RoleRevisionFactory(status="published")
    exercise = factories.ExerciseFactory(revision=elsewhere)
    dimension = factories.DimensionFactory(revision=elsewhere, name="Foreign")
    url = change_url(stage)
    _, data = page_form(admin_client, url)
    data.update(exercise=[str(exercise.pk)], focus_dimensions=[str(dimension.pk)])
    body = admin_client.post(url, data).content.decode()
    assert "Choose an exercise of this stage&#x27;s revision." in body
    assert "Not dimensions of this stage&#x27;s revision: Foreign." in body
    stage.refresh_from_db()
    assert stage.exercise is None and not stage.focus_dimensions.exists()


def test_a_revision_is_published_on_the_roles_page_only(staff_recruiter):
    """Publishing checks the weights total 100 (RoleRevision.publish); the admin would
    not."""
    revision, _ = factories.revision_with_dimensions([50, 30], status="draft")
    url = change_url(revision)
    body, data = page_form(staff_recruiter, url)
    assert 'name="status"' not in body
    data.update(status=["published"])
    assert staff_recruiter.post(url, data).status_code == 302
    revision.refresh_from_db()
    assert (revision.status, revision.published_at) == ("draft", None)
    role_page, _ = page_form(staff_recruiter, change_url(revision.role))
    assert 'name="revisions-0-status"' not in role_page


def test_an_applications_status_follows_its_decisions_only(staff_recruiter):
    application = factories.ApplicationFactory()
    other_revision = factories.RoleRevisionFactory()
    url = change_url(application)
    body, data = page_form(staff_recruiter, url)
    assert "The status follows the newest decision" in body
    assert 'name="status"' not in body and 'name="revision"' not in body
    data.update(status=["hired"], revision=[str(other_revision.pk)])
    assert staff_recruiter.post(url, data).status_code == 302
    application.refresh_from_db()
    assert (application.status, application.revision_id) == ("active", application.revision_id)
    assert application.revision != other_revision
    assert not application.decisions.exists()


def test_an_application_is_opened_in_the_admin_on_a_published_revision(admin_client):
    draft = factories.RoleRevisionFactory(status="draft")
    candidate = factories.CandidateFactory()
    manager = factories.HiringManagerFactory()
    response = admin_client.post(
        reverse("admin:hiring_application_add"),
        {"candidate": candidate.pk, "revision": draft.pk, "hiring_manager": manager.pk},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not candidate.applications.exists()


def test_decisions_are_history_in_the_admin(admin_client):
    decision = factories.DecisionFactory(rationale="Strong panel.")
    application = decision.application
    body, data = page_form(admin_client, change_url(decision))
    assert "Decisions are history" in body
    data.update(outcome=["no_hire"], rationale=["Changed my mind"])
    assert admin_client.post(change_url(decision), data).status_code == 403
    assert admin_client.post(delete_url(decision), {"post": "yes"}).status_code == 403
    # Deleting the application would take its decisions with it.
    assert admin_client.post(delete_url(application), {"post": "yes"}).status_code == 403
    response = admin_client.post(
        reverse("admin:hiring_decision_add"),
        {"application": application.pk, "outcome": "hire", "rationale": "x", "decided_by": 1},
    )
    assert response.status_code == 403
    decision.refresh_from_db()
    assert (decision.outcome, decision.rationale) == ("hire", "Strong panel.")
    assert application.decisions.count() == 1


def test_an_interview_with_a_card_stays_as_it_is_in_the_admin(staff_recruiter, submitted_card):
    interview = submitted_card.interview
    other = factories.InterviewerFactory()
    url = change_url(interview)
    body, data = page_form(staff_recruiter, url)
    assert "This interview has a scorecard" in body
    data.update(interviewer=[str(other.pk)])
    assert staff_recruiter.post(url, data).status_code == 403
    assert staff_recruiter.post(delete_url(interview), {"post": "yes"}).status_code == 403
    interview.refresh_from_db()
    assert interview.interviewer != other
    assert submitted_card.interview.interviewer_id == interview.interviewer_id


def test_an_interview_without_a_card_takes_a_stage_of_its_loop_only(staff_recruiter):
    interview = factories.InterviewFactory()
    foreign_stage = factories.InterviewStageFactory()
    url = change_url(interview)
    _, data = page_form(staff_recruiter, url)
    data.update(stage=[str(foreign_stage.pk)])
    body = staff_recruiter.post(url, data).content.decode()
    assert "Choose a stage of the application&#x27;s interview loop." in body
    interview.refresh_from_db()
    assert interview.stage != foreign_stage


def test_a_submitted_card_is_never_reverted_to_a_past_version(staff_recruiter):
    revision, (design,) = factories.revision_with_dimensions([100])
    stage = factories.InterviewStageFactory(revision=revision, focus_dimensions=[design])
    interview = factories.InterviewFactory(application__revision=revision, stage=stage)
    card = factories.ScorecardFactory(interview=interview)
    card.submit(ScorecardContent(ratings={design.pk: (4, "Good")}, recommendation="yes"), 1, None)
    draft_version = card.history.filter(status="draft").earliest("history_date")
    url = reverse(
        "admin:scorecards_scorecard_simple_history", args=[card.pk, draft_version.history_id]
    )
    body, data = page_form(staff_recruiter, url)
    assert "Revert" not in body
    assert staff_recruiter.post(url, data).status_code == 403
    card.refresh_from_db()
    assert (card.status, card.recommendation) == ("submitted", "yes")


def test_a_recruiter_who_interviews_sees_in_the_admin_what_the_app_shows(client):
    """Blindness holds in the admin too: the other cards, their rows and the decisions
    of an application whose card of theirs is awaited stay out of it."""
    recruiter = factories.RecruiterFactory(is_staff=True)
    recruiter.groups.add(Group.objects.get(name="Interviewer"))
    client.force_login(recruiter)
    revision, (design,) = factories.revision_with_dimensions([100])
    stage = factories.InterviewStageFactory(revision=revision, focus_dimensions=[design])
    application = factories.ApplicationFactory(revision=revision)
    theirs = factories.InterviewFactory(application=application, stage=stage)
    other = factories.scorecard_with_ratings(
        theirs, {design: 2}, summary="Hidden summary", evidence="Hidden evidence"
    )
    own = factories.ScorecardFactory(
        interview=factories.InterviewFactory(
            application=application, stage=stage, interviewer=recruiter
        )
    )
    decision = factories.DecisionFactory(application=application, rationale="Hidden rationale")
    rating = other.ratings.get()

    def shown() -> str:
        pages = [
            client.get(reverse("admin:scorecards_scorecard_changelist")),
            client.get(reverse("admin:scorecards_rating_changelist")),
            client.get(reverse("admin:hiring_decision_changelist")),
            client.get(change_url(other), follow=True),
            client.get(change_url(rating), follow=True),
            client.get(change_url(decision), follow=True),
        ]
        return "".join(page.content.decode() for page in pages)

    body = shown()
    assert change_url(other) not in body and change_url(own) in body
    assert "Hidden summary" not in body and "Hidden evidence" not in body
    assert "Hidden rationale" not in body
    history = reverse("admin:scorecards_scorecard_history", args=[other.pk])
    assert client.get(history).status_code == 404
    version = other.history.latest("history_date").history_id
    form = reverse("admin:scorecards_scorecard_simple_history", args=[other.pk, version])
    assert client.get(form).status_code == 404

    own.status = "submitted"
    own.save()
    body = shown()
    assert change_url(other) in body and "Hidden summary" in body
    assert "Hidden evidence" in body and "Hidden rationale" in body
    assert client.get(history).status_code == 200


@pytest.mark.django_db
def test_administrator_group_exists_and_superusers_count_as_administrators():
    from hiring_site.access import ADMINISTRATOR, is_administrator

    group = Group.objects.get(name=ADMINISTRATOR)
    assert not group.permissions.exists()
    plain = factories.UserFactory()
    assert not is_administrator(plain)
    admin = factories.UserFactory()
    admin.groups.add(group)
    assert is_administrator(admin)
    assert is_administrator(factories.UserFactory(is_superuser=True))
