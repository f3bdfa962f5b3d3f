"""Shared fixtures: users of each kind, logged-in clients."""

import pytest

from tests import factories


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
