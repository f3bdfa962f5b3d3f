"""Shared fixtures: users of each kind, logged-in clients."""

import pytest

from tests import factories, oidc_provider


@pytest.fixture
def recruiter(db):
    return factories.RecruiterFactory()


@pytest.fixture
def hiring_manager(db):
    return factories.HiringManagerFactory()


@pytest.fixture
def interviewer(db):
    return factories.InterviewerFactory()


@pytest.fixture
def recruiter_client(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture
def manager_client(client, hiring_manager):
    client.force_login(hiring_manager)
    return client


@pytest.fixture
def interviewer_client(client, interviewer):
    client.force_login(interviewer)
    return client


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Users are made in nearly every test; the production hasher's million rounds
    would take most of the suite's time and prove nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the content of a revision cached by one
    test must not answer for another's (ids are reused between tests)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def oidc_provider_server():
    """A real OpenID Connect provider (oidc-provider-mock) on 127.0.0.1, for the session."""
    with oidc_provider.serve() as mock:
        yield mock


@pytest.fixture
def sso(settings, oidc_provider_server):
    """The app signing in with the provider above (settings.SSO), its config returned."""
    from hiring_site.sso import provider

    oidc_provider.use(settings, oidc_provider_server)
    yield oidc_provider_server
    provider.forget()
