from django.urls import path  # noqa: F401  (patterns arrive with the scorecard issue)

app_name = "scorecards"

urlpatterns: list = []
