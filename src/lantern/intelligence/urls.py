from django.urls import path

from lantern.core import converters  # noqa: F401  (registers <reference:…>)
from lantern.intelligence import hotspot_views, views

app_name = "intelligence"

urlpatterns = [
    path("intelligence/", views.report_list, name="report_list"),
    path("intelligence/new/", views.submit, name="submit"),
    path("intelligence/triage/", views.triage, name="triage"),
    path("intelligence/search/", views.search, name="search"),
    path("intelligence/export.csv", views.export, name="export"),
    path("intelligence/import/", views.import_reports, name="import"),
    path("intelligence/import/template.csv", views.import_template, name="import_template"),
    path("intelligence/taskings/", views.taskings, name="taskings"),
    path("intelligence/taskings/<int:pk>/", views.answer_tasking, name="answer_tasking"),
    path("intelligence/<reference:reference>/", views.report_detail, name="report_detail"),
    path("intelligence/<reference:reference>/status/", views.change_status, name="change_status"),
    path("intelligence/<reference:reference>/updates/new/", views.add_update, name="add_update"),
    path("intelligence/<reference:reference>/assessment/", views.assessment, name="assessment"),
    path("intelligence/<reference:reference>/grading/", views.regrade, name="regrade"),
    path("intelligence/<reference:reference>/taskings/new/", views.task, name="task"),
    path(
        "intelligence/<reference:reference>/taskings/<int:pk>/withdraw/",
        views.withdraw_tasking,
        name="withdraw_tasking",
    ),
    path("intelligence/<reference:reference>/mentions/", views.add_mention, name="add_mention"),
    path("intelligence/<reference:reference>/sanitise/", views.sanitise, name="sanitise"),
    path(
        "intelligence/from-public/<reference:reference>/",
        views.from_public,
        name="from_public",
    ),
    path("hotspots/", hotspot_views.hotspots_page, name="hotspots"),
]
