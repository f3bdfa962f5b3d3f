from django.urls import path

from scorecards import calibration, compare, kit, privacy_views, results_views, validity, views

app_name = "scorecards"

urlpatterns: list = [
    path("calibration/", calibration.calibration, name="calibration"),
    path("calibration.json", calibration.calibration_json, name="calibration_json"),
    path("validity/", validity.validity, name="validity"),
    path("validity.json", validity.validity_json, name="validity_json"),
    path("interviews/<int:pk>/", views.fill, name="fill"),
    path("interviews/<int:pk>/kit/", kit.kit, name="kit"),
    path("interviews/<int:pk>/kit.pdf", kit.kit_pdf, name="kit_pdf"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
]

# The results of an application's scorecards, under the `hiring` namespace and /hiring/
# (their URL names and paths are a contract): hiring_site.urls adds them to hiring's
# patterns, so hiring itself never imports scorecards.
hiring_patterns: list = [
    path("applications/", results_views.my_applications, name="my_applications"),
    path("applications/<int:pk>/panel/", results_views.panel, name="panel"),
    path("applications/<int:pk>/panel.json", results_views.panel_json, name="panel_json"),
    path("applications/<int:pk>/decide/", results_views.decide, name="decide"),
    path("roles/<slug:slug>/pipeline/", results_views.pipeline, name="pipeline"),
    path("roles/<slug:slug>/pipeline.csv", results_views.export, name="export"),
    path("roles/<slug:slug>/compare/", compare.compare, name="compare"),
    # Everything stored about a candidate: cards included, hence scorecards' views.
    path("candidates/<int:pk>/data/", privacy_views.candidate_export, name="candidate_export"),
    path(
        "candidates/<int:pk>/data.json",
        privacy_views.candidate_export_json,
        name="candidate_export_json",
    ),
]
