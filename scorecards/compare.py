"""Comparing the candidates of one role (a debrief): each application the viewer may see,
its panel means per dimension, weighted score, coverage, red flags and recommendation.

Applications whose results are hidden from the viewer (hiring.models.ApplicationQuerySet:
a card of their own there is not submitted) are left out and counted. The headline comes
from the pipeline's stored rows (the panel's own rules); the means are the submitted
cards' ratings added up in one query.
"""

from dataclasses import dataclass
from fractions import Fraction

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hiring.models import Application
from hiring_site.access import HIRING_MANAGER, RECRUITER, group_required
from hiring_site.params import choice_param, int_param, page_of
from scorecards import scoring
from scorecards.pipeline import ApplicationRow, Summary, dimension_means, load_summaries
from scorecards.results_views import role_applications

PAGE_SIZE = 50


@dataclass
class Candidate:
    summary: Summary
    means: list[Fraction | None]  # one per dimension column, None: not rated

    @property
    def cells(self) -> list[tuple[str, int | None]]:
        """(the mean as shown, the whole level it rounds to, for the cell's colour)."""
        return [
            (scoring.fmt(mean), None if mean is None else int(mean + Fraction(1, 2)))
            for mean in self.means
        ]


def _value(candidate: Candidate, key: str):
    """What ?sort= orders by: the name, the weighted score, or a dimension's mean
    ("d1" the first column)."""
    if key == "name":
        return candidate.summary.application.candidate.casefold()
    if key == "score":
        return candidate.summary.weighted_score
    return candidate.means[int(key[1:]) - 1]


def _next_sort(key: str, sort: str) -> str:
    """A click on the sorted column flips it; on another, numbers start from the top
    and names from A."""
    if key == "name":
        return "-name" if sort == "name" else "name"
    return key if sort == f"-{key}" else f"-{key}"


@require_GET
@group_required(RECRUITER, HIRING_MANAGER)
def compare(request, slug):
    role, status, applications = role_applications(request, slug)
    hidden = applications.results_hidden_from(request.user).count()
    visible = applications.results_visible_to(request.user)
    names, means = dimension_means(visible.values("pk"))
    sorts = ["name", "score", *(f"d{index}" for index in range(1, len(names) + 1))]
    sort = choice_param(
        request,
        "sort",
        [f"{sign}{key}" for key in sorts for sign in ("", "-")],
        "-score",
        what="column to sort by",
    )
    # A page number no list has is refused before any headline is computed and stored:
    # a refused request writes nothing.
    int_param(request, "page", 1, what="page number")
    candidates = [
        Candidate(summary, [means.get((summary.application.pk, name)) for name in names])
        for summary in load_summaries(
            ApplicationRow.from_queryset(visible.order_by("-created_at", "-pk"))
        )
    ]
    key = sort.lstrip("-")
    known = [c for c in candidates if _value(c, key) is not None]
    known.sort(key=lambda c: _value(c, key), reverse=sort.startswith("-"))
    ordered = known + [c for c in candidates if _value(c, key) is None]
    page = page_of(request, Paginator(ordered, PAGE_SIZE))
    columns = [("name", "Candidate"), ("score", "Weighted score")]
    columns += [(f"d{index}", name) for index, name in enumerate(names, start=1)]
    context = {
        "role": role,
        "page": page,
        "names": names,
        "columns": [
            {
                "key": column,
                "label": label,
                "active": key == column,
                "descending": sort == f"-{column}",
                "next": _next_sort(column, sort),
            }
            for column, label in columns
        ],
        "sort": sort,
        "status": status,
        "statuses": Application.Status.choices,
        "hidden": hidden,
        "total": len(ordered),
    }
    return render(request, "scorecards/compare.html", context)
