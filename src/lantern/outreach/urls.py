from django.urls import path

from lantern.outreach.views import campaigns as campaign_views
from lantern.outreach.views import training as training_views
from lantern.outreach.views import training_attendee, training_courses

app_name = "outreach"

urlpatterns: list = [
    path("campaigns/", campaign_views.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaign_views.campaign_create, name="campaign_create"),
    path("campaigns/calendar/", campaign_views.campaign_calendar, name="campaign_calendar"),
    path(
        "campaigns/calendar/<int:year>/",
        campaign_views.campaign_calendar,
        name="campaign_calendar_year",
    ),
    path(
        "campaigns/reach-template.csv",
        campaign_views.import_template,
        name="campaign_import_template",
    ),
    path("campaigns/<str:code>/", campaign_views.campaign_page, name="campaign"),
    path("campaigns/<str:code>/change/", campaign_views.campaign_change, name="campaign_change"),
    path(
        "campaigns/<str:code>/activities/new/",
        campaign_views.activity_create,
        name="activity_create",
    ),
    path(
        "campaigns/<str:code>/activities/<int:number>/reach/",
        campaign_views.reach_change,
        name="reach_change",
    ),
    path(
        "campaigns/<str:code>/activities/<int:number>/qr.<str:kind>",
        campaign_views.qr_code,
        name="activity_qr_code",
    ),
    path("campaigns/<str:code>/import/", campaign_views.reach_import, name="reach_import"),
    path("campaigns/<str:code>/qr.<str:kind>", campaign_views.qr_code, name="qr_code"),
    path("campaigns/<str:code>/materials/new/", campaign_views.material_add, name="material_add"),
    path(
        "campaigns/<str:code>/materials/<int:pk>/",
        campaign_views.material_download,
        name="material",
    ),
    path(
        "campaigns/<str:code>/materials/<int:pk>/remove/",
        campaign_views.material_remove,
        name="material_remove",
    ),
    path("c/<str:code>/", campaign_views.landing, name="landing"),
    path(
        "c/<str:code>/materials/<int:pk>/", campaign_views.public_material, name="public_material"
    ),
]

# Training: courses, question banks, sessions, bookings, results; attendees at /t/.
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
        "training/sessions/<slug:code>/change/",
        training_views.session_change,
        name="training_session_change",
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
