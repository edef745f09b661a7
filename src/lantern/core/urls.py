from django.urls import path

from lantern.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("sign-in/code/", views.verify, name="verify"),
    path("account/security/", views.security, name="security"),
    path("session/extend/", views.session_extend, name="session_extend"),
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/<int:organisation_id>/", views.partner_detail, name="partner_detail"),
]
