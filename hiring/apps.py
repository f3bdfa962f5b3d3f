from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HiringConfig(AppConfig):
    name = "hiring"
    verbose_name = "Candidates, applications and decisions"

    def ready(self):
        from hiring.groups import sync_groups_after_migrate

        post_migrate.connect(sync_groups_after_migrate, dispatch_uid="hiring.sync_groups")
