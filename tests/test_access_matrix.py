"""Who may do what, exhaustively: every URL of the project, with every kind of user and
every HTTP method, checked against an explicit table that encodes DESIGN.md ("Who may do
what"): 302 to the login page for anonymous visitors, 403 for a page the user's group may
not use, 404 for an object outside the user's scope, and the page's real answer otherwise.
HEAD gets GET's answer (without a body) wherever GET is; every answer says it may not be
stored (Cache-Control: no-store) and carries a Permissions-Policy.

The URL names come from the resolver itself, so a new page that is missing from `TABLE`
fails `test_every_url_of_the_project_is_in_the_table` (and the matrix) until someone
decides who may use it; an entry whose URL is gone fails too.

Each request runs in a savepoint that is rolled back, so allowed writes (a decision, a
new candidate) never change what the next request sees, and POSTs carry *valid* bodies:
a view that forgot its check would store something, and every refusal asserts that it
ran no INSERT, UPDATE or DELETE and left the row count of every main model as it was.
Pages answering a user outside the application's scope must not contain the candidate's
name or any card's evidence either.

The REST API (/api/v1/) is in the same table: its requests carry the user's own API token
(`Authorization: Bearer`), its writes valid JSON bodies, and without a token it answers
401 where a page sends to the login page.
"""

import json
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from api.models import ApiToken
from hiring.models import Candidate
from hiring_site import people
from hiring_site.access import ADMINISTRATOR, INTERVIEWER, RECRUITER
from hiring_site.models import GroupChange, Invitation
from roles import services
from roles.models import (
    Role,
    RoleRevision,
)
from scorecards.models import Scorecard
from tests import factories
from tests.roles.conftest import editor_data
from tests.scorecards.builders import build_loop
from webhooks.models import APPLICATION_CREATED, EVENT_TYPES, Endpoint
from webhooks.outbox import emit

pytestmark = pytest.mark.django_db

# The admin has its own permission model (is_staff plus model permissions), tested in
# tests/test_groups_and_admin.py; its dozens of generated URLs are Django's, not ours.
SKIPPED_NAMESPACES = {"admin"}
# Static and media files carry no permissions (none are routed today; DEBUG helpers
# such as django.conf.urls.static would add unnamed patterns under these prefixes).
SKIPPED_PREFIXES = tuple(
    p.lstrip("/") for p in (settings.STATIC_URL, getattr(settings, "MEDIA_URL", "")) if p.strip("/")
)

USERS = (
    "anonymous",
    "recruiter",
    "manager",  # the hiring manager of the application
    "other_manager",  # a hiring manager with an application of their own, not this one
    "interviewer_draft",  # on the application, own card still a draft
    "interviewer_submitted",  # on the application, own card submitted
    "outsider",  # an interviewer with interviews elsewhere, none on this application
    "no_group",  # logged in, in none of the three groups ("anyone else")
    # In the Administrator group and nothing else: the people pages and the integrations
    # (webhooks), and otherwise no_group's answers (page(..., administrator=...) says where
    # it differs).
    "administrator",
    # The application's hiring manager who also interviews the candidate, own card still
    # a draft: blind to every result of it (the scenario is built with that interview
    # for this user's run only, build_scenario(blind_manager=True)).
    "manager_interviewing",
    # interviewer_submitted on a role in blind review (build_scenario(blind_review=True)):
    # the same answers everywhere, but never the candidate's name, email or source.
    "interviewer_blind",
)
# The answers of the table's rows, which list the users before interviewer_blind.
TABLE_USERS = USERS[:-1]
# HEAD is answered as GET wherever GET is (hiring_site.middleware.HeadAsGet), without a body.
METHODS = ("get", "head", "post", "put", "patch", "delete")

# Text that only some users may ever see, in any answer (HTML, JSON or CSV).
CANDIDATE_NAME = "Zelda Quixotemarsh"
CANDIDATE_EMAIL = "zelda.q@example.org"
CANDIDATE_SOURCE = "Referred by Yorick Plumtree"
DRAFT_EVIDENCE = "Draft notes on bounded queues"
SUBMITTED_EVIDENCE = ("Sharded the queue by tenant", "Drew the failover plan")
RED_FLAG_NOTE = "Shrugged off the data loss"
# The pipeline's count of red flags (the CSV has it as a bare number, but hides the row
# with HIDDEN_RESULTS, checked below).
RED_FLAG_COUNT = "1 red flag"
HIDDEN_RESULTS = "hidden until your own card is submitted"
# Who may not see the results (others' submitted cards and what is derived of them).
BLIND = {
    "anonymous",
    "administrator",
    "other_manager",
    "interviewer_draft",
    "outsider",
    "no_group",
    "manager_interviewing",
}
CANNOT_SEE = {
    CANDIDATE_NAME: {
        "anonymous",
        "other_manager",
        "outsider",
        "no_group",
        "administrator",
        "interviewer_blind",
    },
    CANDIDATE_EMAIL: {"interviewer_blind"},
    CANDIDATE_SOURCE: {"interviewer_blind"},
    # Drafts are their author's (and the recruiters', who see every card) only.
    DRAFT_EVIDENCE: set(USERS) - {"recruiter", "interviewer_draft"},
    # The candidate code is what the blind interviewer reads instead; others see names.
    # Submitted cards: recruiters, the hiring manager, interviewers whose own card is in.
    **{text: BLIND for text in (*SUBMITTED_EVIDENCE, RED_FLAG_NOTE, RED_FLAG_COUNT)},
}


# --- answers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    # For redirects: the URL name it goes to, and the scenario object of its arguments
    # (None: any object, e.g. a row the request has just created).
    to: str | None = None
    target: str | None = None

    @property
    def refusal(self) -> bool:
        return self.status in (401, 403, 404, 405, 409) or self.to == LOGIN_REQUIRED

    def __str__(self):
        return f"{self.status} -> {self.to}" if self.to else str(self.status)


