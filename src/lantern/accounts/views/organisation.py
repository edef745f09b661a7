"""'Your organisation's users': organisation administrators manage their own staff."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantern.accounts import selectors
from lantern.accounts.forms import InvitationForm, UserRolesForm
from lantern.accounts.presenters import ActivityRow, UserRow
from lantern.accounts.services import invitations, review, second_factor, users
from lantern.core import access
from lantern.core.audit import AuditContext
from lantern.core.roles import Role


def _posted(request: HttpRequest) -> QueryDict | None:
    """The form's data on a POST, even an empty one (which must answer 400, not 200)."""
    return request.POST if request.method == "POST" else None


def _require_manager(request: HttpRequest) -> None:
    # Missing and forbidden look alike: a page nobody may see here does not exist.
    if not access.can_manage_organisation_users(request.user):
        raise Http404


def _invitation_link(request: HttpRequest) -> Callable[[str], str]:
    return lambda token: request.build_absolute_uri(
        reverse("accounts:accept_invitation", args=[token])
    )


def _refused(request: HttpRequest) -> HttpResponse:
    messages.error(request, _("You cannot make that change."))
    return redirect("accounts:user_list")


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    viewer = request.user
    return render(
        request,
        "accounts/user_list.html",
        {
            "rows": [UserRow(person, viewer) for person in selectors.users(viewer)],
            "invitations": selectors.pending_invitations(viewer),
            "idle_flags": selectors.open_idle_flags(viewer),
            "access_reviews": selectors.waiting_access_reviews(viewer)[:5],
        },
    )


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    viewer = request.user
    form = InvitationForm(
        _posted(request),
        organisations=selectors.organisations(viewer),
        roles=access.grantable_roles(viewer),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            sent = invitations.invite(
                actor=viewer,
                email=data["email"],
                full_name=data["full_name"],
                job_title=data["job_title"],
                organisation=data["organisation"],
                roles=[Role(value) for value in data["roles"]],
                link_for=_invitation_link(request),
                context=AuditContext.from_request(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            return _refused(request)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s.") % {"email": sent.invitation.email},
            )
            return redirect("accounts:user_list")
    return render(
        request,
        "accounts/invite.html",
        {"form": form, "hours": settings.INVITATION_HOURS},
        status=400 if form.errors else 200,
    )


@login_required
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    _require_manager(request)
    viewer = request.user
    person = selectors.user(viewer, user_id)
    may_manage = access.can_manage_user(viewer, person)
    form = UserRolesForm(
        _posted(request),
        roles=access.grantable_roles(viewer),
        initial={"roles": [role.value for role in person.roles()]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            users.change_roles(
                actor=viewer,
                user=person,
                roles=[Role(value) for value in form.cleaned_data["roles"]],
                context=AuditContext.from_request(request),
            )
        except PermissionDenied:
            return _refused(request)
        messages.success(request, _("Roles saved for %(name)s.") % {"name": person.full_name})
        return redirect("accounts:user_list")
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": person,
            "row": UserRow(person, viewer),
            "form": form,
            "may_manage": may_manage,
            "may_reset_second_factor": second_factor.may_reset_second_factor(viewer, person),
        },
        status=400 if form.errors else 200,
    )


@login_required
def deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    _require_manager(request)
    viewer = request.user
    person = selectors.user(viewer, user_id)
    if not access.can_manage_user(viewer, person):
        raise Http404
    if request.method == "POST":
        try:
            users.deactivate(actor=viewer, user=person, context=AuditContext.from_request(request))
        except PermissionDenied:
            return _refused(request)
        messages.success(
            request,
            _("%(name)s can no longer sign in. Their API tokens no longer work.")
            % {"name": person.full_name},
        )
        # From an access review, back to it (its page checks the viewer again).
        review = request.GET.get("review", "")
        if review.isdigit() and len(review) < 12:
            return redirect("accounts:access_review", review_id=int(review))
        return redirect("accounts:user_list")
    return render(request, "accounts/deactivate.html", {"person": person})


@login_required
def reset_second_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    """Remove a lost authenticator: the person sets up a new one at their next sign-in."""
    _require_manager(request)
    viewer = request.user
    person = selectors.user(viewer, user_id)
    if not second_factor.may_reset_second_factor(viewer, person) or not person.is_active:
        raise Http404
    if request.method == "POST":
        second_factor.reset_second_factor(
            actor=viewer, user=person, context=AuditContext.from_request(request)
        )
        messages.success(
            request,
            _(
                "%(name)s’s authenticator app has been removed. They will set up a new one "
                "the next time they sign in, and have been told by email."
            )
            % {"name": person.full_name},
        )
        return redirect("accounts:user_detail", user_id=person.pk)
    return render(request, "accounts/reset_second_factor.html", {"person": person})


@login_required
@require_POST
def resend_invitation(request: HttpRequest, invitation_id: int) -> HttpResponse:
    _require_manager(request)
    invitation = selectors.pending_invitation(request.user, invitation_id)
    try:
        invitations.resend(
            actor=request.user,
            invitation=invitation,
            link_for=_invitation_link(request),
            context=AuditContext.from_request(request),
        )
    except (PermissionDenied, ValidationError):
        return _refused(request)
    messages.success(
        request, _("Invitation sent again to %(email)s.") % {"email": invitation.email}
    )
    return redirect("accounts:user_list")


@login_required
@require_POST
def withdraw_invitation(request: HttpRequest, invitation_id: int) -> HttpResponse:
    _require_manager(request)
    invitation = selectors.pending_invitation(request.user, invitation_id)
    try:
        invitations.withdraw(
            actor=request.user, invitation=invitation, context=AuditContext.from_request(request)
        )
    except (PermissionDenied, ValidationError):
        return _refused(request)
    messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})
    return redirect("accounts:user_list")


@login_required
@require_POST
def confirm_idle(request: HttpRequest, flag_id: int) -> HttpResponse:
    _require_manager(request)
    flag = selectors.open_idle_flag(request.user, flag_id)
    try:
        review.confirm_idle_account(
            actor=request.user, flag=flag, context=AuditContext.from_request(request)
        )
    except PermissionDenied:
        return _refused(request)
    messages.success(request, _("%(name)s keeps their account.") % {"name": flag.user.full_name})
    return redirect("accounts:user_list")


@login_required
def activity(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    events = selectors.organisation_activity(
        request.user, context=AuditContext.from_request(request)
    )
    return render(
        request, "accounts/activity.html", {"events": [ActivityRow(event) for event in events]}
    )
