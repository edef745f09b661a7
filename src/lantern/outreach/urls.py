from django.urls import path

from lantern.outreach.views import training as training_views
from lantern.outreach.views import training_attendee, training_courses

app_name = "outreach"

urlpatterns: list = []

urlpatterns += [
    path("training/", training_views.calendar, name="training"),
    path("training/courses/", training_courses.course_list, name="training_courses"),
    path("training/courses/new/", training_courses.course_create, name="training_course_create"),
    path("training/courses/<int:pk>/", training_courses.course_page, name="training_course"),
    path(
        "training/courses/<int:pk>/questions/",
        training_courses.course_items,
        name="training_course_items",
    ),
    path(
        "training/courses/<int:pk>/sessions/new/",
        training_views.session_create,
        name="training_session_create",
    ),
    path("training/questions/", training_courses.question_bank, name="training_questions"),
    path(
        "training/questions/new/", training_courses.question_create, name="training_question_create"
    ),
    path(
        "training/questions/<int:pk>/revise/",
        training_courses.question_revise,
        name="training_question_revise",
    ),
    path(
        "training/questions/import/",
        training_courses.question_import,
        name="training_question_import",
    ),
    path(
        "training/questions/export/",
        training_courses.question_export,
        name="training_question_export",
    ),
    path("training/sessions/", training_views.session_list, name="training_sessions"),
    path("training/sessions/<slug:code>/", training_views.session_page, name="training_session"),
    path("training/sessions/<slug:code>/book/", training_views.book, name="training_book"),
    path(
        "training/sessions/<slug:code>/attendance/",
        training_views.attendance,
        name="training_attendance",
    ),
    path(
        "training/sessions/<slug:code>/times/",
        training_views.stage_times,
        name="training_stage_times",
    ),
    path("training/results/", training_views.results, name="training_results"),
    path("training/reach/", training_views.reach, name="training_reach"),
    path("t/", training_attendee.start, name="attendee_start"),
    path("t/<slug:code>/", training_attendee.session_page, name="attendee_session"),
    path("t/<slug:code>/certificate/", training_attendee.certificate, name="attendee_certificate"),
    path("t/<slug:code>/<slug:stage_slug>/", training_attendee.take, name="attendee_take"),
    path("t/<slug:code>/<slug:stage_slug>/done/", training_attendee.done, name="attendee_done"),
]
