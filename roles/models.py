"""What a role is and how it is interviewed.

A role has numbered revisions. A revision carries the scorecard (weighted
dimensions), the material imported from its blueprint (competency areas, exercises,
signals) and the interview loop (stages). A revision that an application uses is
frozen: editing it creates a new draft, so past scorecards keep the weights they
were given under.
"""

import hashlib
import json
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from hiring_site.access import is_hiring_manager, is_recruiter
from hiring_site.formatting import display_name, moment
from roles import scoring_policy
from roles.blueprint import limits
from roles.blueprint.types import duration_text
from roles.weights import MAX_WEIGHT, MIN_WEIGHT, WeightTotal

# As a revision stores them (JSON): the bands' lowest scores as text, e.g. "4.0".
DEFAULT_THRESHOLDS = {
    band: f"{value:.1f}" for band, value in scoring_policy.DEFAULT_THRESHOLDS.items()
}

# The rating scale is the same for every dimension; level 3 is the dimension's bar.
LEVEL_LABELS = {
    1: "Well below bar",
    2: "Below bar",
    3: "Meets bar",
    4: "Above bar",
    5: "Exceptional",
}


def default_thresholds():
    return dict(DEFAULT_THRESHOLDS)


@dataclass(frozen=True)
class ImportWarning:
    """One of a revision's import warnings; `key` names it in forms and dismissals."""

    key: str
    text: str


