"""Hostile input: hypothesis posts random and adversarial values to every form and
endpoint of the project, as each kind of user, and reads every page that takes query
parameters with garbage in all of them at once.

What is posted starts from the endpoint's real, valid body (the access matrix's bodies,
tests/test_access_matrix.py) and spoils some of it: wrong types, empty and blank values,
100 KB strings, NUL characters, lone surrogates and invalid UTF-8 (URL-encoded, as a
browser or a script would send them), huge and negative numbers, Unicode digits ("²",
"٣"), far dates, the ids of other objects (another role's dimension, another
application's interview, a closed account, an id that does not exist), keys given twice,
field names carrying foreign ids; or the body is replaced by JSON that is malformed,
deeply nested or huge, or by bytes that are no form at all. The URL's own object is
drawn too: the scenario's, another one of the same kind, or one that does not exist.

For every answer:
- its status is below 500 (the view's exception, if any, is raised here with its
  traceback, and hypothesis shrinks it to the smallest reproduction);
- a refused request (4xx, a form shown again with errors, or an error message) stored
  nothing: every row of every model of the three apps, their history included, is as it
  was. The one refusal designed to keep something is a submit of an incomplete
  scorecard, which keeps what was typed as the interviewer's own draft (REFUSED_BUT_KEPT).

Each example runs in a savepoint that is rolled back, so every example starts from the
same world (build_scenario of the access matrix: the application, its cards, the people
around it), built once per test. Run with the rest of the suite on SQLite and on
PostgreSQL (where a NUL in a query is an error, not a character).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_from_bytes

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hiring.models import Application, Interview
from hiring_site.access import INTERVIEWER
from hiring_site.models import Profile
from roles.models import Dimension, InterviewStage, Signal
from scorecards.models import Scorecard
from tests import factories
from tests.test_access_matrix import TABLE, build_scenario
from tests.test_query_params import PARAMS, allowed

pytestmark = pytest.mark.django_db

# The kinds of user of issue 13: each posts to every endpoint.
KINDS = (
    "anonymous",
    "recruiter",
    "manager",  # the application's hiring manager
    "interviewer_draft",  # an interviewer on it, own card a draft
    "manager_interviewing",  # its hiring manager, also interviewing, own card a draft
    "outsider",  # an interviewer with work elsewhere only
    "administrator",  # in the Administrator group only: the people and webhook pages
)
# Examples per endpoint and user (HOSTILE_EXAMPLES=500 for a long hunt).
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "15"))
# Anonymous visitors and outsiders are turned away before a view reads the body: fewer.
AT_THE_DOOR = {"anonymous", "outsider"}
# The pages an administrator may use; elsewhere they are at the door too.
PEOPLE_ENDPOINTS = {
    "people:invite",
    "people:detail",
    "people:invite_again",
    "people:deactivate",
    "people:reactivate",
}


def at_the_door(name: str, who: str) -> bool:
    """Whether `who` is turned away from `name` before its view reads the body: the
    administrator everywhere but their own pages (people, webhooks), everyone else from
    those."""
    if name.startswith("webhooks:") or name in PEOPLE_ENDPOINTS:
        return who != "administrator"
    return who in AT_THE_DOOR or who == "administrator"


# Every URL that takes POST, from the access matrix's table (which the resolver keeps
# complete): a new one fails test_every_post_endpoint_has_fields until it is added here.
POST_ENDPOINTS = sorted(
    name for name, pages in TABLE.items() if any("post" in p.methods for p in pages)
)

# Keys each endpoint reads beyond those of its valid body (which come from the access
# matrix), so that hypothesis also spoils the ones a valid post leaves out.
EXTRA_FIELDS = {
    "login": ("username", "password", "next"),
    "logout": ("next",),
    "roles:import": ("token", "dimensions-TOTAL_FORMS", "dimensions-0-name"),
    "roles:weight_total": ("dimensions-0-DELETE", "dimensions-1-weight"),
    "roles:edit": ("add", "confirm_remove", "publish", "move", "warnings-reason_x"),
    "roles:publish": (),
    "hiring:candidate_add": (),
    "hiring:candidate_edit": (),
    "hiring:candidate_erase": (),
    "hiring:application_add": ("hiring_manager_pick",),
    "hiring:interview_add": ("interviewer_pick",),
    "hiring:interview_edit": ("interviewer_pick",),
    "hiring:interview_delete": (),
    "hiring:decide": ("acknowledge", "seen_decision"),
    "hiring:performance_reviews": (),
    "hiring:loop_assign": ("stage1-interviewer_pick",),
    "hiring:application_withdraw": (),
    "profile": (),
    "scorecards:fill": ("action", "summary"),
    "scorecards:reopen": (),
    "webhooks:endpoint_add": ("description",),
    "webhooks:endpoint": ("description", "active"),
    "webhooks:endpoint_rotate": (),
    "webhooks:endpoint_delete": (),
    "webhooks:delivery_retry": (),
    "people:invite": ("last_name",),
    "people:detail": (),
    "people:invite_again": (),
    "people:deactivate": (),
    "people:reactivate": (),
    "invitation": (),
    "api_token_create": (),
    "api_token_revoke": (),
    # The REST API's (JSON bodies, the access matrix's; a form post gets 415).
    "api:role_import": ("dimensions",),
    "api:candidates": ("source",),
    "api:applications": (),
    "api:application_withdraw": (),
    "api:decisions": ("acknowledge", "seen_decision"),
    "api:interviews": (),
}
# Field names that carry an id, to be made with other objects' ids.
ID_NAMED = {
    "scorecards:fill": ("score_{}", "evidence_{}", "signal_{}", "note_{}"),
    "roles:edit": ("dimensions-{}-id", "stages-{}-name", "signals_strong-{}-text"),
    "roles:weight_total": ("dimensions-{}-weight",),
}

# Endpoints that never store any of the apps' rows, whatever they answer.
STORES_NOTHING = {"logout", "roles:weight_total"}
# A submit of an incomplete card is refused (422, what is missing beside its fields)
# but keeps what was typed as the interviewer's own draft (scorecards.views._submit).
REFUSED_BUT_KEPT = {
    "scorecards:fill": {
        "Scorecard",
        "HistoricalScorecard",
        "Rating",
        "HistoricalRating",
        "SignalCheck",
        "HistoricalSignalCheck",
    }
}

BLUEPRINT = sorted((Path(django_settings.BASE_DIR) / "roles" / "blueprints").glob("*.txt"))[0]

# --- values ------------------------------------------------------------------------------

HUGE = "x" * 100_000
LONE_SURROGATE = "\ud800"  # posted URL-encoded as the bytes ED A0 80 (not UTF-8)
ODD_TEXT = (
    "",
    " ",
    "\t\n ",
    "\x00",
    "a\x00b",
    LONE_SURROGATE,
    f"evidence {LONE_SURROGATE} here",
    HUGE,
    "9" * 5000,
    "\u202egnp.exe",
    "🙂" * 300,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "null",
    "true",
    "on",
    "[]",
    "{}",
)
ODD_NUMBERS = (
    "0",
    "-1",
    "-0",
    "1.5",
    "1e309",
    "1e-309",
    "NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    str(2**31),
    str(2**63 - 1),
    str(2**63),
    str(2**64),
    "-" + str(2**63 + 1),
    "99999999999999999999999999999999",
    "²",
    "٣",
    "１２",
    "0x10",
    "1_000",
    " 3 ",
)
ODD_DATES = (
    "9999-12-31T23:59",
    "9999-12-31T23:30",
    "0001-01-01T00:00",
    "10000-01-01T00:00",
    "2026-02-30T10:00",
    "9999-12-31",
    "0001-01-01",
    "2026-13-01T25:61",
    "1970-01-01T00:00",
)


def _json_bodies() -> list[bytes]:
    deep = "[" * 100_000 + "]" * 100_000
    return [
        b'{"version": 1,',  # malformed
        b"{}",
        b"[]",
        b"null",
        deep.encode(),
        json.dumps({"version": 1, "summary": HUGE * 10}).encode(),
        json.dumps({"score_1": [1] * 10_000}).encode(),
        b'{"a": "\\ud800"}',
        b"\xff\xfe{\x00}",
    ]


RAW_FORM_BODIES = (
    b"%FF%FE=%C0%AF&version=%E0%80",
    b"&&&===&",
    b"a" * 300_000,
    b"version=1&" * 3000,
    b"%",
    b"x=%zz",
)


# --- the world ------------------------------------------------------------------------------


@dataclass
class World:
    scenario: object
    user: object
    body: dict  # the endpoint's valid body, as keys and values
    targets: list[dict]  # URL kwargs: the scenario's objects, others, missing ones
    ids: list[str]  # ids of objects of every kind, and of none
    confirm: dict  # roles:import: the confirm step's valid body, its token left empty


def build_world(name: str, who: str) -> World:
    scenario = build_scenario(blind_manager=who == "manager_interviewing")
    objects = scenario.objects
    application = objects["application"]
    # Another role's revision with rows like this one's: the ids a forger would guess.
    other_revision, other_dims = factories.revision_with_dimensions([50, 50])
    other_signal = factories.SignalFactory(revision=other_revision, kind=Signal.Kind.RED_FLAG)
    other_stage = factories.InterviewStageFactory(revision=other_revision)
    elsewhere = Application.objects.exclude(pk=application.pk).order_by("pk").first()
    outsiders_interview = Interview.objects.filter(application=elsewhere).first()
    closed_account = factories.InterviewerFactory(is_active=False)
    closed_account.groups.add(Group.objects.get(name=INTERVIEWER))
    # Hired, so its hiring manager may record performance reviews of it.
    hired = factories.ApplicationFactory(
        revision=application.revision,
        hiring_manager=scenario.users["manager"],
        status=Application.Status.HIRED,
    )
    factories.DecisionFactory(application=hired, outcome="hire")
    manager_own = Interview.objects.filter(
        application=application, interviewer=scenario.users["manager"]
    ).first()

    ids = {
        *(str(d.pk) for d in other_dims),
        *(str(d.pk) for d in Dimension.objects.filter(revision=application.revision)),
        *(str(s.pk) for s in Signal.objects.all()),
        *(str(s.pk) for s in InterviewStage.objects.all()),
        *(str(i.pk) for i in Interview.objects.all()),
        *(str(c.pk) for c in Scorecard.objects.all()),
        str(other_signal.pk),
        str(other_stage.pk),
        str(elsewhere.pk),
        str(application.pk),
        str(hired.pk),
        str(other_revision.pk),
        str(closed_account.pk),
        *(str(u.pk) for u in scenario.users.values() if u is not None),
        "999999",
        "0",
    }
    pks = ["999999", str(2**63 - 1), str(2**63), "9" * 30]
    revision = objects["draft"]
    slug = revision.role.slug
    targets_by_kind = {
        "revision": [
            {"slug": slug, "number": revision.number},
            {"slug": slug, "number": application.revision.number},  # published, in use
            {"slug": other_revision.role.slug, "number": other_revision.number},
            *({"slug": slug, "number": n} for n in pks),
            {"slug": "no-such-role", "number": 1},
        ],
        "token": [{"pk": objects["token"].pk}, *({"pk": n} for n in pks)],
        "candidate": [
            {"pk": objects["candidate"].pk},
            {"pk": objects["spare_candidate"].pk},
            *({"pk": n} for n in pks),
        ],
        "application": [
            {"pk": application.pk},
            {"pk": elsewhere.pk},
            *({"pk": n} for n in pks),
        ],
        "hired_application": [
            {"pk": hired.pk},
            {"pk": application.pk},  # not hired: 409
            {"pk": elsewhere.pk},
            *({"pk": n} for n in pks),
        ],
        "interview": [
            # The user's own first (fill): the manager's, else interviewer_draft's.
            *([{"pk": manager_own.pk}] if manager_own else []),
            *({"pk": objects[k].pk} for k in ("interview_a", "interview_b", "interview_c")),
            {"pk": outsiders_interview.pk},
            *({"pk": n} for n in pks),
        ],
        "card": [
            *({"pk": objects[k].pk} for k in ("card_b", "card_a", "card_d")),
            *({"pk": n} for n in pks),
        ],
        "endpoint": [{"pk": objects["endpoint"].pk}, *({"pk": n} for n in pks)],
        "delivery": [{"pk": objects["delivery"].pk}, *({"pk": n} for n in pks)],
        "person": [
            *({"pk": objects[k].pk} for k in ("person", "invitee", "deactivated")),
            {"pk": scenario.users["administrator"].pk},  # themselves
            *({"pk": n} for n in pks),
        ],
        "invitation": [
            {"token": objects["invitation"].token},
            {"token": "not-a-token"},
            {"token": "x" * 300},
        ],
        None: [{}],
    }
    # Made at a user's first login (hiring_site.models): made here, before the examples.
    for user in scenario.users.values():
        if user is not None:
            Profile.objects.get_or_create(user=user)
    body = {}
    if isinstance(scenario.bodies.get(name), dict):  # the API's, by method
        body = scenario.bodies[name]["post"]() if "post" in scenario.bodies[name] else {}
    elif name in scenario.bodies:
        body = scenario.bodies[name]()
    elif name == "login":
        body = {"username": scenario.users["recruiter"].username, "password": factories.PASSWORD}
    body = {k: v for k, v in body.items() if not hasattr(v, "read")}  # the upload: below
    return World(
        scenario=scenario,
        user=scenario.users[who],
        body=body,
        targets=targets_by_kind[TARGET_KIND[name]],
        ids=sorted(ids),
        confirm=confirm_body(scenario.users["recruiter"]) if name == "roles:import" else {},
    )


TARGET_KIND = {
    "login": None,
    "logout": None,
    "roles:import": None,
    "roles:weight_total": None,
    "roles:edit": "revision",
    "roles:publish": "revision",
    "hiring:candidate_add": None,
    "hiring:candidate_edit": "candidate",
    "hiring:candidate_erase": "candidate",
    "hiring:application_add": "candidate",
    "hiring:interview_add": "application",
    "hiring:interview_edit": "interview",
    "hiring:interview_delete": "interview",
    "hiring:decide": "application",
    "hiring:performance_reviews": "hired_application",
    "hiring:loop_assign": "application",
    "hiring:application_withdraw": "application",
    "profile": None,
    "scorecards:fill": "interview",
    "scorecards:reopen": "card",
    "webhooks:endpoint_add": None,
    "webhooks:endpoint": "endpoint",
    "webhooks:endpoint_rotate": "endpoint",
    "webhooks:endpoint_delete": "endpoint",
    "webhooks:delivery_retry": "delivery",
    "people:invite": None,
    "people:detail": "person",
    "people:invite_again": "person",
    "people:deactivate": "person",
    "people:reactivate": "person",
    "invitation": "invitation",
    "api_token_create": None,
    "api_token_revoke": "token",
    "api:role_import": None,
    "api:candidates": None,
    "api:applications": None,
    "api:application_withdraw": "application",
    "api:decisions": "application",
    "api:interviews": None,
}


def fingerprint() -> dict:
    """Every row of every model of the apps (their history too)."""
    return {
        model.__name__: list(model.objects.order_by("pk").values_list())
        for label in ("hiring_site", "roles", "hiring", "scorecards", "webhooks")
        for model in apps.get_app_config(label).get_models()
    }


def changed_models(before: dict, after: dict) -> set[str]:
    return {name for name in before if before[name] != after[name]}


# --- what is posted ------------------------------------------------------------------------


def _quote(text: str) -> str:
    """`text` URL-encoded as UTF-8; a lone surrogate as the bytes it would arrive as."""
    return quote_from_bytes(text.encode("utf-8", "surrogatepass"), safe="")


def form_body(pairs: list[tuple[str, str]]) -> bytes:
    return "&".join(f"{_quote(k)}={_quote(v)}" for k, v in pairs).encode("ascii")


def odd_value(world: World) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(ODD_TEXT),
        st.sampled_from(ODD_NUMBERS),
        st.sampled_from(ODD_DATES),
        st.sampled_from(world.ids),
        st.text(max_size=40),
        st.integers().map(str),
    )


@st.composite
def form_pairs(draw, name: str, world: World) -> list[tuple[str, str]]:
    """The valid body with some values spoiled, some keys left out, given twice, or
    added (names with other objects' ids)."""
    body = dict(world.body)
    keys = sorted(set(body) | set(EXTRA_FIELDS[name]))
    spoiled = draw(st.sets(st.sampled_from(keys), max_size=4)) if keys else set()
    for key in spoiled:
        body[key] = draw(odd_value(world))
    if keys and draw(st.booleans()):
        for key in draw(st.sets(st.sampled_from(keys), max_size=2)):
            body.pop(key, None)
    for pattern in draw(st.lists(st.sampled_from(ID_NAMED.get(name, ("{}",))), max_size=2)):
        idish = draw(st.one_of(st.sampled_from(world.ids), st.sampled_from(ODD_NUMBERS)))
        body[pattern.format(idish)] = draw(st.one_of(st.just("1"), odd_value(world)))
    pairs = []
    for key, value in body.items():
        values = value if isinstance(value, list) else [value]
        pairs += [(key, str(v)) for v in values]
    if pairs and draw(st.booleans()):  # a key given twice, with another value
        key = draw(st.sampled_from([k for k, _ in pairs]))
        pairs.append((key, draw(odd_value(world))))
    return pairs


@dataclass
class Post:
    body: bytes | dict
    content_type: str | None
    htmx: bool
    upload_first: bool = False  # import: a valid upload first, then the confirm


@st.composite
def hostile_post(draw, name: str, world: World) -> Post:
    htmx = draw(st.booleans())
    shape = draw(
        st.sampled_from(["form"] * 6 + ["json", "raw", "empty", "multipart"]),
    )
    if name == "roles:import" and shape == "form" and draw(st.booleans()):
        # The confirm step of a preview this client has: its dimension rows spoiled.
        pairs = draw(form_pairs(name, World(**{**world.__dict__, "body": world.confirm})))
        return Post(form_body(pairs), FORM, htmx, upload_first=True)
    if shape == "form":
        return Post(form_body(draw(form_pairs(name, world))), FORM, htmx)
    if shape == "json":
        return Post(draw(st.sampled_from(_json_bodies())), "application/json", htmx)
    if shape == "raw":
        body = draw(st.sampled_from(RAW_FORM_BODIES + (form_body(draw(form_pairs(name, world))),)))
        return Post(body, draw(st.sampled_from(ODD_CONTENT_TYPES)), htmx)
    if shape == "empty":
        return Post(b"", FORM, htmx)
    # multipart: a file (only the import reads one) and the fields as text
    content = draw(
        st.one_of(
            st.sampled_from(
                [
                    b"",
                    b"\x00" * 100,
                    b"\xff\xfe\x00\x00garbage",
                    BLUEPRINT.read_bytes().replace(b"\n", b"\n\x00", 3),
                    BLUEPRINT.read_bytes()[: len(BLUEPRINT.read_bytes()) // 2],
                    b"[" * 50_000,
                    b'{"format": "scorecards-role", "dimensions": [' + b"{}," * 1000 + b"{}]}",
                    b"# Role\n" + "\ud800".encode("utf-8", "surrogatepass") * 100,
                ]
            ),
            st.binary(max_size=200),
        )
    )
    filename = draw(st.sampled_from(["role.txt", "role.json", "", "../../x.md", "a\x00b.txt"]))
    fields = {k: v for k, v in world.body.items() if isinstance(v, str) and "\x00" not in v}
    fields["file"] = SimpleUploadedFile(filename or "x", content, "text/plain")
    return Post(fields, None, htmx)


def confirm_body(recruiter) -> dict:
    """The import preview's form as the browser posts it to confirm, token left empty."""
    client = Client()
    with transaction.atomic():
        client.force_login(recruiter)
        upload = SimpleUploadedFile(BLUEPRINT.name, BLUEPRINT.read_bytes(), "text/plain")
        dims = client.post(reverse("roles:import"), {"file": upload}).context["dims"]
        transaction.set_rollback(True)
    body = {"token": ""}
    body.update({f"dimensions-{k}": str(v) for k, v in dims.management_form.initial.items()})
    for form in dims.forms:
        body.update({form.add_prefix(k): str(v) for k, v in form.initial.items()})
    return body


FORM = "application/x-www-form-urlencoded"
ODD_CONTENT_TYPES = (
    FORM,
    f"{FORM}; charset=utf-16",
    f"{FORM}; charset=no-such-charset",
    "multipart/form-data",
    "multipart/form-data; boundary=x",
    "multipart/form-data; boundary=" + "b" * 200,
    "text/plain",
    "",
)


def send(client: Client, url: str, post: Post):
    headers = {"HX-Request": "true"} if post.htmx else {}
    if post.content_type is None:  # multipart, made by the client
        return client.post(url, post.body, headers=headers)
    # The bytes as they are, whatever charset the content type names.
    return client.generic("POST", url, post.body, content_type=post.content_type, headers=headers)


def import_token(client: Client) -> str:
    """Upload the blueprint and return the token of its preview ("" if refused)."""
    upload = SimpleUploadedFile(BLUEPRINT.name, BLUEPRINT.read_bytes(), "text/plain")
    response = client.post(reverse("roles:import"), {"file": upload})
    context = response.context or {}
    return context.get("token", "") if response.status_code == 200 else ""


def refused(response) -> bool:
    """Refused: an error status, a form shown again with its errors, or an error message."""
    if response.status_code >= 400:
        return True
    context = response.context
    if context is not None:
        for key in ("form", "dims", "reopen_form"):
            form = context.get(key)
            if form is not None and getattr(form, "is_bound", False) and form.errors:
                return True
        editor = context.get("editor")
        if editor is not None and editor.settings.is_bound and editor.error_count():
            return True
    stored = messages.get_messages(response.wsgi_request)
    return any(m.level >= messages.ERROR and not str(m).startswith(PARTLY_DONE) for m in stored)


# Error messages of a request that did part of what it asked: "save and publish" saved
# the draft, then could not publish it (roles.views._publish_and_redirect).
PARTLY_DONE = ("Saved, but not published.",)


@pytest.fixture
def quiet_request_log():
    """4xx answers are logged as warnings; there are thousands here."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def test_every_post_endpoint_has_fields():
    assert set(POST_ENDPOINTS) == set(EXTRA_FIELDS) == set(TARGET_KIND)
    assert {"scorecards:fill", "roles:edit", "hiring:decide", "login"} <= set(POST_ENDPOINTS)


@pytest.mark.parametrize("who", KINDS)
@pytest.mark.parametrize("name", POST_ENDPOINTS)
def test_hostile_posts_answer_cleanly_and_a_refusal_stores_nothing(name, who, quiet_request_log):
    world = build_world(name, who)
    initial = fingerprint()

    @settings(
        max_examples=max(5, EXAMPLES // 3) if at_the_door(name, who) else EXAMPLES,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
    @given(data=st.data())
    def post_hostile(data):
        # Half the examples on the scenario's own object, where the most code runs.
        own = st.just(world.targets[0])
        kwargs = data.draw(st.one_of(own, st.sampled_from(world.targets)), label="url")
        url = reverse(name, kwargs=kwargs)
        post = data.draw(hostile_post(name, world), label="post")
        cache.clear()
        client = Client()
        with transaction.atomic():
            if world.user is not None:
                client.force_login(world.user)
            if post.upload_first:
                token = import_token(client)
                post.body = post.body.replace(b"token=&", f"token={token}&".encode())
                if b"token=" not in post.body:
                    post.body += f"&token={token}".encode()
                before = fingerprint()  # with the preview the upload made
            else:
                before = initial
            response = send(client, url, post)
            after = fingerprint()
            transaction.set_rollback(True)
        where = f"POST {url} as {who}: {response.status_code}"
        assert response.status_code < 500, where
        if name in STORES_NOTHING:
            assert not changed_models(before, after), f"{where}, but changed rows"
        if refused(response):
            changed = changed_models(before, after)
            if response.status_code == 422 and changed <= REFUSED_BUT_KEPT.get(name, set()):
                return
            assert not changed, f"{where}, refused, but changed {sorted(changed)}"

    post_hostile()


# --- query parameters ----------------------------------------------------------------------

GET_KINDS = ("recruiter", "manager", "interviewer_draft", "manager_interviewing")


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_garbage_in_every_query_parameter_at_once_answers_cleanly(name, quiet_request_log):
    """test_query_params tries one odd value in one parameter; here hypothesis fills all
    of a page's parameters at once, some twice, as each kind of user who may see it."""
    scenario = build_scenario(blind_manager=True)
    who, page_ = allowed(name)
    url = scenario.url(name, page_.target)
    users = [scenario.users[who]] + [scenario.users[k] for k in GET_KINDS]
    for user in users:  # made at a first login (hiring_site.models): made before
        if user is not None:
            Profile.objects.get_or_create(user=user)
    initial = fingerprint()

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def get_hostile(data):
        user = data.draw(st.sampled_from(users), label="user")
        value = st.one_of(
            st.sampled_from(ODD_TEXT[:-1]),  # not 100 KB: no address is that long
            st.sampled_from(ODD_NUMBERS),
            st.sampled_from(ODD_DATES),
            st.text(max_size=30),
        )
        pairs = [
            (param, data.draw(value))
            for param in PARAMS[name]
            for _ in range(data.draw(st.integers(0, 2)))
        ]
        query = "&".join(f"{_quote(k)}={_quote(v)}" for k, v in pairs)
        client = Client()
        with transaction.atomic():
            if user is not None and name != "login":
                client.force_login(user)
            response = client.get(f"{url}?{query}")
            after = fingerprint()
            transaction.set_rollback(True)
        assert response.status_code < 500, f"GET {url}?{query}: {response.status_code}"
        if response.status_code >= 400:
            assert not changed_models(initial, after)

    get_hostile()
