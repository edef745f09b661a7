from django.urls import path

from lantern.accounts.views import access_reviews, joining, organisation, sso

app_name = "accounts"

urlpatterns = [
    path("invitation/<str:token>/", joining.accept_invitation, name="accept_invitation"),
    path("sign-in/forgot-password/", joining.forgot_password, name="forgot_password"),
    path("sign-in/forgot-password/sent/", joining.reset_sent, name="reset_sent"),
    path(
        "sign-in/reset-password/<str:uid>/<str:token>/",
        joining.reset_password,
        name="reset_password",
    ),
    path("sign-in/organisation/", sso.sign_in, name="sso_sign_in"),
    path("sign-in/organisation/callback/", sso.finish_sign_in, name="sso_callback"),
    path("sign-in/organisation/<int:provider_id>/", sso.start_sign_in, name="sso_start"),
    path("organisation/users/", organisation.user_list, name="user_list"),
    path("organisation/users/invite/", organisation.invite, name="invite"),
    path("organisation/users/<int:user_id>/", organisation.user_detail, name="user_detail"),
    path(
        "organisation/users/<int:user_id>/deactivate/",
        organisation.deactivate,
        name="deactivate",
    ),
    path(
        "organisation/users/<int:user_id>/authenticator/",
        organisation.reset_second_factor,
        name="reset_second_factor",
    ),
    path(
        "organisation/invitations/<int:invitation_id>/resend/",
        organisation.resend_invitation,
        name="resend_invitation",
    ),
    path(
        "organisation/invitations/<int:invitation_id>/withdraw/",
        organisation.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path(
        "organisation/unused-accounts/<int:flag_id>/confirm/",
        organisation.confirm_idle,
        name="confirm_idle",
    ),
    path("organisation/activity/", organisation.activity, name="activity"),
    path("organisation/access-reviews/", access_reviews.review_list, name="access_reviews"),
    path(
        "organisation/access-reviews/<int:review_id>/",
        access_reviews.review_detail,
        name="access_review",
    ),
]