def warning_key(text: str) -> str:
    """A warning's stable name: a hash of its text (a revision's copy keeps its keys)."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# The longest reason a recruiter may give for dismissing a warning.
DISMISSAL_REASON_LENGTH = 1000


class PublishError(Exception):
    """Publishing was refused; the message says why, in words for the recruiter."""


# Fixed pages under /roles/ whose paths a role's slug must not take.
RESERVED_SLUGS = frozenset({"import", "weight-total"})


def role_slug(slug: str) -> str:
    """The slug a role is stored under: a reserved one gets "-role" appended."""
    return f"{slug}-role" if slug in RESERVED_SLUGS else slug


class Role(models.Model):
    slug = models.SlugField(max_length=limits.SLUG_LENGTH, unique=True)
    title = models.CharField(max_length=limits.TITLE_LENGTH)
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roles:detail", args=[self.slug])

    def next_revision_number(self) -> int:
        # Callers hold a lock on the role row, so two imports cannot take the same number.
        return (self.revisions.aggregate(top=Max("number"))["top"] or 0) + 1


def interviewer_scope(user) -> dict[int, set[int]] | None:
    """None for recruiters and hiring managers, who see every role. For anyone else
    (an interviewer): the revisions they interview on, each with the ids of the stages
    they interview for; DESIGN lets them view a role's stages they interview for. The
    role pages and the API read roles through it."""
    if is_recruiter(user) or is_hiring_manager(user):
        return None
    scope: dict[int, set[int]] = defaultdict(set)
    # Through the stages' reverse relation: roles does not import hiring.
    for revision_id, stage_id in (
        InterviewStage.objects.filter(interviews__interviewer=user)
        .order_by()
        .values_list("revision_id", "pk")
        .distinct()
    ):
        scope[revision_id].add(stage_id)
    return scope


class RoleRevisionQuerySet(models.QuerySet):
    def with_application_count(self):
        return self.annotate(
            application_count=Coalesce(
                Subquery(
                    # hiring depends on roles, so its model is looked up, not imported.
                    self.model._meta.get_field("applications")
                    .related_model.objects.filter(revision=OuterRef("pk"))
                    .order_by()
                    .values("revision")
                    .annotate(value=Count("pk"))
                    .values("value")
                ),
                0,
            )
        )

    def published(self):
        return self.filter(status=RoleRevision.Status.PUBLISHED)

    def drafts(self):
        return self.filter(status=RoleRevision.Status.DRAFT)

    def editable(self):
        """The revisions edited in place (RoleRevision.is_editable): drafts no
        application uses."""
        return self.drafts().filter(applications__isnull=True)


class RoleRevision(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    class RedFlagPolicy(models.TextChoices):
        VETO = scoring_policy.VETO, "Veto: a red flag caps the recommendation at no hire"
        WARN = scoring_policy.WARN, "Warn: a red flag is shown but changes nothing"

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    source_name = models.CharField(max_length=limits.SOURCE_NAME_LENGTH, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    import_warnings = models.JSONField(default=list, blank=True)
    thresholds = models.JSONField(default=default_thresholds)
    red_flag_policy = models.CharField(
        max_length=4, choices=RedFlagPolicy.choices, default=scoring_policy.DEFAULT_RED_FLAG_POLICY
    )
    min_scorecards = models.PositiveSmallIntegerField(default=scoring_policy.DEFAULT_MIN_SCORECARDS)
    # Checked with the other scoring settings in clean() (roles.scoring_policy); the
    # validators are the database's bounds, kept as the migrations have them.
    min_coverage = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=scoring_policy.DEFAULT_MIN_COVERAGE,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    # Blind review: the interviewers of this revision's applications see a candidate code
    # instead of the name, email and source (hiring.models.sees_candidate_names decides).
    blind_review = models.BooleanField(
        default=False,
        help_text="Interviewers see a candidate code instead of the name, email and source; "
        "recruiters and the hiring manager still see the name.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The revision this draft was copied from, when it was not imported from a file.
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RoleRevisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["role", "number"], name="unique_revision_number")
        ]
        indexes = [models.Index(fields=["role", "status"])]

    def __str__(self):
        return f"{self.role.title} r{self.number} ({self.get_status_display().lower()})"

    def get_absolute_url(self):
        return reverse("roles:detail", args=[self.role.slug]) + f"?revision={self.number}"

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    def scoring_policy(self) -> scoring_policy.Policy:
        """The revision's scoring settings, checked (roles.scoring_policy); ValueError
        says what is wrong with them."""
        try:
            return scoring_policy.Policy(
                thresholds=self.thresholds,
                red_flag_policy=self.red_flag_policy,
                min_scorecards=self.min_scorecards,
                min_coverage=self.min_coverage,
            )
        except TypeError as exc:  # e.g. thresholds stored as a list
            raise ValueError(str(exc)) from None

    def clean(self):
        super().clean()
        try:
            self.scoring_policy()
        except ValueError as exc:
            message = str(exc)
            raise ValidationError(f"{message[:1].upper()}{message[1:]}.") from None

    def is_frozen(self) -> bool:
        """An application uses this revision: its scorecard must never change again."""
        return self.applications.exists()

    def is_editable(self) -> bool:
        """Only an unused draft is edited in place; saving anything else makes a new draft."""
        return self.is_draft and not self.is_frozen()

    def import_warning_list(self) -> list[ImportWarning]:
        """Every import warning of this revision, once each, in the parser's order."""
        texts = self.import_warnings if isinstance(self.import_warnings, list) else []
        found = {warning_key(str(text)): str(text) for text in texts}
        return [ImportWarning(key, text) for key, text in found.items()]

    def open_warnings(self, dismissals=None) -> list[ImportWarning]:
        """The import warnings nobody has dismissed (with a reason) yet: publishing waits
        for each to be fixed and dismissed saying so, or dismissed saying why it stands.
        `dismissals`: the revision's WarningDismissals where already read (a page that
        lists them too), else they are read here."""
        warnings = self.import_warning_list()
        if not warnings:
            return []
        if dismissals is None:
            dismissed = set(self.warning_dismissals.values_list("key", flat=True))
        else:
            dismissed = {dismissal.key for dismissal in dismissals}
        return [w for w in warnings if w.key not in dismissed]

    def dismiss_warnings(self, reasons: dict[str, str], by=None) -> int:
        """Record a dismissal for each open warning given a reason (by key; blank reasons
        are skipped). Returns how many were recorded."""
        rows = [
            WarningDismissal(
                revision=self,
                key=warning.key,
                text=warning.text,
                reason=reasons[warning.key].strip()[:DISMISSAL_REASON_LENGTH],
                dismissed_by=by,
            )
            for warning in self.open_warnings()
            if (reasons.get(warning.key) or "").strip()
        ]
        # A second tab dismissing the same warning meanwhile: the first reason stays.
        WarningDismissal.objects.bulk_create(rows, ignore_conflicts=True)
        return len(rows)

    def publish_problems(self) -> list[str]:
        """Why this revision cannot be published yet, one sentence each; empty when it can."""
        problems = []
        dims = self.dimensions.aggregate(total=Sum("weight"), count=Count("pk"))
        weights = WeightTotal(dims["total"] or Decimal("0"))
        if not dims["count"]:
            problems.append("The scorecard has no dimensions.")
        elif not weights.ok:
            problems.append(f"The dimension weights total {weights}, not {weights.target}.")
        stages = self.stages.annotate(focus_count=Count("focus_dimensions")).order_by("order", "id")
        if not stages:
            problems.append("The interview loop has no stages.")
        unfocused = [stage.name for stage in stages if not stage.focus_count]
        if unfocused:
            names = ", ".join(f"“{name}”" for name in unfocused)
            problems.append(
                f"Every stage needs at least one focus dimension; {names} "
                f"{'has' if len(unfocused) == 1 else 'have'} none."
            )
        open_count = len(self.open_warnings())
        if open_count == 1:
            problems.append(
                "1 import warning is still open: fix what it says and dismiss it saying so, "
                "or dismiss it with the reason it can stand."
            )
        elif open_count:
            problems.append(
                f"{open_count} import warnings are still open: fix what each says and dismiss "
                "it saying so, or dismiss it with the reason it can stand."
            )
        return problems

    def locked(self) -> "RoleRevision":
        """This revision re-read under a row lock, its role locked first: the order every
        writer takes them in, so an edit and a publish never deadlock. Call it inside a
        transaction."""
        Role.objects.select_for_update().get(pk=self.role_id)
        return RoleRevision.objects.select_for_update().get(pk=self.pk)

    def publish(self, by=None) -> "RoleRevision | None":
        """Publish this draft and archive the role's published revision (returned, if any).

        The role and revision rows are locked, so of two recruiters publishing at once the
        second waits, then finds the revision no longer a draft and gets a clear refusal.
        Applications keep the revision they were pinned to, archived or not.
        """
        with transaction.atomic():
            current = self.locked()
            if current.status == self.Status.PUBLISHED:
                publisher = current.published_by
                who = display_name(publisher) if publisher else "someone"
                published_at = current.published_at
                when = f" at {moment(published_at)}" if published_at else ""
                raise PublishError(
                    f"Revision {current.number} was already published by {who}{when}."
                )
            if current.status != self.Status.DRAFT:
                raise PublishError(
                    f"Revision {current.number} is archived; edit it to start a new draft instead."
                )
            problems = current.publish_problems()
            if problems:
                raise PublishError(
                    f"Revision {current.number} cannot be published yet. " + " ".join(problems)
                )
            previous = list(
                RoleRevision.objects.select_for_update()
                .filter(role_id=self.role_id, status=self.Status.PUBLISHED)
                .exclude(pk=self.pk)
            )
            for old in previous:
                old.status = self.Status.ARCHIVED
                old.save(update_fields=["status"])
            current.status = self.Status.PUBLISHED
            current.published_at = timezone.now()
            current.published_by = by
            current.save(update_fields=["status", "published_at", "published_by"])
        self.status, self.published_at = current.status, current.published_at
        self.published_by = by
        return previous[0] if previous else None


