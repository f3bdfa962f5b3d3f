"""The role library: the list of roles, a role's page, importing a blueprint (upload ->
preview -> confirm), editing a revision, and publishing it.

Recruiters and hiring managers read; only recruiters import, edit and publish.
"""

from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from hiring_site.access import (
    HIRING_MANAGER,
    INTERVIEWER,
    RECRUITER,
    group_required,
    is_recruiter,
)
from hiring_site.params import MAX_SEARCH_LENGTH, int_param, page_of, text_param
from roles import services
from roles.blueprint import BlueprintError
from roles.blueprint.anchors import split_source
from roles.forms import (
    EDIT_PREFIXES,
    PreviewDimensionFormSet,
    RevisionEditor,
    UploadForm,
    WarningReviewForm,
    posted_weight_total,
    remap_edit_data,
    with_extra_row,
    with_row_moved,
)
from roles.models import (
    LEVEL_LABELS,
    PREVIEW_LIFETIME_HOURS,
    Dimension,
    ImportPreview,
    InterviewStage,
    PreviewTooLarge,
    PublishError,
    Role,
    RoleRevision,
    Signal,
    WarningDismissal,
    interviewer_scope,
    role_slug,
)
from roles.weights import WeightTotal

# Where previews lived before ImportPreview kept them: the import page drops them.
LEGACY_SESSION_KEYS = ("role_import_previews", "role_imports_confirmed")
EXPIRED = (
    f"This import preview expired: previews are kept for {PREVIEW_LIFETIME_HOURS} hours. "
    "Nothing was saved; upload the file again."
)
PAGE_SIZE = 25
# What the revision history shows of the people who made and published a revision.
PERSON = ("first_name", "last_name", "username")


def _interviewer_scope(user) -> dict[int, set[int]] | None:
    return interviewer_scope(user)


def _get_role_for_user(request, slug, scope) -> Role:
    """A role the user may view: any, or for an interviewer one they interview for
    (404 otherwise, so its existence is not revealed)."""
    roles = Role.objects.all()
    if scope is not None:
        roles = roles.filter(pk__in=RoleRevision.objects.filter(pk__in=scope).values("role_id"))
    return get_object_or_404(roles, slug=slug)


def _get_revision_for_user(request, slug, number) -> RoleRevision:
    return get_object_or_404(
        RoleRevision.objects.select_related("role"), role__slug=slug, number=number
    )


