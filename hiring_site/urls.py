"""Root URLs: authentication (password and single sign-on), the admin, the three apps,
the people pages, the webhooks' pages and the REST API (/api/).

The panel, its JSON, the decision, the pipeline and its CSV are scorecards' views (they
show the results of scorecards) but keep their `hiring:` names and /hiring/ paths: the
`hiring` namespace is composed here of both apps' patterns, so that hiring, to the left
of scorecards (roles <- hiring <- scorecards), never imports it.
"""

from django.contrib import admin
from django.urls import include, path

from hiring import urls as hiring_urls
from hiring_site import people_views, views
from hiring_site.sso import views as sso_views
from scorecards import urls as scorecards_urls

# Administrators' pages (hiring_site/people_views.py).
_people = [
    path("", people_views.people_list, name="list"),
    path("invite/", people_views.invite, name="invite"),
    path("<int:pk>/", people_views.person_detail, name="detail"),
    path("<int:pk>/invite/", people_views.invite_again, name="invite_again"),
    path("<int:pk>/deactivate/", people_views.deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", people_views.reactivate, name="reactivate"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", sso_views.LoginView.as_view(), name="login"),
    path("logout/", sso_views.logout, name="logout"),
    # Single sign-on (hiring_site.sso): 404 while no provider is configured.
    path("sso/start/", sso_views.StartView.as_view(), name="sso_start"),
    path("sso/callback/", sso_views.CallbackView.as_view(), name="sso_callback"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.api_token_create, name="api_token_create"),
    path("profile/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("admin/", admin.site.urls),
    path("people/", include((_people, "people"))),
    path("invitation/<str:token>/", people_views.accept, name="invitation"),
    path("roles/", include("roles.urls")),
    path(
        "hiring/",
        include((hiring_urls.urlpatterns + scorecards_urls.hiring_patterns, hiring_urls.app_name)),
    ),
    path("scorecards/", include("scorecards.urls")),
    path("webhooks/", include("webhooks.urls")),
    path("api/", include("api.urls")),
]

# The app's own error pages, with the navigation and the reason (also raised by views
# with DEBUG on: hiring_site.middleware.ErrorPages).
handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
