from django.urls import path

from lantern.entities.views import chart, entity, matches, review

app_name = "entities"

urlpatterns = [
    path("entities/<int:pk>/", entity.entity_page, name="entity"),
    path("entities/<int:pk>/exclude/", entity.exclude, name="exclude"),
    path("entities/<int:pk>/include/", entity.include, name="include"),
    path("entities/matches/", matches.review_queue, name="matches"),
    path("entities/matches/next/", review.next_match, name="next_match"),
    path("entities/matches/<int:pk>/", review.review_match, name="review"),
    path("entities/matches/<int:pk>/<str:decision>/", matches.decide, name="decide"),
    path("entities/hits/", matches.restricted_hits, name="hits"),
    path("entities/chart/", chart.chart_page, name="chart"),
    path("entities/chart/expand.json", chart.expand, name="chart_expand"),
    path("entities/chart/path.json", chart.path_json, name="chart_path"),
    path("entities/chart/export.<str:file_type>", chart.export, name="chart_export"),
    path("entities/chart/drawn/", chart.drawn_export, name="chart_drawn"),
]
