"""Analysts' review of suggested matches, and the hub's list of restricted hits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lantern.core import access
from lantern.core.audit import AuditContext
from lantern.core.presenters import paginate
from lantern.entities import selectors, services
from lantern.entities.models import MatchStatus


@login_required
@never_cache
def review_queue(request: HttpRequest) -> HttpResponse:
    if not access.can_triage_intelligence(request.user):
        raise PermissionDenied
    not_sure = request.GET.get("status") == MatchStatus.NOT_SURE
    status = MatchStatus.NOT_SURE if not_sure else MatchStatus.SUGGESTED
    return render(
        request,
        "entities/matches.html",
        {**paginate(request, selectors.review_queue(request.user, status)), "not_sure": not_sure},
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    auditing = AuditContext.from_request(request)
    actions = {
        "confirm": (services.confirm_match, _("Match confirmed: the entities are merged.")),
        "reject": (services.reject_match, _("Match rejected.")),
        "not_sure": (services.mark_not_sure, _("Marked not sure: it stays open.")),
        "undo": (services.undo_merge, _("Merge undone: the entities are separate again.")),
    }
    if decision not in actions:
        raise Http404
    match = selectors.match_for_deciding(request.user, pk)
    action, done = actions[decision]
    try:
        action(match=match, actor=request.user, context=auditing)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(_back(request))


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("entities:matches")


@login_required
@never_cache
def restricted_hits(request: HttpRequest) -> HttpResponse:
    if not access.can_read_intelligence(request.user):
        raise PermissionDenied
    hits = paginate(request, selectors.restricted_hits(request.user))
    return render(
        request, "entities/hits.html", {**hits, "is_hub": selectors.is_hub_user(request.user)}
    )
