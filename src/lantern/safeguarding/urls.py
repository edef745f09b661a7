from django.urls import path

from lantern.core import converters  # noqa: F401  (registers <reference:…>)
from lantern.safeguarding import views

app_name = "safeguarding"

urlpatterns = [
    path("safeguarding/victims/", views.victim_list, name="victim_list"),
    path("safeguarding/victims/new/", views.victim_create, name="victim_create"),
    path("safeguarding/worklist/", views.worklist, name="worklist"),
    path("safeguarding/victims/<reference:reference>/", views.victim, name="victim"),
    path(
        "safeguarding/victims/<reference:reference>/personal-details/",
        views.personal_details,
        name="personal_details",
    ),
    path(
        "safeguarding/victims/<reference:reference>/nrm/", views.nrm_referral, name="nrm_referral"
    ),
    path(
        "safeguarding/victims/<reference:reference>/nrm/decisions/",
        views.nrm_decision,
        name="nrm_decision",
    ),
    path(
        "safeguarding/victims/<reference:reference>/duty-to-notify/",
        views.duty_to_notify,
        name="duty_to_notify",
    ),
    path("safeguarding/victims/<reference:reference>/actions/new/", views.action, name="action"),
    path(
        "safeguarding/victims/<reference:reference>/support-referrals/new/",
        views.support_referral_create,
        name="support_referral_create",
    ),
    path("safeguarding/victims/<reference:reference>/outcome/", views.outcome, name="outcome"),
    path("safeguarding/victims/<reference:reference>/take-on/", views.take_on, name="take_on"),
    path("safeguarding/support-referrals/", views.support_referrals, name="support_referrals"),
    path(
        "safeguarding/support-referrals/<int:pk>/",
        views.support_referral,
        name="support_referral",
    ),
    path("safeguarding/statistics/", views.statistics, name="statistics"),
]
