"""Security headers every page carries: a strict CSP, no inline code, no caching of
anything but static files, a Permissions-Policy."""

import pytest
from django.urls import reverse

from tests.test_access_matrix import build_scenario

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("login"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script_or_style(recruiter_client):
    for name in ("roles:list", "hiring:candidates"):
        body = recruiter_client.get(reverse(name)).content.decode()
        assert "<script>" not in body and "style=" not in body, name
        assert "<style" not in body, name


def test_pages_and_files_with_candidate_data_may_not_be_stored(client):
    """The panel, its JSON, the CSV, the cards and the application page: a shared
    computer's browser cache or a proxy must not keep them (one rule for every page:
    hiring_site.middleware.ResponseHeaders)."""
    scenario = build_scenario()
    client.force_login(scenario.users["recruiter"])
    for name, target in (
        ("hiring:application_detail", "application"),
        ("hiring:panel", "application"),
        ("hiring:panel_json", "application"),
        ("hiring:pipeline", "role"),
        ("hiring:export", "role"),
        ("hiring:candidate", "candidate"),
        ("scorecards:detail", "card_b"),
    ):
        response = client.get(scenario.url(name, target))
        assert response.status_code == 200, name
        assert "no-store" in response["Cache-Control"], name
    client.force_login(scenario.users["interviewer_draft"])
    fill = scenario.url("scorecards:fill", "interview_a")
    assert "no-store" in client.get(fill)["Cache-Control"]
    autosave = client.post(fill, {"version": "1"}, headers={"HX-Request": "true"})
    assert autosave.status_code == 200 and "no-store" in autosave["Cache-Control"]


def test_static_files_keep_their_own_caching(client, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = client.get(settings.STATIC_URL.rstrip("/") + "/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert response.has_header("Permissions-Policy")


def test_every_answer_turns_off_the_browser_features_no_page_uses(client):
    for response in (client.get(reverse("login")), client.get(reverse("home"))):
        policy = response["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in policy
