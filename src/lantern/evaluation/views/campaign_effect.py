"""The campaign effect page: what weekly reports did when a campaign started.

Thin: the selector reads the campaign through the access policy (404 for anyone who may
not read it, as for a code that does not exist) and estimates; the presenter words it.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from lantern.evaluation.presenters import campaign_effect as presenters
from lantern.evaluation.selectors import campaign_effect as selectors


@login_required
@never_cache
def campaign_effect(request: HttpRequest, code: str) -> HttpResponse:
    """The estimated change in weekly reports with its 95% interval, or why there is none."""
    effect = selectors.campaign_effect(request.user, code)
    return render(
        request,
        "evaluation/campaigns/effect.html",
        {"page": presenters.page(effect), "campaign": effect.campaign},
    )