class WarningDismissal(models.Model):
    """An import warning a recruiter checked before publishing: fixed, or let stand, and
    why. Kept with the revision (and copied to its new drafts)."""

    revision = models.ForeignKey(
        RoleRevision, on_delete=models.CASCADE, related_name="warning_dismissals"
    )
    key = models.CharField(max_length=16)
    text = models.TextField()
    reason = models.TextField(max_length=DISMISSAL_REASON_LENGTH)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["revision", "dismissed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "key"], name="unique_warning_dismissal")
        ]

    def __str__(self):
        return f"{self.text[:60]}: {self.reason[:60]}"


class Dimension(models.Model):
    revision = models.ForeignKey(RoleRevision, on_delete=models.CASCADE, related_name="dimensions")
    order = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=limits.NAME_LENGTH)
    meets_bar = models.TextField(blank=True)
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(MIN_WEIGHT), MaxValueValidator(MAX_WEIGHT)],
    )
    # Five strings, one per level; an empty string falls back to the default text.
    anchors = models.JSONField(default=list, blank=True)
    # Where each level's anchor came from, as five strings "Where: the blueprint line"
    # (roles.blueprint.anchors); "" for one typed in the editor or with no source.
    anchor_sources = models.JSONField(default=list, blank=True)
    min_score = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Optional knock-out bar: a panel mean below it caps the recommendation.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["revision", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_score__isnull=True)
                | models.Q(min_score__gte=1, min_score__lte=5),
                name="dimension_min_score_1_to_5",
            )
        ]

    def __str__(self):
        return self.name

    def anchor(self, level: int) -> str:
        """The text describing `level` (1-5) for this dimension."""
        texts = self.anchors if isinstance(self.anchors, list) else []
        if len(texts) >= level and texts[level - 1]:
            return texts[level - 1]
        if level == 3 and self.meets_bar:
            return self.meets_bar
        return LEVEL_LABELS[level]

    def anchor_list(self) -> list[tuple[int, str, str]]:
        return [(level, LEVEL_LABELS[level], self.anchor(level)) for level in range(1, 6)]

    def anchor_source(self, level: int) -> str:
        """Where `level`'s anchor came from ("Where: the blueprint line"), or ""."""
        sources = self.anchor_sources if isinstance(self.anchor_sources, list) else []
        source = sources[level - 1] if len(sources) >= level else ""
        return source if isinstance(source, str) else ""

    def anchor_rows(self) -> list[tuple[int, str, str, str]]:
        """(level, label, anchor, source) for levels 1-5: what the pages list."""
        return [(*row, self.anchor_source(row[0])) for row in self.anchor_list()]


