import sys

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ScorecardsConfig(AppConfig):
    name = "scorecards"
    verbose_name = "Scorecards"

    def ready(self):
        from hiring.erasure import candidate_erased
        from scorecards.erasure import erase_cards

        post_migrate.connect(_refresh_headlines, sender=self)
        candidate_erased.connect(erase_cards, dispatch_uid="scorecards.erase_cards")


def _refresh_headlines(app_config, using, apps=None, verbosity=1, stdout=None, **kwargs):
    """After `migrate`: store the pipeline headline of every application whose stored one
    older scoring code computed (or none), so that a deploy leaves no list to recompute.
    Skipped when the migrations applied leave no Headline table (migrating backwards)."""
    from django.db import connections

    from scorecards.models import Headline
    from scorecards.pipeline import refresh_headlines

    if apps is not None:
        try:
            apps.get_model("scorecards", "Headline")
        except LookupError:
            return
    if (
        using != "default"
        or Headline._meta.db_table not in connections[using].introspection.table_names()
    ):
        return
    done = refresh_headlines()
    if done and verbosity:
        (stdout or sys.stdout).write(f"  Stored the pipeline headlines of {done} applications.\n")
