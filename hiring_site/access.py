"""Who is who: the three groups of the design and the checks views share.

Group membership decides which pages a user may use (403 otherwise); object scope
(which application, which interview) is checked by each app's `_get_..._for_user`
helpers, which answer 404 so that existence is not revealed.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

RECRUITER = "Recruiter"
HIRING_MANAGER = "Hiring manager"
INTERVIEWER = "Interviewer"
# Manages people (invitations, groups, deactivation) and the app's integrations on
# the app's own pages; a superuser counts as one too.
ADMINISTRATOR = "Administrator"
GROUPS = (RECRUITER, HIRING_MANAGER, INTERVIEWER)


def group_names(user) -> frozenset[str]:
    """The user's group names, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._group_names = cached
    return cached


def is_recruiter(user) -> bool:
    return RECRUITER in group_names(user)


def is_hiring_manager(user) -> bool:
    return HIRING_MANAGER in group_names(user)


def is_interviewer(user) -> bool:
    return INTERVIEWER in group_names(user)


def is_administrator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or ADMINISTRATOR in group_names(user))


def may_use_admin(user) -> bool:
    """Whether `user` may use Django's admin (/admin/): administrators (superusers) and
    recruiters with staff status. Its pages list every row of a model, which only a
    recruiter's scope matches (recruiters' rows are filtered further by the blindness
    rule there), so staff status alone opens nothing to another group."""
    return (
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.is_superuser or is_recruiter(user))
    )


def group_required(*groups: str):
    """Login required, then 403 unless the user is in one of `groups`."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not group_names(request.user) & set(groups):
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
