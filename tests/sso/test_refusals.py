"""Sign-ins the app refuses, each through the real provider (tests/oidc_provider.py):
a page saying why (never a traceback), nobody signed in, nobody created or linked."""

import socket

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from hiring_site.models import Profile
from tests import factories, oidc_provider
from tests.sso.test_sign_in import sign_in, start

pytestmark = pytest.mark.django_db
User = get_user_model()


def assert_refused(response, reason: str, status: int = 403):
    page = response.content.decode()
    assert response.status_code == status, page
    assert "Sign-in refused" in page
    assert reason in page, page
    assert "Traceback" not in page
    assert 'href="/login/"' in page


def assert_nobody_signed_in(client, users_before: int):
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == users_before


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        (
            {"iss": "http://evil.example"},
            "issued by another provider than the one this site trusts",
        ),
        ({"aud": "another-app"}, "issued for another application"),
        # Several audiences: the token must say it was issued to us (azp).
        ({"aud": [oidc_provider.CLIENT_ID, "another-app"]}, "issued for another application"),
        ({"exp": oidc_provider.expired_at()}, "sign-in token has expired"),
    ],
    ids=["wrong-issuer", "wrong-audience", "audiences-without-azp", "expired"],
)
def test_a_token_not_for_this_sign_in_is_refused(client, sso, claims, reason):
    sub = sso.add_user("token@acme.example", **claims)
    response = sign_in(client, sso, sub)
    assert_refused(response, reason)
    assert_nobody_signed_in(client, 0)


def test_a_provider_naming_another_issuer_than_configured_is_refused(client, settings, sso):
    # Discovery at the real provider, whose document names http://127.0.0.1:<port>.
    oidc_provider.use(
        settings,
        sso,
        issuer=sso.url.replace("127.0.0.1", "localhost"),
        discovery_url=f"{sso.url}/.well-known/openid-configuration",
    )
    response = client.get(reverse("sso_start"))
    assert_refused(response, "names another issuer", status=503)
    assert "oidc_states" not in client.session


def test_a_provider_that_is_down_gives_a_page_saying_so(client, settings, sso):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    oidc_provider.use(settings, sso, issuer=f"http://127.0.0.1:{port}")
    response = client.get(reverse("sso_start"))
    assert_refused(response, "Acme ID cannot be reached right now", status=503)


def test_a_replayed_state_is_refused(client, sso):
    sub = sso.add_user("replay@acme.example")
    callback = oidc_provider.callback_path(sso.authorize(start(client), sub))
    assert client.get(callback).status_code == 302
    users = User.objects.count()
    # The same answer again, in the signed-in browser and in another one.
    assert_refused(client.get(callback), "already been used")
    client.post(reverse("logout"))
    assert_refused(client.get(callback), "already been used")
    assert_nobody_signed_in(client, users)
    other = client.__class__()
    assert_refused(other.get(callback), "already been used")
    assert "_auth_user_id" not in other.session


def test_a_code_replayed_into_another_sign_in_fails_its_nonce(client, sso):
    """A code obtained for one browser's sign-in, brought back with the state of another
    sign-in: the ID token carries the first sign-in's nonce, which is refused."""
    sub = sso.add_user("nonce@acme.example")
    victim_callback = sso.authorize(start(client), sub)
    code = oidc_provider.parse_qs_one(victim_callback, "code")
    attacker = client.__class__()
    attacker_start = start(attacker)
    state = oidc_provider.parse_qs_one(attacker_start, "state")
    response = attacker.get(reverse("sso_callback"), {"code": code, "state": state})
    assert_refused(response, "belongs to another sign-in (a replay)")
    assert_nobody_signed_in(attacker, 0)


def test_a_nonce_in_the_token_other_than_the_sign_ins_is_refused(client, sso):
    sub = sso.add_user("forged-nonce@acme.example", nonce="not-this-sign-ins")
    assert_refused(sign_in(client, sso, sub), "a replay")
    assert_nobody_signed_in(client, 0)


def test_an_email_domain_not_allowed_is_refused(client, settings, sso):
    oidc_provider.use(settings, sso, allowed_domains=frozenset({"acme.example"}))
    sub = sso.add_user("mallory@elsewhere.example")
    assert_refused(sign_in(client, sso, sub), "Email addresses at elsewhere.example may not")
    assert_nobody_signed_in(client, 0)
    allowed = sso.add_user("Ok@ACME.example")
    assert sign_in(client, sso, allowed).status_code == 302


