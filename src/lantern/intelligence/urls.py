from django.urls import path

from lantern.core import converters  # noqa: F401  (registers <reference:…>)
from lantern.intelligence.views import (
    analysis,
    hotspots,
    imports,
    reports,
    search,
    submission,
    tasking,
)

app_name = "intelligence"

urlpatterns = [
    path("intelligence/", reports.report_list, name="report_list"),
    path("intelligence/new/", submission.submit, name="submit"),
    path("intelligence/triage/", search.triage, name="triage"),
    path("intelligence/search/", search.search, name="search"),
    path("intelligence/export.csv", search.export, name="export"),
    path("intelligence/import/", imports.import_reports, name="import"),
    path("intelligence/import/template.csv", imports.import_template, name="import_template"),
    path("intelligence/taskings/", tasking.taskings, name="taskings"),
    path("intelligence/taskings/<int:pk>/", tasking.answer_tasking, name="answer_tasking"),
    path("intelligence/<reference:reference>/", reports.report_detail, name="report_detail"),
    path("intelligence/<reference:reference>/status/", reports.change_status, name="change_status"),
    path("intelligence/<reference:reference>/updates/new/", reports.add_update, name="add_update"),
    path("intelligence/<reference:reference>/assessment/", analysis.assessment, name="assessment"),
    path("intelligence/<reference:reference>/grading/", analysis.regrade, name="regrade"),
    path("intelligence/<reference:reference>/taskings/new/", tasking.task, name="task"),
    path(
        "intelligence/<reference:reference>/taskings/<int:pk>/withdraw/",
        tasking.withdraw_tasking,
        name="withdraw_tasking",
    ),
    path("intelligence/<reference:reference>/mentions/", reports.add_mention, name="add_mention"),
    path("intelligence/<reference:reference>/sanitise/", submission.sanitise, name="sanitise"),
    path(
        "intelligence/from-public/<reference:reference>/",
        submission.from_public,
        name="from_public",
    ),
    path("hotspots/", hotspots.hotspots_page, name="hotspots"),
]
