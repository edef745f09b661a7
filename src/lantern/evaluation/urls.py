from django.urls import path

from lantern.core import converters  # noqa: F401  (registers <reference:…>)
from lantern.evaluation.views import action_plan
from lantern.evaluation.views import board_pack as board_pack_views
from lantern.evaluation.views import campaign_effect as campaign_effect_views
from lantern.evaluation.views import kpi_manage as kpi_manage_views
from lantern.evaluation.views import kpis as kpi_views
from lantern.evaluation.views import open_data as open_data_views

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

# KPIs, the outcome chain, board packs and open data (issue 14).
urlpatterns += [
    path("evaluation/kpis/", kpi_views.kpi_list, name="kpi_list"),
    path("evaluation/kpis/new/", kpi_manage_views.kpi_create, name="kpi_create"),
    path("evaluation/kpis/<slug:code>/", kpi_views.kpi_detail, name="kpi_detail"),
    path("evaluation/kpis/<slug:code>/edit/", kpi_manage_views.kpi_edit, name="kpi_edit"),
    path("evaluation/outcome-chain/", kpi_views.outcome_chain, name="outcome_chain"),
    path("statistics/", open_data_views.statistics, name="statistics"),
    path("statistics/figures.csv", open_data_views.statistics_csv, name="statistics_csv"),
    path(
        "statistics/figures.csv-metadata.json",
        open_data_views.statistics_metadata,
        name="statistics_metadata",
    ),
    path("evaluation/board-pack/", board_pack_views.board_pack, name="board_pack"),
]

# What a campaign changed (issue 14).
urlpatterns += [
    path(
        "evaluation/campaigns/<str:code>/effect/",
        campaign_effect_views.campaign_effect,
        name="campaign_effect",
    ),
]
