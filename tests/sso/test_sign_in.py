"""Signing in through a real OpenID Connect provider (tests/oidc_provider.py), end to end
with Django's test client: the person is created or found, their groups follow the
claim where a mapping is set, and signing out ends the provider's session too."""

from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from hiring_site.access import ADMINISTRATOR, HIRING_MANAGER, INTERVIEWER, RECRUITER
from hiring_site.models import Profile
from tests import factories, oidc_provider

pytestmark = pytest.mark.django_db
User = get_user_model()

GROUP_MAP = {
    "recruiting": frozenset({RECRUITER}),
    "hiring-leads": frozenset({HIRING_MANAGER, INTERVIEWER}),
    "engineers": frozenset({INTERVIEWER}),
    "it": frozenset({ADMINISTRATOR}),
}


def start(client, next_url=""):
    response = client.get(reverse("sso_start") + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302
    return response["Location"]


def sign_in(client, provider, sub, next_url=""):
    """The whole round trip: the app sends the browser to the provider, the person signs
    in there, the provider sends it back to the callback."""
    location = provider.authorize(start(client, next_url), sub)
    return client.get(oidc_provider.callback_path(location))


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def groups_of(user):
    return set(user.groups.values_list("name", flat=True))


def test_the_start_sends_the_browser_to_the_provider_with_state_nonce_and_pkce(client, sso):
    location = start(client)
    parts = urlsplit(location)
    query = parse_qs(parts.query)
    assert f"{parts.scheme}://{parts.netloc}" == sso.url
    assert query["client_id"] == [oidc_provider.CLIENT_ID]
    assert query["redirect_uri"] == ["http://testserver/sso/callback/"]
    assert query["scope"] == ["openid email profile"]
    assert query["code_challenge_method"] == ["S256"]
    state = query["state"][0]
    assert client.session["oidc_states"][state]["nonce"] == query["nonce"][0]


def test_first_sign_in_creates_the_person_and_lands_on_the_home_page(client, sso):
    sub = sso.add_user("ada@acme.example", given_name="Ada", family_name="Lovelace")
    response = sign_in(client, sso, sub)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = signed_in_user(client)
    assert (user.email, user.first_name, user.last_name) == ("ada@acme.example", "Ada", "Lovelace")
    assert user.username == "ada@acme.example"
    assert not user.has_usable_password()
    assert Profile.objects.get(user=user).sso_subject == sub
    # Without a group mapping, groups are an administrator's to grant.
    assert groups_of(user) == set()
    assert "ask" in client.get(reverse("home")).content.decode().lower()


def test_the_page_asked_for_is_where_the_sign_in_lands(client, sso):
    sub = sso.add_user("next@acme.example")
    response = sign_in(client, sso, sub, next_url="/profile/")
    assert response["Location"] == "/profile/"


def test_a_verified_email_finds_the_existing_person_and_links_them(client, sso):
    existing = factories.RecruiterFactory(email="Grace@Acme.example")
    sub = sso.add_user("grace@acme.example", email_verified=True)
    sign_in(client, sso, sub)
    assert signed_in_user(client) == existing
    assert Profile.objects.get(user=existing).sso_subject == sub
    assert User.objects.count() == 1
    # Their groups are untouched without a mapping.
    assert groups_of(existing) == {RECRUITER}


def test_once_linked_the_subject_finds_them_even_after_an_email_change(client, settings, sso):
    sub = sso.add_user("old@acme.example")
    sign_in(client, sso, sub)
    first = signed_in_user(client)
    client.post(reverse("logout"))
    sso.add_user("new@acme.example", sub=sub)
    sign_in(client, sso, sub)
    assert signed_in_user(client) == first
    first.refresh_from_db()
    assert first.email == "new@acme.example"
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("claim", "expected", "home"),
    [
        (["recruiting"], {RECRUITER}, "roles:list"),
        (["hiring-leads"], {HIRING_MANAGER, INTERVIEWER}, "hiring:my_applications"),
        (["engineers", "unrelated"], {INTERVIEWER}, "hiring:my_interviews"),
        ("engineers", {INTERVIEWER}, "hiring:my_interviews"),
    ],
)
def test_mapped_groups_are_applied_at_sign_in(client, settings, sso, claim, expected, home):
    oidc_provider.use(settings, sso, group_map=GROUP_MAP)
    sub = sso.add_user("mapped@acme.example", groups=claim)
    sign_in(client, sso, sub)
    assert groups_of(signed_in_user(client)) == expected
    assert client.get(reverse("home"))["Location"] == reverse(home)


