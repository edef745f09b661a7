from django.urls import path

from lantern.core import converters  # noqa: F401  (registers <reference:…>)
from lantern.public import views

app_name = "public"

urlpatterns = [
    path("help/", views.start, name="start"),
    path("help/signs/", views.signs, name="signs"),
    path("help/signs/<slug:slug>/", views.sign_page, name="sign_page"),
    path("help/contacts/", views.get_help, name="get_help"),
    path("help/privacy/", views.privacy, name="privacy"),
    path("help/accessibility/", views.accessibility, name="accessibility"),
    path("report/", views.report_start, name="report_start"),
    path("report/call-999/", views.call_999, name="call_999"),
    path("report/check/", views.check_answers, name="check"),
    path("report/sent/", views.sent, name="sent"),
    path("report/photos/<int:photo_id>/remove/", views.remove_photo, name="remove_photo"),
    path("report/follow-up/<str:token>/", views.follow_up, name="follow_up"),
    path("report/<slug:step>/", views.report_step, name="step"),
    path("hub/public-reports/", views.report_list, name="report_list"),
    path("hub/public-reports/<reference:reference>/", views.report_detail, name="report_detail"),
    path(
        "hub/public-reports/<reference:reference>/photos/<int:photo_id>/",
        views.report_photo,
        name="report_photo",
    ),
]
