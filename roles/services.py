"""Importing, exporting and copying whole role revisions.

The parser (the roles/blueprint package) turns a file into plain data; this module turns that data
into rows and rows back into the same shape, so that an export imports back as an
identical revision. Each function that writes runs in one transaction: a failure leaves
nothing half-made. Callers: the import_blueprint/export_role commands, the import and
edit pages, and the demo command (which imports the built-in blueprints, published).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from roles import scoring_policy
from roles.blueprint import (
    MAX_BYTES,
    BlueprintError,
    ParsedBlueprint,
    ParsedCompetencyArea,
    ParsedDimension,
    ParsedExercise,
    ParsedStage,
    json_format,
    limits,
    parse_blueprint,
)
from roles.blueprint.types import CENT
from roles.models import (
    DEFAULT_THRESHOLDS,
    CompetencyArea,
    Dimension,
    Exercise,
    InterviewStage,
    PublishError,
    Role,
    RoleRevision,
    Signal,
    WarningDismissal,
    role_slug,
    warning_key,
)

# The five real blueprints that make the built-in role library.
BUILTIN_BLUEPRINTS = Path(__file__).resolve().parent / "blueprints"
# The recruiter's review of their warnings: file name -> {warning text: reason dismissed}.
BUILTIN_REVIEWS = BUILTIN_BLUEPRINTS / "reviews.json"
ANCHOR_LEVELS = limits.ANCHOR_LEVELS


@dataclass
class RevisionExtras:
    """What an export carries beyond the parser's data: edits a recruiter made after import
    (anchors travel with the parser's dimensions)."""

    min_scores: list[int | None] = field(default_factory=list)  # per dimension
    red_flag_policy: str = scoring_policy.DEFAULT_RED_FLAG_POLICY
    min_scorecards: int = scoring_policy.DEFAULT_MIN_SCORECARDS
    min_coverage: Decimal = scoring_policy.DEFAULT_MIN_COVERAGE
    blind_review: bool = False
    thresholds: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))


@dataclass
class LoadedFile:
    """One role read from a file: the parsed data and, for exports, the extras."""

    parsed: ParsedBlueprint
    extras: RevisionExtras | None = None

    def to_json(self, file: str = "") -> dict[str, Any]:
        """The parser's JSON plus the extras: the shape load_export reads back."""
        if self.extras is None:
            return json_format.to_json(self.parsed, file)
        return json_format.to_json(
            self.parsed,
            file,
            min_scores=self.extras.min_scores,
            settings=_extras_settings_json(self.extras),
        )