class CompetencyArea(models.Model):
    revision = models.ForeignKey(
        RoleRevision, on_delete=models.CASCADE, related_name="competency_areas"
    )
    order = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=limits.NAME_LENGTH)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["revision", "order", "id"]

    def __str__(self):
        return self.name


class Exercise(models.Model):
    revision = models.ForeignKey(RoleRevision, on_delete=models.CASCADE, related_name="exercises")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=limits.EXERCISE_TITLE_LENGTH)
    duration_min = models.PositiveIntegerField(null=True, blank=True)
    duration_max = models.PositiveIntegerField(null=True, blank=True)
    prompt = models.TextField(blank=True)
    look_for = models.JSONField(default=list, blank=True)
    must_cover = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["revision", "order", "id"]

    def __str__(self):
        return self.title

    @property
    def duration_display(self) -> str:
        return duration_text(self.duration_min, self.duration_max)


class Signal(models.Model):
    class Kind(models.TextChoices):
        STRONG = "strong", "Strong signal"
        WEAK = "weak", "Weak signal"
        RED_FLAG = "red_flag", "Red flag"

    revision = models.ForeignKey(RoleRevision, on_delete=models.CASCADE, related_name="signals")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField()

    class Meta:
        ordering = ["revision", "kind", "order", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


class InterviewStage(models.Model):
    revision = models.ForeignKey(RoleRevision, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=limits.NAME_LENGTH)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    exercise = models.ForeignKey(
        Exercise, null=True, blank=True, on_delete=models.SET_NULL, related_name="stages"
    )
    focus_dimensions = models.ManyToManyField(Dimension, blank=True, related_name="focus_of")

    class Meta:
        ordering = ["revision", "order", "id"]

    def __str__(self):
        return self.name


# --------------------------------------------------------------------------------------
# Import previews: what an upload read, kept between the preview and the confirm
# --------------------------------------------------------------------------------------

# How long a preview waits for its confirm, how many a recruiter may have open at once
# (a new one drops the oldest), and the most role data one may hold: its JSON, in UTF-8
# bytes. The upload limit bounds the file; this bounds what is kept of it (the JSON of
# a file is about its size, escapes aside).
PREVIEW_LIFETIME_HOURS = 24
PREVIEW_LIFETIME = timedelta(hours=PREVIEW_LIFETIME_HOURS)
MAX_OPEN_PREVIEWS = 5
MAX_PREVIEW_BYTES = 2 * limits.MAX_BYTES
# A preview's token: secrets.token_urlsafe(PREVIEW_TOKEN_BYTES), 43 characters.
PREVIEW_TOKEN_BYTES = 32
_PREVIEW_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


class PreviewTooLarge(Exception):
    """The role data read from a file is over MAX_PREVIEW_BYTES; the message says so."""


def json_size(data) -> int:
    """The size of `data` as JSON text, in UTF-8 bytes."""
    return len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())


