"""Candidates list, my applications, my interviews, application page: scope and content."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_candidates_search_by_name_or_email_and_paginate(recruiter_client):
    factories.CandidateFactory(name="Ada Lovelace", email="ada@example.org")
    factories.CandidateFactory(name="Alan Turing", email="alan@bletchley.org")
    body = recruiter_client.get(reverse("hiring:candidates"), {"q": "bletchley"}).content.decode()
    assert "Alan Turing" in body and "Ada Lovelace" not in body
    factories.CandidateFactory.create_batch(30)
    page2 = recruiter_client.get(reverse("hiring:candidates"), {"page": 2}).content.decode()
    assert "Page 2 of 2" in page2


def test_hiring_manager_sees_only_own_applications(manager_client, hiring_manager):
    mine = factories.ApplicationFactory(hiring_manager=hiring_manager)
    other = factories.ApplicationFactory()
    body = manager_client.get(reverse("hiring:my_applications")).content.decode()
    assert mine.candidate.name in body and other.candidate.name not in body
    assert f'href="{reverse("hiring:panel", args=[mine.pk])}?from=mine"' in body
    own = manager_client.get(reverse("hiring:application_detail", args=[mine.pk]))
    assert mine.candidate.name in own.content.decode()
    assert (
        manager_client.get(reverse("hiring:application_detail", args=[other.pk])).status_code == 404
    )


def test_interviewer_sees_own_interviews_only(interviewer_client, interviewer):
    mine = factories.InterviewFactory(interviewer=interviewer)
    other = factories.InterviewFactory()
    body = interviewer_client.get(reverse("hiring:my_interviews")).content.decode()
    assert mine.application.candidate.name in body
    assert other.application.candidate.name not in body
    assert (
        interviewer_client.get(
            reverse("hiring:application_detail", args=[mine.application.pk])
        ).status_code
        == 403
    )
