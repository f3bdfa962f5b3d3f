"""Who may use an endpoint, by group and method: the pages' groups (hiring_site.access).
Each view says which groups each of its methods is for; which objects a user reaches is
decided by the view's queryset, as the pages' `_get_..._for_user` helpers decide it."""

from rest_framework.permissions import BasePermission

from hiring_site.access import group_names

NOT_YOUR_ROLE = "Your role does not give access to this."


class ByGroup(BasePermission):
    message = NOT_YOUR_ROLE

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        method = "GET" if request.method == "HEAD" else request.method
        groups = view.groups.get(method)
        if groups is None:  # a method the endpoint does not take: 405 follows
            return True
        return bool(group_names(request.user) & set(groups))
