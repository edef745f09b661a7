"""Match review side by side: both entities, what agrees and what does not, and the
decision, one suggestion after another."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from lantern.core import access, audit
from lantern.entities import comparison, selectors

READ_PURPOSE = "match review"


@login_required
@never_cache
def review_match(request: HttpRequest, pk: int) -> HttpResponse:
    match = selectors.match_for_deciding(request.user, pk)
    compared = comparison.compare(request.user, match)
    for side in (compared.first, compared.second):
        audit.record_read(
            actor=request.user, target=side.entity, purpose=READ_PURPOSE, request=request
        )
    return render(
        request,
        "entities/match_review.html",
        {
            "comparison": compared,
            "match": match,
            "next_url": f"{reverse('entities:next_match')}?after={match.pk}",
        },
    )


@login_required
@never_cache
def next_match(request: HttpRequest) -> HttpResponse:
    """The next suggestion in the queue after ``after`` (or the first), or the queue when
    none is left."""
    if not access.can_triage_intelligence(request.user):
        raise Http404
    after = None
    if request.GET.get("after", "").isdigit():
        try:
            after = selectors.match_for_deciding(request.user, int(request.GET["after"]))
        except Http404:
            after = None
    found = comparison.next_suggestion(request.user, after)
    if found is None:
        messages.success(request, _("No suggestion waits for a decision."))
        return redirect("entities:matches")
    return redirect("entities:review", pk=found.pk)
