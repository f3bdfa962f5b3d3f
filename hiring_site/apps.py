"""django.contrib.admin, installed with the project's admin site (hiring_site.admin)."""

# The module, not its class: a config class in this module's namespace would be taken
# for hiring_site's own.
from django.contrib.admin import apps as admin_apps


class AdminConfig(admin_apps.AdminConfig):
    """`admin.site` is hiring_site.admin.AdminSite: the admin for administrators and
    recruiters only. INSTALLED_APPS names this class in place of django.contrib.admin."""

    default = False  # hiring_site itself keeps Django's default app config
    default_site = "hiring_site.admin.AdminSite"