LOGIN_REQUIRED = "login?next"
OK = Answer(200)
CREATED = Answer(201)
NO_CONTENT = Answer(204)
LOGIN = Answer(302, LOGIN_REQUIRED)
# The API's answer to a request without a token or a session (WWW-Authenticate: Bearer).
UNAUTHENTICATED = Answer(401)
DENIED = Answer(403)
HIDDEN = Answer(404)
NOT_ALLOWED = Answer(405)
CONFLICT = Answer(409)


def to(name: str, target: str | None = None) -> Answer:
    return Answer(302, name, target)


@dataclass(frozen=True)
class Page:
    """One URL of the table: the object its arguments name, the methods its view takes,
    and each user's answer (an Answer for every taken method, or {method: Answer};
    the key "*" gives the answer for every method, taken or not)."""

    target: str | None
    methods: tuple[str, ...]
    answers: dict = field(default_factory=dict)
    query: str = ""  # a query string for the URL, e.g. "?q=ivy"


# The users a row lists in order; the administrator's answer is given by name, and
# interviewer_blind's is interviewer_submitted's.
LISTED = tuple(u for u in TABLE_USERS if u != "administrator")


def page(target, methods, *answers, query: str = "", administrator=None) -> Page:
    """A row: one answer per user of LISTED; the administrator's is `administrator`, by
    default no_group's (the group opens none of the other pages); interviewer_blind's
    is interviewer_submitted's."""
    assert len(answers) == len(LISTED)
    by_user = dict(zip(LISTED, answers, strict=True))
    by_user["administrator"] = by_user["no_group"] if administrator is None else administrator
    by_user["interviewer_blind"] = by_user["interviewer_submitted"]
    return Page(target, tuple(methods.split()), by_user, query)


def administrators_only(target, methods, answer) -> Page:
    """A page of the Administrators' (webhooks): everyone else logged in gets 403."""
    return page(target, methods, LOGIN, *[DENIED] * 8, administrator=answer)


def all_but_the_recruiter(answer):
    """The same answer for the seven users after anonymous and the recruiter."""
    return [answer] * 7


