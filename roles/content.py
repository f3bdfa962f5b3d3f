"""The content of a role revision (dimensions, stages, signals, ...) read through Django's
cache when the revision is no longer a draft.

A revision that is not a draft is never edited in place (editing it forks a new draft),
and the admin shows its rows read-only, so they change only through a data fix made
from a shell; the signal receivers at the end of this module drop the cached parts of
a revision whenever one of its rows is saved or deleted.
Drafts are always read from the database.

The cache pickles what it stores, so every request gets its own copies of the model
instances: a page may annotate them freely. The key holds the revision's status too, so
publishing or archiving a revision starts from fresh entries. Each part is cached on its
own, and a cache miss costs the same queries as reading the part directly did.

With a per-process cache (the default local-memory one) such a fix is seen at once by
the process that made it and by the others within CONTENT_TIMEOUT; several processes or
servers should share one cache (see CACHES in settings).
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from roles.models import (
    CompetencyArea,
    Dimension,
    Exercise,
    InterviewStage,
    RoleRevision,
    Signal,
)

# Bump when the shape of a cached part changes, so a shared cache never serves the old one.
CONTENT_VERSION = 1
# Bounds how long another process's local-memory cache may show a revision's rows as they
# were before a data fix; the content of a frozen revision is not expected to change at all.
CONTENT_TIMEOUT = 10 * 60


def _focus(revision_id: int) -> dict[int, tuple[int, ...]]:
    """Each stage's focus dimension ids, in the dimensions' order, in one query."""
    focus: dict[int, list[int]] = defaultdict(list)
    rows = (
        InterviewStage.focus_dimensions.through.objects.filter(
            interviewstage__revision_id=revision_id
        )
        .order_by("dimension__order", "dimension_id")
        .values_list("interviewstage_id", "dimension_id")
    )
    for stage_id, dimension_id in rows:
        focus[stage_id].append(dimension_id)
    return {stage_id: tuple(ids) for stage_id, ids in focus.items()}


# The parts, each read in the orderings the pages use (without the models' leading
# "revision", which would join the revision and the role for nothing).
LOADERS: dict[str, Callable[[int], object]] = {
    "dimensions": lambda pk: list(Dimension.objects.filter(revision_id=pk).order_by("order", "id")),
    # Stages with their exercise and their focus dimensions (two queries).
    "stages": lambda pk: list(
        InterviewStage.objects.filter(revision_id=pk)
        .order_by("order", "id")
        .select_related("exercise")
        .prefetch_related(
            Prefetch("focus_dimensions", queryset=Dimension.objects.order_by("order", "id"))
        )
    ),
    # Stage id -> focus dimension ids, for a page that needs no stage objects.
    "focus": _focus,
    "signals": lambda pk: list(
        Signal.objects.filter(revision_id=pk).order_by("kind", "order", "id")
    ),
    "competency_areas": lambda pk: list(
        CompetencyArea.objects.filter(revision_id=pk).order_by("order", "id")
    ),
    "exercises": lambda pk: list(Exercise.objects.filter(revision_id=pk).order_by("order", "id")),
}


@dataclass
class RevisionContent:
    """The parts asked for; the others stay None."""

    dimensions: list[Dimension] | None = None
    stages: list[InterviewStage] | None = None
    focus: dict[int, tuple[int, ...]] | None = None
    signals: list[Signal] | None = None
    competency_areas: list[CompetencyArea] | None = None
    exercises: list[Exercise] | None = None


def cache_key(revision_id: int, status: str, part: str) -> str:
    return f"roles:content:v{CONTENT_VERSION}:{revision_id}:{status}:{part}"


def revision_content(revision: RoleRevision, *parts: str) -> RevisionContent:
    """`parts` (names of LOADERS) of `revision`'s content: from the cache unless the
    revision is a draft, one cache round trip for all of them."""
    unknown = set(parts) - set(LOADERS)
    if unknown:
        raise ValueError(f"Unknown revision content: {', '.join(sorted(unknown))}")
    if revision.status == RoleRevision.Status.DRAFT:
        return RevisionContent(**{part: LOADERS[part](revision.pk) for part in parts})
    keys = {part: cache_key(revision.pk, revision.status, part) for part in parts}
    found = cache.get_many(keys.values())
    values, missing = {}, {}
    for part, key in keys.items():
        if key in found:
            values[part] = found[key]
        else:
            values[part] = missing[key] = LOADERS[part](revision.pk)
    if missing:
        cache.set_many(missing, CONTENT_TIMEOUT)
    return RevisionContent(**values)


# HTML that pages render from a revision's content alone, cached beside that content and
# dropped with it. Bump CONTENT_VERSION when one of their templates changes, so a shared
# cache never serves the old markup.
RENDERED = ("role_page",)
# The part under which content_generation() keeps its value.
GENERATION_PART = "generation"


def rendered_content(revision: RoleRevision, name: str, render: Callable[[], object]):
    """What `render()` makes of `revision`'s content (a name of RENDERED): from the cache
    unless the revision is a draft. `render` must use nothing but the content: not the
    viewer, and not the revision's own fields, which the admin may still change."""
    if name not in RENDERED:
        raise ValueError(f"Unknown rendered content: {name}")
    if revision.status == RoleRevision.Status.DRAFT:
        return render()
    key = cache_key(revision.pk, revision.status, f"html:{name}")
    value = cache.get(key)
    if value is None:
        value = render()
        cache.set(key, value, CONTENT_TIMEOUT)
    return value


def content_generation(revision: RoleRevision) -> str:
    """A random value that stays the same while the revision's cached content does and
    changes when it is dropped: part of the key of anything cached from the content
    together with other data (the panel, hiring.panel_data.panel_stamp). Drafts get a
    new one each time, as their content is never cached."""
    fresh = secrets.token_hex(8)
    if revision.status == RoleRevision.Status.DRAFT:
        return fresh
    key = cache_key(revision.pk, revision.status, GENERATION_PART)
    return cache.get_or_set(key, fresh, CONTENT_TIMEOUT)


def forget_revision_content(revision_id: int) -> None:
    """Drop every cached part of the revision, whatever its status."""
    cache.delete_many(
        [
            cache_key(revision_id, status, part)
            for status in RoleRevision.Status.values
            for part in [*LOADERS, *(f"html:{name}" for name in RENDERED), GENERATION_PART]
        ]
    )


def _forget(revision_id: int | None) -> None:
    if revision_id is None:
        return
    forget_revision_content(revision_id)
    # Again once the change is committed: a request that read the old rows in between
    # must not leave them cached.
    transaction.on_commit(lambda: forget_revision_content(revision_id))


@receiver(post_save, sender=Dimension)
@receiver(post_delete, sender=Dimension)
@receiver(post_save, sender=InterviewStage)
@receiver(post_delete, sender=InterviewStage)
@receiver(post_save, sender=Exercise)
@receiver(post_delete, sender=Exercise)
@receiver(post_save, sender=Signal)
@receiver(post_delete, sender=Signal)
@receiver(post_save, sender=CompetencyArea)
@receiver(post_delete, sender=CompetencyArea)
def _content_row_changed(sender, instance, **kwargs):
    _forget(instance.revision_id)


@receiver(m2m_changed, sender=InterviewStage.focus_dimensions.through)
def _focus_changed(sender, instance, action, **kwargs):
    # `instance` is the stage, or the dimension for dimension.focus_of.add(...): either
    # way a row of the revision whose focus changed.
    if action.startswith("post_"):
        _forget(instance.revision_id)


@receiver(post_delete, sender=RoleRevision)
def _revision_deleted(sender, instance, **kwargs):
    forget_revision_content(instance.pk)
