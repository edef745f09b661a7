from django.urls import path

from lantern.core import converters  # noqa: F401  (registers <reference:…>)
from lantern.operations import views

app_name = "operations"

urlpatterns = [
    path("operations/", views.operation_list, name="operation_list"),
    path("operations/new/", views.operation_create, name="operation_create"),
    path("operations/<reference:reference>/", views.operation_page, name="operation"),
    path("operations/<reference:reference>/order/", views.operation_order, name="operation_order"),
    path(
        "operations/<reference:reference>/participants/new/",
        views.add_participant,
        name="add_participant",
    ),
    path("operations/<reference:reference>/targets/new/", views.add_target, name="add_target"),
    path(
        "operations/<reference:reference>/targets/<int:pk>/debrief/",
        views.debrief_target,
        name="debrief_target",
    ),
    path("operations/<reference:reference>/status/", views.move, name="move"),
    path("operations/<reference:reference>/victims/new/", views.hand_over, name="hand_over"),
    path("operations/<reference:reference>/debrief/", views.debrief, name="debrief"),
    path(
        "operations/<reference:reference>/intelligence/",
        views.link_intelligence,
        name="link_intelligence",
    ),
]
