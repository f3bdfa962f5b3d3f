"""Root URLs: authentication, the admin, the three apps and the REST API (/api/).

The panel, its JSON, the decision, the pipeline and its CSV are scorecards' views (they
show the results of scorecards) but keep their `hiring:` names and /hiring/ paths: the
`hiring` namespace is composed here of both apps' patterns, so that hiring, to the left
of scorecards (roles <- hiring <- scorecards), never imports it.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from hiring import urls as hiring_urls
from hiring_site import views
from scorecards import urls as scorecards_urls

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.api_token_create, name="api_token_create"),
    path("profile/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("admin/", admin.site.urls),
    path("roles/", include("roles.urls")),
    path(
        "hiring/",
        include((hiring_urls.urlpatterns + scorecards_urls.hiring_patterns, hiring_urls.app_name)),
    ),
    path("scorecards/", include("scorecards.urls")),
    path("api/", include("api.urls")),
]

# The app's own error pages, with the navigation and the reason (also raised by views
# with DEBUG on: hiring_site.middleware.ErrorPages).
handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
