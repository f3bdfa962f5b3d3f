"""Performance reviews of hired people: recorded by the hiring manager only, only once
hired, one a day, dated between the hire and today; read by recruiters too."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.models import Application, PerformanceReview
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def hired(hiring_manager):
    application = factories.ApplicationFactory(
        hiring_manager=hiring_manager, status=Application.Status.HIRED
    )
    factories.DecisionFactory(application=application, outcome="hire")
    return application


def url(application):
    return reverse("hiring:performance_reviews", args=[application.pk])


def post(client, application, **fields):
    data = {"rating": "4", "reviewed_on": timezone.localdate().isoformat(), "note": ""}
    data.update(fields)
    return client.post(url(application), data)


def test_hiring_manager_records_a_review_and_reads_it(manager_client, hired, hiring_manager):
    response = post(manager_client, hired, rating="5", note="Shipped the <b>migration</b>.")
    assert response.status_code == 302 and response.url == url(hired)
    review = PerformanceReview.objects.get()
    assert (review.rating, review.recorded_by, review.application) == (5, hiring_manager, hired)
    body = manager_client.get(url(hired)).content.decode()
    assert "5 / 5" in body
    assert "Shipped the &lt;b&gt;migration&lt;/b&gt;." in body
    assert review.history.count() == 1
    # The panel links the page once hired.
    panel = manager_client.get(reverse("hiring:panel", args=[hired.pk])).content.decode()
    assert f'href="{url(hired)}"' in panel


def test_recruiter_reads_but_does_not_record(recruiter_client, hired):
    factories_review = PerformanceReview.objects.create(
        application=hired,
        rating=3,
        reviewed_on=timezone.localdate(),
        recorded_by=hired.hiring_manager,
    )
    body = recruiter_client.get(url(hired)).content.decode()
    assert "3 / 5" in body and "Record the review" not in body
    assert "Only the hiring manager of this application records its reviews." in body
    assert post(recruiter_client, hired).status_code == 403
    assert list(PerformanceReview.objects.all()) == [factories_review]


def test_not_hired_has_no_reviews(manager_client, hiring_manager):
    active = factories.ApplicationFactory(hiring_manager=hiring_manager)
    body = manager_client.get(url(active)).content.decode()
    assert "Only a hired person has performance reviews" in body
    assert "Record the review" not in body
    response = post(manager_client, active)
    assert response.status_code == 409
    assert not PerformanceReview.objects.exists()


def test_another_managers_application_is_hidden(client, hired):
    client.force_login(factories.HiringManagerFactory())
    assert client.get(url(hired)).status_code == 404
    assert post(client, hired).status_code == 404
    client.force_login(factories.InterviewerFactory())
    assert client.get(url(hired)).status_code == 403
    assert not PerformanceReview.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"rating": "6"}, "less than or equal to 5"),
        ({"rating": "0"}, "greater than or equal to 1"),
        ({"rating": "²"}, "Enter a whole number"),
        ({"rating": "9" * 400}, "less than or equal to 5"),
        ({"rating": ""}, "This field is required"),
        ({"reviewed_on": "9999-12-31"}, "cannot be dated in the future"),
        ({"reviewed_on": "0001-01-01"}, "before the hire decision"),
        ({"reviewed_on": "2026-02-30"}, "Enter a valid date"),
        ({"reviewed_on": "x\x00"}, "Enter a valid date"),
        ({"note": "n" * 5001}, "at most 5000 characters"),
    ],
)
def test_bad_input_is_refused_with_a_reason(manager_client, hired, fields, message):
    response = post(manager_client, hired, **fields)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not PerformanceReview.objects.exists()


def test_one_review_a_day_so_a_double_submit_records_one(manager_client, hired):
    assert post(manager_client, hired).status_code == 302
    again = post(manager_client, hired, rating="2")
    assert again.status_code == 422
    assert "already has a review on that day" in again.content.decode()
    assert PerformanceReview.objects.get().rating == 4
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    # The hire was decided today: yesterday is before it.
    assert (
        "before the hire decision"
        in post(manager_client, hired, reviewed_on=yesterday).content.decode()
    )
