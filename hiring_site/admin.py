"""Django's admin site for this project: who may use the admin at all.

Administrators (superusers) and recruiters with staff status (access.may_use_admin).
"""

from django.contrib import admin

from hiring_site.access import may_use_admin


class AdminSite(admin.AdminSite):
    """The admin for administrators and recruiters only: it lists every row of a model,
    which no other group's scope allows. Other staff get the admin's login page, which
    tells them their account is not authorised for it."""

    def has_permission(self, request):
        return may_use_admin(request.user)
