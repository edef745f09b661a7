from django.urls import path

from lantern.evaluation.views import board_pack as board_pack_views
from lantern.evaluation.views import kpi_manage as kpi_manage_views
from lantern.evaluation.views import kpis as kpi_views
from lantern.evaluation.views import open_data as open_data_views

app_name = "evaluation"

urlpatterns: list = [
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