# Rows follow USERS: anonymous, recruiter, manager, other_manager, interviewer_draft,
# interviewer_submitted, outsider, no_group, manager_interviewing (the administrator's
# answer is no_group's, or page()'s `administrator`).
TABLE: dict[str, list[Page]] = {
    # --- the site ------------------------------------------------------------------------
    "home": [
        page(
            None,
            "get",
            LOGIN,
            to("roles:list"),
            to("hiring:my_applications"),
            to("hiring:my_applications"),
            to("hiring:my_interviews"),
            to("hiring:my_interviews"),
            to("hiring:my_interviews"),
            OK,  # "ask to be put in a group"
            to("hiring:my_applications"),
            administrator=to("people:list"),
        )
    ],
    # Django's LoginView: FormView also takes PUT; a logged-in user is sent home whatever
    # the method (redirect_authenticated_user).
    "login": [
        page(
            None,
            "get post put",
            OK,
            *[{"*": to("home")}] * 8,
        )
    ],
    "logout": [page(None, "post", *[to("login")] * 9)],
    # Single sign-on's start and callback: for anyone, but 404 while no provider is
    # configured, as here (with one: tests/sso/, against a real provider).
    "sso_start": [page(None, "get", *[HIDDEN] * 9)],
    "sso_callback": [page(None, "get", *[HIDDEN] * 9)],
    # Everyone's own profile (their time zone): anyone logged in, whatever their groups.
    "profile": [page(None, "get post", LOGIN, *[{"get": OK, "post": to("profile")}] * 8)],
    # Personal API tokens, on the profile page: anyone logged in makes their own (the page
    # shows it once: 201) and revokes their own only (the scenario's token is the
    # recruiter's).
    "api_token_create": [page(None, "post", LOGIN, *[Answer(201)] * 8)],
    "api_token_revoke": [page("token", "post", LOGIN, to("profile"), *[HIDDEN] * 7)],
    # --- roles: recruiters and hiring managers view; only recruiters import/edit/publish.
    # DESIGN gives interviewers "stages they interview for": the roles they interview for,
    # showing only their stages (every interviewer here interviews for this role; the
    # 404 for a role they don't is test_an_interviewer_sees_only_their_roles_and_stages).
    "roles:list": [
        page(None, "get", LOGIN, OK, OK, OK, OK, OK, OK, DENIED, OK),
    ],
    "roles:detail": [
        page("role", "get", LOGIN, OK, OK, OK, OK, OK, OK, DENIED, OK),
    ],
    "roles:import": [
        page(None, "get post", LOGIN, OK, *all_but_the_recruiter(DENIED)),
    ],
    "roles:weight_total": [
        page(None, "post", LOGIN, OK, *all_but_the_recruiter(DENIED)),
    ],
    "roles:edit": [
        page(
            "draft",
            "get post",
            LOGIN,
            {"get": OK, "post": to("roles:edit", "draft")},
            *all_but_the_recruiter(DENIED),
        ),
    ],
    "roles:publish": [
        page("draft", "post", LOGIN, to("roles:detail", "role"), *all_but_the_recruiter(DENIED)),
    ],
    # The JSON export is the recruiters' tool for moving a role between installations.
    "roles:export": [
        page("draft", "get", LOGIN, OK, *all_but_the_recruiter(DENIED)),
    ],
    # --- candidates, applications, interview assignments: recruiters; a hiring manager
    # views own applications (404 for another's); interviewers and others: no.
    "hiring:candidates": [
        page(None, "get", LOGIN, OK, *all_but_the_recruiter(DENIED)),
    ],
    "hiring:candidate_add": [
        page(
            None,
            "get post",
            LOGIN,
            {"get": OK, "post": to("hiring:candidate")},
            *all_but_the_recruiter(DENIED),
        ),
    ],
    "hiring:candidate": [
        page("candidate", "get", LOGIN, OK, *all_but_the_recruiter(DENIED)),
    ],
    "hiring:candidate_edit": [
        page(
            "candidate",
            "get post",
            LOGIN,
            {"get": OK, "post": to("hiring:candidate", "candidate")},
            *all_but_the_recruiter(DENIED),
        ),
    ],
    # Erasing a candidate and downloading their data: recruiters only.
    "hiring:candidate_erase": [
        page(
            "candidate",
            "get post",
            LOGIN,
            {"get": OK, "post": to("hiring:candidate", "candidate")},
            *all_but_the_recruiter(DENIED),
        ),
    ],
    "hiring:candidate_export": [
        page("candidate", "get", LOGIN, OK, *all_but_the_recruiter(DENIED)),
    ],
    "hiring:candidate_export_json": [
        page("candidate", "get", LOGIN, OK, *all_but_the_recruiter(DENIED)),
    ],
    "hiring:application_add": [
        page(
            "spare_candidate",
            "get post",
            LOGIN,
            {"get": OK, "post": to("hiring:application_detail")},
            *all_but_the_recruiter(DENIED),
        ),
    ],
    "hiring:my_applications": [
        # The hiring managers' own work list; recruiters have the candidates list.
        page(None, "get", LOGIN, DENIED, OK, OK, DENIED, DENIED, DENIED, DENIED, OK),
    ],
    "hiring:application_detail": [
        page("application", "get", LOGIN, OK, OK, HIDDEN, DENIED, DENIED, DENIED, DENIED, OK),
    ],
    "hiring:interview_add": [
        page(
            "application",
            "get post",
            LOGIN,
            to("hiring:application_detail", "application"),
            *all_but_the_recruiter(DENIED),
        ),
    ],
    # Recording a withdrawal is the recruiters' (a confirmation page, then the POST).
    "hiring:application_withdraw": [
        page(
            "application",
            "get post",
            LOGIN,
            {"get": OK, "post": to("hiring:application_detail", "application")},
            *all_but_the_recruiter(DENIED),
        ),
    ],
    "hiring:loop_assign": [
        page(
            "application",
            "get post",
            LOGIN,
            to("hiring:application_detail", "application"),
            *all_but_the_recruiter(DENIED),
        ),
    ],
    "hiring:interview_edit": [
        page(
            "interview_c",
            "get post",
            LOGIN,
            {"get": OK, "post": to("hiring:application_detail", "application")},
            *all_but_the_recruiter(DENIED),
        ),
    ],
    "hiring:interview_delete": [
        page(
            "interview_c",
            "post",
            LOGIN,
            to("hiring:application_detail", "application"),
            *all_but_the_recruiter(DENIED),
        ),
    ],
    # The person picker's search names the company's staff: recruiters only.
    "hiring:people_search": [
        page(
            None,
            "get",
            LOGIN,
            OK,
            *all_but_the_recruiter(DENIED),
            query="?group=interviewer&q=e",
        ),
    ],
    "hiring:my_interviews": [
        page(None, "get", LOGIN, DENIED, DENIED, DENIED, OK, OK, OK, DENIED, OK),
    ],
    # --- panel and decision: recruiters view; the hiring manager views and decides, but
    # not while their own card on it is pending (403: "submit your own scorecard first").
    "hiring:panel": [
        page("application", "get", LOGIN, OK, OK, HIDDEN, DENIED, DENIED, DENIED, DENIED, DENIED),
    ],
    "hiring:panel_json": [
        page("application", "get", LOGIN, OK, OK, HIDDEN, DENIED, DENIED, DENIED, DENIED, DENIED),
    ],
    "hiring:decide": [
        page(
            "application",
            "post",
            LOGIN,
            DENIED,
            to("hiring:panel", "application"),
            HIDDEN,
            DENIED,
            DENIED,
            DENIED,
            DENIED,
            DENIED,
        ),
    ],
    # A role's pipeline lists only the user's own applications (the other hiring manager
    # gets the page with theirs alone: checked by CANNOT_SEE); a blind hiring manager
    # gets the row with its results hidden, and calibration without its cards.
    "hiring:pipeline": [
        page("role", "get", LOGIN, OK, OK, OK, DENIED, DENIED, DENIED, DENIED, OK),
    ],
    "hiring:export": [
        page("role", "get", LOGIN, OK, OK, OK, DENIED, DENIED, DENIED, DENIED, OK),
    ],
    # The debrief of a role: every user of the pipeline, with the applications whose
    # results they may see (the blind manager's is left out and counted).
    "hiring:compare": [
        page("role", "get", LOGIN, OK, OK, OK, DENIED, DENIED, DENIED, DENIED, OK),
    ],
    "scorecards:calibration": [
        page(None, "get", LOGIN, OK, OK, OK, DENIED, DENIED, DENIED, DENIED, OK),
    ],
    # Performance reviews: read by recruiters and the hiring manager, recorded by the
    # hiring manager only, and only once the person is hired (this one is not: 409).
    "hiring:performance_reviews": [
        page(
            "application",
            "get post",
            LOGIN,
            {"get": OK, "post": DENIED},
            {"get": OK, "post": CONFLICT},
            HIDDEN,
            DENIED,
            DENIED,
            DENIED,
            DENIED,
            {"get": OK, "post": CONFLICT},
        ),
    ],
    # Validity: nobody is hired in this scenario, so the role has nothing to show (404).
    "scorecards:validity": [
        page(None, "get", LOGIN, OK, OK, OK, DENIED, DENIED, DENIED, DENIED, OK),
    ],
    "scorecards:validity_json": [
        page(
            None,
            "get",
            LOGIN,
            HIDDEN,
            HIDDEN,
            HIDDEN,
            DENIED,
            DENIED,
            DENIED,
            DENIED,
            HIDDEN,
            query="?role={role}",
        ),
    ],
    # The agreement figures of the application's role: 404 where none of its cards is in
    # the user's scope (the blind manager's only application there is hidden from them).
    "scorecards:calibration_json": [
        page(
            None,
            "get",
            LOGIN,
            OK,
            OK,
            HIDDEN,
            DENIED,
            DENIED,
            DENIED,
            DENIED,
            HIDDEN,
            query="?role={role}",
        ),
    ],
    # --- own scorecard: fill and submit until submitted; nobody else's.
    "scorecards:fill": [
        page(
            "interview_a",
            "get post",
            LOGIN,
            DENIED,
            DENIED,
            DENIED,
            {"get": OK, "post": to("scorecards:fill", "interview_a")},
            HIDDEN,
            HIDDEN,
            DENIED,
            HIDDEN,
        ),
        page(
            "interview_b",
            "get post",
            LOGIN,
            DENIED,
            DENIED,
            DENIED,
            HIDDEN,
            # Submitted: the page shows the card read-only, and a save is refused.
            {"get": to("scorecards:detail", "card_b"), "post": CONFLICT},
            HIDDEN,
            DENIED,
            HIDDEN,
        ),
    ],
    # --- the interview kit (page and PDF): the interview's interviewer, recruiters and
    # the application's hiring manager (who also interviewing changes nothing: a kit holds
    # no results); anyone else in a group 404, outside the groups 403.
    **{
        name: [
            page(
                "interview_a",
                "get",
                LOGIN,
                OK,
                OK,
                HIDDEN,
                OK,
                HIDDEN,
                HIDDEN,
                DENIED,
                OK,
            ),
            page(
                "interview_b",
                "get",
                LOGIN,
                OK,
                OK,
                HIDDEN,
                HIDDEN,
                OK,
                HIDDEN,
                DENIED,
                OK,
            ),
        ]
        for name in ("scorecards:kit", "scorecards:kit_pdf")
    },
    # --- others' scorecards: recruiters all (drafts too); the hiring manager and the
    # interviewers on the application the submitted ones, once their own card is in.
    "scorecards:detail": [
        page(
            "card_a",  # a draft
            "get",
            LOGIN,
            OK,
            HIDDEN,
            HIDDEN,
            to("scorecards:fill", "interview_a"),
            HIDDEN,
            HIDDEN,
            DENIED,
            HIDDEN,
        ),
        page(
            "card_b",  # submitted, interviewer_submitted's own
            "get",
            LOGIN,
            OK,
            OK,
            HIDDEN,
            HIDDEN,
            OK,
            HIDDEN,
            DENIED,
            HIDDEN,  # the hiring manager, blind while their own card is pending
        ),
        page(
            "card_d",  # submitted, a third interviewer's
            "get",
            LOGIN,
            OK,
            OK,
            HIDDEN,
            HIDDEN,  # own card not submitted yet: blind
            OK,
            HIDDEN,
            DENIED,
            HIDDEN,
        ),
    ],
    "scorecards:reopen": [
        page(
            "card_b",
            "post",
            LOGIN,
            to("scorecards:detail", "card_b"),
            *all_but_the_recruiter(DENIED),
        ),
    ],
    # --- webhooks: Administrators only (a superuser counts as one:
    # tests/webhooks/test_pages.py).
    "webhooks:endpoints": [administrators_only(None, "get", OK)],
    "webhooks:endpoint_add": [
        administrators_only(None, "get post", {"get": OK, "post": to("webhooks:endpoint")})
    ],
    "webhooks:endpoint": [
        administrators_only(
            "endpoint", "get post", {"get": OK, "post": to("webhooks:endpoint", "endpoint")}
        )
    ],
    "webhooks:endpoint_rotate": [
        administrators_only("endpoint", "post", to("webhooks:endpoint", "endpoint"))
    ],
    "webhooks:endpoint_delete": [administrators_only("endpoint", "post", to("webhooks:endpoints"))],
    "webhooks:deliveries": [administrators_only(None, "get", OK)],
    "webhooks:delivery_retry": [administrators_only("delivery", "post", to("webhooks:deliveries"))],
    # --- people: administrators only (an Administrator who is nothing else here).
    "people:list": [administrators_only(None, "get", OK)],
    "people:invite": [
        administrators_only(None, "get post", {"get": OK, "post": to("people:detail")})
    ],
    "people:detail": [
        administrators_only(
            "person", "get post", {"get": OK, "post": to("people:detail", "person")}
        )
    ],
    "people:invite_again": [
        administrators_only("invitee", "post", to("people:detail", "invitee")),
    ],
    "people:deactivate": [
        administrators_only(
            "person", "get post", {"get": OK, "post": to("people:detail", "person")}
        )
    ],
    "people:reactivate": [
        administrators_only(
            "deactivated", "get post", {"get": OK, "post": to("people:detail", "deactivated")}
        )
    ],
    # The link of an invitation: whoever holds it sets the password and is signed in.
    "invitation": [page("invitation", "get post", *[{"get": OK, "post": to("home")}] * 9)],
    # --- the REST API (api/): the pages' rules, answered in JSON. Requests carry each
    # user's token (Authorization: Bearer); without one, 401. The schema and its
    # documentation describe the API and show no data: anyone.
    "api:schema": [page(None, "get", *[OK] * 9)],
    "api:docs": [page(None, "get", *[OK] * 9)],
    "api:roles": [
        page(None, "get", UNAUTHENTICATED, OK, OK, OK, OK, OK, OK, DENIED, OK),
    ],
    "api:role": [
        page("role", "get", UNAUTHENTICATED, OK, OK, OK, OK, OK, OK, DENIED, OK),
    ],
    "api:role_export": [
        page("role", "get", UNAUTHENTICATED, OK, *all_but_the_recruiter(DENIED)),
    ],
    "api:role_import": [
        page(None, "post", UNAUTHENTICATED, CREATED, *all_but_the_recruiter(DENIED)),
    ],
    "api:candidates": [
        page(
            None,
            "get post",
            UNAUTHENTICATED,
            {"get": OK, "post": CREATED},
            *all_but_the_recruiter(DENIED),
        ),
    ],
    "api:candidate": [
        page("candidate", "get put patch", UNAUTHENTICATED, OK, *all_but_the_recruiter(DENIED)),
    ],
    "api:applications": [
        page(
            None,
            "get post",
            UNAUTHENTICATED,
            {"get": OK, "post": CREATED},
            {"get": OK, "post": DENIED},
            {"get": OK, "post": DENIED},
            DENIED,
            DENIED,
            DENIED,
            DENIED,
            {"get": OK, "post": DENIED},
        ),
    ],
    "api:application": [
        page(
            "application",
            "get",
            UNAUTHENTICATED,
            OK,
            OK,
            HIDDEN,
            DENIED,
            DENIED,
            DENIED,
            DENIED,
            OK,
        ),
    ],
    "api:application_withdraw": [
        page("application", "post", UNAUTHENTICATED, OK, *all_but_the_recruiter(DENIED)),
    ],
    "api:panel": [
        page(
            "application",
            "get",
            UNAUTHENTICATED,
            OK,
            OK,
            HIDDEN,
            DENIED,
            DENIED,
            DENIED,
            DENIED,
            DENIED,  # blind: their own card first
        ),
    ],
    "api:decisions": [
        page(
            "application",
            "post",
            UNAUTHENTICATED,
            DENIED,  # recruiters read the panel; its hiring manager decides
            CREATED,
            HIDDEN,
            DENIED,
            DENIED,
            DENIED,
            DENIED,
            DENIED,
        ),
    ],
    "api:interviews": [
        page(
            None,
            "get post",
            UNAUTHENTICATED,
            {"get": OK, "post": CREATED},
            DENIED,
            DENIED,
            {"get": OK, "post": DENIED},  # an interviewer's own interviews
            {"get": OK, "post": DENIED},
            {"get": OK, "post": DENIED},
            DENIED,
            {"get": OK, "post": DENIED},
        ),
    ],
    "api:interview": [
        page(
            "interview_c",  # no card yet
            "get patch delete",
            UNAUTHENTICATED,
            {"get": OK, "patch": OK, "delete": NO_CONTENT},
            DENIED,
            DENIED,
            {"get": HIDDEN, "patch": DENIED, "delete": DENIED},
            {"get": HIDDEN, "patch": DENIED, "delete": DENIED},
            {"get": HIDDEN, "patch": DENIED, "delete": DENIED},
            DENIED,
            {"get": HIDDEN, "patch": DENIED, "delete": DENIED},
        ),
        page(
            "interview_a",  # its card is started: the time moves, it stays on the loop
            "get patch delete",
            UNAUTHENTICATED,
            {"get": OK, "patch": OK, "delete": CONFLICT},
            DENIED,
            DENIED,
            {"get": OK, "patch": DENIED, "delete": DENIED},
            {"get": HIDDEN, "patch": DENIED, "delete": DENIED},
            {"get": HIDDEN, "patch": DENIED, "delete": DENIED},
            DENIED,
            {"get": HIDDEN, "patch": DENIED, "delete": DENIED},
        ),
    ],
    # An interviewer's own card, filled and submitted: nobody else's.
    "api:interview_scorecard": [
        page(
            "interview_a",
            "get put",
            UNAUTHENTICATED,
            DENIED,
            DENIED,
            DENIED,
            OK,
            HIDDEN,
            HIDDEN,
            DENIED,
            HIDDEN,
        ),
        page(
            "interview_b",
            "get put",
            UNAUTHENTICATED,
            DENIED,
            DENIED,
            DENIED,
            HIDDEN,
            {"get": OK, "put": CONFLICT},  # submitted: read-only
            HIDDEN,
            DENIED,
            HIDDEN,
        ),
    ],
    # Scorecard.objects.readable_by: the list holds what each may read (CANNOT_SEE).
    "api:scorecards": [
        page(None, "get", UNAUTHENTICATED, OK, OK, OK, OK, OK, OK, DENIED, OK),
    ],
    "api:scorecard": [
        page(
            "card_a",  # a draft
            "get",
            UNAUTHENTICATED,
            OK,
            HIDDEN,
            HIDDEN,
            OK,  # their own
            HIDDEN,
            HIDDEN,
            DENIED,
            HIDDEN,
        ),
        page(
            "card_b",
            "get",
            UNAUTHENTICATED,
            OK,
            OK,
            HIDDEN,
            HIDDEN,
            OK,
            HIDDEN,
            DENIED,
            HIDDEN,
        ),
        page(
            "card_d",
            "get",
            UNAUTHENTICATED,
            OK,
            OK,
            HIDDEN,
            HIDDEN,
            OK,
            HIDDEN,
            DENIED,
            HIDDEN,
        ),
    ],
    "api:calibration": [
        page(
            None,
            "get",
            UNAUTHENTICATED,
            OK,
            OK,
            HIDDEN,
            DENIED,
            DENIED,
            DENIED,
            DENIED,
            HIDDEN,
            query="?role={role}",
        ),
    ],
}


