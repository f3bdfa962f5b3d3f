"""The groups of the design (and Administrator) and their model permissions.

Object scope (whose application, whose scorecard) is enforced in the views; these
permissions say what each group may do at all, and make the admin usable for staff.
A data migration creates the groups; a post_migrate hook re-creates them after a
database flush (tests), both through `sync_groups`.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

ALL = ("add", "change", "delete", "view")
ROLE_MODELS = (
    "role",
    "rolerevision",
    "dimension",
    "competencyarea",
    "exercise",
    "signal",
    "interviewstage",
)

PERMISSIONS = {
    "Recruiter": {
        "roles": {m: ALL for m in ROLE_MODELS},
        "hiring": {
            "candidate": ("add", "change", "view"),
            "application": ("add", "change", "view"),
            "interview": ALL,
            "decision": ("view",),
            "auditentry": ("view",),
        },
        "scorecards": {
            "scorecard": ("change", "view"),
            "rating": ("view",),
            "signalcheck": ("view",),
        },
    },
    "Hiring manager": {
        "roles": {m: ("view",) for m in ROLE_MODELS},
        "hiring": {
            "candidate": ("view",),
            "application": ("view",),
            "interview": ("view",),
            "decision": ("add", "view"),
        },
        "scorecards": {m: ("view",) for m in ("scorecard", "rating", "signalcheck")},
    },
    # People and integrations are managed on the app's own pages, whose checks are
    # `hiring_site.access.is_administrator`; the group needs no model permission.
    "Administrator": {},
    "Interviewer": {
        "roles": {m: ("view",) for m in ROLE_MODELS if m != "competencyarea"},
        "hiring": {"interview": ("view",)},
        "scorecards": {
            "scorecard": ("add", "change", "view"),
            "rating": ("add", "change", "view"),
            "signalcheck": ALL,
        },
    },
}


def sync_groups(apps=global_apps) -> None:
    """Create the groups and set their permissions; safe to run any number of times."""
    # Permissions are normally created after all migrations ran; make sure they exist now.
    for app_config in apps.get_app_configs():
        had_models = getattr(app_config, "models_module", None)
        app_config.models_module = had_models or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = had_models

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, by_app in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted = Permission.objects.none()
        for app_label, models in by_app.items():
            codenames = [f"{a}_{m}" for m, actions in models.items() for a in actions]
            wanted = wanted | Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        group.permissions.set(wanted)


def sync_groups_after_migrate(sender, using="default", apps=global_apps, **kwargs):
    if sender.name == "scorecards":  # the last of our apps: every permission exists by now
        sync_groups(apps)
