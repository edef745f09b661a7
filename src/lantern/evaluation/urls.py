from django.urls import path

from lantern.core import converters  # noqa: F401  (registers <reference:…>)
from lantern.evaluation.views import action_plan

app_name = "evaluation"

urlpatterns: list = []

# The action plan (issue 14).
urlpatterns += [
    path("action-plan/", action_plan.plan, name="action_plan"),
    path("action-plan/export/", action_plan.export, name="action_plan_export"),
    path("action-plan/objectives/new/", action_plan.objective_create, name="objective_create"),
    path(
        "action-plan/objectives/<int:pk>/change/",
        action_plan.objective_edit,
        name="objective_edit",
    ),
    path("action-plan/actions/new/", action_plan.action_create, name="action_create"),
    path("action-plan/actions/<reference:reference>/", action_plan.action_page, name="action"),
    path(
        "action-plan/actions/<reference:reference>/change/",
        action_plan.action_edit,
        name="action_edit",
    ),
    path(
        "action-plan/actions/<reference:reference>/progress/",
        action_plan.progress,
        name="action_progress",
    ),
    path(
        "action-plan/actions/<reference:reference>/evidence/",
        action_plan.evidence,
        name="action_evidence",
    ),
]
