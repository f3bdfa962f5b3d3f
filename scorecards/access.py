"""Who may open an application's panel and who may decide on it, as the panel's pages
(scorecards.results_views) and the REST API (api.views) both answer it: the rule is the
model's (Application.panel_readable_by, Application.decidable_by); this module turns it
into the same 404 and 403 for both, so that neither can drift from the other.

The blindness rule (Application.results_visible_to) comes after this check, in each
caller: a panel hidden by it still says, on its page, whose card it waits for.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from hiring.models import Application

NOT_FOUND = "No such application."
MANAGER_DECIDES = "Only the application's hiring manager records its decision."


def get_panel_for_user(queryset, pk, user, *, deciding: bool = False) -> Application:
    """The application `pk` of `queryset` whose panel `user` may open, or with `deciding`
    may decide on. Http404 for one outside their scope (its existence is not revealed);
    PermissionDenied for a recruiter deciding, who may see the panel but not decide."""
    try:
        application = queryset.get(pk=pk)
    except Application.DoesNotExist:
        # The same answer as for one outside their scope: the two must not tell apart
        # an id that exists from one that does not.
        raise Http404(NOT_FOUND) from None
    if deciding and application.decidable_by(user):
        return application
    if not application.panel_readable_by(user):
        raise Http404(NOT_FOUND)
    if deciding:
        raise PermissionDenied(MANAGER_DECIDES)
    return application