@require_http_methods(["GET"])
@group_required(RECRUITER, HIRING_MANAGER, INTERVIEWER)
def role_list(request):
    scope = _interviewer_scope(request.user)
    query = text_param(request, "q", what="search")
    revisions = RoleRevision.objects.all()
    roles = Role.objects.order_by("title", "id")
    if scope is not None:  # an interviewer: the revisions they interview on, and their roles
        revisions = revisions.filter(pk__in=scope)
        roles = roles.filter(pk__in=revisions.values("role_id"))
    if query:
        roles = roles.filter(title__icontains=query)
    # Plain values rather than models, here and below: the page has 25 rows of them.
    roles = roles.values("pk", "slug", "title").annotate(
        latest_id=Subquery(
            revisions.filter(role=OuterRef("pk")).order_by("-number").values("pk")[:1]
        )
    )
    page = page_of(request, Paginator(roles, PAGE_SIZE))
    # Each row shows its role's newest revision with its totals, and the published one
    # when that is another: two queries for the page, whatever the history's length.
    latest_ids = [role["latest_id"] for role in page if role["latest_id"]]
    shown = (
        revisions.filter(
            Q(pk__in=latest_ids)
            | Q(role_id__in=[role["pk"] for role in page], status=RoleRevision.Status.PUBLISHED)
        )
        .values("pk", "role_id", "number", "status", "import_warnings")
        .annotate(
            stage_count=Count("stages"),
            dismissed_count=Coalesce(
                Subquery(
                    WarningDismissal.objects.filter(revision=OuterRef("pk"))
                    .order_by()
                    .values("revision")
                    .annotate(count=Count("pk"))
                    .values("count")
                ),
                0,
            ),
        )
    )
    by_role = defaultdict(dict)
    for revision in shown:
        by_role[revision["role_id"]][revision["pk"]] = revision
    dimensions = {
        revision_id: (count, total)
        for revision_id, count, total in Dimension.objects.filter(revision_id__in=latest_ids)
        .order_by()
        .values_list("revision_id")
        .annotate(Count("pk"), Sum("weight"))
    }
    sees_applications = scope is None
    open_applications = _open_applications(request.user, page) if sees_applications else {}
    rows = []
    for role in page:
        role_revisions = by_role[role["pk"]]
        latest = role_revisions.get(role["latest_id"])
        published = next(
            (
                r
                for r in role_revisions.values()
                if r["status"] == RoleRevision.Status.PUBLISHED and r is not latest
            ),
            None,
        )
        row = {
            # reverse() here costs less than {% url %} per row, which looks up the app.
            "url": reverse("roles:detail", args=[role["slug"]]),
            "title": role["title"],
            "has_revision": latest is not None,
        }
        if sees_applications:
            row.update(
                open_applications=str(open_applications.get(role["pk"], 0)),
                pipeline_url=reverse("hiring:pipeline", args=[role["slug"]]),
            )
        if latest is not None:
            count, total = dimensions.get(latest["pk"], (0, Decimal(0)))
            weights = WeightTotal(total)
            row.update(
                dimension_count=str(count),
                # Shown only when it stops a publish: a total of 100 says nothing.
                weights_ok=weights.ok,
                weights=weights.display,
                weights_target=weights.target,
                stage_count=str(latest["stage_count"]),
                # The warnings still open: dismissed ones need no more attention.
                warning_count=max(
                    len(latest["import_warnings"] or ()) - latest["dismissed_count"], 0
                ),
                badges=[_badge(r) for r in (latest, published) if r is not None],
            )
        rows.append(row)
    return render(
        request,
        "roles/list.html",
        {
            "page": page,
            "rows": rows,
            "query": query,
            "search_max_length": MAX_SEARCH_LENGTH,
            "can_manage": is_recruiter(request.user),
            "interviewer_view": scope is not None,
            "own_applications_only": sees_applications and not is_recruiter(request.user),
        },
    )


# An application's status while it is open (hiring.models.Application.Status.ACTIVE; a
# string here, as roles sits below hiring).
_OPEN = "active"


def _open_applications(user, roles) -> dict[int, int]:
    """The open applications of each of `roles` (the page's rows), in one query: every
    one for a recruiter, a hiring manager's own otherwise (as the pipeline lists them).
    Through the revisions' reverse relation: roles does not import hiring."""
    applications = Q(applications__status=_OPEN)
    if not is_recruiter(user):
        applications &= Q(applications__hiring_manager=user)
    return dict(
        RoleRevision.objects.filter(role_id__in=[role["pk"] for role in roles])
        .order_by()
        .values_list("role_id")
        .annotate(n=Count("applications", filter=applications))
    )


STATUS_LABELS = {value: label.lower() for value, label in RoleRevision.Status.choices}


def _badge(revision: dict) -> dict:
    """What a row of the role list shows of a revision's status (as
    roles/_status_badge.html), as plain text: the list has 25 rows, and a template reads a
    dict and a string faster than a model and a number it would localize."""
    return {
        "status": revision["status"],
        "number": str(revision["number"]),
        "label": STATUS_LABELS[revision["status"]],
    }


def _pick_revision(revisions: list[RoleRevision], number: int | None) -> RoleRevision:
    """The revision asked for, from the role's revisions (newest first); by default what
    is in use: the published revision, else the newest."""
    if number is not None:
        found = next((r for r in revisions if r.number == number), None)
    else:
        found = next((r for r in revisions if r.status == RoleRevision.Status.PUBLISHED), None)
        found = found or (revisions[0] if revisions else None)
    if found is None:
        raise RoleRevision.DoesNotExist
    return found


