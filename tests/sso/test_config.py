"""The OIDC_* variables and PASSWORD_LOGIN are read strictly: a bad value stops start-up
with a message naming the variable (hiring_site/sso/config.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from hiring_site.access import ADMINISTRATOR, HIRING_MANAGER, INTERVIEWER, RECRUITER
from hiring_site.sso.config import SSOConfig, from_environment
from tests.test_settings import manage

BASE = {
    "OIDC_ISSUER": "https://login.acme.example/realms/acme",
    "OIDC_CLIENT_ID": "scorecards",
    "OIDC_CLIENT_SECRET": "s3cret",
}


def test_nothing_set_is_no_single_sign_on():
    assert from_environment({}) is None


def test_a_full_configuration():
    config = from_environment(
        {
            **BASE,
            "OIDC_DISPLAY_NAME": "Acme ID",
            "OIDC_SCOPES": "openid email profile groups",
            "OIDC_GROUPS_CLAIM": "roles",
            "OIDC_GROUP_MAP": (
                "recruiting=Recruiter; hiring-leads=hiring manager; hiring-leads=Interviewer\n"
                "CN=Engineers,OU=Groups,DC=acme=Interviewer;it=Administrator"
            ),
            "OIDC_ALLOWED_DOMAINS": "acme.example, @Acme-Labs.example",
        }
    )
    assert config == SSOConfig(
        client_id="scorecards",
        client_secret="s3cret",
        issuer="https://login.acme.example/realms/acme",
        discovery_url="https://login.acme.example/realms/acme/.well-known/openid-configuration",
        display_name="Acme ID",
        scopes=("openid", "email", "profile", "groups"),
        groups_claim="roles",
        group_map={
            "recruiting": frozenset({RECRUITER}),
            "hiring-leads": frozenset({HIRING_MANAGER, INTERVIEWER}),
            "CN=Engineers,OU=Groups,DC=acme": frozenset({INTERVIEWER}),
            "it": frozenset({ADMINISTRATOR}),
        },
        allowed_domains=frozenset({"acme.example", "acme-labs.example"}),
    )
    assert config.managed_groups == {RECRUITER, HIRING_MANAGER, INTERVIEWER, ADMINISTRATOR}
    assert config.origins() == ["https://login.acme.example"]


def test_a_discovery_url_alone_takes_the_issuer_from_the_document():
    url = "https://idp.acme.example/tenant/v2.0/.well-known/openid-configuration"
    config = from_environment(
        {"OIDC_DISCOVERY_URL": url, "OIDC_CLIENT_ID": "a", "OIDC_CLIENT_SECRET": "b"}
    )
    assert (config.issuer, config.discovery_url, config.display_name) == ("", url, "single sign-on")
    assert config.group_map == {} and config.allowed_domains == frozenset()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"OIDC_ISSUER": "login.acme.example"}, "OIDC_ISSUER='login.acme.example' is not an http"),
        ({"OIDC_ISSUER": "https://x.example/?a=1"}, "OIDC_ISSUER='https://x.example/?a=1' may not"),
        (
            {"OIDC_DISCOVERY_URL": "ftp://x.example/"},
            "OIDC_DISCOVERY_URL='ftp://x.example/' is not",
        ),
        ({"OIDC_CLIENT_ID": ""}, "OIDC_CLIENT_ID must be set"),
        ({"OIDC_CLIENT_SECRET": " "}, "OIDC_CLIENT_SECRET must be set"),
        ({"OIDC_SCOPES": "email profile"}, "OIDC_SCOPES='email profile' must include 'openid'"),
        ({"OIDC_SCOPES": "openid profile"}, "must include 'email'"),
        ({"OIDC_GROUPS_CLAIM": "my groups"}, "OIDC_GROUPS_CLAIM='my groups' is not a claim"),
        ({"OIDC_GROUP_MAP": "recruiting=Boss"}, "OIDC_GROUP_MAP: 'Boss' is not one of the app's"),
        (
            {"OIDC_GROUP_MAP": "recruiting"},
            "OIDC_GROUP_MAP: 'recruiting' is not 'claim value=Group'",
        ),
        ({"OIDC_GROUP_MAP": "=Recruiter"}, "OIDC_GROUP_MAP: '=Recruiter' is not"),
        ({"OIDC_ALLOWED_DOMAINS": "acme"}, "OIDC_ALLOWED_DOMAINS: 'acme' is not an email domain"),
        ({"OIDC_ALLOWED_DOMAINS": "a b.example"}, "'a b.example' is not an email domain"),
    ],
)
def test_a_bad_value_names_its_variable(change, message):
    with pytest.raises(ImproperlyConfigured, match=None) as raised:
        from_environment({**BASE, **change})
    assert message in str(raised.value)


def test_a_provider_variable_without_issuer_or_discovery_is_refused():
    with pytest.raises(ImproperlyConfigured) as raised:
        from_environment({"OIDC_CLIENT_ID": "scorecards"})
    assert "OIDC_CLIENT_ID is set, but single sign-on needs OIDC_ISSUER" in str(raised.value)


def test_http_is_refused_in_production_except_on_this_machine():
    with pytest.raises(ImproperlyConfigured) as raised:
        from_environment({**BASE, "OIDC_ISSUER": "http://login.acme.example"}, debug=False)
    assert "OIDC_ISSUER='http://login.acme.example' must use https when DEBUG is off" in str(
        raised.value
    )
    assert from_environment({**BASE, "OIDC_ISSUER": "http://127.0.0.1:9000"}, debug=False)
    assert from_environment({**BASE, "OIDC_ISSUER": "http://login.acme.example"}, debug=True)


def test_a_bad_value_stops_start_up_with_its_name():
    result = manage("check", **BASE, OIDC_GROUP_MAP="recruiting=Boss")
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "OIDC_GROUP_MAP: 'Boss' is not one of the app's groups" in last


def test_password_login_off_without_a_provider_stops_start_up():
    result = manage("check", PASSWORD_LOGIN="0")
    assert result.returncode != 0
    assert "PASSWORD_LOGIN=0 needs single sign-on" in result.stderr
    result = manage("check", PASSWORD_LOGIN="maybe", **BASE)
    assert "PASSWORD_LOGIN='maybe' is not a boolean" in result.stderr


def test_production_with_single_sign_on_is_deploy_clean_and_lets_forms_reach_the_provider():
    from tests.test_settings import PRODUCTION

    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])",
        **PRODUCTION,
        **BASE,
        PASSWORD_LOGIN="0",
    )
    assert result.returncode == 0, result.stderr
    assert "https://login.acme.example" in result.stdout
    check = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, **BASE)
    assert check.returncode == 0, check.stderr
