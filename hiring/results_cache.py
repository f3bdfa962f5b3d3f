"""The one cache of the app: what is computed from an application's cards for its panel
and its JSON, kept per application. (The pipeline's and the CSV's headline of each
application is not cached but stored beside it, scorecards.models.Headline, under the
same panel_version: a list of hundreds reads them with the applications.)

An entry's key is (name, application id, panel_version). `Application.panel_version`
moves on in the same transaction as every change of what these results are made of
(hiring.models.panel_changed and the receivers that call it), so a change, in any
process, is a new key rather than an invalidation; the cache's KEY_PREFIX carries the
code's release (hiring_site.release), so a deploy never reads what older code wrote.

Only data is kept, never markup, and the same for every viewer: who may see it is
checked before it is asked for. Nothing depends on an entry being there: a missing one
is computed, as on the first view after a change.
"""

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from django.core.cache import cache

# The names the app keeps entries under (scorecards.panel): what forget() drops.
NAMES = ("panel", "panel_json")

# Bounds what a cache holds for applications nobody opens any more; an entry is never
# stale before that (its key moves on with the data).
TIMEOUT = 24 * 60 * 60


class Versioned(Protocol):
    pk: int
    panel_version: int


def key(name: str, application: Versioned, version: int | None = None) -> str:
    """The key of `name` for `application` at its panel_version (or `version`)."""
    version = application.panel_version if version is None else version
    return f"results:{name}:{application.pk}:{version}"


def per_application(
    name: str,
    applications: Iterable[Versioned],
    compute: Callable[[list[Versioned]], dict[int, Any]],
) -> dict[int, Any]:
    """{pk: value} for `applications` (anything with pk and panel_version): the values
    of `name` the cache holds for them as they are, and `compute(the others)` (a dict by
    pk) for the others, which are then kept. One cache round trip each way."""
    keys = {application.pk: key(name, application) for application in applications}
    found = cache.get_many(keys.values())
    values, missing = {}, []
    for application in applications:
        entry = keys[application.pk]
        if entry in found:
            values[application.pk] = found[entry]
        else:
            missing.append(application)
    if missing:
        computed = compute(missing)
        cache.set_many({keys[pk]: value for pk, value in computed.items()}, TIMEOUT)
        values.update(computed)
    return values


def forget(applications: Iterable[Versioned]) -> None:
    """Drop every entry of `applications` kept under their panel_version so far (an
    erased candidate's panel holds their evidence). In a cache shared by the processes
    (Redis) that is every copy; with the local-memory cache, another process's copies
    can no longer be read (the version moves on) and expire within TIMEOUT."""
    cache.delete_many(
        [
            key(name, application, version)
            for application in applications
            for name in NAMES
            for version in range(application.panel_version + 1)
        ]
    )
