"""The navigation bar: which sections the current user's groups allow (People for
administrators), and whether it links the admin (access.may_use_admin)."""

from django.urls import reverse

from hiring_site.access import (
    HIRING_MANAGER,
    INTERVIEWER,
    RECRUITER,
    group_names,
    is_administrator,
    may_use_admin,
)

# (group or groups, label, url name) in the order the bar shows them.
_SECTIONS = (
    # Interviewers see the roles they interview for, and only their stages of them.
    ((RECRUITER, HIRING_MANAGER, INTERVIEWER), "Roles", "roles:list"),
    (RECRUITER, "Candidates", "hiring:candidates"),
    (HIRING_MANAGER, "My applications", "hiring:my_applications"),
    (INTERVIEWER, "My interviews", "hiring:my_interviews"),
    ((RECRUITER, HIRING_MANAGER), "Calibration", "scorecards:calibration"),
    ((RECRUITER, HIRING_MANAGER), "Validity", "scorecards:validity"),
)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_admin": False}
    groups = group_names(user)
    items = []
    for group, label, url_name in _SECTIONS:
        if groups & ({group} if isinstance(group, str) else set(group)):
            url = reverse(url_name)
            items.append({"label": label, "url": url, "active": request.path.startswith(url)})
    if is_administrator(user):
        url = reverse("webhooks:endpoints")
        items.append({"label": "Webhooks", "url": url, "active": request.path.startswith(url)})
        url = reverse("people:list")
        items.append({"label": "People", "url": url, "active": request.path.startswith(url)})
    return {"nav_items": items, "nav_admin": may_use_admin(user)}
