"""The people pages (hiring_site/people_views.py): administrators list, invite, set the
groups of, deactivate and reactivate people; the invited set a password through a
one-time link; every change of anyone's groups is kept (hiring_site.models.GroupChange)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hiring_site.access import ADMINISTRATOR, HIRING_MANAGER, INTERVIEWER, RECRUITER
from hiring_site.models import GroupChange, Invitation
from tests import factories

pytestmark = pytest.mark.django_db

User = get_user_model()
LINK = re.compile(r"http://\S+/invitation/(?P<token>[\w-]+)/")


def group(name):
    return Group.objects.get(name=name)


@pytest.fixture
def administrator(db):
    """An Administrator who is nothing else."""
    return factories.UserFactory(
        username="ada", first_name="Ada", last_name="Admin", groups=[ADMINISTRATOR]
    )


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def invite(client, email="new.person@example.com", groups=(INTERVIEWER,), **fields):
    data = {"email": email, "first_name": "Nora", "last_name": "New", **fields}
    data["groups"] = [group(name).pk for name in groups]
    return client.post(reverse("people:invite"), data)


def link_token(message) -> str:
    return LINK.search(message.body)["token"]


# --- who may ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["recruiter", "hiring_manager", "interviewer", "nobody"])
def test_only_administrators_use_the_people_pages(client, kind):
    user = {
        "recruiter": factories.RecruiterFactory,
        "hiring_manager": factories.HiringManagerFactory,
        "interviewer": factories.InterviewerFactory,
        "nobody": factories.UserFactory,
    }[kind]()
    other = factories.InterviewerFactory()
    client.force_login(user)
    for url in (
        reverse("people:list"),
        reverse("people:invite"),
        reverse("people:detail", args=[other.pk]),
        reverse("people:deactivate", args=[other.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "Only administrators manage people." in response.content.decode()
    assert client.post(reverse("people:deactivate", args=[other.pk])).status_code == 403
    other.refresh_from_db()
    assert other.is_active
    nav = client.get(reverse("profile")).content.decode()
    assert reverse("people:list") not in nav


def test_a_superuser_is_an_administrator(client):
    root = User.objects.create_superuser("root", "root@example.com", "pw-root-123")
    client.force_login(root)
    assert client.get(reverse("people:list")).status_code == 200


def test_administrators_find_people_in_the_navigation_and_land_there(admin_client):
    response = admin_client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("people:list")
    page = admin_client.get(reverse("people:list")).content.decode()
    assert f'href="{reverse("people:list")}"' in page and ">People</a>" in page


def test_unknown_people_are_404(admin_client):
    for name in ("people:detail", "people:deactivate", "people:reactivate"):
        assert admin_client.get(reverse(name, args=[999999])).status_code == 404
    assert admin_client.post(reverse("people:invite_again", args=[999999])).status_code == 404


# --- the list ---------------------------------------------------------------------------


def test_the_list_shows_name_email_groups_state_last_sign_in_and_invitation(admin_client):
    manager = factories.HiringManagerFactory(first_name="Mona", last_name="Manager")
    manager.last_login = timezone.now() - timedelta(days=2)
    manager.save()
    gone = factories.InterviewerFactory(first_name="Gus", last_name="Gone", is_active=False)
    invite(admin_client, "invited@example.com")
    page = admin_client.get(reverse("people:list")).content.decode()
    rows = {
        name: re.search(
            rf"<tr data-testid=\"person\">(?:(?!</tr>).)*{name}(?:(?!</tr>).)*</tr>", page, re.S
        )[0]
        for name in ("Mona Manager", "Gus Gone", "Nora New")
    }
    assert manager.email in rows["Mona Manager"] and "Hiring manager" in rows["Mona Manager"]
    assert "Active" in rows["Mona Manager"] and "never" not in rows["Mona Manager"]
    assert "Deactivated" in rows["Gus Gone"] and "never" in rows["Gus Gone"]
    assert gone.email in rows["Gus Gone"]
    assert "Invitation pending" in rows["Nora New"] and "Interviewer" in rows["Nora New"]
    assert "Invitation pending" not in rows["Mona Manager"]


def test_the_list_is_searched_and_paged(admin_client):
    factories.InterviewerFactory(first_name="Ivy", last_name="Ito")
    for _ in range(30):
        factories.InterviewerFactory(first_name="Zed")
    page = admin_client.get(reverse("people:list"), {"q": "ivy it"}).content.decode()
    assert "Ivy Ito" in page and page.count('data-testid="person"') == 1
    first = admin_client.get(reverse("people:list")).content.decode()
    assert first.count('data-testid="person"') == 25 and "Page 1 of 2" in first
    second = admin_client.get(reverse("people:list"), {"page": 2}).content.decode()
    assert second.count('data-testid="person"') == 7
    assert admin_client.get(reverse("people:list"), {"page": 3}).status_code == 404
    assert admin_client.get(reverse("people:list"), {"q": "a\x00"}).status_code == 400


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_makes_a_constant_number_of_queries(
    admin_client, size, django_assert_max_num_queries
):
    for i in range(size):
        person = factories.InterviewerFactory()
        person.groups.add(group(RECRUITER))
        if i % 2:
            invite(admin_client, f"p{i}@example.com")
    admin_client.get(reverse("people:list"))  # the session's first read
    with django_assert_max_num_queries(7):
        response = admin_client.get(reverse("people:list"))
    assert response.status_code == 200


# --- inviting ---------------------------------------------------------------------------


def test_an_invitation_makes_a_person_who_sets_a_password_and_is_signed_in(
    admin_client, administrator, settings
):
    settings.SITE_URL = "http://testserver"
    response = invite(admin_client, groups=(INTERVIEWER, HIRING_MANAGER))
    person = User.objects.get(email="new.person@example.com")
    assert response.status_code == 302 and response.url == reverse(
        "people:detail", args=[person.pk]
    )
    assert person.username == "new.person@example.com"
    assert person.is_active and not person.has_usable_password()
    assert set(person.groups.values_list("name", flat=True)) == {INTERVIEWER, HIRING_MANAGER}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.com"]
    assert "Ada Admin invited you" in message.body and "3 days" in message.body
    token = link_token(message)
    invitation = Invitation.objects.get(user=person)
    assert token not in invitation.token_digest  # only the digest is stored
    assert invitation.expires_at - invitation.created_at == timedelta(days=3)
    # The invited person, in their own browser.
    browser = Client()
    page = browser.get(reverse("invitation", args=[token]))
    assert page.status_code == 200 and "new.person@example.com" in page.content.decode()
    response = browser.post(
        reverse("invitation", args=[token]),
        {"new_password1": "a-Long-pass-phrase-9", "new_password2": "a-Long-pass-phrase-9"},
    )
    assert response.status_code == 302 and response.url == reverse("home")
    assert int(browser.session["_auth_user_id"]) == person.pk
    person.refresh_from_db()
    assert person.check_password("a-Long-pass-phrase-9")
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    # Used once: the link now says so, and sets nothing.
    again = Client().post(
        reverse("invitation", args=[token]),
        {"new_password1": "another-Pass-99", "new_password2": "another-Pass-99"},
    )
    assert again.status_code == 410 and "It was used already" in again.content.decode()
    person.refresh_from_db()
    assert person.check_password("a-Long-pass-phrase-9")


def test_a_weak_password_is_refused_and_the_link_still_works(admin_client):
    invite(admin_client)
    token = link_token(mail.outbox[0])
    response = Client().post(
        reverse("invitation", args=[token]), {"new_password1": "123", "new_password2": "123"}
    )
    assert response.status_code == 422
    assert Invitation.objects.get().used_at is None
    assert not User.objects.get(email="new.person@example.com").has_usable_password()


def test_a_double_submit_makes_one_person_and_sends_one_email(admin_client):
    first = invite(admin_client)
    second = invite(admin_client)
    person = User.objects.get(email="new.person@example.com")
    assert User.objects.filter(email__iexact="new.person@example.com").count() == 1
    assert Invitation.objects.filter(user=person).count() == 1
    assert len(mail.outbox) == 1
    assert second.status_code == 302 and second.url == first.url
    page = admin_client.get(second.url).content.decode()
    assert "was already invited; no second email was sent" in page


def test_an_email_someone_has_is_refused_and_the_form_keeps_what_was_typed(admin_client):
    factories.InterviewerFactory(email="taken@example.com")
    response = invite(admin_client, "TAKEN@example.com", first_name="Typed")
    assert response.status_code == 422
    body = response.content.decode()
    assert "Someone already has an account with this email." in body
    assert 'value="TAKEN@example.com"' in body and 'value="Typed"' in body
    assert len(mail.outbox) == 0


def test_a_forged_group_is_refused_and_nothing_is_made(admin_client):
    outside = Group.objects.create(name="Outside")
    response = admin_client.post(
        reverse("people:invite"), {"email": "x@example.com", "groups": [outside.pk, "999999"]}
    )
    assert response.status_code == 422
    assert "not one of the groups here" in response.content.decode()
    assert not User.objects.filter(email="x@example.com").exists()
    assert len(mail.outbox) == 0


def test_an_email_that_cannot_be_sent_is_said_and_can_be_sent_again(admin_client, settings):
    settings.EMAIL_BACKEND = "tests.test_people.RefusingBackend"
    response = invite(admin_client)
    page = admin_client.get(response.url).content.decode()
    assert "could not be sent" in page
    person = User.objects.get(email="new.person@example.com")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    admin_client.post(reverse("people:invite_again", args=[person.pk]))
    assert len(mail.outbox) == 1
    assert Invitation.objects.filter(user=person).count() == 2
    assert Invitation.objects.pending().filter(user=person).count() == 1


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


NEW_PASSWORD = "a-Long-pass-phrase-9"  # noqa: S105 (a test's)


def _accept(token, password=NEW_PASSWORD):
    return Client().post(
        reverse("invitation", args=[token]), {"new_password1": password, "new_password2": password}
    )


def test_an_expired_link_says_so_and_sets_nothing(admin_client, settings):
    settings.INVITATION_EXPIRY_DAYS = 2
    invite(admin_client)
    token = link_token(mail.outbox[0])
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == timedelta(days=2)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    page = Client().get(reverse("invitation", args=[token]))
    assert page.status_code == 410 and "It expired on" in page.content.decode()
    assert _accept(token).status_code == 410
    assert not User.objects.get(email="new.person@example.com").has_usable_password()


def test_a_replaced_link_and_an_unknown_one_say_so(admin_client):
    invite(admin_client)
    old = link_token(mail.outbox[0])
    person = User.objects.get(email="new.person@example.com")
    admin_client.post(reverse("people:invite_again", args=[person.pk]))
    new = link_token(mail.outbox[1])
    response = _accept(old)
    assert (
        response.status_code == 410
        and "A newer invitation replaced it" in response.content.decode()
    )
    unknown = Client().get(reverse("invitation", args=["not-a-token"]))
    assert unknown.status_code == 404 and "not a link this app made" in unknown.content.decode()
    assert _accept(new).status_code == 302


def test_a_deactivated_persons_link_no_longer_works(admin_client):
    invite(admin_client)
    token = link_token(mail.outbox[0])
    person = User.objects.get(email="new.person@example.com")
    admin_client.post(reverse("people:deactivate", args=[person.pk]))
    response = _accept(token)
    assert response.status_code == 410
    # Reactivated, the old link stays dead (it was withdrawn); a new one works.
    admin_client.post(reverse("people:reactivate", args=[person.pk]))
    assert _accept(token).status_code == 410
    admin_client.post(reverse("people:invite_again", args=[person.pk]))
    assert _accept(link_token(mail.outbox[-1])).status_code == 302


def test_no_new_invitation_once_a_password_is_set(admin_client):
    person = factories.InterviewerFactory()
    response = admin_client.post(reverse("people:invite_again", args=[person.pk]))
    assert response.status_code == 302
    assert not Invitation.objects.exists() and len(mail.outbox) == 0


# --- groups and their history ------------------------------------------------------------


def test_groups_are_set_on_the_persons_page_and_kept_in_the_history(admin_client, administrator):
    person = factories.InterviewerFactory()
    GroupChange.objects.all().delete()
    url = reverse("people:detail", args=[person.pk])
    response = admin_client.post(url, {"groups": [group(RECRUITER).pk, group(ADMINISTRATOR).pk]})
    assert response.status_code == 302
    assert set(person.groups.values_list("name", flat=True)) == {RECRUITER, ADMINISTRATOR}
    changes = set(GroupChange.objects.values_list("user", "group", "action", "changed_by"))
    assert changes == {
        (person.pk, RECRUITER, "added", administrator.pk),
        (person.pk, ADMINISTRATOR, "added", administrator.pk),
        (person.pk, INTERVIEWER, "removed", administrator.pk),
    }
    page = admin_client.get(url).content.decode()
    history = page[page.index('data-testid="group-history"') :]
    assert "Added to Recruiter" in history and "Removed from Interviewer" in history
    assert "Ada Admin" in history


def test_groups_outside_the_four_are_kept(admin_client):
    person = factories.InterviewerFactory()
    other = Group.objects.create(name="Auditors")
    person.groups.add(other)
    admin_client.post(reverse("people:detail", args=[person.pk]), {"groups": []})
    assert list(person.groups.values_list("name", flat=True)) == ["Auditors"]


def test_a_forged_group_on_the_persons_page_changes_nothing(admin_client):
    person = factories.InterviewerFactory()
    before = GroupChange.objects.count()
    for forged in (["999999"], [str(2**63)], ["9" * 5000], ["²"], ["-1"]):
        response = admin_client.post(reverse("people:detail", args=[person.pk]), {"groups": forged})
        assert response.status_code == 422
    assert list(person.groups.values_list("name", flat=True)) == [INTERVIEWER]
    assert GroupChange.objects.count() == before


def test_an_administrator_cannot_leave_the_administrator_group(admin_client, administrator):
    response = admin_client.post(
        reverse("people:detail", args=[administrator.pk]), {"groups": [group(RECRUITER).pk]}
    )
    assert response.status_code == 422
    assert "You cannot remove yourself from Administrator" in response.content.decode()
    assert list(administrator.groups.values_list("name", flat=True)) == [ADMINISTRATOR]
    # Adding a group to themselves is fine.
    admin_client.post(
        reverse("people:detail", args=[administrator.pk]),
        {"groups": [group(RECRUITER).pk, group(ADMINISTRATOR).pk]},
    )
    assert set(administrator.groups.values_list("name", flat=True)) == {RECRUITER, ADMINISTRATOR}


def test_group_changes_made_by_code_are_kept_from_either_side():
    person = factories.UserFactory()
    recruiters, interviewers = group(RECRUITER), group(INTERVIEWER)
    GroupChange.objects.all().delete()
    recruiters.user_set.add(person)
    person.groups.add(interviewers, recruiters)  # recruiters already: not again
    person.groups.remove(recruiters, group(HIRING_MANAGER))  # not a member of the second
    interviewers.user_set.clear()
    rows = list(GroupChange.objects.order_by("id").values_list("group", "action", "changed_by"))
    assert rows == [
        (RECRUITER, "added", None),
        (INTERVIEWER, "added", None),
        (RECRUITER, "removed", None),
        (INTERVIEWER, "removed", None),
    ]


def test_group_changes_made_in_djangos_admin_are_kept(client):
    root = User.objects.create_superuser("root", "root@example.com", "pw-root-123")
    person = factories.InterviewerFactory()
    client.force_login(root)
    url = reverse("admin:auth_user_change", args=[person.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "username": person.username,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "is_active": "on",
            "groups": [group(RECRUITER).pk],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    changes = set(
        GroupChange.objects.filter(user=person).values_list("group", "action", "changed_by")
    )
    assert {(RECRUITER, "added", root.pk), (INTERVIEWER, "removed", root.pk)} <= changes
    client.force_login(root)
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Added to Recruiter" in page and "root" in page


# --- deactivation -----------------------------------------------------------------------


def test_deactivation_is_confirmed_then_signs_the_person_out_and_refuses_their_login(
    admin_client,
):
    person = factories.InterviewerFactory()
    theirs = Client()
    theirs.force_login(person)
    assert theirs.get(reverse("hiring:my_interviews")).status_code == 200
    url = reverse("people:deactivate", args=[person.pk])
    confirm = admin_client.get(url)
    assert confirm.status_code == 200 and "They will no longer be able to sign in" in (
        confirm.content.decode()
    )
    person.refresh_from_db()
    assert person.is_active  # the page only asks
    response = admin_client.post(url)
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    # Their session is gone from the database, not only refused.
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(person.pk) for s in Session.objects.all()
    )
    assert theirs.get(reverse("hiring:my_interviews")).status_code == 302
    login = Client().post(
        reverse("login"), {"username": person.username, "password": factories.PASSWORD}
    )
    assert login.status_code == 200 and "_auth_user_id" not in login.client.session
    # Reactivated: they sign in again with their password; no old session comes back.
    admin_client.post(reverse("people:reactivate", args=[person.pk]))
    person.refresh_from_db()
    assert person.is_active
    assert theirs.get(reverse("hiring:my_interviews")).status_code == 302
    back = Client().post(
        reverse("login"), {"username": person.username, "password": factories.PASSWORD}
    )
    assert back.status_code == 302 and "_auth_user_id" in back.client.session


def test_an_administrator_cannot_deactivate_themselves(admin_client, administrator):
    url = reverse("people:deactivate", args=[administrator.pk])
    for response in (admin_client.get(url), admin_client.post(url)):
        assert response.status_code == 403
        assert "You cannot deactivate yourself" in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.is_active


def test_only_a_superuser_changes_a_superuser(admin_client):
    root = User.objects.create_superuser("root", "root@example.com", "pw-root-123")
    assert admin_client.post(reverse("people:deactivate", args=[root.pk])).status_code == 403
    url = reverse("people:detail", args=[root.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and 'data-testid="groups-form"' not in page.content.decode()
    assert admin_client.post(url, {"groups": [group(RECRUITER).pk]}).status_code == 403
    root.refresh_from_db()
    assert root.is_active and not root.groups.exists()


def test_a_deactivated_person_keeps_their_work_marked_and_leaves_the_pickers(client, admin_client):
    from tests.scorecards.builders import build_loop

    interviewer = factories.InterviewerFactory(first_name="Dora", last_name="Gone")
    loop = build_loop(interviewer)
    card = factories.scorecard_with_ratings(loop.interview, {loop.dimensions[0]: 4})
    admin_client.post(reverse("people:deactivate", args=[interviewer.pk]))
    recruiter = factories.RecruiterFactory()
    client.force_login(recruiter)
    page = client.get(reverse("hiring:application_detail", args=[loop.application.pk]))
    assert "Dora Gone (deactivated)" in page.content.decode()
    detail = client.get(reverse("scorecards:detail", args=[card.pk])).content.decode()
    assert "Dora Gone (deactivated)" in detail
    card.refresh_from_db()
    assert card.interview.interviewer_id == interviewer.pk
    found = client.get(reverse("hiring:people_search"), {"group": "interviewer", "q": "dora"})
    assert "Dora" not in found.content.decode()


# --- the profile --------------------------------------------------------------------------


def test_everyone_sets_their_name_on_their_profile(interviewer_client, interviewer):
    response = interviewer_client.post(
        reverse("profile"),
        {"name-first_name": "Iris", "name-last_name": "Ivers", "time_zone": "Europe/Paris"},
    )
    assert response.status_code == 302
    interviewer.refresh_from_db()
    assert (interviewer.first_name, interviewer.last_name) == ("Iris", "Ivers")
    page = interviewer_client.get(reverse("profile")).content.decode()
    assert 'value="Iris"' in page and "Iris Ivers" in page


def test_a_name_too_long_is_refused_and_kept(interviewer_client, interviewer):
    response = interviewer_client.post(
        reverse("profile"), {"name-first_name": "x" * 151, "time_zone": "Europe/Paris"}
    )
    assert response.status_code == 422
    interviewer.refresh_from_db()
    assert interviewer.first_name != "x" * 151


def test_the_person_filter_marks_the_deactivated_without_a_query(django_assert_num_queries):
    from hiring_site.templatetags.people import person

    gone = factories.UserFactory(first_name="Gia", last_name="Gone", is_active=False)
    assert person(gone) == "Gia Gone (deactivated)"
    assert person(factories.UserFactory(first_name="Al", last_name="Here")) == "Al Here"
    deferred = User.objects.only("username", "first_name", "last_name").get(pk=gone.pk)
    with django_assert_num_queries(0):
        assert person(deferred) == "Gia Gone"
