from django.urls import path

from lantern.core import converters  # noqa: F401  (registers <reference:…>)
from lantern.intelligence import views

app_name = "intelligence"

urlpatterns = [
    path("intelligence/", views.report_list, name="report_list"),
    path("intelligence/new/", views.submit, name="submit"),
    path("intelligence/triage/", views.triage, name="triage"),
    path("intelligence/<reference:reference>/", views.report_detail, name="report_detail"),
    path("intelligence/<reference:reference>/status/", views.change_status, name="change_status"),
]