@dataclass
class ImportResult:
    revision: RoleRevision
    created: bool
    # Set when publishing was asked for and refused; the revision then stays a draft.
    publish_error: str | None = None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def looks_like_json(data: bytes) -> bool:
    """Exports are JSON; blueprints are prose. A JSON document opens with { or [."""
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[")


def load_file(data: bytes, filename: str, *, as_json: bool | None = None) -> list[LoadedFile]:
    """A blueprint text or an export JSON (one role or a list) -> the roles it holds, each
    within every limit of a role (roles.blueprint.limits).

    Raises BlueprintError with one sentence naming the file, whatever is wrong with it.
    """
    if len(data) > MAX_BYTES:
        raise BlueprintError(
            f"{filename} is {len(data) / 1024 / 1024:.1f} MB, over the 2 MB limit for a blueprint."
        )
    # Scraped text may open with "[Skip to content]"; only a .json name (or the caller)
    # insists that a file which is not valid JSON be reported as broken JSON.
    insist = as_json or (as_json is None and filename.lower().endswith(".json"))
    if as_json is False or not (insist or looks_like_json(data)):
        loaded = [LoadedFile(parse_blueprint(data, filename))]
    else:
        try:
            obj = json_format.loads(data, filename)
        except json_format.NotJson:
            if insist:
                raise
            obj = None
        if obj is None:
            loaded = [LoadedFile(parse_blueprint(data, filename))]
        else:
            items = obj if isinstance(obj, list) else [obj]
            if not items:
                raise BlueprintError(f"{filename} is an empty list; it holds no role.")
            loaded = [
                load_export(item, filename if len(items) == 1 else f"{filename} (role {n})")
                for n, item in enumerate(items, 1)
            ]
    for item in loaded:
        check_importable(item.parsed, filename)
    return loaded


def load_export(obj: Any, filename: str) -> LoadedFile:
    """An export_role object (or import_blueprint --format json item) -> LoadedFile."""
    read = json_format.read(obj, filename)
    parsed = read.parsed
    extras = RevisionExtras(min_scores=read.min_scores)
    settings = read.settings
    policy = settings.get("red_flag_policy", extras.red_flag_policy)
    min_scorecards = settings.get("min_scorecards", extras.min_scorecards)
    coverage = _decimal(settings.get("min_coverage", extras.min_coverage))
    _need(
        coverage is not None and 0 <= coverage <= 1 and coverage == coverage.quantize(CENT),
        filename,
        '"min_coverage" must be a number from 0 to 1 with at most two decimals',
    )
    thresholds = settings.get("thresholds", extras.thresholds)
    _need(
        isinstance(thresholds, dict) and set(thresholds) == set(DEFAULT_THRESHOLDS),
        filename,
        '"thresholds" must give strong_hire, hire and no_hire',
    )
    for band, value in thresholds.items():
        # The editor takes a threshold to the hundredth, as it shows them.
        number = _decimal(value)
        _need(
            number is None
            or not scoring_policy.RATING_MIN <= number <= scoring_policy.RATING_MAX
            or number == number.quantize(CENT),
            filename,
            f'the {band} threshold "{str(value)[:20]}" has more than two decimals',
        )
    try:  # the one check of scoring settings, as the editor and the model make it
        scoring_policy.Policy(
            thresholds=thresholds,
            red_flag_policy=policy,
            min_scorecards=min_scorecards,
            min_coverage=coverage,
        )
    except ValueError as exc:
        _need(False, filename, f'"settings": {exc}')
    extras.red_flag_policy = policy
    extras.min_scorecards = min_scorecards
    extras.min_coverage = coverage
    extras.blind_review = settings.get("blind_review", False)
    extras.thresholds = {band: str(thresholds[band]) for band in DEFAULT_THRESHOLDS}
    return LoadedFile(parsed, extras)


def _need(condition: bool, filename: str, what: str) -> None:
    if not condition:
        raise BlueprintError(f"{filename} is not a valid role export: {what}.")


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        return None
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


# --------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------


def check_importable(parsed: ParsedBlueprint, filename: str) -> None:
    """Every limit of a role (roles.blueprint.limits), as the database and the editor need
    them; raises BlueprintError. load_file() has checked what it returned; importing
    checks again, as the import preview's corrections may have broken one."""
    try:
        limits.check_role(parsed)
    except limits.LimitError as exc:
        raise BlueprintError(f"{filename} cannot be imported: {exc}.") from None


def import_parsed(
    parsed: ParsedBlueprint,
    *,
    source_name: str,
    source_sha256: str,
    user=None,
    publish: bool = False,
    extras: RevisionExtras | None = None,
    dismissals: dict[str, str] | None = None,
) -> ImportResult:
    """Store a parsed blueprint as a new draft revision (published if asked and possible).

    `dismissals` maps warning texts to the reason each was dismissed (by `user`), as
    recorded before publishing; a warning left without one keeps the revision a draft.
    Idempotent: a file whose hash some revision already carries creates nothing. A new
    file for an existing role (same slug) becomes that role's next revision. Raises
    BlueprintError when the data cannot be stored as it is.
    """
    reasons = {warning_key(text): reason for text, reason in (dismissals or {}).items()}
    check_importable(parsed, source_name or parsed.slug)
    existing = _revision_with_sha(source_sha256)
    if existing is None:
        with transaction.atomic():
            role, _ = Role.objects.get_or_create(
                slug=role_slug(parsed.slug),
                defaults={"title": parsed.title, "summary": parsed.summary},
            )
            # The lock queues concurrent imports of one role: numbers stay unique and a
            # second copy of the same file finds the first once it is committed.
            role = Role.objects.select_for_update().get(pk=role.pk)
            existing = _revision_with_sha(source_sha256)
            if existing is None:
                if not role.summary and parsed.summary:
                    role.summary = parsed.summary
                    role.save(update_fields=["summary"])
                revision = _create_revision(role, parsed, extras, source_name, source_sha256, user)
                revision.dismiss_warnings(reasons, by=user)
                result = ImportResult(revision, created=True)
                if publish:
                    result.publish_error = _try_publish(revision, user)
                return result
    result = ImportResult(existing, created=False)
    if publish and existing.is_draft:
        newest = existing.role.revisions.order_by("-number").values_list("pk", flat=True)[0]
        if newest == existing.pk:  # never archive a newer published revision
            existing.dismiss_warnings(reasons, by=user)
            result.publish_error = _try_publish(existing, user)
    return result


def builtin_reviews() -> dict[str, dict[str, str]]:
    """Built-in file name -> {warning text: the reason it was dismissed}."""
    reviews = json.loads(BUILTIN_REVIEWS.read_text(encoding="utf-8"))
    return {name: review for name, review in reviews.items() if name.endswith(".txt")}


def builtin_source_name(title: str) -> str:
    """What a built-in role says it came from: its files are named by a hash, which
    tells a person nothing."""
    return f"Built-in blueprint: {title}"


def import_builtin_roles(user=None, *, publish: bool = True) -> list[ImportResult]:
    """Import (and publish) the built-in blueprints, their warnings dismissed as the
    recruiter reviewed them (by `user`); a second call creates nothing."""
    reviews = builtin_reviews()
    results = []
    for path in sorted(BUILTIN_BLUEPRINTS.glob("*.txt")):
        data = path.read_bytes()
        parsed = parse_blueprint(data, path.name)
        results.append(
            import_parsed(
                parsed,
                source_name=builtin_source_name(parsed.title),
                source_sha256=sha256_of(data),
                user=user,
                publish=publish,
                dismissals=reviews.get(path.name, {}),
            )
        )
    return results


def _revision_with_sha(sha: str) -> RoleRevision | None:
    if not sha:
        return None
    return (
        RoleRevision.objects.filter(source_sha256=sha)
        .select_related("role")
        .order_by("-created_at", "-pk")
        .first()
    )


def _try_publish(revision: RoleRevision, user) -> str | None:
    try:
        revision.publish(by=user)
    except PublishError as exc:
        return str(exc)
    return None


def _fit(text: str, model, field_name: str) -> str:
    limit = model._meta.get_field(field_name).max_length
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def normalise_anchors(anchors: list[str]) -> list[str]:
    """Five texts, or [] when all are empty (the defaults apply)."""
    texts = [(a or "").strip() for a in anchors][:ANCHOR_LEVELS]
    texts += [""] * (ANCHOR_LEVELS - len(texts))
    return texts if any(texts) else []


def _create_revision(role, parsed, extras, source_name, source_sha256, user) -> RoleRevision:
    extras = extras or RevisionExtras()
    revision = RoleRevision.objects.create(
        role=role,
        number=role.next_revision_number(),
        status=RoleRevision.Status.DRAFT,
        source_name=_fit(source_name, RoleRevision, "source_name"),
        source_sha256=source_sha256,
        import_warnings=list(parsed.warnings),
        thresholds=dict(extras.thresholds),
        red_flag_policy=extras.red_flag_policy,
        min_scorecards=extras.min_scorecards,
        min_coverage=extras.min_coverage,
        blind_review=extras.blind_review,
        created_by=user,
    )
    dimensions = bulk_create_with_history(
        [
            Dimension(
                revision=revision,
                order=n,
                name=d.name.strip(),
                meets_bar=d.meets_bar,
                weight=d.weight,
                anchors=normalise_anchors(d.anchors),
                anchor_sources=normalise_anchors(d.anchor_sources),
                min_score=extras.min_scores[n] if n < len(extras.min_scores) else None,
            )
            for n, d in enumerate(parsed.dimensions)
        ],
        Dimension,
        default_user=user,
    )
    CompetencyArea.objects.bulk_create(
        CompetencyArea(
            revision=revision,
            order=n,
            name=a.name,
            description=a.description,
        )
        for n, a in enumerate(parsed.competency_areas)
    )
    exercises = Exercise.objects.bulk_create(
        Exercise(
            revision=revision,
            order=n,
            title=e.title,
            duration_min=e.duration_min,
            duration_max=e.duration_max,
            prompt=e.prompt,
            look_for=list(e.look_for),
            must_cover=list(e.must_cover),
        )
        for n, e in enumerate(parsed.exercises)
    )
    Signal.objects.bulk_create(
        Signal(revision=revision, order=n, kind=kind, text=text)
        for kind in Signal.Kind.values
        for n, text in enumerate(parsed.signals.get(kind, []))
    )
    by_name = {d.name: d for d in dimensions}
    stages = InterviewStage.objects.bulk_create(
        InterviewStage(
            revision=revision,
            order=n,
            name=s.name,
            duration_minutes=s.duration_minutes,
            exercise=exercises[s.exercise_index] if s.exercise_index is not None else None,
        )
        for n, s in enumerate(parsed.stages)
    )
    Focus = InterviewStage.focus_dimensions.through
    Focus.objects.bulk_create(
        Focus(interviewstage=stage, dimension=by_name[name.strip()])
        for stage, parsed_stage in zip(stages, parsed.stages, strict=True)
        for name in dict.fromkeys(parsed_stage.focus)
        if name.strip() in by_name
    )
    return revision


def apply_dimension_edits(parsed: ParsedBlueprint, edits: list[dict[str, Any]]) -> None:
    """Apply the import preview's corrections (name, weight, meets bar per dimension).

    The default loop names its focus dimensions, so renames are carried over to it.
    """
    renames = {}
    for dim, edit in zip(parsed.dimensions, edits, strict=True):
        new_name = edit["name"].strip()
        renames[dim.name] = new_name
        dim.name = new_name
        dim.weight = Decimal(edit["weight"])
        meets_bar = (edit.get("meets_bar") or "").strip()
        if meets_bar != dim.meets_bar and len(dim.anchor_sources) >= 3:
            # Level 3's anchor is the meets-bar text: retyped, it no longer comes from the file.
            dim.anchor_sources[2] = ""
        dim.meets_bar = meets_bar
    for stage in parsed.stages:
        stage.focus = [renames.get(name, name) for name in stage.focus]


# --------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------


def default_export_revision(role: Role) -> RoleRevision | None:
    """What "export the role" means: its published revision, else its newest one."""
    revisions = role.revisions.order_by("-number")
    return revisions.filter(status=RoleRevision.Status.PUBLISHED).first() or revisions.first()


def export_revision(revision: RoleRevision) -> dict[str, Any]:
    """The revision as JSON-ready data that import_blueprint reads back identically."""
    role = revision.role
    dimensions = list(revision.dimensions.order_by("order", "id"))
    exercises = list(revision.exercises.order_by("order", "id"))
    exercise_index = {e.pk: n for n, e in enumerate(exercises)}
    stages = revision.stages.order_by("order", "id").prefetch_related("focus_dimensions")
    signals: dict[str, list[str]] = {kind: [] for kind in Signal.Kind.values}
    for signal in revision.signals.order_by("order", "id"):
        signals[signal.kind].append(signal.text)
    dim_order = {d.pk: n for n, d in enumerate(dimensions)}
    parsed = ParsedBlueprint(
        title=role.title,
        slug=role.slug,
        summary=role.summary,
        dimensions=[
            ParsedDimension(
                d.name,
                d.meets_bar,
                d.weight,
                anchors=five_texts(d.anchors),
                anchor_sources=five_texts(d.anchor_sources),
            )
            for d in dimensions
        ],
        competency_areas=[
            ParsedCompetencyArea(a.name, a.description)
            for a in revision.competency_areas.order_by("order", "id")
        ],
        exercises=[
            ParsedExercise(
                title=e.title,
                duration_min=e.duration_min,
                duration_max=e.duration_max,
                prompt=e.prompt,
                look_for=list(e.look_for),
                must_cover=list(e.must_cover),
            )
            for e in exercises
        ],
        signals=signals,
        stages=[
            ParsedStage(
                name=s.name,
                duration_minutes=s.duration_minutes,
                exercise_index=exercise_index.get(s.exercise_id),
                focus=[
                    d.name
                    for d in sorted(s.focus_dimensions.all(), key=lambda d: dim_order.get(d.pk, 0))
                ],
            )
            for s in stages
        ],
        warnings=list(revision.import_warnings or []),
    )
    return json_format.to_json(
        parsed,
        min_scores=[d.min_score for d in dimensions],
        settings=_settings_json(revision),
        revision={
            "number": revision.number,
            "status": revision.status,
            "source_name": revision.source_name,
        },
    )


def five_texts(texts) -> list[str]:
    """A stored list of level texts as five strings (the export always has five)."""
    return normalise_anchors(texts if isinstance(texts, list) else []) or [""] * ANCHOR_LEVELS


def export_json(revision: RoleRevision) -> str:
    """The export as export_role prints it and the page's "Export JSON" serves it."""
    return json.dumps(export_revision(revision), indent=2, ensure_ascii=False) + "\n"


def check_exportable(revision: RoleRevision) -> None:
    """The revision's export imports back: read as every import reads it, it keeps every
    limit of a role (roles.blueprint.limits), its size included. The editor asks this
    before its save is committed; BlueprintError says what is wrong."""
    load_file(export_json(revision).encode(), "The export", as_json=True)


def _settings_json(revision: RoleRevision) -> dict[str, Any]:
    return {
        "red_flag_policy": revision.red_flag_policy,
        "min_scorecards": revision.min_scorecards,
        "min_coverage": f"{Decimal(revision.min_coverage).quantize(CENT)}",
        "blind_review": revision.blind_review,
        "thresholds": {
            band: str(revision.thresholds.get(band, default))
            for band, default in DEFAULT_THRESHOLDS.items()
        },
    }


def _extras_settings_json(extras: RevisionExtras) -> dict[str, Any]:
    return {
        "red_flag_policy": extras.red_flag_policy,
        "min_scorecards": extras.min_scorecards,
        "min_coverage": f"{extras.min_coverage}",
        "blind_review": extras.blind_review,
        "thresholds": dict(extras.thresholds),
    }


# --------------------------------------------------------------------------------------
# Copy (a frozen or published revision is never edited: its copy is)
# --------------------------------------------------------------------------------------


def clone_revision(
    revision: RoleRevision, user, pk_map: dict[str, dict[int, int]] | None = None
) -> RoleRevision:
    """A new draft revision with everything `revision` has; `revision` stays as it was.

    When `pk_map` is given it is filled with old pk -> new pk per kind ("dimensions",
    "exercises", "stages", "signals", "areas"), so an edit posted against the old
    revision can be applied to the copy.
    """
    pk_map = {} if pk_map is None else pk_map
    with transaction.atomic():
        role = Role.objects.select_for_update().get(pk=revision.role_id)
        copy = RoleRevision.objects.create(
            role=role,
            number=role.next_revision_number(),
            status=RoleRevision.Status.DRAFT,
            source_name=revision.source_name,
            import_warnings=list(revision.import_warnings or []),
            thresholds=dict(revision.thresholds or DEFAULT_THRESHOLDS),
            red_flag_policy=revision.red_flag_policy,
            min_scorecards=revision.min_scorecards,
            min_coverage=revision.min_coverage,
            blind_review=revision.blind_review,
            created_by=user,
            based_on=revision,
        )
        old_dims = list(revision.dimensions.order_by("order", "id"))
        new_dims = bulk_create_with_history(
            [
                Dimension(
                    revision=copy,
                    order=d.order,
                    name=d.name,
                    meets_bar=d.meets_bar,
                    weight=d.weight,
                    anchors=list(d.anchors or []),
                    anchor_sources=list(d.anchor_sources or []),
                    min_score=d.min_score,
                )
                for d in old_dims
            ],
            Dimension,
            default_user=user,
        )
        pk_map["dimensions"] = _pairs(old_dims, new_dims)
        # The copy carries the same warnings, so the reasons they were dismissed with too.
        WarningDismissal.objects.bulk_create(
            WarningDismissal(
                revision=copy,
                key=d.key,
                text=d.text,
                reason=d.reason,
                dismissed_by_id=d.dismissed_by_id,
                dismissed_at=d.dismissed_at,
            )
            for d in revision.warning_dismissals.all()
        )
        old_areas = list(revision.competency_areas.order_by("order", "id"))
        new_areas = CompetencyArea.objects.bulk_create(
            CompetencyArea(revision=copy, order=a.order, name=a.name, description=a.description)
            for a in old_areas
        )
        pk_map["areas"] = _pairs(old_areas, new_areas)
        old_exercises = list(revision.exercises.order_by("order", "id"))
        new_exercises = Exercise.objects.bulk_create(
            Exercise(
                revision=copy,
                order=e.order,
                title=e.title,
                duration_min=e.duration_min,
                duration_max=e.duration_max,
                prompt=e.prompt,
                look_for=list(e.look_for),
                must_cover=list(e.must_cover),
            )
            for e in old_exercises
        )
        pk_map["exercises"] = _pairs(old_exercises, new_exercises)
        old_signals = list(revision.signals.order_by("kind", "order", "id"))
        new_signals = Signal.objects.bulk_create(
            Signal(revision=copy, order=s.order, kind=s.kind, text=s.text) for s in old_signals
        )
        pk_map["signals"] = _pairs(old_signals, new_signals)
        old_stages = list(
            revision.stages.order_by("order", "id").prefetch_related("focus_dimensions")
        )
        new_stages = InterviewStage.objects.bulk_create(
            InterviewStage(
                revision=copy,
                order=s.order,
                name=s.name,
                duration_minutes=s.duration_minutes,
                exercise_id=pk_map["exercises"].get(s.exercise_id),
            )
            for s in old_stages
        )
        pk_map["stages"] = _pairs(old_stages, new_stages)
        Focus = InterviewStage.focus_dimensions.through
        Focus.objects.bulk_create(
            Focus(interviewstage=new, dimension_id=pk_map["dimensions"][d.pk])
            for old, new in zip(old_stages, new_stages, strict=True)
            for d in old.focus_dimensions.all()
        )
    return copy


def _pairs(old: list, new: list) -> dict[int, int]:
    return {a.pk: b.pk for a, b in zip(old, new, strict=True)}
