"""The role library: list of roles and what each one's interview loop is."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from hiring_site.access import HIRING_MANAGER, RECRUITER, group_required
from roles.models import Dimension, InterviewStage, Role, RoleRevision, Signal


@group_required(RECRUITER, HIRING_MANAGER)
def role_list(request):
    roles = Role.objects.prefetch_related(
        Prefetch(
            "revisions",
            queryset=RoleRevision.objects.with_summary().order_by("-number"),
            to_attr="revision_list",
        )
    )
    rows = [(role, role.revision_list[0] if role.revision_list else None) for role in roles]
    return render(request, "roles/list.html", {"rows": rows})


def _get_revision(role: Role, number: str | None) -> RoleRevision:
    revisions = RoleRevision.objects.filter(role=role).with_summary()
    if number:
        if not number.isdigit():
            raise RoleRevision.DoesNotExist
        return revisions.get(number=int(number))
    return revisions.order_by("-number")[:1].get()


@group_required(RECRUITER, HIRING_MANAGER)
def role_detail(request, slug):
    role = get_object_or_404(Role, slug=slug)
    try:
        revision = _get_revision(role, request.GET.get("revision"))
    except RoleRevision.DoesNotExist:
        return render(request, "roles/detail.html", {"role": role, "revision": None}, status=404)
    dimensions = list(revision.dimensions.all())
    stages = (
        InterviewStage.objects.filter(revision=revision)
        .select_related("exercise")
        .prefetch_related(
            Prefetch("focus_dimensions", queryset=Dimension.objects.order_by("order"))
        )
    )
    signals = {kind: [] for kind in Signal.Kind.values}
    for signal in revision.signals.all():
        signals[signal.kind].append(signal)
    context = {
        "role": role,
        "revision": revision,
        "revisions": role.revisions.order_by("-number").only("number", "status", "role_id"),
        "dimensions": dimensions,
        "competency_areas": revision.competency_areas.all(),
        "exercises": revision.exercises.all(),
        "signals": signals,
        "stages": stages,
    }
    return render(request, "roles/detail.html", context)
