from django.urls import path

from lantern.housekeeping import views

app_name = "housekeeping"

urlpatterns = [
    path("hub/retention/", views.worklist, name="worklist"),
    path("hub/retention/disposed/", views.disposed, name="disposed"),
    path("hub/retention/<str:record_type>/<int:pk>/", views.review, name="review"),
]