# --- the URLs of the project ----------------------------------------------------------------


def project_urls(patterns=None, namespace="", route=""):
    """(full name, route) of every URL pattern, the skipped ones left out; None as the
    name of an unnamed pattern."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        here = route + str(pattern.pattern)
        if here.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from project_urls(pattern.url_patterns, inner, here)
        elif isinstance(pattern, URLPattern):
            name = ":".join(n for n in (namespace, pattern.name) if n) if pattern.name else None
            yield name, here


def test_every_url_of_the_project_is_in_the_table():
    urls = list(project_urls())
    unnamed = [route for name, route in urls if name is None]
    assert not unnamed, f"URL patterns without a name cannot be in the access table: {unnamed}"
    names = {name for name, _ in urls}
    missing = sorted(names - TABLE.keys())
    assert not missing, (
        f"These URLs are not in the access table of {__name__}; add who may use them "
        f"(DESIGN.md, 'Who may do what'): {missing}"
    )
    stale = sorted(TABLE.keys() - names)
    assert not stale, f"The access table names URLs the project no longer has: {stale}"


def test_the_walk_reaches_into_every_app():
    names = {name for name, _ in project_urls()}
    assert {"home", "roles:edit", "hiring:panel", "scorecards:fill"} <= names
    assert not any(name.startswith("admin:") for name in names)


# --- the scenario ----------------------------------------------------------------------------


@dataclass
class Scenario:
    users: dict
    objects: dict
    bodies: dict
    # Each user's API token (Authorization: Bearer), for the API's URLs.
    tokens: dict = field(default_factory=dict)

    def headers(self, name: str, who: str) -> dict:
        token = self.tokens.get(who)
        if not name.startswith("api:") or token is None:
            return {}
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def url(self, name, target):
        return reverse(name, kwargs=self.kwargs(target))

    def page_url(self, name, page_) -> str:
        """The URL of a row of the table, with its query ("{role}": the role's slug)."""
        return self.url(name, page_.target) + page_.query.format(role=self.objects["role"].slug)

    def kwargs(self, target) -> dict:
        if target is None:
            return {}
        obj = self.objects[target]
        if isinstance(obj, InvitationLink):
            return {"token": obj.token}
        if isinstance(obj, Role):
            return {"slug": obj.slug}
        if isinstance(obj, RoleRevision):
            return {"slug": obj.role.slug, "number": obj.number}
        return {"pk": obj.pk}


@dataclass(frozen=True)
class InvitationLink:
    token: str


BLUEPRINT = sorted((Path(settings.BASE_DIR) / "roles" / "blueprints").glob("*.txt"))[0]


def build_scenario(*, blind_manager: bool = False, blind_review: bool = False) -> Scenario:
    """The application, its cards and everyone around it; with `blind_manager`, its
    hiring manager also interviews the candidate and their own card is a draft; with
    `blind_review`, its revision is in blind review."""
    manager = factories.HiringManagerFactory()
    interviewer_draft = factories.InterviewerFactory()
    loop = build_loop(interviewer_draft, hiring_manager=manager)
    Candidate.objects.filter(pk=loop.application.candidate_id).update(
        name=CANDIDATE_NAME, email=CANDIDATE_EMAIL, source=CANDIDATE_SOURCE
    )
    if blind_review:
        RoleRevision.objects.filter(pk=loop.revision.pk).update(blind_review=True)
        loop.application.revision.blind_review = True
    d = loop.dimensions
    card_a = factories.scorecard_with_ratings(
        loop.interview,
        {d[0]: 3},
        status=Scorecard.Status.DRAFT,
        recommendation="",
        evidence=DRAFT_EVIDENCE,
    )
    card_b = factories.scorecard_with_ratings(
        loop.other_interview, {d[2]: 4}, evidence=SUBMITTED_EVIDENCE[0]
    )
    interview_d = factories.InterviewFactory(application=loop.application, stage=loop.stage)
    card_d = factories.scorecard_with_ratings(
        interview_d,
        {d[0]: 4, d[1]: 3},
        evidence=SUBMITTED_EVIDENCE[1],
        signals=[(loop.red[0], RED_FLAG_NOTE)],
    )
    if blind_manager:
        manager.groups.add(Group.objects.get(name=INTERVIEWER))
        factories.scorecard_with_ratings(
            factories.InterviewFactory(
                application=loop.application, stage=loop.stage, interviewer=manager
            ),
            {d[0]: 2},
            status=Scorecard.Status.DRAFT,
            recommendation="",
            evidence="The manager's own draft",
        )
    # A stage nobody interviews for yet, for the loop form.
    spare_stage = factories.InterviewStageFactory(revision=loop.revision, name="Bar raiser")
    # No card yet: the one a recruiter may still move or remove.
    carol = factories.InterviewerFactory()
    interview_c = factories.InterviewFactory(
        application=loop.application, stage=loop.other_stage, interviewer=carol
    )
    # The other hiring manager and the outsider have work of their own elsewhere.
    other_manager = factories.HiringManagerFactory()
    outsider = factories.InterviewerFactory()
    elsewhere = factories.ApplicationFactory(revision=loop.revision, hiring_manager=other_manager)
    factories.InterviewFactory(application=elsewhere, stage=loop.stage, interviewer=outsider)
    # A publishable draft of the same role, for the editing pages.
    draft = factories.RoleRevisionFactory(
        role=loop.revision.role, number=loop.revision.number + 1, status="draft"
    )
    draft_dims = [
        factories.DimensionFactory(revision=draft, order=0, weight=60),
        factories.DimensionFactory(revision=draft, order=1, weight=40),
    ]
    factories.InterviewStageFactory(revision=draft, focus_dimensions=draft_dims)
    spare_candidate = factories.CandidateFactory(name="Spare Candidate")
    # An active endpoint taking every event, made last: from here on every change the
    # requests make writes the outbox, and a refused one must write nothing there either.
    endpoint = Endpoint.objects.create(
        url="https://ats.example.com/hooks", events=list(EVENT_TYPES)
    )
    delivery = emit(APPLICATION_CREATED, loop.application, {"application": {}}).deliveries.get()
    administrator = factories.UserFactory()
    administrator.groups.add(Group.objects.get(name=ADMINISTRATOR))
    # For the people pages: someone invited who has not set a password yet, and someone
    # deactivated.
    invitee = factories.UserFactory(groups=[INTERVIEWER])
    invitee.set_unusable_password()
    invitee.save()
    token = people.new_invitation(invitee, by=None)
    deactivated = factories.InterviewerFactory(is_active=False)

    users = {
        "anonymous": None,
        "recruiter": factories.RecruiterFactory(),
        "manager": manager,
        "other_manager": other_manager,
        "interviewer_draft": interviewer_draft,
        "interviewer_submitted": loop.other_interview.interviewer,
        "outsider": outsider,
        "no_group": factories.UserFactory(),
        "administrator": administrator,
        "manager_interviewing": manager,
        "interviewer_blind": loop.other_interview.interviewer,
    }
    objects = {
        "role": loop.revision.role,
        "draft": draft,
        "candidate": loop.application.candidate,
        "spare_candidate": spare_candidate,
        "application": loop.application,
        "interview_a": loop.interview,
        "interview_b": loop.other_interview,
        "interview_c": interview_c,
        "card_a": card_a,
        "card_b": card_b,
        "card_d": card_d,
        "endpoint": endpoint,
        "delivery": delivery,
        "person": carol,
        "invitee": invitee,
        "deactivated": deactivated,
        "invitation": InvitationLink(token),
    }
    edit = editor_data(draft)
    edit["dimensions-0-name"] = "Renamed by this request"
    objects["token"], _ = ApiToken.issue(users["recruiter"], "To revoke")
    tokens = {
        who: ApiToken.issue(user, "matrix")[1] for who, user in users.items() if user is not None
    }
    exported = services.export_revision(loop.revision)
    exported.update(slug="imported-by-the-api", title="Imported by the API")
    overwrite = [
        {"dimension": d[0].id, "score": 5, "evidence": "Overwritten by this request"},
        {"dimension": d[2].id, "score": 1, "evidence": "Overwritten by this request"},
    ]

    # Valid bodies: a view that forgot its check would store something.
    bodies = {
        "roles:import": lambda: {
            "file": SimpleUploadedFile(BLUEPRINT.name, BLUEPRINT.read_bytes(), "text/plain")
        },
        "roles:weight_total": lambda: {"dimensions-TOTAL_FORMS": "1", "dimensions-0-weight": "7"},
        "roles:edit": lambda: edit,
        "hiring:candidate_add": lambda: {
            "name": "Mallory Newcomer",
            "email": "mallory@example.org",
            "source": "referral",
        },
        "hiring:candidate_edit": lambda: {
            "name": "Renamed Candidate",
            "email": CANDIDATE_EMAIL,
            "source": "",
        },
        "hiring:candidate_erase": lambda: {"reason": "The candidate asked by email."},
        "hiring:application_add": lambda: {
            "revision": loop.revision.pk,
            "hiring_manager": manager.pk,
        },
        "hiring:interview_add": lambda: {
            "stage": loop.stage.pk,
            "interviewer": outsider.pk,
            "scheduled_at": days_ahead(30),
        },
        "hiring:loop_assign": lambda: {
            f"stage{spare_stage.pk}-interviewer": outsider.pk,
            f"stage{spare_stage.pk}-scheduled_at": days_ahead(30),
        },
        "hiring:interview_edit": lambda: {
            "stage": loop.stage.pk,
            "interviewer": carol.pk,
            "scheduled_at": days_ahead(31),
        },
        "hiring:application_withdraw": lambda: {"reason": "Accepted another offer."},
        "hiring:decide": lambda: {"outcome": "hold", "rationale": "Waiting for one more card."},
        "hiring:performance_reviews": lambda: {
            "rating": "4",
            "reviewed_on": timezone.localdate().isoformat(),
            "note": "Ramped up fast.",
        },
        "scorecards:fill": lambda: {
            "version": "1",
            # Focus of both stages, so the same body fits interview_a and interview_b.
            f"score_{d[0].id}": "5",
            f"evidence_{d[0].id}": "Overwritten by this request",
            f"score_{d[2].id}": "1",
            f"evidence_{d[2].id}": "Overwritten by this request",
            "recommendation": "strong_no",
        },
        "scorecards:reopen": lambda: {"reason": "The evidence for Communication is thin."},
        "profile": lambda: {"time_zone": "Europe/Paris"},
        "webhooks:endpoint_add": lambda: {
            "url": "https://new.example.com/hooks",
            "events": ["application.created"],
            "active": "on",
        },
        "webhooks:endpoint": lambda: {
            "url": "https://changed.example.com/hooks",
            "events": ["decision.recorded"],
        },
        "people:invite": lambda: {
            "email": "newcomer@example.org",
            "first_name": "New",
            "groups": [Group.objects.get(name=INTERVIEWER).pk],
        },
        "people:detail": lambda: {"groups": [Group.objects.get(name=RECRUITER).pk]},
        "invitation": lambda: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        "api_token_create": lambda: {"name": "made by this request"},
        # The API's bodies, JSON, by method.
        "api:role_import": {"post": lambda: exported},
        "api:candidates": {
            "post": lambda: {"name": "Mallory Newcomer", "email": "mallory@example.org"}
        },
        "api:candidate": {
            "put": lambda: {"name": "Renamed Candidate", "email": "zelda.q@example.org"},
            "patch": lambda: {"name": "Renamed Candidate"},
        },
        "api:applications": {
            "post": lambda: {
                "candidate": spare_candidate.pk,
                "role": loop.revision.role.slug,
                "hiring_manager": manager.pk,
            }
        },
        "api:application_withdraw": {"post": lambda: {"reason": "Accepted another offer."}},
        "api:decisions": {
            "post": lambda: {"outcome": "hold", "rationale": "Waiting for one more card."}
        },
        "api:interviews": {
            "post": lambda: {
                "application": loop.application.pk,
                "stage": loop.stage.pk,
                "interviewer": outsider.pk,
                "scheduled_at": moment_ahead(30),
            }
        },
        "api:interview": {"patch": lambda: {"scheduled_at": moment_ahead(31)}},
        "api:interview_scorecard": {
            "put": lambda: {"version": 1, "ratings": overwrite, "recommendation": "strong_no"}
        },
    }
    return Scenario(users=users, objects=objects, bodies=bodies, tokens=tokens)


def moment_ahead(days: int) -> str:
    """A moment `days` from now, as the API takes it (ISO 8601)."""
    return (timezone.now() + timedelta(days=days)).replace(microsecond=0).isoformat()


def days_ahead(days: int) -> str:
    """A time `days` from now, as the interview form's datetime-local input gives it."""
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


# The apps' rows, and the people's: accounts, their groups, invitations, group history.
MODELS = (
    *factories.MODELS,
    get_user_model(),
    get_user_model().groups.through,
    Invitation,
    GroupChange,
)
NEW_PASSWORD = "A-new-pass-phrase-77"  # noqa: S105 (a test's)


def row_counts() -> tuple[int, ...]:
    """The row count of every main model, in one query."""
    # Table names from the models, quoted: nothing in the SQL comes from outside.
    tables = [connection.ops.quote_name(m._meta.db_table) for m in MODELS]
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def writes(queries) -> list[str]:
    """The statements that changed something; the session row may change (a login), and
    an API token's last use."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(WRITES)
        and "django_session" not in q["sql"]
        and "api_apitoken" not in q["sql"]
    ]


# --- the matrix ------------------------------------------------------------------------------


def expected_answers(page_: Page, user: str, method: str) -> set[Answer]:
    if method == "head":
        method = "get"
    answer = page_.answers[user]
    if isinstance(answer, dict):
        if "*" in answer:
            return {answer["*"]}
        taken = {answer[m] for m in page_.methods}
    else:
        taken = {answer}
    if method in page_.methods:
        return {answer[method] if isinstance(answer, dict) else answer}
    # A method the view does not take: 405, or the refusal the user gets anyway.
    return {NOT_ALLOWED} | {a for a in taken if a.refusal}


def matches(response, answer: Answer, scenario: Scenario, url: str) -> bool:
    if response.status_code != answer.status:
        return False
    if answer.to is None:
        return True
    parts = urlsplit(response.url)
    if answer.to == LOGIN_REQUIRED:
        return parts.path == reverse("login") and parse_qs(parts.query).get("next") == [url]
    match = resolve(parts.path)
    if match.view_name != answer.to:
        return False
    return answer.target is None or match.kwargs == scenario.kwargs(answer.target)


def request(client, method, url, body, headers=None):
    headers = headers or {}
    if isinstance(body, dict):  # the API's: JSON, by method
        if method in ("post", "put", "patch"):
            data = body[method]() if method in body else {}
            send = getattr(client, method)
            return send(url, json.dumps(data), content_type="application/json", **headers)
        return getattr(client, method)(url, **headers)
    if method == "post":
        return client.post(url, body() if body else {}, **headers)
    return getattr(client, method)(url, **headers)


@pytest.fixture
def quiet_request_log():
    """403s and 404s are logged as warnings with tracebacks; there are hundreds here."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.mark.parametrize("who", USERS)
def test_every_page_answers_each_user_and_method_as_designed(
    client, who, quiet_request_log, settings
):
    settings.API_RATE_LIMIT = "100000/minute"  # the rate limit is tests/api/test_auth.py's
    scenario = build_scenario(
        blind_manager=who == "manager_interviewing", blind_review=who == "interviewer_blind"
    )
    user = scenario.users[who]
    failures = []
    # Every request is rolled back, so each starts from these counts.
    initial = row_counts()
    for name, _route in project_urls():
        pages = TABLE.get(name)
        if pages is None:
            failures.append(f"{name}: not in the access table")
            continue
        for page_ in pages:
            url = scenario.page_url(name, page_)
            for method in METHODS:
                if user is not None and "_auth_user_id" not in client.session:
                    client.force_login(user)  # again, after the logout page
                expected = expected_answers(page_, who, method)
                refused = all(a.refusal for a in expected)
                with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                    response = request(
                        client,
                        method,
                        url,
                        scenario.bodies.get(name),
                        scenario.headers(name, who),
                    )
                    after = row_counts() if refused else None
                    transaction.set_rollback(True)
                where = f"{method.upper()} {name} ({page_.target or 'no object'}) as {who}"
                if not any(matches(response, a, scenario, url) for a in expected):
                    got = response.status_code
                    if response.has_header("Location"):
                        got = f"{got} -> {response.url}"
                    failures.append(
                        f"{where}: expected {' or '.join(map(str, expected))}, got {got}"
                    )
                if refused and (after != initial or writes(queries)):
                    changed = [
                        m.__name__ for m, a, b in zip(MODELS, initial, after, strict=True) if a != b
                    ]
                    statements = [" ".join(sql.split()[:3]) for sql in writes(queries)]
                    failures.append(
                        f"{where}: refused, but changed the rows of {changed} ({statements})"
                    )
                # Nothing the app answers may be kept by a browser or a proxy; every
                # answer turns off the browser features no page uses.
                if "no-store" not in response.get("Cache-Control", ""):
                    failures.append(f"{where}: Cache-Control {response.get('Cache-Control')!r}")
                if not response.has_header("Permissions-Policy"):
                    failures.append(f"{where}: no Permissions-Policy")
                body = response.content.decode("utf-8", "replace")
                if method == "head" and body:
                    failures.append(f"{where}: HEAD answered with a body")
                for secret, hidden_from in CANNOT_SEE.items():
                    if who in hidden_from and secret in body:
                        failures.append(f"{where}: shows {secret!r}")
    assert not failures, "\n".join(failures)


def test_interviewers_see_roles_only_through_the_stages_they_interview_for(client):
    """DESIGN's "roles: view" for interviewers: the brief of their own stage (exercise,
    focus dimensions, signals) on their scorecard page, and nothing of other stages."""
    scenario = build_scenario()
    interview = scenario.objects["interview_a"]
    client.force_login(scenario.users["interviewer_draft"])
    page_ = client.get(scenario.url("scorecards:fill", "interview_a")).content.decode()
    assert f"Stage brief: {interview.stage.name}" in page_
    assert interview.stage.exercise.prompt in page_
    for dimension in interview.stage.focus_dimensions.all():
        assert dimension.name in page_
    other = scenario.objects["interview_b"].stage
    assert f"Stage brief: {other.name}" not in page_


@pytest.mark.parametrize("blind_manager", [False, True])
def test_a_hiring_manager_who_interviews_sees_the_pipeline_rows_hidden(client, blind_manager):
    """What the matrix checks is absent for manager_interviewing is there for the
    manager otherwise: the pipeline's red-flag count, the panel's evidence."""
    scenario = build_scenario(blind_manager=blind_manager)
    client.force_login(scenario.users["manager"])
    pipeline = client.get(scenario.url("hiring:pipeline", "role")).content.decode()
    export = client.get(scenario.url("hiring:export", "role")).content.decode()
    panel = client.get(scenario.url("hiring:panel", "application")).content.decode()
    if blind_manager:
        assert HIDDEN_RESULTS in pipeline and HIDDEN_RESULTS in export
        assert RED_FLAG_COUNT not in pipeline and RED_FLAG_NOTE not in panel
    else:
        assert HIDDEN_RESULTS not in pipeline and HIDDEN_RESULTS not in export
        assert RED_FLAG_COUNT in pipeline and RED_FLAG_NOTE in panel
        assert SUBMITTED_EVIDENCE[1] in panel