def test_groups_follow_the_claim_at_each_sign_in_and_unmapped_groups_stay(client, settings, sso):
    oidc_provider.use(
        settings,
        sso,
        group_map={"recruiting": frozenset({RECRUITER}), "hm": frozenset({HIRING_MANAGER})},
    )
    person = factories.InterviewerFactory(email="ivy@acme.example")
    person.groups.add(Group.objects.get_or_create(name=ADMINISTRATOR)[0])
    sub = sso.add_user("ivy@acme.example", groups=["recruiting"])
    sign_in(client, sso, sub)
    # Interviewer and Administrator are not mapped: left as the administrator set them.
    assert groups_of(person) == {RECRUITER, INTERVIEWER, ADMINISTRATOR}
    client.post(reverse("logout"))
    sso.add_user("ivy@acme.example", sub=sub, groups=["hm"])
    sign_in(client, sso, sub)
    assert groups_of(person) == {HIRING_MANAGER, INTERVIEWER, ADMINISTRATOR}
    client.post(reverse("logout"))
    sso.add_user("ivy@acme.example", sub=sub, groups=[])
    sign_in(client, sso, sub)
    assert groups_of(person) == {INTERVIEWER, ADMINISTRATOR}


def test_groups_come_from_the_claim_named_by_the_settings(client, settings, sso):
    oidc_provider.use(settings, sso, group_map=GROUP_MAP, groups_claim="roles")
    sub = sso.add_user("roles@acme.example", roles=["it"], groups=["recruiting"])
    sign_in(client, sso, sub)
    assert groups_of(signed_in_user(client)) == {ADMINISTRATOR}


def test_sign_out_ends_the_session_and_the_providers(client, sso):
    sub = sso.add_user("out@acme.example")
    sign_in(client, sso, sub)
    id_token = client.session["oidc_id_token"]
    response = client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session
    parts = urlsplit(response["Location"])
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{sso.url}/oauth2/end_session"
    query = parse_qs(parts.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/login/"]
    assert query["client_id"] == [oidc_provider.CLIENT_ID]
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_a_password_session_signs_out_here_only(client, sso, recruiter):
    client.force_login(recruiter)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_a_provider_without_kid_and_one_key_is_verified_with_that_key(client, sso):
    # The package's provider signs without a kid (tests/oidc_provider.py); the JWKS has one key.
    jwks = requests.get(f"{sso.url}/jwks", timeout=10).json()
    assert len(jwks["keys"]) == 1
    sub = sso.add_user("nokid@acme.example")
    assert sign_in(client, sso, sub).status_code == 302
    assert signed_in_user(client).email == "nokid@acme.example"
    assert "kid" not in jwt.get_unverified_header(client.session["oidc_id_token"])


def test_a_provider_with_kids_and_several_keys_is_verified_with_the_named_key(
    client, monkeypatch, sso
):
    oidc_provider.with_key_ids(monkeypatch, sso)
    jwks = requests.get(f"{sso.url}/jwks", timeout=10).json()
    assert len(jwks["keys"]) == 2
    sub = sso.add_user("kid@acme.example")
    response = sign_in(client, sso, sub)
    assert response.status_code == 302, response.content.decode()
    assert signed_in_user(client).email == "kid@acme.example"
    kid = jwt.get_unverified_header(client.session["oidc_id_token"])["kid"]
    assert kid in {key["kid"] for key in jwks["keys"]} - {"another-key"}


def test_the_login_page_offers_the_provider(client, sso):
    page = client.get(reverse("login") + "?next=/profile/").content.decode()
    assert "Sign in with Acme ID" in page
    assert 'href="/sso/start/?next=%2Fprofile%2F"' in page
    assert 'name="password"' in page


def test_without_a_provider_the_login_page_has_the_password_form_only(client):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with" not in page
    assert 'name="password"' in page
    assert client.get(reverse("sso_start")).status_code == 404
    assert client.get(reverse("sso_callback")).status_code == 404


@pytest.mark.parametrize("kind", ["anonymous", "recruiter", "hiring_manager", "interviewer"])
def test_anyone_may_start_a_sign_in_and_the_bare_callback_is_a_bad_request(
    client, sso, request, kind
):
    if kind != "anonymous":
        client.force_login(request.getfixturevalue(kind))
    assert start(client).startswith(f"{sso.url}/oauth2/authorize?")
    assert client.get(reverse("sso_callback")).status_code == 400
    assert client.head(reverse("sso_callback")).status_code == 400
