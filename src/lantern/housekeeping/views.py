"""The hub coordinator's retention review: the records due, one record's decision, and
what was disposed of. Thin: the selectors find what is due (and answer "not found" to
anyone else), the disposal services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from lantern.core import access
from lantern.core.audit import AuditContext
from lantern.core.presenters import paginate
from lantern.housekeeping import disposal, selectors
from lantern.housekeeping.forms import RETAIN, ReviewForm
from lantern.housekeeping.models import RecordType


@login_required
@never_cache
def worklist(request: HttpRequest) -> HttpResponse:
    """Records due for review, by kind, oldest first: references and dates only."""
    return render(
        request,
        "housekeeping/worklist.html",
        {"sections": selectors.retention_worklist(request.user)},
    )


@login_required
@never_cache
def disposed(request: HttpRequest) -> HttpResponse:
    """The tombstones: what was disposed of, when, by whom, under which rule."""
    if not access.can_review_retention(request.user):
        raise access.NotFoundOrNotAllowed
    page = paginate(request, selectors.tombstones(request.user))
    return render(
        request, "housekeeping/disposed.html", {"tombstones": page["page"].object_list, **page}
    )


@login_required
@never_cache
def review(request: HttpRequest, record_type: str, pk: int) -> HttpResponse:
    """Keep a record due for review (with a reason and the next review date) or dispose
    of it. Anything not due, or anyone but the hub coordinator, is not found."""
    if record_type not in RecordType.values:
        raise access.NotFoundOrNotAllowed
    kind = RecordType(record_type)
    try:
        item = selectors.due_item(request.user, kind, pk)
    except access.NotFoundOrNotAllowed:
        # The same decision sent twice (a double click, a refresh): already made.
        if request.method == "POST" and selectors.was_decided(request.user, kind, pk):
            return redirect("housekeeping:worklist")
        raise
    today = timezone.localdate()
    form = ReviewForm(
        request.POST or None,
        initial={"retain_until": ReviewForm.suggested_review(item.rule.review_after_days, today)},
    )
    if request.method == "POST" and form.is_valid():
        context = AuditContext.from_request(request, purpose="retention review")
        data = form.cleaned_data
        try:
            if data["decision"] == RETAIN:
                decision = disposal.retain(
                    record_type=kind,
                    object_id=pk,
                    reason=data["reason"],
                    retain_until=data["retain_until"],
                    context=context,
                )
                messages.success(
                    request,
                    _("%(reference)s kept; next review on %(date)s")
                    % {
                        "reference": item.reference,
                        "date": date_format(decision.retain_until, "DATE_FORMAT"),
                    },
                )
            else:
                disposal.dispose(
                    record_type=kind, object_id=pk, reason=data["reason"], context=context
                )
                messages.success(
                    request, _("%(reference)s disposed of") % {"reference": item.reference}
                )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            return redirect("housekeeping:worklist")
    return render(request, "housekeeping/review.html", {"item": item, "form": form})
