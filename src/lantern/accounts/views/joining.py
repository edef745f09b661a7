"""Joining and getting back in: the invitation link and "Forgot your password?"."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from lantern.accounts.forms import PasswordResetRequestForm, SetPasswordForm
from lantern.accounts.services import invitations, passwords
from lantern.core.audit import AuditContext
from lantern.core.models import User, normalise_email

_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _posted(request: HttpRequest) -> QueryDict | None:
    """The form's data on a POST, even an empty one (which must answer 400, not 200)."""
    return request.POST if request.method == "POST" else None


@never_cache
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invited person sets their own password, then sets up their authenticator."""
    auditing = AuditContext.from_request(request)
    try:
        invitation = invitations.usable_invitation(token=token[:200], context=auditing)
    except invitations.InvitationUnusable:
        return render(request, "accounts/invitation_unusable.html", status=404)
    candidate = User(
        email=invitation.email, full_name=invitation.full_name, organisation=invitation.organisation
    )
    form = SetPasswordForm(_posted(request), user=candidate)
    if form.is_valid():
        try:
            user = invitations.accept(
                token=token, password=form.cleaned_data["new_password1"], context=auditing
            )
        except invitations.InvitationUnusable:
            return render(request, "accounts/invitation_unusable.html", status=404)
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            login(request, user, backend=_BACKEND)
            messages.success(
                request,
                _("Your account is ready. Now set up your authenticator app to protect it."),
            )
            return redirect("core:security")
    return render(
        request,
        "accounts/accept_invitation.html",
        {"form": form, "invitation": invitation},
        status=400 if form.errors else 200,
    )


def _over_limit(request: HttpRequest, email: str) -> bool:
    """Count this request against the client's and the (normalised) address's limits."""
    by_client = is_ratelimited(
        request,
        group="password-reset-client",
        key="ip",
        rate=settings.PASSWORD_RESET_CLIENT_RATE_LIMIT,
        method="POST",
        increment=True,
    )
    by_address = is_ratelimited(
        request,
        group="password-reset-address",
        key=lambda _group, _request: email,
        rate=settings.PASSWORD_RESET_ADDRESS_RATE_LIMIT,
        method="POST",
        increment=True,
    )
    return by_client or by_address


@never_cache
def forgot_password(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link. The answer is the same whether or not the address has an
    account, and whether or not a limit stopped the email."""
    form = PasswordResetRequestForm(_posted(request))
    if form.is_valid():
        email = normalise_email(form.cleaned_data["email"])
        passwords.request_reset(
            email=email,
            limited=_over_limit(request, email),
            link_for=lambda uid, token: request.build_absolute_uri(
                reverse("accounts:reset_password", args=[uid, token])
            ),
            context=AuditContext.from_request(request),
        )
        return redirect("accounts:reset_sent")
    return render(
        request,
        "accounts/forgot_password.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/reset_sent.html")


@never_cache
def reset_password(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    """Choose a new password. The authenticator stays: signing in still asks for a code."""
    auditing = AuditContext.from_request(request)
    uid, token = uid[:40], token[:100]
    try:
        user = passwords.user_for_link(uid=uid, token=token, context=auditing)
    except passwords.ResetLinkUnusable:
        return render(request, "accounts/reset_unusable.html", status=404)
    form = SetPasswordForm(_posted(request), user=user)
    if form.is_valid():
        try:
            passwords.reset_password(
                uid=uid, token=token, password=form.cleaned_data["new_password1"], context=auditing
            )
        except passwords.ResetLinkUnusable:
            return render(request, "accounts/reset_unusable.html", status=404)
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            messages.success(
                request, _("Your password has been changed. Sign in with your new password.")
            )
            return redirect("core:login")
    return render(
        request,
        "accounts/reset_password.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