@require_http_methods(["GET"])
@group_required(RECRUITER, HIRING_MANAGER, INTERVIEWER)
def role_detail(request, slug):
    number = int_param(request, "revision", what="revision number")
    scope = _interviewer_scope(request.user)
    # The history table lists every revision, read with their role and the people who
    # made them in one query: the one shown is picked from the same rows.
    revisions = list(
        RoleRevision.objects.filter(role__slug=slug)
        .with_application_count()
        .select_related("role", "based_on", "created_by", "published_by")
        .only(
            *(f.name for f in RoleRevision._meta.concrete_fields),
            *(f"role__{f.name}" for f in Role._meta.concrete_fields),
            "based_on__number",
            *(f"{who}__{field}" for who in ("created_by", "published_by") for field in PERSON),
        )
        .order_by("-number")
    )
    if scope is not None:  # an interviewer: the revisions they interview on
        revisions = [r for r in revisions if r.pk in scope]
    if revisions:
        role = revisions[0].role
    else:  # a role with no revision (shown), or none the user may see (404)
        role = _get_role_for_user(request, slug, scope)
    try:
        revision = _pick_revision(revisions, number)
    except RoleRevision.DoesNotExist:
        return render(request, "roles/detail.html", {"role": role, "revision": None}, status=404)
    can_manage = is_recruiter(request.user)
    stages = (
        revision.stages.order_by("order", "id")
        .select_related("exercise")
        .only("revision_id", "name", "duration_minutes", "exercise__title")
    )
    exercises = revision.exercises.order_by("order", "id")
    if scope is not None:  # an interviewer sees the stages they interview for, no others
        stages = stages.filter(pk__in=scope[revision.pk])
        exercises = exercises.filter(stages__in=stages.values("pk")).distinct()
    stages = list(stages)
    # Each stage's focus dimensions by name, in the scorecard's order: one light query on
    # the link table rather than a prefetch of whole dimensions.
    focus = defaultdict(list)
    for stage_id, name in (
        InterviewStage.focus_dimensions.through.objects.filter(
            interviewstage_id__in=[stage.pk for stage in stages]
        )
        .order_by("dimension__order", "dimension_id")
        .values_list("interviewstage_id", "dimension__name")
    ):
        focus[stage_id].append(name)
    for stage in stages:
        stage.focus_names = focus[stage.pk]
    dimensions = list(revision.dimensions.order_by("order", "id"))
    signals = {kind: [] for kind in Signal.Kind.values}
    for kind, text in revision.signals.order_by("kind", "order", "id").values_list("kind", "text"):
        signals[kind].append(text)
    context = {
        "role": role,
        "revision": revision,
        "revisions": revisions,
        "newer": [r for r in revisions if r.number > revision.number],
        "stages": stages,
        "dimensions": dimensions,
        "weights": WeightTotal.of(d.weight for d in dimensions),
        "signals": signals,
        "competency_areas": revision.competency_areas.order_by("order", "id"),
        "exercises": exercises,
        "can_manage": can_manage,
        "interviewer_view": scope is not None,
        "problems": revision.publish_problems() if can_manage and revision.is_draft else [],
    }
    if scope is None:  # import warnings are the recruiters' business, never an interviewer's
        dismissals = list(revision.warning_dismissals.select_related("dismissed_by"))
        open_warnings = revision.open_warnings(dismissals)
        context["open_warnings"] = open_warnings
        context["dismissals"] = dismissals
        if can_manage and revision.is_draft:
            context["warning_review"] = WarningReviewForm(open_warnings, prefix="warnings")
    return render(request, "roles/detail.html", context)


# --------------------------------------------------------------------------------------
# Import: upload -> preview -> confirm
# --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@group_required(RECRUITER)
def import_blueprint(request):
    # Sessions of before ImportPreview held whole previews, and every page loaded them.
    for key in LEGACY_SESSION_KEYS:
        request.session.pop(key, None)
    if request.method == "POST" and "token" in request.POST:
        if "cancel" in request.POST:
            return _cancel_import(request)
        return _confirm_import(request)
    bound = request.method == "POST"
    form = UploadForm(request.POST if bound else None, request.FILES if bound else None)
    if bound and form.is_valid():
        existing = (
            RoleRevision.objects.filter(source_sha256=form.sha256)
            .select_related("role")
            .order_by("-number")
            .first()
        )
        if existing is not None:
            messages.info(
                request,
                f"{form.filename} was already imported as revision {existing.number} of "
                f"{existing.role.title}; nothing new was created.",
            )
            return redirect(existing)
        data = form.loaded.to_json(form.filename)
        try:
            preview = ImportPreview.start(request.user, data, form.filename, form.sha256)
        except PreviewTooLarge as exc:
            form.add_error("file", str(exc))
            return render(request, "roles/import.html", {"form": form})
        dims = PreviewDimensionFormSet(
            prefix="dimensions",
            expected=len(data["dimensions"]),
            initial=[
                {"name": d["name"], "weight": d["weight"], "meets_bar": d["meets_bar"]}
                for d in data["dimensions"]
            ],
        )
        return _render_preview(request, preview.token, form.loaded, form.filename, dims)
    return render(request, "roles/import.html", {"form": form})


