"""Pages of the core app: sign in and out, second factor, home, partner directory, health."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp import match_token

from lantern.core import access, audit, selectors, services
from lantern.core import home as home_panels
from lantern.core import session_timeout as timeout
from lantern.core.audit import AuditContext
from lantern.core.forms import SignInForm, TokenForm
from lantern.core.middleware import has_code_device
from lantern.core.models import OrganisationType
from lantern.core.presenters import TotpEnrolment


class SignInView(auth_views.LoginView):
    template_name = "core/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


@never_cache
def home(request: HttpRequest) -> HttpResponse:
    """The site's address: a partner's own work once signed in, the public help otherwise.

    A member of the public who heard the address on local radio must find the signs, who
    to call and how to report a concern, not a sign-in form; partners sign in from the link
    on every public page.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect("public:start")
    return render(
        request,
        "core/home.html",
        {
            "roles": selectors.home_roles(user),
            "panels": home_panels.panels_for(user),
            "has_shared_data_access": access.has_shared_data_access(user),
            "can_view_partner_directory": access.can_view_partner_directory(user),
            "can_view_public_reports": access.can_view_public_reports(user),
            "can_submit_intelligence": access.can_submit_intelligence(user),
            "can_read_intelligence": access.can_read_intelligence(user),
            "can_triage_intelligence": access.can_triage_intelligence(user),
            "can_administer": access.can_administer(user),
            "has_second_factor": has_code_device(user),
        },
    )


@login_required
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """Second step of signing in, for a user with an authenticator."""
    if request.user.is_verified():
        return redirect("core:home")
    form = TokenForm(request.POST or None)
    if form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request) or "core:home")
        audit.record(action=audit.Action.SECOND_FACTOR_FAILED, actor=request.user, request=request)
        form.add_error(
            "token", _("The code is wrong or has expired. Enter the code your app shows now.")
        )
    return render(request, "core/verify.html", {"form": form})


@login_required
@never_cache
def security(request: HttpRequest) -> HttpResponse:
    """Enrol (or replace) an authenticator app as a second factor."""
    user = request.user
    device = services.pending_totp_device(user=user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if services.confirm_totp_device(
            user=user,
            device=device,
            token=form.cleaned_data["token"],
            context=AuditContext.from_request(request),
        ):
            otp_login(request, device)
            messages.success(
                request,
                _(
                    "Your authenticator app is set up. "
                    "Lantern will ask for a code each time you sign in."
                ),
            )
            return redirect("core:home")
        form.add_error(
            "token", _("The code is wrong or has expired. Enter the code your app shows now.")
        )
    return render(
        request,
        "core/security.html",
        {
            "form": form,
            "enrolment": TotpEnrolment(device=device, account=user.email),
            "has_second_factor": has_code_device(user),
        },
    )


@login_required
def partner_list(request: HttpRequest) -> HttpResponse:
    if not access.can_view_partner_directory(request.user):
        return _no_shared_access(request)
    filters = {
        "organisation_type": request.GET.get("type", "")[:40],
        "area_code": request.GET.get("area", "")[:20],
        "capability": request.GET.get("helps_with", "")[:20],
        "first_responders_only": request.GET.get("first_responders") == "1",
    }
    organisations = selectors.partner_directory(request.user, **filters)
    return render(
        request,
        "core/partner_list.html",
        {
            "organisations": organisations,
            "filters": filters,
            "organisation_types": OrganisationType.choices,
            "area_choices": selectors.area_choices(),
            "capabilities": selectors.CAPABILITY_CHOICES,
        },
    )


@login_required
def partner_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = selectors.partner_detail(request.user, organisation_id)
    return render(
        request,
        "core/partner_detail.html",
        {
            "organisation": organisation,
            "contacts": selectors.partner_contacts(request.user, organisation),
        },
    )


@require_POST
@never_cache
def session_extend(request: HttpRequest) -> HttpResponse:
    """The time-out warning's "Stay signed in" (or "Keep my answers") button.

    Every request renews the session (``SESSION_SAVE_EVERY_REQUEST``), so this one only
    has to say whether a session was still there to renew: a page whose session has
    already ended must not pretend otherwise. The dialog's script asks for JSON; the same
    form sent without it (it is a real, CSRF-protected form) goes back to the page.
    """
    active = request.user.is_authenticated or not request.session.is_empty()
    if active:
        request.session.modified = True
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"active": active, "seconds": timeout.idle_seconds()})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("core:home")
    return redirect(next_url)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (expired page or forged request): say so plainly, and audit it."""
    audit.record(
        action=audit.Action.CSRF_REJECTED,
        actor=request.user if hasattr(request, "user") else None,
        request=request,
        detail={"path": request.path[:200], "reason": reason[:200]},
    )
    return HttpResponseForbidden(render_to_string("core/csrf_failure.html", request=request))


def _no_shared_access(request: HttpRequest) -> HttpResponse:
    return render(request, "core/no_shared_access.html", status=403)


def _safe_next(request: HttpRequest) -> str:
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""