class ImportPreviewQuerySet(models.QuerySet):
    def expired(self, now=None):
        return self.filter(created_at__lte=(now or timezone.now()) - PREVIEW_LIFETIME)

    def open(self):
        """Previews not yet confirmed."""
        return self.filter(confirmed_at__isnull=True)

    def of(self, user, token: str):
        """`user`'s preview with this token, or None: a token of another user, or one
        that is not a token at all, finds nothing."""
        if not isinstance(token, str) or not _PREVIEW_TOKEN.fullmatch(token):
            return None
        return self.filter(owner=user, token=token).first()

    def clear_expired(self, now=None) -> int:
        """Delete every expired preview, confirmed or not; how many were deleted."""
        return self.expired(now).delete()[1].get(ImportPreview._meta.label, 0)


class ImportPreview(models.Model):
    """A blueprint a recruiter uploaded and has not confirmed yet: the role it reads as,
    in the one JSON shape of roles.blueprint.json_format, server-side rather than in the
    session (which every page of theirs loads). Only its owner can see, confirm or
    cancel it, by its token; it expires after PREVIEW_LIFETIME. Once confirmed its data
    is cleared and the row only remembers the revision it became, so a second submit of
    the same preview (a double click, Back and submit again) goes to that revision
    instead of importing again, until clean-up deletes it with the expired ones."""

    token = models.CharField(max_length=64, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    source_name = models.CharField(max_length=limits.SOURCE_NAME_LENGTH)
    source_sha256 = models.CharField(max_length=64)
    data = models.JSONField(default=dict)
    size = models.PositiveIntegerField(default=0, help_text="The data's size as JSON, in bytes.")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    revision = models.ForeignKey(
        RoleRevision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ImportPreviewQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["owner", "created_at"])]

    def __str__(self):
        return f"Preview of {self.source_name}"

    @classmethod
    def start(cls, owner, data: dict, source_name: str, source_sha256: str) -> "ImportPreview":
        """Keep `data` as a new preview of `owner`'s. Expired previews (anyone's) are
        deleted first, and `owner`'s oldest open ones beyond MAX_OPEN_PREVIEWS after.
        Raises PreviewTooLarge, keeping nothing, when the data is over the bound."""
        size = json_size(data)
        if size > MAX_PREVIEW_BYTES:
            raise PreviewTooLarge(
                f"{source_name} reads as {size / 1024 / 1024:.1f} MB of role data, over the "
                f"{MAX_PREVIEW_BYTES / 1024 / 1024:.1f} MB a preview may hold; shorten its "
                "longest texts."
            )
        cls.objects.clear_expired()
        preview = cls.objects.create(
            token=secrets.token_urlsafe(PREVIEW_TOKEN_BYTES),
            owner=owner,
            source_name=source_name[: limits.SOURCE_NAME_LENGTH],
            source_sha256=source_sha256,
            data=data,
            size=size,
        )
        mine = cls.objects.open().filter(owner=owner)
        keep = list(
            mine.order_by("-created_at", "-pk").values_list("pk", flat=True)[:MAX_OPEN_PREVIEWS]
        )
        mine.exclude(pk__in=keep).delete()
        return preview

    @property
    def is_expired(self) -> bool:
        return self.created_at <= timezone.now() - PREVIEW_LIFETIME

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def mark_confirmed(self, revision: RoleRevision) -> None:
        """Confirmed as `revision`: the data goes, the row remembers the revision."""
        self.confirmed_at = timezone.now()
        self.revision = revision
        self.data = {}
        self.size = 0
        self.save(update_fields=["confirmed_at", "revision", "data", "size"])
