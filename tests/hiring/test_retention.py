"""`manage.py apply_retention`: erases the candidates whose last application closed (a
decision or a withdrawal) more than RETENTION_DAYS ago, at its boundaries; never one
with an active application; idempotent; off by default; --dry-run changes nothing."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from hiring.models import Application, AuditEntry, Candidate
from tests import factories
from tests.test_settings import manage

pytestmark = pytest.mark.django_db

DAYS = 30
NOW = timezone.now().replace(microsecond=0)


def closed(name: str, ago: timedelta, status=Application.Status.REJECTED, **extra):
    """A candidate whose one application closed (moved to `status`) `ago` before NOW."""
    candidate = factories.CandidateFactory(name=name, **extra)
    application = factories.ApplicationFactory(candidate=candidate)
    close(application, ago, status)
    return candidate


def close(application, ago: timedelta, status=Application.Status.REJECTED) -> None:
    """Close `application` as a decision or a withdrawal does, `ago` before NOW (its
    history records when)."""
    application.status = status
    application.save(update_fields=["status"])
    newest = Application.history.filter(id=application.pk).latest("history_date", "history_id")
    Application.history.filter(history_id=newest.history_id).update(history_date=NOW - ago)
    Application.history.filter(id=application.pk, status=Application.Status.ACTIVE).update(
        history_date=NOW - ago - timedelta(days=10)
    )


def run(*args) -> str:
    out = StringIO()
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def names() -> set[str]:
    return set(Candidate.objects.not_erased().values_list("name", flat=True))


@pytest.fixture
def retention(settings):
    settings.RETENTION_DAYS = DAYS


def test_boundaries_a_day_before_on_the_day_and_after(retention):
    closed("A day before", timedelta(days=DAYS - 1))
    closed("On the day, to the second", timedelta(days=DAYS))
    closed("On the day, a second later", timedelta(days=DAYS, seconds=1))
    closed("A day after", timedelta(days=DAYS + 1))
    closed("Withdrawn long ago", timedelta(days=400), Application.Status.WITHDRAWN)
    closed("Hired long ago", timedelta(days=400), Application.Status.HIRED)
    out = run()
    # "More than RETENTION_DAYS ago": the very moment is kept, a second past it is not.
    assert names() == {"A day before", "On the day, to the second"}
    assert "erased 4 candidate(s)" in out
    erased = Candidate.objects.filter(erased_at__isnull=False)
    assert {c.name for c in erased} == {f"Erased candidate #{c.pk}" for c in erased}
    entries = AuditEntry.objects.filter(action="erase")
    assert entries.count() == 4
    assert all(e.actor is None and "Retention" in e.reason for e in entries)


def test_an_active_application_is_never_touched(retention):
    old = closed("Closed long ago, applied again", timedelta(days=400))
    factories.ApplicationFactory(candidate=old)  # active
    on_hold = factories.CandidateFactory(name="On hold for a year")
    application = factories.ApplicationFactory(candidate=on_hold)
    manager = application.hiring_manager
    application.record_decision("hold", "Waiting for headcount.", by=manager)
    Application.history.filter(id=application.pk).update(history_date=NOW - timedelta(days=400))
    run()
    assert names() == {"Closed long ago, applied again", "On hold for a year"}
    assert not AuditEntry.objects.exists()


def test_the_last_application_to_close_counts(retention):
    candidate = closed("Two applications", timedelta(days=400))
    close(factories.ApplicationFactory(candidate=candidate), timedelta(days=DAYS - 1))
    run()
    assert names() == {"Two applications"}


def test_a_candidate_who_never_applied_counts_from_when_they_were_added(retention):
    long_ago = factories.CandidateFactory(name="Added long ago")
    factories.CandidateFactory(name="Added last week")
    Candidate.objects.filter(pk=long_ago.pk).update(created_at=NOW - timedelta(days=DAYS + 1))
    run()
    assert names() == {"Added last week"}


def test_running_again_erases_nothing_more(retention):
    closed("Old", timedelta(days=DAYS + 1))
    run()
    erased = Candidate.objects.get(erased_at__isnull=False)
    out = run()
    assert "erased 0 candidate(s)" in out
    assert Candidate.objects.get(pk=erased.pk).erased_at == erased.erased_at
    assert AuditEntry.objects.count() == 1


def test_dry_run_lists_and_changes_nothing(retention):
    old = closed("Old", timedelta(days=DAYS + 1))
    closed("Recent", timedelta(days=1))
    out = run("--dry-run")
    assert f"Would erase candidate #{old.pk}" in out
    assert "would erase 1 candidate(s)" in out
    assert names() == {"Old", "Recent"}
    assert not AuditEntry.objects.exists()


def test_off_by_default(settings):
    assert settings.RETENTION_DAYS == 0
    closed("Very old", timedelta(days=5000))
    out = run()
    assert "retention is off" in out
    assert names() == {"Very old"}


@pytest.mark.parametrize("value", ["-1", "thirty"])
def test_a_bad_setting_stops_start_up(value):
    result = manage("check", RETENTION_DAYS=value)
    assert result.returncode != 0
    assert "RETENTION_DAYS" in result.stderr
