"""Pages of awareness campaigns: list, calendar, create, change, the campaign page with
its activities, reach import, materials and QR codes, and the public short link.

Thin: each parses a form, calls a service or selector, and renders. Only campaign
managers see any of the staff pages; anyone else gets 404, as for a missing campaign.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from lantern.core import access, csv_files
from lantern.core.audit import AuditContext
from lantern.core.presenters import paginate
from lantern.outreach.forms.campaigns import (
    ActivityForm,
    CampaignChangeForm,
    CampaignForm,
    FilterForm,
    ImportForm,
    MaterialForm,
    ReachForm,
)
from lantern.outreach.models import Landing, ReachKind
from lantern.outreach.presenters import campaigns as presenters
from lantern.outreach.selectors import campaigns as selectors
from lantern.outreach.services import campaigns as services
from lantern.public.drafts import CAMPAIGN_SESSION_KEY

_CAMPAIGN_FIELDS = (
    "name",
    "purpose",
    "channels",
    "starts_on",
    "ends_on",
    "areas",
    "audiences",
    "languages",
    "partners",
    "cost",
    "landing",
)


def _managers_only(request: HttpRequest) -> None:
    if not access.can_manage_campaigns(request.user):
        raise Http404


@login_required
@never_cache
def campaign_list(request: HttpRequest) -> HttpResponse:
    _managers_only(request)
    form = FilterForm(request.GET, years=selectors.campaign_years(request.user))
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.CampaignFilters(
        year=data.get("year"),
        channel=data.get("channel", ""),
        area=data.get("area"),
        status=data.get("status", ""),
    )
    pages = paginate(request, selectors.campaigns_for_listing(request.user, filters))
    rows = [
        {
            "campaign": campaign,
            "channels": presenters.channel_labels(campaign),
            "tag": presenters.status_tag(campaign.status),
        }
        for campaign in pages["page"].object_list
    ]
    return render(
        request,
        "outreach/campaigns/campaign_list.html",
        {
            "form": form,
            "rows": rows,
            **pages,
            "filtered": any(filters.__dict__.values()),
            "this_year": timezone.localdate().year,
        },
    )


@login_required
@never_cache
def campaign_calendar(request: HttpRequest, year: int | None = None) -> HttpResponse:
    _managers_only(request)
    year = year or timezone.localdate().year
    if not 2015 <= year <= 2100:
        raise Http404
    months = presenters.year_grid(year, selectors.campaigns_in_year(request.user, year))
    return render(
        request,
        "outreach/campaigns/calendar.html",
        {"year": year, "months": months, "previous": year - 1, "next": year + 1},
    )


@login_required
@never_cache
def campaign_create(request: HttpRequest) -> HttpResponse:
    _managers_only(request)
    user = request.user
    if request.method == "POST":
        form = CampaignForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            already = selectors.submitted_campaign(user, data["submission_key"])
            if already is not None:
                return redirect("outreach:campaign", code=already.code)
            try:
                campaign = services.create_campaign(
                    actor=user,
                    context=AuditContext.from_request(request),
                    submission_key=data["submission_key"],
                    **{name: data[name] for name in _CAMPAIGN_FIELDS},
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request, _("Campaign created. Its code is %(code)s") % {"code": campaign.code}
                )
                return redirect("outreach:campaign", code=campaign.code)
    else:
        form = CampaignForm()
    return render(
        request,
        "outreach/campaigns/campaign_form.html",
        {"form": form, "title": _("Create a campaign"), "button": _("Create the campaign")},
        status=400 if form.errors else 200,
    )


@login_required
@never_cache
def campaign_change(request: HttpRequest, code: str) -> HttpResponse:
    campaign = selectors.campaign_for_reading(request.user, code)
    if request.method == "POST":
        form = CampaignChangeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.change_campaign(
                    campaign=campaign,
                    actor=request.user,
                    context=AuditContext.from_request(request),
                    status=data["status"],
                    **{name: data[name] for name in _CAMPAIGN_FIELDS},
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Campaign saved"))
                return redirect("outreach:campaign", code=campaign.code)
    else:
        form = CampaignChangeForm(
            initial={
                "name": campaign.name,
                "purpose": campaign.purpose,
                "starts_on": campaign.starts_on,
                "ends_on": campaign.ends_on,
                "channels": campaign.channel_list,
                "areas": list(campaign.areas.all()),
                "audience_labels": presenters.audience_labels(campaign),
                "languages": ", ".join(campaign.languages),
                "partners": list(campaign.partners.all()),
                "cost": campaign.cost,
                "landing": campaign.landing,
                "status": campaign.status,
            }
        )
    return render(
        request,
        "outreach/campaigns/campaign_form.html",
        {
            "form": form,
            "campaign": campaign,
            "title": _("Change the campaign"),
            "button": _("Save the campaign"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@never_cache
def campaign_page(request: HttpRequest, code: str) -> HttpResponse:
    campaign = selectors.campaign_for_reading(request.user, code)
    activities = [
        {
            "activity": activity,
            "reach": [(figure.get_kind_display(), figure.value) for figure in activity.reach.all()],
            "link": presenters.short_url(request, activity.link_code),
        }
        for activity in selectors.activities(campaign)
    ]
    return render(
        request,
        "outreach/campaigns/campaign.html",
        {
            "campaign": campaign,
            "channels": presenters.channel_labels(campaign),
            "tag": presenters.status_tag(campaign.status),
            "audience_labels": presenters.audience_labels(campaign),
            "activities": activities,
            "reach": selectors.reach_by_kind(campaign),
            "attribution": selectors.attribution(request.user, campaign),
            "materials": selectors.materials(campaign),
            "short_url": presenters.short_url(request, campaign.code),
            "can_read_public_reports": access.can_view_public_reports(request.user),
        },
    )


@login_required
@never_cache
def activity_create(request: HttpRequest, code: str) -> HttpResponse:
    campaign = selectors.campaign_for_reading(request.user, code)
    if request.method == "POST":
        form = ActivityForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_activity(
                    campaign=campaign,
                    actor=request.user,
                    context=AuditContext.from_request(request),
                    submission_key=data["submission_key"],
                    title=data["title"],
                    channel=data["channel"],
                    happened_on=data["happened_on"],
                    area=data["area"],
                    reach=form.reach(),
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Activity recorded"))
                return redirect("outreach:campaign", code=campaign.code)
    else:
        form = ActivityForm(initial={"happened_on": min(timezone.localdate(), campaign.ends_on)})
    return render(
        request,
        "outreach/campaigns/activity_form.html",
        {"form": form, "campaign": campaign},
        status=400 if form.errors else 200,
    )


@login_required
@never_cache
def reach_change(request: HttpRequest, code: str, number: int) -> HttpResponse:
    activity = selectors.activity_for_changing(request.user, code, number)
    campaign = activity.campaign
    if request.method == "POST":
        form = ReachForm(request.POST)
        if form.is_valid():
            try:
                services.set_reach(
                    activity=activity,
                    actor=request.user,
                    context=AuditContext.from_request(request),
                    reach=form.reach(),
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Reach saved"))
                return redirect("outreach:campaign", code=campaign.code)
    else:
        form = ReachForm(initial={figure.kind: figure.value for figure in activity.reach.all()})
    return render(
        request,
        "outreach/campaigns/reach_form.html",
        {"form": form, "campaign": campaign, "activity": activity},
        status=400 if form.errors else 200,
    )


@login_required
@never_cache
def reach_import(request: HttpRequest, code: str) -> HttpResponse:
    campaign = selectors.campaign_for_reading(request.user, code)
    problems: list[services.ImportProblem] = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = services.import_reach(
                    campaign=campaign,
                    actor=request.user,
                    context=AuditContext.from_request(request),
                    upload=form.cleaned_data["file"],
                )
            except csv_files.FileRefused as refused:
                form.add_error("file", str(refused))
            else:
                if result.stored:
                    messages.success(
                        request,
                        _("%(count)s activities imported") % {"count": result.activities},
                    )
                    return redirect("outreach:campaign", code=campaign.code)
                problems = result.problems
                form.add_error(
                    "file",
                    _("Nothing was imported: correct the %(count)s problems listed and try again")
                    % {"count": len(problems)},
                )
    else:
        form = ImportForm()
    return render(
        request,
        "outreach/campaigns/import.html",
        {
            "form": form,
            "campaign": campaign,
            "problems": problems[:500],
            "more_problems": max(0, len(problems) - 500),
            "columns": services.IMPORT_COLUMNS,
            "reach_kinds": ReachKind.choices,
        },
        status=400 if form.errors else 200,
    )


@login_required
def import_template(request: HttpRequest) -> StreamingHttpResponse:
    _managers_only(request)
    response = StreamingHttpResponse(
        services.import_template_lines(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="campaign-reach-template.csv"'
    return response


@login_required
@never_cache
def material_add(request: HttpRequest, code: str) -> HttpResponse:
    campaign = selectors.campaign_for_reading(request.user, code)
    if request.method == "POST":
        form = MaterialForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_material(
                    campaign=campaign,
                    actor=request.user,
                    context=AuditContext.from_request(request),
                    upload=data["file"],
                    title=data["title"],
                    is_public=data["is_public"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Material added"))
                return redirect("outreach:campaign", code=campaign.code)
    else:
        form = MaterialForm()
    return render(
        request,
        "outreach/campaigns/material_form.html",
        {"form": form, "campaign": campaign},
        status=400 if form.errors else 200,
    )


@login_required
def material_download(request: HttpRequest, code: str, pk: int) -> FileResponse:
    material = selectors.material_for_download(request.user, code, pk)
    return _file_response(material)


@login_required
@require_POST
def material_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    material = selectors.material_for_download(request.user, code, pk)
    services.remove_material(
        material=material, actor=request.user, context=AuditContext.from_request(request)
    )
    messages.success(request, _("Material removed"))
    return redirect("outreach:campaign", code=code)


@login_required
def qr_code(request: HttpRequest, code: str, kind: str, number: int | None = None) -> HttpResponse:
    """The campaign's (or an activity's) QR code, to download for posters and slides."""
    campaign = selectors.campaign_for_reading(request.user, code)
    if kind not in presenters.QR_FORMATS:
        raise Http404
    link_code = campaign.code
    if number is not None:
        link_code = selectors.activity_for_changing(request.user, code, number).link_code
    content, content_type = presenters.qr_code(presenters.short_url(request, link_code), kind)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="campaign-{link_code}.{kind}"'
    return response


# The public side: the short link and public materials (no account).


@never_cache
def landing(request: HttpRequest, code: str) -> HttpResponse:
    """Count the visit, keep only the code in the session, and go to the public pages.

    Nothing identifies the visitor: no address, no cookie beyond the session the report
    form uses anyway. An unknown code still gets the public pages, with a 404 status.
    A client that follows links faster than ``CAMPAIGN_VISIT_RATE_LIMIT`` still lands on
    the public pages, but its further visits are not counted: a script cannot inflate a
    campaign's figures. The limit's counter lives a short while in the cache under a hash
    of the client's address, as the report form's does; nothing is written to the database.
    """
    if is_ratelimited(
        request,
        group="campaign-visit",
        key="ip",
        rate=settings.CAMPAIGN_VISIT_RATE_LIMIT,
        method=is_ratelimited.ALL,
        increment=True,
    ):
        target = selectors.link_target(code.upper())
        campaign = target[0] if target else None
    else:
        campaign = services.count_visit(code=code.upper())
    if campaign is None:
        return render(request, "outreach/campaigns/unknown_link.html", status=404)
    request.session[CAMPAIGN_SESSION_KEY] = code.upper()
    if campaign.landing == Landing.REPORT:
        return redirect("public:report_start")
    return redirect("public:start")


def public_material(request: HttpRequest, code: str, pk: int) -> FileResponse:
    return _file_response(selectors.public_material(code.upper(), pk))


def _file_response(material: Any) -> FileResponse:
    inline = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}
    inline["jpeg"] = "image/jpeg"
    content_type = inline.get(material.extension, "application/octet-stream")
    response = FileResponse(
        material.file.open("rb"),
        content_type=content_type,
        as_attachment=True,
        filename=material.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    return response


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)
