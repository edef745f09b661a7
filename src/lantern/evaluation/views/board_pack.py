"""The board pack page: choose a year, a format and a language; download the pack."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from lantern.core import access
from lantern.core.audit import AuditContext
from lantern.evaluation import periods
from lantern.evaluation.forms.kpis import BoardPackForm
from lantern.evaluation.services import board_pack as services


@login_required
@never_cache
def board_pack(request: HttpRequest) -> HttpResponse:
    """The form (GET with no query) or the pack itself (GET with a valid query)."""
    user = request.user
    if not access.can_generate_board_pack(user):
        raise Http404
    if not request.GET:
        form = BoardPackForm(
            initial={
                "year": periods.last_complete_year().start_year,
                "format": services.PDF,
                "language": request.LANGUAGE_CODE,
            }
        )
        return render(request, "evaluation/kpis/board_pack_form.html", {"form": form})
    form = BoardPackForm(request.GET)
    if not form.is_valid():
        return render(request, "evaluation/kpis/board_pack_form.html", {"form": form}, status=400)
    data = form.cleaned_data
    pack = services.generate_board_pack(
        actor=user,
        year=periods.FinancialYear(data["year"]),
        format=data["format"],
        language=data["language"],
        context=AuditContext.from_request(request),
    )
    response = HttpResponse(pack.content, content_type=pack.content_type)
    response["Content-Disposition"] = f'attachment; filename="{pack.filename}"'
    return response
