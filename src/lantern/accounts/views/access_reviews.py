"""The periodic access review: confirm an organisation's users; see who has not."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.accounts import selectors
from lantern.accounts.forms import AccessReviewForm
from lantern.accounts.presenters import AccessReviewRow, UserRow
from lantern.accounts.services import access_review
from lantern.core import access
from lantern.core.audit import AuditContext


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """Every review the viewer may see, the overdue ones flagged."""
    viewer = request.user
    if not (
        access.can_manage_organisation_users(viewer) or access.can_oversee_access_reviews(viewer)
    ):
        raise Http404
    today = timezone.localdate()
    rows = [AccessReviewRow(review, viewer, today) for review in selectors.access_reviews(viewer)]
    return render(
        request,
        "accounts/access_review_list.html",
        {
            "rows": rows,
            "overdue": sum(1 for row in rows if row.overdue),
            "months": settings.ACCESS_REVIEW_MONTHS,
        },
    )


@login_required
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    """The organisation's users and roles, each to keep, change or remove; then confirm."""
    viewer = request.user
    if not access.can_manage_organisation_users(viewer):
        raise Http404
    review = selectors.access_review(viewer, review_id)
    form = AccessReviewForm(_posted(request))
    if not review.is_confirmed and form.is_valid():
        try:
            access_review.confirm(
                actor=viewer, review=review, context=AuditContext.from_request(request)
            )
        except PermissionDenied:
            raise Http404 from None
        messages.success(
            request,
            _("%(organisation)s’s list of users and roles is confirmed.")
            % {"organisation": review.organisation.name},
        )
        return redirect("accounts:access_reviews")
    return render(
        request,
        "accounts/access_review.html",
        {
            "review": review,
            "row": AccessReviewRow(review, viewer, timezone.localdate()),
            "users": [UserRow(person, viewer) for person in access_review.reviewed_users(review)],
            "form": form,
        },
        status=400 if form.errors else 200,
    )
