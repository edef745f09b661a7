from django.urls import path

from lantern.intelligence import views

app_name = "intelligence"

urlpatterns = [
    path("intelligence/", views.report_list, name="report_list"),
    path("intelligence/new/", views.submit, name="submit"),
    path("intelligence/<str:reference>/", views.report_detail, name="report_detail"),
]
