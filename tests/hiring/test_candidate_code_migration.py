"""Migration hiring 0011 gives every existing application a candidate code of its own
(adding the column gives them all one default), and their history rows theirs."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("hiring", "0013_candidate_updated_at"), ("roles", "0006_dimension_anchor_sources")]
AFTER = [("hiring", "0014_application_candidate_code"), ("roles", "0007_revision_blind_review")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_newest():
    """Whatever happens, the database ends at the newest migrations of every app."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_applications_get_a_code_each(back_to_the_newest):
    apps = migrate(BEFORE)
    User = apps.get_model("auth", "User")
    Role = apps.get_model("roles", "Role")
    RoleRevision = apps.get_model("roles", "RoleRevision")
    Candidate = apps.get_model("hiring", "Candidate")
    Application = apps.get_model("hiring", "Application")
    HistoricalApplication = apps.get_model("hiring", "HistoricalApplication")
    manager = User.objects.create(username="migration-manager")
    role = Role.objects.create(slug="migration-role", title="Migration role")
    revision = RoleRevision.objects.create(role=role, number=1)
    ids = []
    for n in range(5):
        candidate = Candidate.objects.create(name=f"Person {n}", email=f"p{n}@example.org")
        application = Application.objects.create(
            candidate=candidate, revision=revision, hiring_manager=manager
        )
        HistoricalApplication.objects.create(
            id=application.pk,
            candidate_id=candidate.pk,
            revision_id=revision.pk,
            hiring_manager_id=manager.pk,
            status="active",
            created_at=application.created_at,
            history_date=application.created_at,
            history_type="+",
        )
        ids.append(application.pk)

    apps = migrate(AFTER)
    Application = apps.get_model("hiring", "Application")
    HistoricalApplication = apps.get_model("hiring", "HistoricalApplication")
    codes = dict(Application.objects.filter(pk__in=ids).values_list("pk", "candidate_code"))
    assert len(set(codes.values())) == 5
    assert all(code.startswith("C-") and len(code) == 10 for code in codes.values())
    history = dict(
        HistoricalApplication.objects.filter(id__in=ids).values_list("id", "candidate_code")
    )
    assert history == codes
    assert not apps.get_model("roles", "RoleRevision").objects.get(pk=revision.pk).blind_review
