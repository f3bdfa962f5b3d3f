"""Schemathesis against the live schema (/api/schema/, read through the WSGI app): every
operation, with data drawn from the schema, as each kind of user with their own token.
No answer is a 5xx, and every answer (its status, content type and body) is one the
schema documents.

Each drawn request goes twice per user: as drawn (its ids mostly name nothing: 404s), and
with the path's object replaced by one of the scenario's (the access matrix's world: the
application, its cards, the people around it), where the most code runs. Each call is
rolled back, so every one starts from the same world. SCHEMATHESIS_EXAMPLES sets the
examples per operation (a few by default, so the suite stays quick; more hunt longer).
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hiring_site.wsgi import application
from tests.test_access_matrix import build_scenario

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "3"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# A token of each kind of user (the access matrix's), and none.
KINDS = (
    "recruiter",
    "manager",
    "other_manager",
    "interviewer_draft",
    "interviewer_submitted",
    "no_group",
    "manager_interviewing",
    None,
)


def _operations() -> list[tuple[str, str]]:
    """(path, method) of every operation, from the schema the live endpoint serves."""
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return [(path, method) for path, item in sorted(paths.items()) for method in item]


_LIVE = {}


def live_schema():
    """The schema as /api/schema/ serves it, read once through the WSGI app."""
    if "schema" not in _LIVE:
        _LIVE["schema"] = schemathesis.openapi.from_wsgi("/api/schema/", application)
    return _LIVE["schema"]


@pytest.fixture(autouse=True)
def _keep_the_tests_connection():
    """The WSGI handler closes the database connection after each request (in a
    transaction, which the test's is); Django's test client turns that off, as here."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(db):
    """The access matrix's world, once with a blind manager (who also interviews)."""
    scenario = build_scenario(blind_manager=True)
    objects = scenario.objects
    return scenario, {
        "/api/v1/roles/{slug}/": {"slug": objects["role"].slug},
        "/api/v1/roles/{slug}/export/": {"slug": objects["role"].slug},
        "/api/v1/candidates/{id}/": {"id": objects["candidate"].pk},
        "/api/v1/applications/{id}/": {"id": objects["application"].pk},
        "/api/v1/applications/{id}/withdraw/": {"id": objects["application"].pk},
        "/api/v1/applications/{id}/panel/": {"id": objects["application"].pk},
        "/api/v1/applications/{id}/decisions/": {"id": objects["application"].pk},
        "/api/v1/interviews/{id}/": {"id": objects["interview_c"].pk},
        "/api/v1/interviews/{id}/scorecard/": {"id": objects["interview_a"].pk},
        "/api/v1/scorecards/{id}/": {"id": objects["card_b"].pk},
    }


def _call(case, token):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with transaction.atomic():
        case.call_and_validate(headers=headers, checks=CHECKS)
        transaction.set_rollback(True)


@pytest.mark.parametrize(("path", "method"), _operations())
def test_every_operation_answers_as_its_schema_says(path, method, world, settings):
    settings.API_RATE_LIMIT = "1000000/minute"
    scenario, real_paths = world
    real = real_paths.get(path)
    operation = live_schema()[path][method]

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
        ],
    )
    @given(case=operation.as_strategy())
    def call_as_everyone(case):
        for kind in KINDS:
            token = scenario.tokens[kind] if kind else None
            _call(case, token)
            if real is not None:
                drawn = case.path_parameters
                case.path_parameters = {**(drawn or {}), **real}
                try:
                    _call(case, token)
                finally:
                    case.path_parameters = drawn

    call_as_everyone()
