from django.apps import AppConfig


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = "Roles and interview loops"

    def ready(self):
        # Connects the receivers that drop a revision's cached content when one of its
        # rows changes.
        from roles import content  # noqa: F401