def _preview_gone(request, reason: str):
    """The answer to a preview token that leads nowhere: a page saying why, and the way
    back to the upload. A 404, as for any object that is not the user's."""
    return render(request, "roles/import_gone.html", {"reason": reason}, status=404)


NO_PREVIEW = (
    "There is no such import preview of yours: it was cancelled, replaced by newer "
    "previews, or expired and cleared. Nothing was saved; upload the file again."
)


def _already_confirmed(request, preview: ImportPreview):
    revision = preview.revision
    if revision is None:
        return _preview_gone(
            request,
            "This import preview was already confirmed, and the revision it made has since "
            "been deleted. Upload the file again to import it anew.",
        )
    messages.info(
        request,
        f"This import was already confirmed: it is revision {revision.number} of "
        f"{revision.role.title}. Nothing new was created.",
    )
    return redirect(revision)


def _confirm_import(request):
    preview = ImportPreview.objects.select_related("revision__role").of(
        request.user, request.POST.get("token")
    )
    if preview is None:
        return _preview_gone(request, NO_PREVIEW)
    if preview.is_confirmed:
        return _already_confirmed(request, preview)
    if preview.is_expired:
        return _preview_gone(request, EXPIRED)
    try:
        loaded = services.load_export(preview.data, preview.source_name)
    except BlueprintError:
        return _preview_gone(
            request, "The preview could not be read back. Nothing was saved; upload the file again."
        )
    dims = PreviewDimensionFormSet(
        request.POST, prefix="dimensions", expected=len(loaded.parsed.dimensions)
    )
    if not dims.is_valid():
        return _render_preview(
            request, preview.token, loaded, preview.source_name, dims, status=400
        )
    services.apply_dimension_edits(loaded.parsed, dims.cleaned_data)
    try:
        with transaction.atomic():
            # Of two submits of one preview (a double click, two tabs), the second waits
            # here, then finds it confirmed.
            locked = (
                ImportPreview.objects.select_for_update()
                .defer("data")  # read above; megabytes, perhaps
                .filter(pk=preview.pk)
                .first()
            )
            if locked is None:  # cancelled, or replaced, meanwhile
                return _preview_gone(request, NO_PREVIEW)
            if locked.is_confirmed:
                locked.revision = (
                    RoleRevision.objects.select_related("role")
                    .filter(pk=locked.revision_id)
                    .first()
                )
                return _already_confirmed(request, locked)
            result = services.import_parsed(
                loaded.parsed,
                source_name=preview.source_name,
                source_sha256=preview.source_sha256,
                user=request.user,
                extras=loaded.extras,
            )
            locked.mark_confirmed(result.revision)
    except BlueprintError as exc:
        dims = PreviewDimensionFormSet(
            request.POST, prefix="dimensions", expected=len(loaded.parsed.dimensions)
        )
        return _render_preview(
            request, preview.token, loaded, preview.source_name, dims, error=str(exc), status=400
        )
    revision = result.revision
    if result.created:
        messages.success(
            request,
            f"Imported {revision.role.title} as revision {revision.number} (draft). Check the "
            "loop, adjust it if needed, then publish.",
        )
    else:
        messages.info(
            request,
            f"{preview.source_name} was already imported as revision {revision.number} of "
            f"{revision.role.title}; nothing new was created.",
        )
    return redirect(revision)


def _cancel_import(request):
    preview = (
        ImportPreview.objects.select_related("revision__role")
        .defer("data")
        .of(request.user, request.POST.get("token"))
    )
    if preview is not None and preview.is_confirmed:
        return _already_confirmed(request, preview)
    if preview is not None:
        preview.delete()
        messages.info(request, f"Import of {preview.source_name} cancelled; nothing was saved.")
    else:
        messages.info(request, "That preview was already gone; nothing was saved.")
    return redirect("roles:import")


