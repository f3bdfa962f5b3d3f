"""Query parameters: whatever a page's address carries, it answers cleanly. A value the
page cannot use answers 400 (or 404 for a page past the end of a list, or an object that
is not there) with the app's error page saying why, never a 500: "²" passes isdigit(),
10**30 overflows SQLite's integers, a NUL is refused by PostgreSQL.

`PARAMS` lists every parameter every page reads: the URLs come from the access matrix,
and the parameters each view reads are recorded, so a page reading one not listed here
fails `test_every_parameter_a_page_reads_is_listed` until it is added (and tried below).
"""

import json

import pytest
from django.core.handlers import wsgi
from django.http import QueryDict

from tests.test_access_matrix import OK, TABLE, USERS, build_scenario, project_urls

pytestmark = pytest.mark.django_db

NUMBER = "number"  # page, revision, stage: digits only, or refused
CHOICE = "choice"  # one of a list: anything else refused
SEARCH = "search"  # typed text: anything printable up to its length
FIELD = "field"  # the person picker's form field name: a Python identifier
NEXT = "next"  # Django's login redirect: an unsafe target is ignored, not refused

PARAMS = {
    "login": {"next": NEXT},
    "roles:list": {"q": SEARCH, "page": NUMBER},
    "roles:detail": {"revision": NUMBER},
    "hiring:candidates": {"q": SEARCH, "role": CHOICE, "status": CHOICE, "page": NUMBER},
    "hiring:my_applications": {"page": NUMBER},
    "hiring:my_interviews": {"page": NUMBER, "done_page": NUMBER},
    "hiring:application_detail": {"stage": NUMBER},
    "hiring:people_search": {"group": CHOICE, "field": FIELD, "q": SEARCH},
    "hiring:panel": {"from": CHOICE},
    "hiring:pipeline": {"status": CHOICE, "sort": CHOICE, "page": NUMBER},
    "hiring:export": {"status": CHOICE, "sort": CHOICE},
    "scorecards:fill": {"check": CHOICE},
    "scorecards:calibration": {"role": CHOICE},
    "scorecards:calibration_json": {"role": CHOICE},
    "scorecards:validity": {"role": CHOICE},
    "hiring:compare": {"status": CHOICE, "sort": CHOICE, "page": NUMBER},
    "webhooks:deliveries": {"status": CHOICE, "endpoint": NUMBER, "page": NUMBER},
    "people:list": {"q": SEARCH, "page": NUMBER},
    # The REST API: DRF's ?format= (json; the schema also yaml), its lists' pages, a
    # role's revision, calibration's role. (The lists' filters are read only when given:
    # tests/api and schemathesis try them.)
    **{
        f"api:{name}": {"format": CHOICE}
        for name in (
            "schema",
            "candidate",
            "application",
            "panel",
            "interview",
            "interview_scorecard",
            "scorecard",
        )
    },
    **{
        f"api:{name}": {"format": CHOICE, "page": NUMBER, "page_size": NUMBER}
        for name in ("roles", "candidates", "applications", "interviews", "scorecards")
    },
    "api:role": {"format": CHOICE, "revision": NUMBER},
    "api:role_export": {"format": CHOICE, "revision": NUMBER},
    "api:calibration": {"format": CHOICE, "role": CHOICE},
}
# Left out or empty, a parameter is its default, except these, which a page needs.
REQUIRED = {
    ("hiring:people_search", "group"),
    ("scorecards:calibration_json", "role"),
    ("api:calibration", "role"),
}

ODD_VALUES = {
    "unicode digit": "²",
    "negative": "-1",
    "huge": str(10**30),
    "empty": "",
    "letter": "x",
    "NUL": "\x00",
    "very long": "9" * 5000,
}
# Odd for a number or a choice, but fair for a search (words people may look for) or a
# field name ("x", "_1").
FAIR = {SEARCH: {"unicode digit", "negative", "huge", "letter"}, FIELD: {"negative", "letter"}}
# What the 400 page says when the page gave no reason of its own.
GENERIC_400 = "Part of the address is not what the page expects."


def allowed(name):
    """(the first user the access table lets GET the page, the page's row)."""
    for page_ in TABLE[name]:
        if "get" not in page_.methods:
            continue
        # Not the users whose scenario differs (build_scenario's blind_manager, blind_review).
        signed_in = [u for u in USERS[1:] if u not in ("manager_interviewing", "interviewer_blind")]
        for who in signed_in if name != "login" else USERS[:1]:
            answer = page_.answers[who]
            answer = answer.get("get", answer.get("*")) if isinstance(answer, dict) else answer
            if answer == OK:
                return who, page_
    return None, None


GET_PAGES = [name for name, _ in project_urls() if allowed(name)[0] is not None]


def test_the_listed_pages_are_pages():
    assert set(PARAMS) <= set(GET_PAGES)


class RecordingQueryDict(QueryDict):
    """request.GET, noting the name of every parameter read."""

    read: set[str] = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)


def test_every_parameter_a_page_reads_is_listed(client, monkeypatch):
    monkeypatch.setattr(wsgi, "QueryDict", RecordingQueryDict)
    scenario = build_scenario()
    wrong = []
    for name in GET_PAGES:
        who, page_ = allowed(name)
        client.logout()
        if scenario.users[who] is not None:
            client.force_login(scenario.users[who])
        RecordingQueryDict.read = set()
        response = client.get(scenario.page_url(name, page_))
        assert response.status_code == 200, name
        listed = set(PARAMS.get(name, {}))
        if unlisted := RecordingQueryDict.read - listed:
            wrong.append(f"{name} reads {sorted(unlisted)}, not in PARAMS")
        if unread := listed - RecordingQueryDict.read:
            wrong.append(f"{name} no longer reads {sorted(unread)}")
    assert not wrong, "\n".join(wrong)


def expected(name, param, kind, label) -> set[int]:
    if label == "empty":
        return {400} if (name, param) in REQUIRED else {200}
    if kind == NEXT or label in FAIR.get(kind, ()):
        return {200}
    return {400, 404}


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_odd_values_in_every_parameter_answer_cleanly(client, name):
    scenario = build_scenario()
    who, page_ = allowed(name)
    if scenario.users[who] is not None:
        client.force_login(scenario.users[who])
    client.raise_request_exception = False  # a 500 is a failure listed below
    url, _, query = scenario.page_url(name, page_).partition("?")
    base = QueryDict(query)
    failures = []
    for param, kind in PARAMS[name].items():
        for label, value in ODD_VALUES.items():
            query = base.copy()
            query[param] = value
            response = client.get(url + "?" + query.urlencode())
            body = response.content.decode("utf-8", "replace")
            where = f"{name} ?{param}= {label}"
            if response.status_code not in expected(name, param, kind, label):
                failures.append(f"{where}: {response.status_code}")
            elif response.status_code in (400, 404) and response["Content-Type"].startswith(
                "application/json"
            ):
                answer = json.loads(body)  # the pages' JSON says "error", the API "detail"
                if not (answer.get("error") or answer.get("detail")):
                    failures.append(f"{where}: {response.status_code} without an error")
            elif response.status_code in (400, 404) and 'data-testid="error-reason"' not in body:
                failures.append(f"{where}: {response.status_code} without the app's page")
            elif response.status_code == 400 and GENERIC_400 in body:
                failures.append(f"{where}: 400 without saying why")
    assert not failures, "\n".join(failures)
