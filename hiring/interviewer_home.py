"""One page of an interviewer's "My interviews", read by one hand-written query, and its
table rows rendered in Python.

InterviewQuerySet.for_interviewer_home is the definition of the list (sections, order,
the overdue rule of InterviewQuerySet.overdue_q); tests/hiring/test_interviewer_home.py
checks that `page_rows` returns what it returns, row for row. Through the ORM, building
and compiling that query (its CASE twice, in SELECT and in ORDER BY) and reading 25 rows
of values() cost more than the database's own work; as the 25 rows of a template loop,
the table cost as much again. Both held the page far above the floor page (issue 7).
The database still reads all of the interviewer's interviews to sort them (whether an old
one is overdue depends on its card and application), but the page reads 25 rows.
"""

from django.db import connection
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from hiring.models import SCORECARD_DUE_AFTER, Application, Candidate, Interview
from hiring_site.widgets import _escape
from roles.models import InterviewStage, Role, RoleRevision
from scorecards.models import Scorecard

# `home_section` as for_interviewer_home's CASE: 0 overdue (as overdue_q: active
# application, more than a day ago, card neither submitted nor reopened), 1 upcoming or
# unscheduled, 2 past. A row without a card reads NULL for the card's columns. The
# application's status is read by a subquery on its key: as a join, PostgreSQL's planner
# would hash every application of the database to serve one interviewer's few hundred.
_SECTION = f"""CASE
    WHEN (SELECT a.status FROM {Application._meta.db_table} a WHERE a.id = i.application_id)
            = %(active)s
        AND i.scheduled_at < %(due)s
        AND COALESCE(sc.status, '') <> %(submitted)s AND COALESCE(sc.reopen_reason, '') = ''
        THEN 0
    WHEN i.scheduled_at >= %(now)s OR i.scheduled_at IS NULL THEN 1
    ELSE 2
END"""  # noqa: S608  # nosec B608: a table name; every value a parameter

# Overdue oldest first, upcoming soonest first (unscheduled last), past newest first,
# then by id, as for_interviewer_home orders: `sort_at` is scheduled_at in sections 0
# and 1, NULL in section 2. The outer query sorts its 25 rows again the same way.
_ORDER = "home_section, sort_at ASC NULLS LAST, scheduled_at DESC NULLS LAST, id"

# The page's rows are picked from the interviewer's interviews and their cards alone;
# only those rows are then joined to the names they show. The columns are those of
# `ROW` (and the sort key). Only the models' table names are put in the text; every
# value is a parameter.
_PAGE = f"""SELECT home.id, home.scheduled_at, home.home_section, c.name, r.title, st.name,
    home.card_id, home.card_status, home.reopen_reason
FROM (
    SELECT id, scheduled_at, home_section, application_id, stage_id, card_id, card_status,
        reopen_reason, CASE WHEN home_section < 2 THEN scheduled_at END AS sort_at
    FROM (
        SELECT i.id, i.scheduled_at, {_SECTION} AS home_section, i.application_id,
            i.stage_id, sc.id AS card_id, sc.status AS card_status,
            sc.reopen_reason AS reopen_reason
        FROM {Interview._meta.db_table} i
        LEFT OUTER JOIN {Scorecard._meta.db_table} sc ON sc.interview_id = i.id
        WHERE i.interviewer_id = %(interviewer)s
    ) sections
    ORDER BY {_ORDER}
    LIMIT %(limit)s OFFSET %(offset)s
) home
INNER JOIN {Application._meta.db_table} a ON a.id = home.application_id
INNER JOIN {Candidate._meta.db_table} c ON c.id = a.candidate_id
INNER JOIN {RoleRevision._meta.db_table} rr ON rr.id = a.revision_id
INNER JOIN {Role._meta.db_table} r ON r.id = rr.role_id
INNER JOIN {InterviewStage._meta.db_table} st ON st.id = home.stage_id
ORDER BY home.home_section, home.sort_at ASC NULLS LAST, home.scheduled_at DESC NULLS LAST,
    home.id"""  # noqa: S608  # nosec B608: every value a parameter

ROW = (
    "id",
    "scheduled_at",
    "home_section",
    "candidate",
    "role",
    "stage",
    "card_id",
    "card_status",
    "reopen_reason",
)


def page_rows(interviewer_id: int, offset: int, limit: int, now=None) -> list[tuple]:
    """Rows (tuples in the order of ROW) `offset` to `offset + limit` of the interviewer's
    list, as for_interviewer_home(now) gives them."""
    now = now or timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    params = {
        "active": Application.Status.ACTIVE.value,
        "submitted": Scorecard.Status.SUBMITTED.value,
        "due": adapt(now - SCORECARD_DUE_AFTER),
        "now": adapt(now),
        "interviewer": interviewer_id,
        "limit": limit,
        "offset": offset,
    }
    # The database's own converters for scheduled_at (SQLite returns text), as the ORM's.
    column = Interview._meta.get_field("scheduled_at").cached_col
    converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
    with connection.cursor() as cursor:
        cursor.execute(_PAGE, params)
        rows = cursor.fetchall()
    if not converters:
        return rows
    converted = []
    for row in rows:
        when = row[1]
        for converter in converters:
            when = converter(when, column, connection)
        converted.append((row[0], when, *row[2:]))
    return converted


class InterviewerHome:
    """The interviewer's list for a Paginator: slicing reads that page's rows only."""

    def __init__(self, interviewer_id: int, now=None):
        self.interviewer_id = interviewer_id
        self.now = now or timezone.now()

    def __getitem__(self, index: slice) -> list[tuple]:
        start = index.start or 0
        if index.stop <= start:  # the empty first page of an interviewer with none
            return []
        return page_rows(self.interviewer_id, start, index.stop - start, self.now)


def interview_row(
    when, candidate, role, stage, badge, state_label, button, url, action
) -> SafeString:
    """One <tr> of the table, as the template's loop gave it (kept in
    tests/hiring/test_interviewer_home.py, which compares)."""
    candidate, stage = _escape(candidate), _escape(stage)
    return mark_safe(  # noqa: S308  # nosec B308 B703: every value escaped
        "\n      <tr>\n"
        f"        <td>{_escape(when)}</td>\n"
        f"        <td>{candidate}</td>\n"
        f"        <td>{_escape(role)}</td>\n"
        f"        <td>{stage}</td>\n"
        f'        <td><span class="badge {_escape(badge)}" data-testid="card-state">'
        f"{_escape(state_label)}</span></td>\n"
        f'        <td class="text-end"><a class="btn btn-sm {_escape(button)}"'
        f' href="{_escape(url)}">{_escape(action)}<span class="visually-hidden"> scorecard for'
        f" {candidate}, {stage}</span></a></td>\n"
        "      </tr>"
    )
