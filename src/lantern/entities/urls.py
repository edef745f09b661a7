from django.urls import path

from lantern.entities.views import entity, matches

app_name = "entities"

urlpatterns = [
    path("entities/<int:pk>/", entity.entity_page, name="entity"),
    path("entities/<int:pk>/exclude/", entity.exclude, name="exclude"),
    path("entities/<int:pk>/include/", entity.include, name="include"),
    path("entities/matches/", matches.review_queue, name="matches"),
    path("entities/matches/<int:pk>/<str:decision>/", matches.decide, name="decide"),
    path("entities/hits/", matches.restricted_hits, name="hits"),
]
