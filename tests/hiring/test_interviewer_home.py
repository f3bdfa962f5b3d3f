"""hiring.interviewer_home: its hand-written query gives, row for row, what
InterviewQuerySet.for_interviewer_home gives, and its rows the markup of the template loop
it replaced (kept below), for every section and card state and for hostile values."""

from datetime import timedelta

import pytest
from django.template import engines
from django.utils import timezone
from django.utils.safestring import mark_safe

from hiring.interviewer_home import InterviewerHome, interview_row, page_rows
from hiring.models import Application, Interview
from scorecards.models import Scorecard, ScorecardContent
from tests import factories

# templates/hiring/my_interviews.html's <tbody> as it was.
OLD_TBODY = """<tbody>{% for i in section.interviews %}
      <tr>
        <td>{{ i.when }}</td>
        <td>{{ i.candidate }}</td>
        <td>{{ i.role }}</td>
        <td>{{ i.stage }}</td>
        <td><span class="badge {{ i.badge }}" data-testid="card-state">{{ i.state_label }}</span></td>
        <td class="text-end"><a class="btn btn-sm {% if i.button %}{{ i.button }}{% else %}btn-outline-secondary{% endif %}" href="{{ i.url }}">{{ i.action }}<span class="visually-hidden"> scorecard for {{ i.candidate }}, {{ i.stage }}</span></a></td>
      </tr>{% endfor %}
    </tbody>"""  # noqa: E501

NEW_TBODY = "<tbody>{{ section.rows }}\n    </tbody>"

HOSTILE = "<b>\"Tom\" & 'Jerry'</b>"

FIELDS = (
    "id",
    "scheduled_at",
    "home_section",
    "application__candidate__name",
    "application__revision__role__title",
    "stage__name",
    "scorecard__id",
    "scorecard__status",
    "scorecard__reopen_reason",
)


def interview_at(interviewer, now, hours, name, **kwargs):
    return factories.InterviewFactory(
        interviewer=interviewer,
        scheduled_at=None if hours is None else now + timedelta(hours=hours),
        application__candidate__name=name,
        **kwargs,
    )


@pytest.mark.django_db
def test_page_rows_are_for_interviewer_homes_rows_in_its_order():
    now = timezone.now()
    interviewer = factories.InterviewerFactory()
    stranger = interview_at(factories.InterviewerFactory(), now, -30, "Someone else's")
    made = []
    # Every section, both sides of both boundaries, ties on the time, unscheduled ones.
    for n, hours in enumerate([-200, -80, -48, -24.01, -24, -23.9, -5, 0, 0.01, 2, 30, None]):
        for copy in range(2):
            made.append(interview_at(interviewer, now, hours, f"C{n}.{copy}"))
    submitted, reopened, drafted, withdrawn, hired = made[0], made[2], made[4], made[6], made[1]
    Scorecard.objects.create(interview=submitted, version=0).submit(
        ScorecardContent(recommendation="yes"), 0, interviewer
    )
    card = Scorecard.objects.create(interview=reopened, version=0)
    card.submit(ScorecardContent(recommendation="yes"), 0, interviewer)
    card.reopen(factories.RecruiterFactory(), "More evidence")
    Scorecard.objects.create(interview=drafted)
    Application.objects.filter(pk=withdrawn.application_id).update(
        status=Application.Status.WITHDRAWN
    )
    Application.objects.filter(pk=hired.application_id).update(status=Application.Status.HIRED)

    expected = list(
        Interview.objects.filter(interviewer=interviewer)
        .for_interviewer_home(now)
        .values_list(*FIELDS)
    )
    assert {row[2] for row in expected} == {0, 1, 2}
    assert stranger.pk not in {row[0] for row in expected}
    assert page_rows(interviewer.pk, 0, 100, now) == expected
    for offset, limit in [(0, 5), (5, 5), (20, 10), (23, 25), (30, 5)]:
        assert page_rows(interviewer.pk, offset, limit, now) == expected[offset : offset + limit]
    assert InterviewerHome(interviewer.pk, now)[3:9] == expected[3:9]
    assert page_rows(factories.InterviewerFactory().pk, 0, 25, now) == []


def old_row(**values) -> dict:
    row = {"when": "Wed 2 Dec, 04:34", "candidate": "Ada", "role": "Lead AI engineer"}
    row |= {"stage": "Pairing", "badge": "text-bg-danger", "state_label": "Overdue"}
    row |= {"url": "/scorecards/interviews/7/", "action": "Fill in", "button": "btn-danger"}
    return row | values


ROWS = [
    old_row(),
    old_row(badge="text-bg-success", state_label="Submitted", action="View", button=None),
    old_row(when="not scheduled", badge="text-bg-secondary", state_label="Not started"),
    old_row(candidate=HOSTILE, role=HOSTILE, stage=HOSTILE, url=f"/x/?a=1&b={HOSTILE}"),
    old_row(when=HOSTILE, state_label=HOSTILE, action=HOSTILE, badge=HOSTILE, button=HOSTILE),
]


@pytest.mark.parametrize("rows", [ROWS[:1], ROWS, []], ids=["one", "all", "none"])
def test_interview_rows_give_what_the_template_loop_gave(rows):
    engine = engines["django"]
    old = engine.from_string(OLD_TBODY).render({"section": {"interviews": rows}})
    new_rows = "".join(
        interview_row(
            r["when"],
            r["candidate"],
            r["role"],
            r["stage"],
            r["badge"],
            r["state_label"],
            r["button"] or "btn-outline-secondary",
            r["url"],
            r["action"],
        )
        for r in rows
    )
    # The view marks the joined rows safe: interview_row escaped each value.
    new = engine.from_string(NEW_TBODY).render({"section": {"rows": mark_safe(new_rows)}})  # noqa: S308
    assert new == old
