"""/api/v1/ (namespace `api`), the OpenAPI schema at /api/schema/ and its documentation at
/api/docs/ (Swagger UI from drf-spectacular-sidecar, set up by static/js/api-docs.js, so
the page keeps the site's Content-Security-Policy)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.renderers import JSONRenderer

from api import views

app_name = "api"


class Schema(SpectacularAPIView):
    """The schema, whatever the query string: one version, no language (USE_I18N off)."""

    def _get_version_parameter(self, request):
        return None

    def perform_content_negotiation(self, request, force=False):
        # A refusal (e.g. an unknown ?format=) is said in the API's JSON, not in YAML.
        if force:
            return JSONRenderer(), JSONRenderer.media_type
        return super().perform_content_negotiation(request, force)


v1 = [
    path("roles/", views.RoleList.as_view(), name="roles"),
    path("roles/import/", views.RoleImport.as_view(), name="role_import"),
    path("roles/<slug:slug>/", views.RoleDetail.as_view(), name="role"),
    path("roles/<slug:slug>/export/", views.RoleExport.as_view(), name="role_export"),
    path("candidates/", views.CandidateList.as_view(), name="candidates"),
    path("candidates/<int:pk>/", views.CandidateDetail.as_view(), name="candidate"),
    path("applications/", views.ApplicationList.as_view(), name="applications"),
    path("applications/<int:pk>/", views.ApplicationDetail.as_view(), name="application"),
    path(
        "applications/<int:pk>/withdraw/",
        views.ApplicationWithdraw.as_view(),
        name="application_withdraw",
    ),
    path("applications/<int:pk>/panel/", views.Panel.as_view(), name="panel"),
    path("applications/<int:pk>/decisions/", views.Decisions.as_view(), name="decisions"),
    path("interviews/", views.InterviewList.as_view(), name="interviews"),
    path("interviews/<int:pk>/", views.InterviewDetail.as_view(), name="interview"),
    path(
        "interviews/<int:pk>/scorecard/", views.OwnScorecard.as_view(), name="interview_scorecard"
    ),
    path("scorecards/", views.ScorecardList.as_view(), name="scorecards"),
    path("scorecards/<int:pk>/", views.ScorecardDetail.as_view(), name="scorecard"),
    path("calibration/", views.Calibration.as_view(), name="calibration"),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", Schema.as_view(), name="schema"),
    path("docs/", views.docs, name="docs"),
]