def test_an_unverified_email_naming_an_existing_person_is_refused(client, sso):
    existing = factories.RecruiterFactory(email="boss@acme.example")
    sub = sso.add_user("boss@acme.example", email_verified=False)
    assert_refused(sign_in(client, sso, sub), "has not verified your email address")
    assert_nobody_signed_in(client, 1)
    assert Profile.objects.filter(user=existing, sso_subject=sub).count() == 0


def test_an_unverified_email_of_nobody_here_creates_a_person_of_their_own(client, sso):
    sub = sso.add_user("newcomer@acme.example", email_verified=False)
    assert sign_in(client, sso, sub).status_code == 302
    assert Profile.objects.get(sso_subject=sub).user.email == "newcomer@acme.example"


def test_an_account_linked_to_another_subject_is_not_taken_over(client, sso):
    first = sso.add_user("shared@acme.example")
    sign_in(client, sso, first)
    client.post(reverse("logout"))
    second = sso.add_user("shared@acme.example")
    assert_refused(sign_in(client, sso, second), "is linked to another Acme ID account")
    assert_nobody_signed_in(client, 1)


def test_a_deactivated_person_is_refused(client, sso):
    person = factories.InterviewerFactory(email="gone@acme.example", is_active=False)
    sub = sso.add_user("gone@acme.example")
    assert_refused(sign_in(client, sso, sub), "has been deactivated")
    assert_nobody_signed_in(client, 1)
    # Linked before deactivation: refused by their subject as well.
    person.is_active = True
    person.save()
    sign_in(client, sso, sub)
    client.post(reverse("logout"))
    person.is_active = False
    person.save()
    assert_refused(sign_in(client, sso, sub), "has been deactivated")


def test_a_person_deactivated_while_signed_in_is_signed_out(client, sso):
    sub = sso.add_user("leaving@acme.example")
    sign_in(client, sso, sub)
    assert client.get(reverse("profile")).status_code == 200
    User.objects.filter(email="leaving@acme.example").update(is_active=False)
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_missing_email_is_refused(client, sso):
    sub = sso.add_user("")
    assert_refused(sign_in(client, sso, sub), "did not tell this site your email address")


def test_a_token_without_kid_is_refused_when_the_provider_publishes_several_keys(
    client, monkeypatch, sso
):
    monkeypatch.setattr(sso, "extra_keys", [oidc_provider._decoy_key()])
    sub = sso.add_user("ambiguous@acme.example")
    assert_refused(sign_in(client, sso, sub), "signed with a key it does not publish")
    assert_nobody_signed_in(client, 0)


def test_the_person_denying_at_the_provider_gets_a_page(client, sso):
    state = oidc_provider.parse_qs_one(start(client), "state")
    response = client.get(reverse("sso_callback"), {"error": "access_denied", "state": state})
    assert_refused(response, "Acme ID did not sign you in (access_denied)")
    assert state not in client.session["oidc_states"]


@pytest.mark.parametrize(
    "query", [{}, {"code": "x"}, {"state": "x"}], ids=["nothing", "code-only", "state-only"]
)
def test_the_callback_without_the_providers_answer_is_a_bad_request(client, sso, query):
    assert_refused(client.get(reverse("sso_callback"), query), "Start again", status=400)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_sign_in_urls_take_get_only(client, sso, method):
    for name in ("sso_start", "sso_callback"):
        assert getattr(client, method)(reverse(name)).status_code == 405


ODD = ["²", "-1", str(10**30), "", "a", "\x00", "x" * 5000, "<script>", "%ZZ"]


@pytest.mark.parametrize("value", ODD, ids=range(len(ODD)))
def test_odd_values_in_the_callbacks_query_get_a_page_never_a_500(client, sso, value):
    start(client)
    for query in (
        {"code": value, "state": value},
        {"error": value, "error_description": value, "state": value},
        {"code": value},
    ):
        response = client.get(reverse("sso_callback"), query)
        assert response.status_code in (400, 403), (query, response.status_code)
        assert "Sign-in refused" in response.content.decode()
    assert client.get(reverse("sso_start"), {"next": value}).status_code == 302


def test_an_error_answer_for_no_sign_in_of_this_browser_does_not_sign_it_out(
    client, recruiter, sso
):
    client.force_login(recruiter)
    response = client.get(reverse("sso_callback"), {"error": "access_denied", "state": "made-up"})
    assert_refused(response, "already been used")
    assert client.session["_auth_user_id"] == str(recruiter.pk)