def _render_preview(request, token, loaded, filename, dims, *, error=None, status=200):
    parsed = loaded.parsed
    role = Role.objects.filter(slug=role_slug(parsed.slug)).first()
    next_number = role.next_revision_number() if role else 1
    # Rows a warning is about get highlighted; warnings about the loop are fixed later.
    row_warnings = [w for w in parsed.warnings if "stage" not in w.lower()]
    flagged = {
        n
        for n, d in enumerate(parsed.dimensions)
        if any(f"“{d.name}”" in w or f'"{d.name}"' in w for w in row_warnings)
    }
    stages = [
        SimpleNamespace(
            name=s.name,
            duration_minutes=s.duration_minutes,
            exercise=parsed.exercises[s.exercise_index].title
            if s.exercise_index is not None
            else "",
            focus=s.focus,
        )
        for s in parsed.stages
    ]
    anchors = [SimpleNamespace(name=d.name, levels=_proposed_levels(d)) for d in parsed.dimensions]
    if dims.is_bound:
        weights = posted_weight_total(dims.data)
    else:
        weights = WeightTotal.of(d.weight for d in parsed.dimensions)
    context = {
        "token": token,
        "lifetime_hours": PREVIEW_LIFETIME_HOURS,
        "parsed": parsed,
        "filename": filename,
        "existing_role": role,
        "next_number": next_number,
        "dims": dims,
        "dimension_rows": [(form, n in flagged) for n, form in enumerate(dims.forms)],
        "exercises": parsed.exercises,
        "stages": stages,
        "signals": parsed.signals,
        "competency_areas": parsed.competency_areas,
        "weights": weights,
        "error": error,
        "anchors": anchors,
    }
    return render(request, "roles/import_preview.html", context, status=status)


def _proposed_levels(dimension) -> list[SimpleNamespace]:
    """A parsed dimension's five anchors as the preview lists them, each with the line of
    the blueprint it came from (level 3 is its meets-bar text)."""
    texts = (list(dimension.anchors) + [""] * 5)[:5]
    sources = (list(dimension.anchor_sources) + [""] * 5)[:5]
    rows = []
    for level in range(1, 6):
        text = texts[level - 1] or (dimension.meets_bar if level == 3 else "")
        where, line = split_source(sources[level - 1])
        rows.append(
            SimpleNamespace(
                level=level, label=LEVEL_LABELS[level], text=text, where=where, line=line
            )
        )
    return rows


# --------------------------------------------------------------------------------------
# Edit and publish
# --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@group_required(RECRUITER)
def edit_revision(request, slug, number):
    revision = _get_revision_for_user(request, slug, number)
    if request.method == "GET":
        return _render_edit(request, revision, RevisionEditor(revision))
    data = request.POST
    add = data.get("add")
    if add in EDIT_PREFIXES:
        # Without JavaScript, "Add" posts the form back with one more empty row.
        return _render_edit(request, revision, RevisionEditor(revision, with_extra_row(data, add)))
    if "move" in data:
        # Without JavaScript, "Move up" / "Move down" post the form back with the row moved
        # (a move naming no row changes nothing); only "Save" stores the order.
        data, focus = with_row_moved(data, data["move"]) or (data, None)
        return _render_edit(request, revision, RevisionEditor(revision, data), moved=focus)
    editable = revision.is_editable()
    editor = RevisionEditor(revision, data, check_protected=editable)
    if not editor.is_valid():
        return _render_edit(request, revision, editor, status=400)
    removals = editor.removals()
    if removals and not data.get("confirm_remove"):
        return _render_edit(request, revision, editor, confirm=removals)
    try:
        with transaction.atomic():
            locked = revision.locked()
            target = revision
            if not locked.is_editable():
                pk_map: dict[str, dict[int, int]] = {}
                target = services.clone_revision(locked, request.user, pk_map)
                editor = RevisionEditor(target, remap_edit_data(data, pk_map))
                if not editor.is_valid():
                    transaction.set_rollback(True)
                    messages.error(request, "Nothing was saved: the revision changed meanwhile.")
                    return redirect("roles:edit", slug=slug, number=revision.number)
            editor.save()
            target.dismiss_warnings(editor.warnings.reasons(), by=request.user)
            # What the editor saves must export and import back (roles.blueprint.limits);
            # the forms keep each field's limits, this the whole (its size, say).
            services.check_exportable(target)
    except BlueprintError as exc:
        revision = _get_revision_for_user(request, slug, number)
        editor = RevisionEditor(revision, data, check_protected=editable)
        editor.is_valid()
        return _render_edit(request, revision, editor, save_error=str(exc), status=400)
    if target != revision:
        messages.info(
            request,
            f"Revision {revision.number} is {_why_frozen(revision)}, so it stays as it was; "
            f"your changes were saved as a new draft, revision {target.number}.",
        )
    if _publish_requested(data):
        return _publish_and_redirect(request, target, after_save=True)
    messages.success(request, f"Saved revision {target.number} (draft).")
    return redirect("roles:edit", slug=slug, number=target.number)


