from django.urls import path

from lantern.outreach.views import campaigns as campaign_views

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
