"""Django's admin, held to the app's rules; a base helper the apps' admin modules use (it
imports no app).

Who may use the admin at all: administrators (superusers) and recruiters with staff
status (AdminSite, on access.may_use_admin). What they may change there: what the app
protects is read-only, each app's admin module saying which object is and why
(ProtectedAdmin.read_only_reason; ProtectedInline for the rows edited on its page), and
a model's history shows only the rows its admin shows and never reverts one
(HistoryAdmin).
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from hiring_site.access import may_use_admin


class AdminSite(admin.AdminSite):
    """The admin for administrators and recruiters only: it lists every row of a model,
    which no other group's scope allows. Other staff get the admin's login page, which
    tells them their account is not authorised for it."""

    def has_permission(self, request):
        return may_use_admin(request.user)

    def login(self, request, extra_context=None):
        # With password login off (PASSWORD_LOGIN=0) the admin's password form is gone
        # too: people sign in on the app's login page, and a password posted is refused.
        if not settings.PASSWORD_LOGIN:
            if request.method == "POST":
                raise PermissionDenied("Password login is turned off on this site.")
            if request.user.is_authenticated:
                raise PermissionDenied("Your account may not use the admin.")
            return redirect_to_login(request.GET.get("next") or request.path)
        return super().login(request, extra_context)


def sees_every_row(request) -> bool:
    """Administrators (superusers) see every row in the admin; a recruiter sees what the
    app shows them, each admin narrowing its queryset by the app's own rule."""
    return request.user.is_superuser


class WrittenByTheApp:
    """A mixin for the admin of rows only the app writes (decisions, reviews, the
    outbox, the audit log): shown, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProtectedAdmin(admin.ModelAdmin):
    """An admin whose objects the app may have made read-only (read_only_reason): those
    are shown, not changed or deleted, and their page says why."""

    def read_only_reason(self, obj) -> str:
        """Why `obj` may not be changed or deleted here, in words for the user; empty
        when it may."""
        return ""

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.read_only_reason(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Also asked of every row a delete would take with it (Django's
        # get_deleted_objects): a protected row stops the delete of whatever holds it.
        if obj is not None and self.read_only_reason(obj):
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            reason = self.read_only_reason(obj) if obj is not None else ""
            if reason:
                messages.info(request, reason)
        return super().change_view(request, object_id, form_url, extra_context)


class ProtectedInline(admin.TabularInline):
    """Rows edited on their parent's page, read-only (no adding, changing or deleting)
    while the parent is (read_only_with)."""

    extra = 0

    def read_only_with(self, parent) -> bool:
        return False

    def _open(self, parent) -> bool:
        return parent is None or not self.read_only_with(parent)

    def has_add_permission(self, request, obj=None):
        return self._open(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._open(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._open(obj) and super().has_delete_permission(request, obj)


class ListedInline(admin.TabularInline):
    """Rows listed on their parent's page, each changed on its own page (within its own
    admin's rules), if at all: never added, changed or deleted here."""

    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryAdmin(ProtectedAdmin, SimpleHistoryAdmin):
    """simple_history's admin, with two of its doors closed:

    - its history pages show the rows of get_queryset only (it would fall back on the
      last historical record of a row the queryset leaves out, e.g. a card hidden by the
      blindness rule);
    - reverting to a past version is refused: it saves that version whole, past every
      rule (a submitted card back to a draft, a published revision back to a draft, an
      application back to hired), even for a user who may only view the row."""

    def revert_disabled(self, request, obj=None):
        return True

    def _shown_object(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such object.")
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self._shown_object(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied("Past versions are shown here, never restored.")
        self._shown_object(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