def _publish_requested(data) -> bool:
    return bool(data.get("publish")) or data.get("confirm_remove") == "publish"


def _why_frozen(revision: RoleRevision) -> str:
    if revision.is_frozen():
        return "used by applications"
    return revision.get_status_display().lower()


def _render_edit(
    request, revision, editor, *, confirm=None, save_error=None, moved=None, status=200
):
    other_draft = None
    if not revision.is_editable():
        other_draft = (
            revision.role.revisions.drafts()
            .exclude(pk=revision.pk)
            .filter(applications__isnull=True)
            .order_by("-number")
            .first()
        )
    context = {
        "role": revision.role,
        "revision": revision,
        "editor": editor,
        "editable": revision.is_editable(),
        "frozen": revision.is_frozen(),
        "other_draft": other_draft,
        "weights": editor.weight_total(),
        "confirm": confirm,
        "publish_requested": _publish_requested(request.POST),
        "error_count": editor.error_count() if editor.settings.is_bound else 0,
        "save_error": save_error,
        "moved": moved,
        # The parts that start folded open when they hold a problem or the moved row.
        "unfolded": editor.parts_to_unfold(moved),
    }
    return render(request, "roles/edit.html", context, status=status)


@require_POST
@group_required(RECRUITER)
def publish_revision(request, slug, number):
    revision = _get_revision_for_user(request, slug, number)
    if revision.is_draft:
        # The publish form carries a reason field per open import warning.
        review = WarningReviewForm(revision.open_warnings(), request.POST, prefix="warnings")
        if not review.is_valid():
            errors = " ".join(e for field in review.errors.values() for e in field)
            messages.error(request, f"Nothing was published or dismissed. {errors}")
            return redirect(revision)
        revision.dismiss_warnings(review.reasons(), by=request.user)
    return _publish_and_redirect(request, revision)


def _publish_and_redirect(request, revision, *, after_save=False):
    try:
        archived = revision.publish(by=request.user)
    except PublishError as exc:
        prefix = "Saved, but not published. " if after_save else ""
        messages.error(request, prefix + str(exc))
        # Another recruiter may have published it meanwhile: go where it now belongs.
        revision.refresh_from_db(fields=["status"])
        if revision.is_draft:
            return redirect("roles:edit", slug=revision.role.slug, number=revision.number)
        return redirect(revision)
    text = f"Published revision {revision.number} of {revision.role.title}."
    if archived is not None:
        text += f" Revision {archived.number} is archived; applications that use it keep it."
    messages.success(request, text)
    return redirect(revision)


@require_POST
@group_required(RECRUITER)
def weight_total(request):
    """The live total under the dimension weights (htmx posts the form as it is typed)."""
    weights = posted_weight_total(request.POST, "dimensions")
    return render(request, "roles/_weight_total.html", {"weights": weights})


@require_http_methods(["GET"])
@group_required(RECRUITER)
def export_revision(request, slug, number):
    revision = _get_revision_for_user(request, slug, number)
    response = HttpResponse(
        services.export_json(revision), content_type="application/json; charset=utf-8"
    )
    filename = f"{revision.role.slug}-r{revision.number}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
